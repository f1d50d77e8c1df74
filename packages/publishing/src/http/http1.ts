// HTTP/1.1 response framing for the pumped GET (pumped-get.ts): the head (status line and
// header fields) and the three ways a body ends: Content-Length, chunked, or the
// connection closing (RFC 9112, sections 4 to 7). Pure: bytes in, body pieces out, and
// the pieces are views into the bytes given, never copies.
import type { IncomingHttpHeaders } from 'node:http';
import { DomainError } from '../errors.js';

/** A response this client cannot read as HTTP/1.1: a failure of the server, described, not a bug of the suite. */
export class HttpProtocolError extends DomainError {}

export type Framing = { kind: 'length'; length: number } | { kind: 'chunked' } | { kind: 'close' };

export interface ResponseHead {
  status: number;
  headers: IncomingHttpHeaders;
  framing: Framing;
  /** Whether the connection may carry another request after this response. */
  keepAlive: boolean;
}

/** A head larger than this is refused (Node's own limit is 16 KB). */
export const MAX_HEAD_BYTES = 64 * 1024;

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Offset just past the blank line that ends the head, or -1 while more bytes are needed. */
export function headEnd(bytes: Buffer): number {
  const at = bytes.indexOf('\r\n\r\n');
  return at < 0 ? -1 : at + 4;
}

/** Parses a response head (without its closing blank line) to a request of `method`. */
export function parseResponseHead(head: string, method: string): ResponseHead {
  const lines = head.split('\r\n');
  const statusLine = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/.exec(lines[0] ?? '');
  if (!statusLine) throw new HttpProtocolError(`malformed status line ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`);
  const minor = Number(statusLine[1]);
  const status = Number(statusLine[2]);
  const headers: IncomingHttpHeaders = {};
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    const name = line.slice(0, Math.max(colon, 0)).toLowerCase();
    // A line starting with white space continues the previous one (obsolete folding): refused, as RFC 9112 allows.
    // A bare CR or LF would end the line for another parser (a header smuggled past this
    // one), and NUL is never valid in a field (RFC 9110 section 5.5).
    if (colon <= 0 || !TOKEN.test(name) || /[\r\n\0]/.test(line)) throw new HttpProtocolError(`malformed header line ${JSON.stringify(line.slice(0, 80))}`);
    addHeader(headers, name, line.slice(colon + 1).trim());
  }
  const framing = bodyFraming(status, method, headers);
  const connection = tokens(headers.connection);
  const keepAlive = framing.kind !== 'close' && (minor === 1 ? !connection.includes('close') : connection.includes('keep-alive'));
  return { status, headers, framing, keepAlive };
}

function addHeader(headers: IncomingHttpHeaders, name: string, value: string): void {
  const existing = headers[name];
  if (name === 'set-cookie') headers[name] = [...(existing ?? []), value];
  else headers[name] = existing === undefined ? value : `${String(existing)}, ${value}`;
}

