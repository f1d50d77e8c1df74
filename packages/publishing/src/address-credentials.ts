// Credentials written into an address (https://user:token@registry.example/,
// user:token@ghcr.io/acme/app) would be printed wherever the address is: the step log,
// error messages, the job summary. The suite takes credentials only through its credential
// inputs; an address carrying some is refused, after they were registered as secrets, so
// that not even the refusal shows them. Text that merely shows addresses (a configuration
// file's values in an error) has their userinfo replaced, without masking: it was committed.
import { addSecret } from './secrets.js';

/** A URL (or a bare host), or an image reference, whose only `@` otherwise introduces its digest. */
export type AddressKind = 'url' | 'image-reference';

/**
 * When `value` carries userinfo (`user:password@` or `token@`), masks it and returns the
 * address with it replaced by `***`; undefined when it carries none.
 */
export function maskAddressCredentials(value: string, kind: AddressKind): string | undefined {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(value)?.[0] ?? '';
  const rest = value.slice(scheme.length);
  const at = userinfoEnd(rest, kind);
  if (at <= 0) return undefined;
  const userinfo = rest.slice(0, at);
  addSecret(userinfo);
  const colon = userinfo.indexOf(':');
  // With a user name, the password alone may be printed too (a URL parser splits them); without, it is a token.
  const password = colon >= 0 ? userinfo.slice(colon + 1) : userinfo;
  addSecret(password);
  addSecret(decoded(password));
  return `${scheme}***${rest.slice(at)}`;
}

/** Offset of the `@` that ends the userinfo, or -1. */
function userinfoEnd(rest: string, kind: AddressKind): number {
  if (kind === 'url') {
    // RFC 3986: the authority ends at the first / ? or #, and the userinfo at its last @.
    const end = rest.search(/[/?#]/);
    return rest.lastIndexOf('@', end < 0 ? rest.length : end);
  }
  // A digest has no /, so an @ followed by a / ends userinfo (passwords may hold @ and /).
  const slash = rest.lastIndexOf('/');
  return slash < 0 ? -1 : rest.lastIndexOf('@', slash);
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// scheme://userinfo@, with \ for / as URL parsers take it; userinfo runs to the last @
// before the host ends, as it does for the WHATWG parser.
const USERINFO = /([a-z][a-z0-9+.-]*:[/\\]{2})[^/\\?#]*@/gi;

/**
 * `text` with the user information of its URLs replaced by ***, e.g. https://***@host/.
 * Text that is one URL is read as fetch() would read it (so https:user:pass@host counts too);
 * other text has each scheme://...@ replaced. Text without credentials comes back unchanged.
 */
export function redactUrlCredentials(text: string): string {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (url && (url.username || url.password)) {
    url.username = '***';
    url.password = '';
    return url.href;
  }
  return text.replace(USERINFO, '$1***@');
}
