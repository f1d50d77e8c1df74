// Relative links and images of the README published to Docker Hub become absolute URLs into
// the repository at the commit built: links to the file's page, images to its bytes.
import { completeReadmeUrls, type ReadmeLocation } from '@ci-actions/publishing/dockerhub/readme-urls.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const BLOB = `https://github.com/acme/server/blob/${SHA}`;
const RAW = `https://github.com/acme/server/raw/${SHA}`;
const root: ReadmeLocation = { serverUrl: 'https://github.com', repository: 'acme/server', sha: SHA, directory: '' };
const docker: ReadmeLocation = { ...root, directory: 'docker' };

describe('completeReadmeUrls', () => {
  test.each([
    // [case, README directory, markdown, completed]
    ['a link', root, 'See [the guide](docs/guide.md).', `See [the guide](${BLOB}/docs/guide.md).`],
    ['a link with ./ and a title', root, '[guide](./docs/guide.md "The guide")', `[guide](${BLOB}/docs/guide.md "The guide")`],
    ['a link to a heading of another file', root, '[setup](docs/guide.md#setup)', `[setup](${BLOB}/docs/guide.md#setup)`],
    ['an image', root, '![diagram](docs/arch.png)', `![diagram](${RAW}/docs/arch.png)`],
    ['an image in <angle brackets>', root, '![diagram](<docs/arch diagram.png>)', `![diagram](<${RAW}/docs/arch diagram.png>)`],
    ['an image inside a link (a badge)', root, '[![build](badge.svg)](CONTRIBUTING.md)', `[![build](${RAW}/badge.svg)](${BLOB}/CONTRIBUTING.md)`],
    ['a README in a subdirectory', docker, '[license](../LICENSE) and ![logo](logo.png)', `[license](${BLOB}/LICENSE) and ![logo](${RAW}/docker/logo.png)`],
    ['a path from the repository root', docker, '[license](/LICENSE)', `[license](${BLOB}/LICENSE)`],
    ['a path out of the repository: left alone', root, '[up](../other/README.md)', '[up](../other/README.md)'],
    ['a reference-style link', root, '[guide][g]\n\n[g]: docs/guide.md', `[guide][g]\n\n[g]: ${BLOB}/docs/guide.md`],
    [
      'a reference-style image, label in another case',
      root,
      '![Logo][LOGO]\n\n[logo]: img/logo.png "Logo"',
      `![Logo][LOGO]\n\n[logo]: ${RAW}/img/logo.png "Logo"`,
    ],
    ['a shortcut image reference', root, '![logo]\n\n  [logo]: <img/logo.png>', `![logo]\n\n  [logo]: <${RAW}/img/logo.png>`],
    ['an HTML image', root, '<p><img alt="logo" src="img/logo.png" width="80"></p>', `<p><img alt="logo" src="${RAW}/img/logo.png" width="80"></p>`],
    ['an HTML link, single quotes', root, "<a href='docs/guide.md'>guide</a>", `<a href='${BLOB}/docs/guide.md'>guide</a>`],
    [
      'absolute URLs, anchors, mailto and //host: left alone',
      root,
      '[a](https://example.com/x) [b](#usage) [c](mailto:ops@acme.io) ![d](//cdn.acme.io/d.png) <img src="http://x.io/e.png"> [f]: HTTPS://acme.io/f',
      '[a](https://example.com/x) [b](#usage) [c](mailto:ops@acme.io) ![d](//cdn.acme.io/d.png) <img src="http://x.io/e.png"> [f]: HTTPS://acme.io/f',
    ],
    [
      'fenced code: left as written',
      root,
      '```md\n[guide](docs/guide.md)\n```\n[guide](docs/guide.md)',
      `\`\`\`md\n[guide](docs/guide.md)\n\`\`\`\n[guide](${BLOB}/docs/guide.md)`,
    ],
    ['GitHub Enterprise Server', { ...root, serverUrl: 'https://git.acme.io/' }, '![x](x.png)', `![x](https://git.acme.io/acme/server/raw/${SHA}/x.png)`],
  ] as [string, ReadmeLocation, string, string][])('%s', (_case, location, markdown, completed) => {
    expect(completeReadmeUrls(markdown, location)).toBe(completed);
  });
});
