// Reads a multipart/form-data body (RFC 7578): the Central Portal stand-in takes its bundle
// from it, and the OpenAPI check compares its parts with what a description documents.

export interface FormDataPart {
  name: string;
  /** The filename of Content-Disposition, when the part carries one. */
  filename?: string;
  /** The part's Content-Type, when it has one (RFC 7578 defaults it to text/plain). */
  contentType?: string;
  bytes: Buffer;
}

/** The parts of the body, in order; undefined when the content type names no boundary. */
export function formDataParts(contentType: string, body: Buffer): FormDataPart[] | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/.exec(contentType);
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: FormDataPart[] = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const part = body.subarray(start, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('latin1');
      const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(headers)?.[1]?.trim();
      const disposition = header('Content-Disposition') ?? '';
      const filename = /filename="([^"]*)"/.exec(disposition)?.[1];
      const type = header('Content-Type');
      parts.push({
        name: /\bname="([^"]*)"/.exec(disposition)?.[1] ?? '',
        ...(filename !== undefined ? { filename } : {}),
        ...(type !== undefined ? { contentType: type } : {}),
        // The content runs to the CRLF that precedes the next delimiter.
        bytes: part.subarray(headerEnd + 4, part.length - 2),
      });
    }
    at = next;
  }
  return parts;
}
