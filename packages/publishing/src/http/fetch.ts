// fetch for clients built on it (Octokit): Node's own fetch, and undici's over the suite's
// proxy-aware pool (undici-pool.ts) when a proxy variable is set, since Node's fetch reads
// none of HTTP(S)_PROXY and NO_PROXY (Node 24 only with NODE_USE_ENV_PROXY).
import { proxyConfigured } from './proxy-env.js';

export const suiteFetch: typeof globalThis.fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  if (!proxyConfigured(new URL(url).protocol)) return globalThis.fetch(input, init);
  return (await import('./undici-pool.js')).fetchThroughPool(input, init);
};