function tokens(value: string | string[] | undefined): string[] {
  return String(value ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
}

function bodyFraming(status: number, method: string, headers: IncomingHttpHeaders): Framing {
  if (method === 'HEAD' || (status >= 100 && status < 200) || status === 204 || status === 304) return { kind: 'length', length: 0 };
  const codings = tokens(headers['transfer-encoding']);
  if (codings.length > 0) return codings.at(-1) === 'chunked' ? { kind: 'chunked' } : { kind: 'close' };
  if (headers['content-length'] === undefined) return { kind: 'close' };
  // Repeated fields arrive joined; they must agree (RFC 9112 section 6.3).
  const lengths = new Set(tokens(headers['content-length']));
  const [only] = lengths;
  if (lengths.size !== 1 || !/^\d+$/.test(only) || !Number.isSafeInteger(Number(only))) {
    throw new HttpProtocolError(`invalid Content-Length ${JSON.stringify(headers['content-length'])}`);
  }
  return { kind: 'length', length: Number(only) };
}

export interface BodyDecoder {
  /**
   * Takes the next bytes from the connection and passes each run of body bytes to `piece`
   * (a view into `bytes`). Returns how many of the bytes belonged to the body: fewer than
   * given only once it is complete.
   */
  feed(bytes: Buffer, piece: (body: Buffer) => void): number;
  readonly complete: boolean;
  /** The connection ended: completes a close-delimited body, anything else was cut short. */
  end(): void;
}

export function bodyDecoder(framing: Framing): BodyDecoder {
  if (framing.kind === 'length') return new LengthDecoder(framing.length);
  if (framing.kind === 'chunked') return new ChunkedDecoder();
  return new CloseDelimitedDecoder();
}

class LengthDecoder implements BodyDecoder {
  constructor(private remaining: number) {}

  get complete(): boolean {
    return this.remaining === 0;
  }

  feed(bytes: Buffer, piece: (body: Buffer) => void): number {
    const taken = Math.min(bytes.length, this.remaining);
    if (taken > 0) {
      this.remaining -= taken;
      piece(bytes.subarray(0, taken));
    }
    return taken;
  }

  end(): void {
    if (this.remaining > 0) throw truncated(`${this.remaining} byte(s) of the body missing`);
  }
}

class CloseDelimitedDecoder implements BodyDecoder {
  complete = false;

  feed(bytes: Buffer, piece: (body: Buffer) => void): number {
    if (bytes.length > 0) piece(bytes);
    return bytes.length;
  }

  end(): void {
    this.complete = true;
  }
}

/** Chunk size lines and trailer lines longer than this are refused. */
const MAX_LINE = 4096;

class ChunkedDecoder implements BodyDecoder {
  private state: 'size' | 'data' | 'data-end' | 'trailers' | 'done' = 'size';
  private line = '';
  private remaining = 0;

  get complete(): boolean {
    return this.state === 'done';
  }

  feed(bytes: Buffer, piece: (body: Buffer) => void): number {
    let at = 0;
    while (at < bytes.length && this.state !== 'done') {
      if (this.state === 'data') {
        const taken = Math.min(bytes.length - at, this.remaining);
        piece(bytes.subarray(at, at + taken));
        at += taken;
        this.remaining -= taken;
        if (this.remaining === 0) this.state = 'data-end';
        continue;
      }
      // Line-oriented states: the size line, the CRLF after the data, the trailers.
      const newline = bytes.indexOf(0x0a, at);
      const end = newline < 0 ? bytes.length : newline + 1;
      this.line += bytes.toString('latin1', at, end);
      at = end;
      if (this.line.length > MAX_LINE) throw new HttpProtocolError('chunked body: line too long');
      if (newline < 0) continue;
      if (!this.line.endsWith('\r\n')) throw new HttpProtocolError('chunked body: a line does not end with CRLF');
      const text = this.line.slice(0, -2);
      this.line = '';
      this.onLine(text);
    }
    return at;
  }

  private onLine(text: string): void {
    if (this.state === 'data-end') {
      if (text !== '') throw new HttpProtocolError('chunked body: chunk data longer than its size');
      this.state = 'size';
    } else if (this.state === 'size') {
      const size = /^([0-9A-Fa-f]{1,12})[ \t]*(?:;.*)?$/.exec(text);
      if (!size) throw new HttpProtocolError(`chunked body: malformed chunk size ${JSON.stringify(text.slice(0, 40))}`);
      this.remaining = parseInt(size[1], 16);
      this.state = this.remaining === 0 ? 'trailers' : 'data';
    } else if (text === '') {
      this.state = 'done';
    }
  }

  end(): void {
    if (this.state !== 'done') throw truncated('the chunked body has no last chunk');
  }
}

/** A body cut short by the connection: the same code as a reset, so it is retried. */
function truncated(what: string): Error {
  return Object.assign(new Error(`connection closed before the response was complete: ${what}`), { code: 'ECONNRESET' });
}
