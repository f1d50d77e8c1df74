// Which requests take the proxy-aware path: the proxy variables as undici's EnvHttpProxyAgent
// reads them (lower-case names first; HTTPS falls back to HTTP_PROXY), so the two agree on
// when a proxy is set. NO_PROXY is undici's to apply, per request.
import { proxyConfigured } from '@ci-actions/publishing/http/proxy-env.js';

describe('proxyConfigured', () => {
  test.each<[string, NodeJS.ProcessEnv, boolean, boolean]>([
    ['nothing set', {}, false, false],
    ['HTTP_PROXY: both schemes', { HTTP_PROXY: 'http://proxy:3128' }, true, true],
    ['HTTPS_PROXY: HTTPS only', { HTTPS_PROXY: 'http://proxy:3128' }, false, true],
    ['lower-case names', { http_proxy: 'http://proxy:3128' }, true, true],
    ['lower-case wins, even empty', { https_proxy: '', HTTPS_PROXY: 'http://proxy:3128' }, false, false],
    ['an empty HTTPS proxy falls back to HTTP_PROXY', { https_proxy: '', HTTP_PROXY: 'http://proxy:3128' }, true, true],
    ['empty means none', { HTTP_PROXY: '' }, false, false],
    ['NO_PROXY alone sets no proxy', { NO_PROXY: '*' }, false, false],
  ])('%s', (_name, env, http, https) => {
    expect([proxyConfigured('http:', env), proxyConfigured('https:', env)]).toEqual([http, https]);
  });
});
