// A wide-area link on loopback, for the benchmarks: a service (registry, token server) is
// reached through TLS, with a certificate of a CA made for the run, behind a relay that
// holds every chunk for a fixed delay in each direction. A runner is about 50 ms from
// GHCR and Docker Hub; over loopback, round trips cost nothing and only CPU counts, which
// hides what a client does in a row. Here each TLS handshake, token request and request
// that waits on another costs what it costs over such a link.
//
//   client --TCP--> delay relay --TCP--> TLS front (records requests) --HTTP--> service
//
// Clients must reach the link by a host name that is not a loopback literal (clients speak
// plain HTTP to 127.0.0.1 and localhost): bench/run maps the names in WAN_HOSTS to 127.0.0.1.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { LOOPBACK } from './ports.js';
import { requireExecutable } from './process.js';
import { selfSignedCertificate } from './signing-key.js';

const run = promisify(execFile);

/** Host names the benchmarks use for services behind a link; each must resolve to 127.0.0.1. */
export const WAN_HOSTS = ['staging.bench.test', 'production.bench.test'] as const;

export interface LinkCertificates {
  /** PEM of the CA: what clients are told to trust (NODE_EXTRA_CA_CERTS, SSL_CERT_FILE, cert dirs). */
  caPath: string;
  /** A directory holding only ca.crt, as skopeo's --cert-dir takes it. */
  caDir: string;
  cert: Buffer;
  key: Buffer;
}

/** A CA and a server certificate for WAN_HOSTS, made with openssl for this run only. */
export async function makeLinkCertificates(): Promise<LinkCertificates> {
  const openssl = requireExecutable('openssl', 'install the Debian package openssl');
  const dir = mkdtempSync(path.join(tmpdir(), 'ci-actions-wan-ca-'));
  const file = (name: string) => path.join(dir, name);
  await selfSignedCertificate({ keyPath: file('ca.key'), certPath: file('ca.crt'), subject: '/CN=ci-actions bench CA' });
  await run(openssl, [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-sha256',
    '-subj',
    `/CN=${WAN_HOSTS[0]}`,
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
  ]);
  writeFileSync(file('san.ext'), `subjectAltName=${WAN_HOSTS.map((h) => `DNS:${h}`).join(',')}\nextendedKeyUsage=serverAuth\n`);
  await run(openssl, [
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-sha256',
    '-extfile',
    file('san.ext'),
    '-out',
    file('server.crt'),
  ]);
  const caDir = mkdtempSync(path.join(tmpdir(), 'ci-actions-wan-cadir-'));
  writeFileSync(path.join(caDir, 'ca.crt'), readFileSync(file('ca.crt')));
  return { caPath: file('ca.crt'), caDir, cert: readFileSync(file('server.crt')), key: readFileSync(file('server.key')) };
}

export interface RequestRecord {
  link: string;
  method: string;
  path: string;
  /** Milliseconds, as seen at the TLS front. */
  start: number;
  end: number;
}

/** Every request that crossed any link sharing this log. */
export class RequestLog {
  readonly records: RequestRecord[] = [];

  clear(): void {
    this.records.length = 0;
  }

  /**
   * The longest chain of requests each of which started only after the one before it had
   * answered: the round trips a client made in a row. A request counts as waiting on an
   * earlier one when it reached the front at least one one-way delay after that one's
   * answer left it (a dependent request comes back a full round trip later; requests
   * sent side by side arrive within far less).
   */
  longestChain(delayMs: number): number {
    const byStart = [...this.records].sort((a, b) => a.start - b.start);
    const chain: number[] = [];
    let longest = 0;
    byStart.forEach((request, i) => {
      let best = 0;
      for (let j = 0; j < i; j++) if (byStart[j].end + delayMs <= request.start) best = Math.max(best, chain[j]);
      chain[i] = best + 1;
      longest = Math.max(longest, chain[i]);
    });
    return longest;
  }
}

export interface WanLinkOptions {
  /** For the request log, e.g. "staging registry". */
  name: string;
  /** The plain-HTTP service behind the link, e.g. http://127.0.0.1:5000. */
  upstream: string;
  /** The name clients use (one of WAN_HOSTS). */
  hostname: string;
  /** Delay of each direction: a round trip costs twice this. */
  delayMs: number;
  certificates: LinkCertificates;
  log: RequestLog;
}

