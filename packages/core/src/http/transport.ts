// HTTP through the suite's one undici pool (dispatcher.ts), streaming bodies both ways.
// Registries on loopback are spoken to over plain HTTP (as Docker, crane and skopeo do),
// other hosts only over HTTPS unless listed as insecure.
import type { IncomingHttpHeaders } from 'node:http';
import { Transform, type Readable, type Writable } from 'node:stream';
import { dispatcher } from './dispatcher.js';
import { requestError, undiciTimeout } from './request-error.js';

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: Buffer | BodyWriter;
  /** Abort when no byte moves for this long. */
  idleTimeoutMs?: number;
}

/**
 * Streams a request body: writes exactly `Content-Length` bytes into the request and ends
 * it, or destroys it with the error that stopped the body.
 */
export type BodyWriter = (request: Writable) => void;

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Readable;
  url: string;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

export function baseUrl(host: string, insecureHosts: readonly string[] = []): string {
  return `${isLoopbackHost(host) || insecureHosts.includes(host) ? 'http' : 'https'}://${host}`;
}

export async function send(request: HttpRequest): Promise<HttpResponse> {
  const url = new URL(request.url);
  const idleMs = request.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  try {
    const res = await dispatcher().request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: request.method,
      headers: request.headers ?? {},
      body: requestBody(request.body),
      headersTimeout: idleMs,
      bodyTimeout: idleMs,
    });
    return { status: res.statusCode, headers: res.headers, body: res.body, url: request.url };
  } catch (err) {
    throw requestError(request.method, request.url, undiciTimeout(err, idleMs));
  }
}

function requestBody(body: HttpRequest['body']): Buffer | Readable | undefined {
  if (body === undefined || Buffer.isBuffer(body)) return body;
  // A writer may reuse a piece once its write is called back (the pumped GET lends its read
  // buffers so), and a stream calls back once it has queued the piece, before undici has
  // sent it: each piece is copied, or a reused buffer would go out overwritten.
  const pipe = new Transform({ transform: (piece: Buffer, _encoding, done) => done(null, Buffer.from(piece)) });
  body(pipe);
  return pipe;
}

export async function readBody(res: HttpResponse, limit = 16 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      res.body.destroy();
      throw new Error(`response from ${res.url} is larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Reads and drops a body so the keep-alive connection can be reused. */
export async function discardBody(res: HttpResponse): Promise<void> {
  res.body.resume();
  await new Promise<void>((resolve) => {
    if (res.body.readableEnded) resolve();
    else
      res.body
        .once('end', resolve)
        .once('error', () => resolve())
        .once('close', resolve);
  });
}
