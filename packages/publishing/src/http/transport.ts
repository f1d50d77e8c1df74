// HTTP over node:http/https with keep-alive, streaming bodies both ways; through undici
// (undici-pool.ts) when a proxy variable is set. Registries on
// loopback are spoken to over plain HTTP (as Docker, crane and skopeo do), other hosts
// only over HTTPS unless listed as insecure.
import http from 'node:http';
import type https from 'node:https';
import type { Readable, Writable } from 'node:stream';
import { proxyConfigured } from './proxy-env.js';
import { idleTimeout, requestError } from './request-error.js';

const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });
// TLS is loaded on first use: it is a tenth of an action's start-up, and loopback needs none.
let httpsClient: Promise<{ https: typeof https; agent: https.Agent }> | undefined;
const loadHttps = () =>
  (httpsClient ??= import('node:https').then(({ default: https }) => ({ https, agent: new https.Agent({ keepAlive: true, maxSockets: 32 }) })));

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
  headers: http.IncomingHttpHeaders;
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
  // undici, which honours HTTP(S)_PROXY and NO_PROXY, is loaded only when a proxy is set.
  if (proxyConfigured(url.protocol)) return (await import('./undici-pool.js')).sendThroughPool(request);
  const { request: open, agent } =
    url.protocol === 'https:' ? await loadHttps().then((c) => ({ request: c.https.request, agent: c.agent })) : { request: http.request, agent: httpAgent };
  return new Promise((resolve, reject) => {
    const req = open(url, { method: request.method, headers: request.headers, agent }, (res) =>
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res, url: request.url }),
    );
    req.setTimeout(request.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, () => req.destroy(idleTimeout(request.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS)));
    req.on('error', (err) => reject(requestError(request.method, request.url, err)));
    const body = request.body;
    if (body === undefined) req.end();
    else if (Buffer.isBuffer(body)) req.end(body);
    else body(req);
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
    else
      res.body
        .once('end', resolve)
        .once('error', () => resolve())
        .once('close', resolve);
  });
}
