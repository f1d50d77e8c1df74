// HTTP over node:http/https with keep-alive, streaming bodies both ways. Registries on
// loopback are spoken to over plain HTTP (as Docker, crane and skopeo do), other hosts
// only over HTTPS unless listed as insecure.
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';

const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 32 });

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** A buffer, or a stream of exactly `Content-Length` bytes when that header is set. */
  body?: Buffer | Readable;
  /** Abort when no byte moves for this long. */
  idleTimeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: http.IncomingMessage;
  url: string;
}

export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

export function baseUrl(host: string, insecureHosts: readonly string[] = []): string {
  return `${isLoopbackHost(host) || insecureHosts.includes(host) ? 'http' : 'https'}://${host}`;
}

export function send(request: HttpRequest): Promise<HttpResponse> {
  const url = new URL(request.url);
  const secure = url.protocol === 'https:';
  const lib = secure ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      url,
      { method: request.method, headers: request.headers, agent: secure ? httpsAgent : httpAgent },
      (res) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res, url: request.url }),
    );
    req.setTimeout(request.idleTimeoutMs ?? 60_000, () => req.destroy(new Error(`no data for ${(request.idleTimeoutMs ?? 60_000) / 1000}s`)));
    req.on('error', reject);
    const body = request.body;
    if (body === undefined) req.end();
    else if (Buffer.isBuffer(body)) req.end(body);
    else {
      body.on('error', (err) => req.destroy(err));
      body.pipe(req);
    }
  });
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

/** Reads and drops a body so the keep-alive socket can be reused. */
export async function discardBody(res: HttpResponse): Promise<void> {
  res.body.resume();
  await new Promise<void>((resolve) => {
    if (res.body.readableEnded) resolve();
    else res.body.once('end', resolve).once('error', () => resolve()).once('close', resolve);
  });
}
