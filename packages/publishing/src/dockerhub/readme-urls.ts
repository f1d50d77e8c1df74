// Docker Hub shows the README away from its repository, where a relative link or image
// resolves against hub.docker.com and breaks. So each becomes absolute, into the repository
// at the commit being built, as peter-evans/dockerhub-description's URL completion does:
// links to the file's page (/blob/), images to its bytes (/raw/). Paths resolve against the
// README's directory, a leading `/` against the repository root, as GitHub resolves them.
// Absolute URLs (any scheme, mailto: too, or //host), anchors and code are left as written.
import path from 'node:path';

export interface ReadmeLocation {
  /** e.g. https://github.com (GITHUB_SERVER_URL). */
  serverUrl: string;
  /** owner/name (GITHUB_REPOSITORY). */
  repository: string;
  /** The commit the README is read from (GITHUB_SHA). */
  sha: string;
  /** The README's directory inside the repository, `/`-separated; '' or '.' for the root. */
  directory: string;
}

type Kind = 'blob' | 'raw';

// [text](url "title") and ![alt](url): the text may hold one level of brackets, as a badge
// inside a link does; the URL is <...> or has no space.
const INLINE = /(!?)\[((?:[^[\]]|\[[^[\]]*\])*)\]\(\s*(<[^>\n]*>|[^\s()]+)([^)]*)\)/g;
// [label]: url — a reference definition, on a line of its own.
const DEFINITION = /^( {0,3}\[([^\]\n]+)\]:[ \t]*)(<[^>\n]*>|\S+)/gm;
// ![alt][label], ![label][] and ![label]: images that take their URL from a definition.
const IMAGE_REFERENCE = /!\[([^\]\n]*)\](?:\[([^\]\n]*)\])?/g;
const HTML_ATTRIBUTE = /(<(img|a)\b[^>]*?\s(src|href)\s*=\s*)("[^"]*"|'[^']*')/gi;
const FENCE = /^ {0,3}(```|~~~)/;

export function completeReadmeUrls(markdown: string, location: ReadmeLocation): string {
  // Code is shown as written: only the text between fenced blocks is rewritten.
  const lines = markdown.split('\n');
  const out: string[] = [];
  let prose: string[] = [];
  let fence: string | undefined;
  const flush = () => {
    if (prose.length > 0) out.push(completeProse(prose.join('\n'), location));
    prose = [];
  };
  for (const line of lines) {
    const marker = FENCE.exec(line)?.[1];
    if (fence) {
      out.push(line);
      if (marker === fence) fence = undefined;
    } else if (marker) {
      flush();
      fence = marker;
      out.push(line);
    } else prose.push(line);
  }
  flush();
  return out.join('\n');
}

function completeProse(text: string, location: ReadmeLocation): string {
  const imageLabels = new Set([...text.matchAll(IMAGE_REFERENCE)].map((m) => normalizeLabel(m[2] || m[1])));
  return text
    .replace(
      DEFINITION,
      (_whole, start: string, label: string, url: string) => start + completeUrl(url, imageLabels.has(normalizeLabel(label)) ? 'raw' : 'blob', location),
    )
    .replace(HTML_ATTRIBUTE, (_whole, start: string, tag: string, _attribute: string, quoted: string) => {
      const quote = quoted[0];
      return `${start}${quote}${completeUrl(quoted.slice(1, -1), tag.toLowerCase() === 'img' ? 'raw' : 'blob', location)}${quote}`;
    })
    .replace(INLINE, function inline(_whole: string, bang: string, label: string, url: string, rest: string): string {
      return `${bang}[${label.replace(INLINE, inline)}](${completeUrl(url, bang ? 'raw' : 'blob', location)}${rest})`;
    });
}

/** Markdown matches reference labels case-insensitively, with runs of white space as one. */
function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The URL made absolute into the repository; as it is when it is absolute, an anchor, or leaves the repository. */
export function completeUrl(url: string, kind: Kind, location: ReadmeLocation): string {
  if (url.startsWith('<') && url.endsWith('>')) return `<${completeUrl(url.slice(1, -1), kind, location)}>`;
  if (url === '' || url.startsWith('#') || url.startsWith('//') || /^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
  const split = /^([^?#]*)(.*)$/.exec(url)!;
  const target = path.posix.normalize(url.startsWith('/') ? split[1].slice(1) : path.posix.join(location.directory || '.', split[1]));
  if (target === '..' || target.startsWith('../')) return url;
  const file = target === '.' ? '' : target;
  return `${location.serverUrl.replace(/\/+$/, '')}/${location.repository}/${kind}/${location.sha}/${file}${split[2]}`;
}
