// One file as multipart/form-data (RFC 7578), the shape of the Central Portal's upload.
// Written here rather than by Node's FormData (measured for #15, Node 24, a 5 MB bundle):
// FormData and Response cost 50 to 70 ms to load, then 20 to 40 ms and two more copies of
// the bundle to encode, against 3 ms. Kept with a fuzz test (test/unit/multipart-fuzz.test.ts)
// that reads what it writes with an independent parser.
import { randomBytes } from 'node:crypto';

export interface FilePart {
  field: string;
  filename: string;
  contentType: string;
  content: Uint8Array;
}

/** A fresh boundary: 96 random bits, so content holds it by chance about never; it is checked anyway. */
export function randomBoundary(): string {
  return `ci-actions-${randomBytes(12).toString('hex')}`;
}

/**
 * The body and Content-Type of a form with the one file `part`. The boundary is drawn again
 * while the content holds it: RFC 2046 5.1.1 forbids only the delimiter (CRLF--boundary) in
 * a part, but readers search for the bare boundary (undici refuses such a body).
 */
export function multipartFile(part: FilePart, boundaries: () => string = randomBoundary): { body: Buffer; contentType: string } {
  const content = Buffer.from(part.content.buffer, part.content.byteOffset, part.content.byteLength);
  let boundary = boundaries();
  while (content.includes(boundary)) boundary = boundaries();
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(part.field)}"; filename="${escapeName(part.filename)}"\r\n` +
    `Content-Type: ${part.contentType}\r\n\r\n`;
  return {
    body: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** A name in a quoted parameter as browsers write it (HTML, "multipart/form-data encoding algorithm"). */
function escapeName(name: string): string {
  return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
