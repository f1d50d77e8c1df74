// HTTP over node:http/https with keep-alive, streaming bodies both ways; through undici
// (undici-pool.ts) when a proxy variable is set. Registries on
// loopback are spoken to over plain HTTP (as Docker, crane and skopeo do), other hosts
// only over HTTPS unless listed as insecure.
import http from 'node:http';
import net, { isIP, type Socket } from 'node:net';
import type https from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { Readable, Writable } from 'node:stream';
import { proxyConfigured } from './proxy-env.js';
import { openIdleConnections } from './pumped-get.js';
import { rememberSession, sessionFor } from './tls-sessions.js';
import { idleTimeout, requestError } from './request-error.js';

const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });
// TLS is loaded on first use: it is a tenth of an action's start-up, and loopback needs none.
let httpsClient: Promise<{ https: typeof https; agent: https.Agent & SpareConnections }> | undefined;
const loadHttps = () =>
  (httpsClient ??= Promise.all([import('node:https'), import('node:tls')]).then(([{ default: https }, { default: tls }]) => ({
    https,
    agent: withSpareConnections(https, tls),
  })));

interface SpareConnections {
  /** Opens TLS connections to host:port now, for requests to come: each one is a handshake the first request on it does not wait for. */
  openSpares(host: string, port: number, count: number): void;
}

/**
 * An https agent that can open connections ahead of the requests that use them. Over a
 * wide-area link a new TLS connection costs a round trip before its request can go: a
 * burst of requests wider than the idle pool waits that long. The agent's documented
 * `createConnection` hands a spare to the request that needs a new connection.
 */
type ConnectionCreated = Parameters<https.Agent['createConnection']>[1];

function withSpareConnections(https: typeof import('node:https'), tls: typeof import('node:tls')): https.Agent & SpareConnections {
  const spares = new Map<string, Socket[]>();
  /** Spares whose TLS handshake is done. */
  const ready = new WeakSet<Socket>();
  const key = (host: string, port: number) => `${host}:${port}`;
  let caStoreLoaded = false;
  class SpareConnectionAgent extends https.Agent implements SpareConnections {
    createConnection(options: https.RequestOptions & { host?: string; port?: number }, callback?: ConnectionCreated): Socket | undefined {
      const socket = takeSpare(spares.get(key(String(options.host), Number(options.port))), ready);
      if (socket) {
        socket.ref();
        return socket;
      }
      if (!caStoreLoaded && callback) {
        this.connectWhileLoadingCaStore(options, callback);
        return undefined;
      }
      return this.tlsConnection(options);
    }

    private tlsConnection(options: https.RequestOptions & { host?: string; port?: number; socket?: Socket }): Socket {
      const socket = (super.createConnection as (o: unknown) => Socket)(options);
      rememberSession(socket as TLSSocket, String(options.host), Number(options.port));
      return socket;
    }

    /**
     * The run's first TLS connection loads the CA store (about 20 ms here, more with many
     * extra CAs), and tls.connect does that before the TCP connection even starts. Here the TCP
     * handshake goes first, and the store loads while it is on the wire: over a wide-area link
     * the load costs the first request nothing. Handed to the agent through its callback.
     */
    private connectWhileLoadingCaStore(options: https.RequestOptions & { host?: string; port?: number }, callback: NonNullable<ConnectionCreated>): void {
      const host = String(options.host);
      const tcp = net.connect({ host, port: Number(options.port) });
      let handed = false;
      const fail = (err: Error) => {
        if (handed) return;
        handed = true;
        tcp.destroy();
        callback(err, tcp);
      };
      tcp.once('error', fail);
      const handshake = () =>
        setImmediate(() => {
          if (handed) return;
          // Loads and caches the store: every context made after this one shares it.
          if (!caStoreLoaded) tls.createSecureContext();
          caStoreLoaded = true;
          handed = true;
          tcp.removeListener('error', fail);
          callback(null, this.tlsConnection({ ...options, socket: tcp }));
        });
      // The connect system call follows the name lookup at once: load the store right after it.
      if (isIP(host)) handshake();
      else tcp.once('lookup', (err: Error | null) => (err ? fail(err) : handshake()));
    }

    openSpares(host: string, port: number, count: number): void {
      const list = spares.get(key(host, port)) ?? [];
      spares.set(key(host, port), list);
      for (let i = list.filter((s) => !s.destroyed).length; i < count; i++) {
        const session = sessionFor(host, port);
        const socket = (super.createConnection as (o: unknown) => Socket)({
          host,
          port,
          ...(isIP(host) ? {} : { servername: host }),
          ...(session ? { session } : {}),
        });
        rememberSession(socket as TLSSocket, host, port);
        socket.once('secureConnect', () => ready.add(socket));
        // A spare never used must not hold the process open, nor fail it.
        socket.unref();
        socket.on('error', () => socket.destroy());
        list.push(socket);
      }
    }
  }
  return new SpareConnectionAgent({ keepAlive: true, maxSockets: 32 });
}

/**
 * The spare a request should take: one whose handshake is done, else the one opened first.
 * Spares open in bursts (the first round's at the ping, a copy's once resolving finds it
 * needed), and a burst's newest is the furthest from ready: taking it made a request wait two
 * round trips for its handshake beside a spare that was ready.
 */
function takeSpare(list: Socket[] | undefined, ready: WeakSet<Socket>): Socket | undefined {
  if (!list) return undefined;
  for (let i = list.length - 1; i >= 0; i--) if (list[i].destroyed) list.splice(i, 1);
  if (list.length === 0) return undefined;
  const at = list.findIndex((socket) => ready.has(socket));
  return list.splice(at >= 0 ? at : 0, 1)[0];
}

/**
 * Connections opened ahead of a burst: `requests` for `send` (manifests, checks, uploads),
 * `blobReads` for `getInto`. Each costs both ends a handshake: only as many as the burst needs.
 */
export interface ConnectionsAhead {
  requests: number;
  blobReads: number;
}

/**
 * Opens connections to `origin` ahead of a burst, so that none of its requests waits for a
 * handshake. Only over TLS: a TCP connection to loopback or a plain-HTTP host costs next to
 * nothing. Nothing when a proxy is set.
 */
export async function openConnections(origin: string, counts: ConnectionsAhead): Promise<void> {
  const url = new URL(origin);
  if (url.protocol !== 'https:' || proxyConfigured(url.protocol)) return;
  const port = Number(url.port) || 443;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (counts.requests > 0) (await loadHttps()).agent.openSpares(host, port, counts.requests);
  if (counts.blobReads > 0) openIdleConnections(url, counts.blobReads, (await import('node:tls')).default);
}

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
