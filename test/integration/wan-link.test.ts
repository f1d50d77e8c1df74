// The benchmarks' wide-area link (test/harness/wan.ts) carries requests faithfully: TLS
// with the run's CA, the Host the client used passed on (so a registry's absolute URLs
// point back through the link), every request recorded, a new connection paying for its
// TCP handshake, and requests made one after another told apart from requests sent side by
// side.
import { readFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { LOOPBACK } from '../harness/ports.js';
import { makeLinkCertificates, RequestLog, startWanLink, WAN_HOSTS, type LinkCertificates, type WanLink } from '../harness/wan.js';

const DELAY_MS = 100;

let upstream: http.Server;
let certificates: LinkCertificates;
let link: WanLink;
const log = new RequestLog();
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => res.end(`you asked for ${req.url}`));
  });
  await new Promise<void>((resolve) => upstream.listen(0, LOOPBACK, resolve));
  certificates = await makeLinkCertificates();
  link = await startWanLink({
    name: 'test service',
    upstream: `http://${LOOPBACK}:${(upstream.address() as AddressInfo).port}`,
    hostname: WAN_HOSTS[0],
    delayMs: DELAY_MS,
    certificates,
    log,
  });
}, 60_000);

afterAll(async () => {
  await link?.close();
  await new Promise((resolve) => upstream?.close(resolve));
});

/** GET through the link, by its host name, trusting `ca` (the name is resolved here, not in /etc/hosts). */
function get(path: string, ca?: Buffer): Promise<string> {
  const port = Number(link.host.split(':')[1]);
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: LOOPBACK, port, path, servername: WAN_HOSTS[0], headers: { host: link.host }, agent: false, ...(ca ? { ca } : {}) },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve(body));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const ca = () => readFileSync(certificates.caPath);

test('a request crosses the link with TLS, and the service sees the host the client used', async () => {
  log.clear();
  expect(await get('/v2/acme/app/manifests/1.0', ca())).toBe('you asked for /v2/acme/app/manifests/1.0');
  expect(seen.at(-1)).toMatchObject({ host: link.host, 'x-forwarded-proto': 'https' });
  expect(log.records.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v2/acme/app/manifests/1.0']);
});

test('a client that does not trust the run CA is refused', async () => {
  await expect(get('/v2/')).rejects.toThrow(/self.signed|unable to (get|verify)/i);
});

test('requests made one after another form a chain; requests sent side by side do not', async () => {
  log.clear();
  await get('/one', ca());
  await get('/two', ca());
  await get('/three', ca());
  expect(log.records).toHaveLength(3);
  expect(log.longestChain(DELAY_MS)).toBe(3);

  log.clear();
  await Promise.all(['/a', '/b', '/c', '/d'].map((p) => get(p, ca())));
  expect(log.records).toHaveLength(4);
  expect(log.longestChain(DELAY_MS)).toBe(1);
});

test('a new connection pays a round trip for its TCP handshake before TLS and the request cross', async () => {
  log.clear();
  const asked = performance.now();
  await get('/first', ca());
  // The handshake's round trip, then ClientHello out, the server's flight back, and
  // Finished with the request out: five one-way delays at the least, the timers of the
  // link being the only thing that can hold bytes back (never release them early).
  expect(log.records[0].start - asked).toBeGreaterThanOrEqual(5 * DELAY_MS - 1);
});
