// The one connection pool every client of the suite goes through (registries, token
// services, Docker Hub, the Central Portal, GitHub's API): undici's EnvHttpProxyAgent,
// which keeps connections alive per origin and sends them through HTTP_PROXY/HTTPS_PROXY
// unless NO_PROXY names the host. Its NO_PROXY matches host names and ports (`example.com`,
// `.example.com`, `127.0.0.1:5000`, `*`), never address ranges, and loopback is not
// exempt: with a proxy set, 127.0.0.1 and localhost are proxied unless listed, as curl
// does. TLS verifies against Node's CA store, so NODE_EXTRA_CA_CERTS adds private CAs.
// undici is imported whole: its index is what gives dispatchers their request and connect
// methods, and proxies tunnel through connect.
import { EnvHttpProxyAgent, type Dispatcher } from 'undici';

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

/**
 * Whether a proxy is set for this scheme, as EnvHttpProxyAgent chooses one (lower-case names
 * first, HTTPS falling back to HTTP_PROXY); NO_PROXY is left to undici to apply.
 */
export function proxyConfigured(protocol: string): boolean {
  const http = process.env.http_proxy ?? process.env.HTTP_PROXY;
  return Boolean(protocol === 'https:' ? (process.env.https_proxy ?? process.env.HTTPS_PROXY ?? http) : http);
}
