// The proxy-aware transport, loaded only when a proxy variable is set (proxy-env.ts):
// undici's EnvHttpProxyAgent, which keeps connections alive per origin and sends them
// through HTTP_PROXY/HTTPS_PROXY unless NO_PROXY names the host. Its NO_PROXY matches host
// names and ports (`example.com`, `.example.com`, `127.0.0.1:5000`, `*`), never address
// ranges, and loopback is not exempt: with a proxy set, 127.0.0.1 and localhost are proxied
// unless listed, as curl does. HTTPS goes through a CONNECT tunnel and is verified against
// Node's CA store, so NODE_EXTRA_CA_CERTS still adds private CAs. undici is imported whole:
// its index is what gives dispatchers their request and connect methods, and proxies tunnel
// through connect. It is undici 7 under the name undici-7 (package.json), so that the undici 6
// @actions/github and @actions/http-client share stays the one at node_modules/undici: with
// undici 7 there, npm gave each of them its own copy of 6, and generate-version's bundle grew
// from 1.3 MB to 2.3 MB.
import { Transform, type Readable } from 'node:stream';
import { EnvHttpProxyAgent, fetch, type Dispatcher } from 'undici-7';
import { requestError, undiciTimeout } from './request-error.js';
import { DEFAULT_IDLE_TIMEOUT_MS, type HttpRequest, type HttpResponse } from './transport.js';

/** Parallel connections per origin: blob copies run a few at a time, HEAD checks many. */
const CONNECTIONS_PER_ORIGIN = 32;
/** Idle connections close before servers commonly drop them (nginx 75 s, load balancers 60 s). */
const KEEP_ALIVE_MS = 15_000;

let shared: Dispatcher | undefined;

/** Made on first use, reading the proxy variables of the process then. */
export function dispatcher(): Dispatcher {
  return (shared ??= new EnvHttpProxyAgent({
    connections: CONNECTIONS_PER_ORIGIN,
    keepAliveTimeout: KEEP_ALIVE_MS,
    keepAliveMaxTimeout: KEEP_ALIVE_MS,
    // Plain-HTTP requests go to the proxy with their absolute URI, as curl and Go send them:
    // proxies commonly allow CONNECT to port 443 only, and an insecure registry is on 5000.
    proxyTunnel: false,
  }));
}

/** `send` (transport.ts) through the pool. */
export async function sendThroughPool(request: HttpRequest): Promise<HttpResponse> {
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

/** fetch through the pool, for clients built on fetch (Octokit). */
export const fetchThroughPool = ((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) =>
  fetch(input, { ...init, dispatcher: dispatcher() })) as unknown as typeof globalThis.fetch;
