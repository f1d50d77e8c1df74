// Whether a request goes by the proxy-aware path: only when the environment names a proxy
// for its scheme. Without one, every request keeps the suite's own transport (node:http and
// the pumped GET), and undici, which honours the proxy variables, is never loaded: loaded
// for every request it cost promote-image a quarter of its cold-copy speed, half its warm
// re-run's and twice its memory (bench/README.md).

/**
 * Whether a proxy is set for `protocol` ('http:' or 'https:'), as undici's EnvHttpProxyAgent
 * chooses one: lower-case names first, HTTPS falling back to HTTP_PROXY. NO_PROXY is left to
 * undici, which applies it per request.
 */
export function proxyConfigured(protocol: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const http = env.http_proxy ?? env.HTTP_PROXY;
  // An empty HTTPS proxy falls back to the HTTP one, as undici's does.
  return Boolean(http) || (protocol === 'https:' && Boolean(env.https_proxy ?? env.HTTPS_PROXY));
}
