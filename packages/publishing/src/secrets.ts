// Every credential the suite handles is registered here once. Registration masks it in
// the Actions log (the action installs core.setSecret as the mask) and every error
// message that leaves the core is passed through redact(), so a secret never shows even
// if a registry or token server echoes it back.

const known = new Set<string>();
let mask: (secret: string) => void = () => {};

export function setSecretMask(fn: (secret: string) => void): void {
  mask = fn;
  for (const s of known) fn(s);
}

export function addSecret(value: string | undefined): void {
  if (!value || known.has(value)) return;
  known.add(value);
  mask(value);
}

/** Basic auth puts base64(user:password) on the wire; servers may echo it back. */
export function addBasicCredentials(username: string, password: string): void {
  addSecret(password);
  addSecret(Buffer.from(`${username}:${password}`).toString('base64'));
}

export function redact(text: string): string {
  let out = text;
  // Longest first, so a secret containing another is replaced whole.
  for (const s of [...known].sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
  return out;
}
