// A user name or password written into a URL (https://user:token@host/) travels with the
// URL into logs, error messages and step outputs. This hides that part wherever a URL that
// someone wrote down is shown.

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
