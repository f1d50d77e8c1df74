// Plain text (action.yml descriptions, commit subjects) written into Markdown: what GitHub
// would otherwise swallow or reinterpret is escaped; code spans the text already has are kept.

// A code span: a run of backticks, content, the same run again.
const CODE_SPAN = /(`+)([\s\S]*?[^`])\1(?!`)/g;

/**
 * Text for one line of Markdown, also safe in a table cell: `<` and `>` (GitHub drops what
 * looks like an HTML tag, e.g. `<package>=<repository>`), `|` (a cell separator), `*` (emphasis),
 * a backslash before punctuation; a line break becomes `<br>`. Code spans stay code spans, with
 * only `|` escaped inside them (GitHub's table parser honours `\|` there too).
 */
export function inlineText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\s+$/, '').split('\n');
  return lines.map(escapeLine).join('<br>');
}

function escapeLine(line: string): string {
  let out = '';
  let last = 0;
  for (const match of line.matchAll(CODE_SPAN)) {
    out += escapeProse(line.slice(last, match.index));
    out += match[0].replace(/\|/g, '\\|');
    last = match.index + match[0].length;
  }
  return out + escapeProse(line.slice(last));
}

function escapeProse(text: string): string {
  return text
    .replace(/\\(?=[!-/:-@[-`{-~])/g, '\\\\')
    .replace(/&(?=#?\w+;)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\*/g, '\\*');
}

/**
 * A value shown verbatim as code in a table cell, e.g. a default `${{ github.token }}`: the
 * fence is longer than any backtick run inside, `|` is escaped, and each line of a multi-line
 * value is its own code span, the lines joined with `<br>`.
 */
export function codeCell(value: string): string {
  if (value === '') return "`''`";
  return value
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => (line === '' ? '' : codeSpan(line).replace(/\|/g, '\\|')))
    .join('<br>');
}

function codeSpan(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  // CommonMark strips one space from each side of content that has a space at both ends (and
  // is not only spaces), and content cannot touch the fence with a backtick: pad with a space.
  const spaced = text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '';
  const pad = text.startsWith('`') || text.endsWith('`') || spaced ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