export interface WanLink {
  /** hostname:port, as in image references. */
  host: string;
  /** https://hostname:port */
  url: string;
  close(): Promise<void>;
}

export async function startWanLink(options: WanLinkOptions): Promise<WanLink> {
  const front = await startTlsFront(options);
  const relay = net.createServer((client) => {
    const inner = net.connect((front.address() as AddressInfo).port, LOOPBACK);
    // A link forwards each packet as it comes: Nagle's algorithm here, waiting on delayed
    // ACKs of loopback, held a response's second write by up to 40 ms.
    client.setNoDelay(true);
    inner.setNoDelay(true);
    // Loopback accepts at once; over a link the TCP handshake takes a round trip before the
    // client's first byte can leave. Its bytes arrive when they would have: a client that
    // works while its handshake travels (ours loads the CA store then) gains what it would.
    delayedPipe(client, inner, options.delayMs, performance.now() + 2 * options.delayMs);
    delayedPipe(inner, client, options.delayMs);
  });
  await new Promise<void>((resolve, reject) => relay.once('error', reject).listen(0, LOOPBACK, resolve));
  const host = `${options.hostname}:${(relay.address() as AddressInfo).port}`;
  front.publicHost = host;
  return {
    host,
    url: `https://${host}`,
    close: async () => {
      await Promise.all([closeServer(relay), closeServer(front.server)]);
    },
  };
}

interface TlsFront {
  server: https.Server;
  address(): AddressInfo | string | null;
  /** What the relay is reached by: the Host header the service sees, so its absolute URLs point back at the link. */
  publicHost: string;
}

async function startTlsFront(options: WanLinkOptions): Promise<TlsFront> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const upstream = new URL(options.upstream);
  const front: TlsFront = { server: undefined as unknown as https.Server, address: () => front.server.address(), publicHost: '' };
  front.server = https.createServer({ cert: options.certificates.cert, key: options.certificates.key }, (req, res) => {
    const record: RequestRecord = { link: options.name, method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0], start: performance.now(), end: 0 };
    const headers = { ...req.headers, host: front.publicHost, 'x-forwarded-proto': 'https' };
    const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
    });
    forward.on('error', (err) => res.destroy(err));
    res.on('finish', () => {
      record.end = performance.now();
      options.log.records.push(record);
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve, reject) => front.server.once('error', reject).listen(0, LOOPBACK, resolve));
  return front;
}

/**
 * from -> to, every chunk held for delayMs, and none sent before `notBefore` + delayMs,
 * in the order they came. Reading pauses while more than a few MB are held or unsent, as a
 * real link's window would.
 */
function delayedPipe(from: Socket, to: Socket, delayMs: number, notBefore = 0): void {
  const HIGH_WATER = 8 * 1024 * 1024;
  const queue: { chunk: Buffer | 'end'; due: number }[] = [];
  let held = 0;
  let timer: NodeJS.Timeout | undefined;
  const full = () => held + to.writableLength > HIGH_WATER;
  const resumeIfRoom = () => {
    if (from.isPaused() && !full()) from.resume();
  };
  const release = () => {
    timer = undefined;
    while (queue.length > 0 && queue[0].due <= performance.now()) {
      const { chunk } = queue.shift()!;
      if (chunk === 'end') to.end();
      else {
        held -= chunk.length;
        if (!to.destroyed) to.write(chunk);
      }
    }
    resumeIfRoom();
    if (queue.length > 0) timer = setTimeout(release, queue[0].due - performance.now());
  };
  const hold = (chunk: Buffer | 'end') => {
    queue.push({ chunk, due: Math.max(performance.now(), notBefore) + delayMs });
    timer ??= setTimeout(release, queue[0].due - performance.now());
  };
  from.on('data', (chunk: Buffer) => {
    held += chunk.length;
    hold(chunk);
    if (full()) from.pause();
  });
  to.on('drain', resumeIfRoom);
  from.on('end', () => hold('end'));
  from.on('close', (hadError: boolean) => {
    if (hadError) to.destroy();
  });
  from.on('error', () => undefined);
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    (server as http.Server).closeAllConnections?.();
  });
}
