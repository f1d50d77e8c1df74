// A credential in a URL is hidden wherever the URL is shown; nothing else is changed.
import { redactUrlCredentials } from '@ci-actions/publishing/address-credentials.js';

const CASES: [string, string, string][] = [
  ['user and password', 'https://ci:s3cret@npm.example.com/repo/', 'https://***@npm.example.com/repo/'],
  ['a token as the user name', 'https://s3cret@central.example.com', 'https://***@central.example.com/'],
  ['a password only', 'https://:s3cret@host/x', 'https://***@host/x'],
  ['an @ in the password, up to the last @ before the host ends', 'https://ci:s3@cret@host/a@b', 'https://***@host/a@b'],
  ['no slashes, as fetch() reads https:user:pass@host', 'https:ci:s3cret@host', 'https://***@host/'],
  ['backslashes for slashes', 'https:\\\\ci:s3cret@host/x', 'https://***@host/x'],
  ['a newline in the password', 'https://ci:s3\ncret@host/', 'https://***@host/'],
  ['an @ in the password of a URL inside text', 'see https://ci:s3@cret@host/x', 'see https://***@host/x'],
  ['URLs inside text', 'at https://a:s3cret@one.example and http://b:s3cret@two.example/x', 'at https://***@one.example and http://***@two.example/x'],
  ['a URL without credentials is unchanged', 'https://registry.npmjs.org/', 'https://registry.npmjs.org/'],
  ['an @ in the path is no credential', 'https://host/users/@me', 'https://host/users/@me'],
  ['a mail address is no URL credential', 'mailto:ops@example.com', 'mailto:ops@example.com'],
  ['scp-like git remotes have no password', 'git@github.com:acme/app.git', 'git@github.com:acme/app.git'],
  ['text without URLs', 'WebAuthn server', 'WebAuthn server'],
];

describe('redactUrlCredentials', () => {
  test.each(CASES)('%s', (_name, text, expected) => {
    expect(redactUrlCredentials(text)).toBe(expected);
    expect(redactUrlCredentials(text)).not.toContain('s3');
  });
});
