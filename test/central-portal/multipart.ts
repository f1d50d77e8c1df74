// Reads one part of a multipart/form-data body (RFC 7578), as the portal reads the "bundle" part.

/** The bytes of the part named `name`, or undefined when the body has none. */
export function formDataPart(contentType: string, body: Buffer, name: string): Buffer | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/.exec(contentType);
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    const next = body.indexOf(delimiter, start);
    if (next < 0) return undefined;
    const part = body.subarray(start, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('latin1');
      // The content runs to the CRLF that precedes the next delimiter.
      if (new RegExp(`name="${name}"`).test(headers)) return part.subarray(headerEnd + 4, part.length - 2);
    }
    at = next;
  }
  return undefined;
}
