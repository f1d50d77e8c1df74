// The pumped GET against real servers on loopback: node:http servers for the ordinary
// framings, raw TCP servers where a test needs bytes no well-behaved server sends, and a
// TLS server with a throwaway self-signed certificate, straight and through a forward proxy
// (HTTPS_PROXY), where getInto goes by undici (dispatched-get.ts).
import { execFile } from 'node:child_process';
import type { TLSSocket } from 'node:tls';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { dispatchedGetInto, MAX_UNRELEASED_BYTES } from '@ci-actions/publishing/http/dispatched-get.js';
import { getInto, READ_BUFFER_BYTES, READ_BUFFERS, readBufferBytes, type BodySink } from '@ci-actions/publishing/http/pumped-get.js';
import { isRetryableNetworkError } from '@ci-actions/publishing/http/retry.js';
import { readBody } from '@ci-actions/publishing/http/transport.js';
import { startForwardProxy } from '../harness/forward-proxy.js';
import { selfSignedCertificate } from '../harness/signing-key.js';
import { repoRoot } from '../support/paths.js';
import { node24 } from '../support/node24.js';

const execFileAsync = promisify(execFile);

interface Collected {
  sink: BodySink;
  bytes: () => Buffer;
  pieces: number[];
}

/** A sink that copies what it gets and releases at once. */
function collect(): Collected {
  const parts: Buffer[] = [];
  const pieces: number[] = [];
  return {
    sink: {
      write(piece, release) {
        parts.push(Buffer.from(piece));
        pieces.push(piece.length);
        release();
      },
    },
    bytes: () => Buffer.concat(parts),
    pieces,
  };
}

interface TestServer {
  url: string;
  connections: () => number;
  /** Connections closed, by either side. */
  closed: () => number;
  /** Closes every open connection; the server goes on listening. */
  dropConnections: () => void;
  close: () => Promise<void>;
}

async function listen(server: net.Server, scheme: string): Promise<TestServer> {
  let connections = 0;
  let closed = 0;
  const sockets = new Set<net.Socket>();
  server.on(scheme === 'https' ? 'secureConnection' : 'connection', (socket: net.Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      closed++;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    connections: () => connections,
    closed: () => closed,
    dropConnections: () => sockets.forEach((s) => s.destroy()),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const serve = (handler: http.RequestListener) => listen(http.createServer(handler), 'http');

/** A TCP server that answers every request with `reply`, raw. */
const serveRaw = (reply: (socket: net.Socket) => void) =>
  listen(
    net.createServer((socket) => socket.once('data', () => reply(socket))),
    'http',
  );

/** Waits for `condition`, checked every 10 ms; the test's own timeout bounds the wait. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * What both GET clients must do with a connection and a body's framing, whatever their own
 * error codes: a kept-alive connection the server dropped is replaced, a body cut short is a
 * retryable failure, a close-delimited body is whole, a malformed answer is not retried.
 */
function connectionContract(
  get: (request: { url: string }, sink: BodySink) => Promise<unknown>,
  track: (s: TestServer) => TestServer,
  expected: { cutShort: { code: string; as: string }; malformed: Record<string, unknown> },
): void {
  it('a kept-alive connection the server closes when the next GET arrives is replaced without failing the request', async () => {
    // Each connection answers one request and drops the next unanswered, as a server whose
    // keep-alive timeout struck just as the request went out.
    const server = track(
      await listen(
        net.createServer((socket) => {
          let requests = 0;
          socket.on('data', () => (++requests === 1 ? socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok') : socket.destroy()));
        }),
        'http',
      ),
    );
    await get({ url: `${server.url}/a` }, collect().sink);
    const got = collect();
    await get({ url: `${server.url}/b` }, got.sink);
    expect(got.bytes().toString()).toBe('ok');
    expect(server.connections()).toBe(2);
  });

  it('a kept-alive connection is not reused after the server closed it meanwhile', async () => {
    const server = track(await serve((_req, res) => res.writeHead(200, { 'Content-Length': 2 }).end('ok')));
    await get({ url: `${server.url}/a` }, collect().sink);
    server.dropConnections();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await get({ url: `${server.url}/b` }, collect().sink);
    expect(server.connections()).toBe(2);
  });

  it(`a body cut short fails as ${expected.cutShort.as}, which is retried`, async () => {
    const server = track(await serveRaw((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789')));
    const err = await get({ url: `${server.url}/blob` }, collect().sink).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as NodeJS.ErrnoException).code).toBe(expected.cutShort.code);
    expect(isRetryableNetworkError(err)).toBe(true);
  });

  it('a body that ends with the connection (no length) is complete', async () => {
    const server = track(await serveRaw((socket) => socket.end('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall of it')));
    const got = collect();
    await get({ url: `${server.url}/blob` }, got.sink);
    expect(got.bytes().toString()).toBe('all of it');
  });

  it('a malformed answer fails, not retried', async () => {
    const server = track(await serveRaw((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello')));
    const err = await get({ url: `${server.url}/blob` }, collect().sink).catch((e: Error) => e);
    expect(err).toMatchObject(expected.malformed);
    expect(isRetryableNetworkError(err)).toBe(false);
  });
}

describe('getInto', () => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  const track = (s: TestServer) => (servers.push(s), s);

  it('delivers a Content-Length body in pieces no larger than a read buffer, and reuses the connection', async () => {
    const blob = randomBytes(3 * 1024 * 1024 + 17);
    const server = track(await serve((_req, res) => res.writeHead(200, { 'Content-Length': blob.length }).end(blob)));
    for (let i = 0; i < 2; i++) {
      const got = collect();
      const res = await getInto({ url: `${server.url}/v2/acme/app/blobs/x` }, got.sink);
      expect(res.status).toBe(200);
      expect(sha(got.bytes())).toBe(sha(blob));
      expect(Math.max(...got.pieces)).toBeLessThanOrEqual(READ_BUFFER_BYTES);
      expect((await readBody(res)).length).toBe(0);
    }
    expect(server.connections()).toBe(1);
  });

  it('reads a body of known length into buffers sized to it, and a connection between GETs holds only a small one', async () => {
    const small = randomBytes(3000);
    const medium = randomBytes(100 * 1024);
    const large = randomBytes(3 * 1024 * 1024);
    const bodies: Record<string, Buffer> = { '/small': small, '/medium': medium, '/large': large };
    const server = track(await serve((req, res) => res.writeHead(200, { 'Content-Length': bodies[req.url!].length }).end(bodies[req.url!])));
    // The size of the read buffer each piece was cut from (allocUnsafeSlow: one ArrayBuffer each).
    const readInto = async (path: string, expectedBytes?: number) => {
      const buffers: number[] = [];
      const parts: Buffer[] = [];
      await getInto(
        { url: `${server.url}${path}`, ...(expectedBytes === undefined ? {} : { expectedBytes }) },
        {
          write(piece, release) {
            buffers.push(piece.buffer.byteLength);
            parts.push(Buffer.from(piece));
            release();
          },
        },
      );
      expect(sha(Buffer.concat(parts))).toBe(sha(bodies[path]));
      return buffers;
    };
    // The first read of a GET lands in the buffer the connection held between GETs: a small
    // one. (The body in a first read is copied out with the head, so a piece from it is no larger.)
    const unknown = await readInto('/large');
    expect(unknown[0]).toBeLessThanOrEqual(readBufferBytes(0));
    expect(Math.max(...unknown)).toBe(READ_BUFFER_BYTES);
    const again = await readInto('/large');
    expect(again[0]).toBeLessThanOrEqual(readBufferBytes(0));
    // A known length: reads no larger than the body and its head need.
    const sized = await readInto('/medium', medium.length);
    expect(Math.max(...sized)).toBe(readBufferBytes(medium.length));
    expect(readBufferBytes(medium.length)).toBeLessThan(READ_BUFFER_BYTES);
    expect(Math.max(...(await readInto('/small', small.length)))).toBeLessThanOrEqual(readBufferBytes(small.length));
    expect(server.connections()).toBe(1);
  });

  it.each([
    [undefined, READ_BUFFER_BYTES],
    [0, 16 * 1024],
    [3000, 16 * 1024],
    [100 * 1024, 104 * 1024],
    [READ_BUFFER_BYTES - 4096, READ_BUFFER_BYTES],
    [200 * 1024 * 1024, READ_BUFFER_BYTES],
  ])('read buffers for a body of %p bytes: %p', (expected, bytes) => {
    expect(readBufferBytes(expected)).toBe(bytes);
  });

  it.each([undefined, 0, 100 * 1024, 200 * 1024 * 1024])('over TLS, read buffers for a body of %p bytes are a record long', (expected) => {
    expect(readBufferBytes(expected, true)).toBe(16 * 1024);
  });

  it('decodes a chunked body', async () => {
    const parts = Array.from({ length: 40 }, (_, i) => randomBytes(1000 + i * 997));
    const server = track(
      await serve((_req, res) => {
        res.writeHead(200);
        for (const p of parts) res.write(p);
        res.end();
      }),
    );
    const got = collect();
    await getInto({ url: `${server.url}/blob` }, got.sink);
    expect(sha(got.bytes())).toBe(sha(Buffer.concat(parts)));
  });

  it('sends the headers given and returns a non-2xx answer whole, leaving the sink untouched', async () => {
    let seen: http.IncomingHttpHeaders = {};
    const server = track(
      await serve((req, res) => {
        seen = req.headers;
        if (req.url === '/moved') res.writeHead(307, { Location: 'https://storage.example/blob?sig=1', 'Content-Length': 0 }).end();
        else res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"errors":[{"code":"BLOB_UNKNOWN"}]}');
      }),
    );
    const got = collect();
    const missing = await getInto({ url: `${server.url}/missing`, headers: { Authorization: 'Bearer abc' } }, got.sink);
    expect(seen.authorization).toBe('Bearer abc');
    expect(seen.host).toBe(server.url.replace('http://', ''));
    expect(missing.status).toBe(404);
    expect((await readBody(missing)).toString()).toContain('BLOB_UNKNOWN');
    const moved = await getInto({ url: `${server.url}/moved` }, got.sink);
    expect(moved.status).toBe(307);
    expect(moved.headers.location).toBe('https://storage.example/blob?sig=1');
    expect(got.pieces).toEqual([]);
    expect(server.connections()).toBe(1);
  });

  it('stops reading while the sink holds its buffers, so memory stays bounded, and finishes once they come back', async () => {
    const blob = randomBytes(8 * 1024 * 1024);
    const server = track(await serve((_req, res) => res.writeHead(200, { 'Content-Length': blob.length }).end(blob)));
    const held: (() => void)[] = [];
    const parts: Buffer[] = [];
    let outstanding = 0;
    let peak = 0;
    const done = getInto(
      { url: `${server.url}/blob` },
      {
        write(piece, release) {
          parts.push(Buffer.from(piece));
          outstanding += piece.length;
          peak = Math.max(peak, outstanding);
          held.push(() => {
            outstanding -= piece.length;
            release();
          });
        },
      },
    );
    // A slow destination: give buffers back a few at a time.
    const drain = setInterval(() => held.splice(0, 4).forEach((release) => release()), 2);
    try {
      await done;
    } finally {
      clearInterval(drain);
    }
    held.splice(0).forEach((release) => release());
    expect(sha(Buffer.concat(parts))).toBe(sha(blob));
    expect(peak).toBeGreaterThan(0);
    // At most every buffer but the one the socket reads into next, and one more it may allocate.
    expect(peak).toBeLessThanOrEqual((READ_BUFFERS + 1) * READ_BUFFER_BYTES);
  });

  connectionContract(getInto, track, {
    cutShort: { code: 'ECONNRESET', as: 'a connection reset' },
    malformed: { name: 'HttpProtocolError', message: expect.stringContaining('invalid Content-Length') as unknown },
  });

  it('an error thrown by the sink aborts the GET, and the connection is not used again', async () => {
    const blob = randomBytes(1024 * 1024);
    const server = track(await serve((_req, res) => res.writeHead(200, { 'Content-Length': blob.length }).end(blob)));
    const failing: BodySink = {
      write() {
        throw new Error('digest mismatch');
      },
    };
    await expect(getInto({ url: `${server.url}/blob` }, failing)).rejects.toThrow('digest mismatch');
    const got = collect();
    await getInto({ url: `${server.url}/blob` }, got.sink);
    expect(got.bytes().length).toBe(blob.length);
    expect(server.connections()).toBe(2);
  });

  it('an abort signal stops the GET with its reason', async () => {
    const server = track(
      await serve((_req, res) => {
        res.writeHead(200, { 'Content-Length': 1024 * 1024 });
        res.write(randomBytes(1000));
      }),
    );
    const controller = new AbortController();
    const sink: BodySink = {
      write(_piece, release) {
        release();
        controller.abort(new Error('the upload failed'));
      },
    };
    await expect(getInto({ url: `${server.url}/blob`, signal: controller.signal }, sink)).rejects.toThrow('the upload failed');
  });

  it('a server that stops sending fails after the idle timeout, retryably', async () => {
    const server = track(await serveRaw((socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234')));
    const err: unknown = await getInto({ url: `${server.url}/blob`, idleTimeoutMs: 200 }, collect().sink).catch((e: Error) => e);
    expect(String(err)).toContain('no data for 0.2s');
    expect(isRetryableNetworkError(err)).toBe(true);
  });

  it('refuses header values that would smuggle in another header', async () => {
    await expect(getInto({ url: 'http://127.0.0.1:9/x', headers: { Authorization: 'Bearer a\r\nX-Evil: 1' } }, collect().sink)).rejects.toThrow(TypeError);
  });

  describe('over TLS', () => {
    let dir: string;
    let tlsServer: TestServer;
    const blob = randomBytes(2 * 1024 * 1024 + 3);
    /** Whether each TLS connection the server accepted resumed an earlier session. */
    const resumed: boolean[] = [];

    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'pumped-get-tls-'));
      await selfSignedCertificate({
        keyPath: path.join(dir, 'key.pem'),
        certPath: path.join(dir, 'cert.pem'),
        subject: '/CN=127.0.0.1',
        extensions: ['subjectAltName=IP:127.0.0.1'],
      });
      const server = https.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) }, (_req, res) =>
        res.writeHead(200, { 'Content-Length': blob.length }).end(blob),
      );
      server.on('secureConnection', (socket: TLSSocket) => resumed.push(socket.isSessionReused()));
      tlsServer = await listen(server, 'https');
    });
    afterAll(async () => {
      await tlsServer.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('verifies the certificate: a self-signed one is refused, not retried', async () => {
      const err = await getInto({ url: `${tlsServer.url}/blob` }, collect().sink).catch((e: Error) => e);
      expect((err as NodeJS.ErrnoException).code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(isRetryableNetworkError(err)).toBe(false);
    });

    it('streams the body through TLS reads and keeps the connection, once the certificate is trusted', async () => {
      // Trust comes from NODE_EXTRA_CA_CERTS, as a user of a registry with a private CA sets
      // it; Node reads it at start-up only, so the GETs run in a child process (under the
      // runner's Node) on the module transpiled as it is.
      const before = tlsServer.connections();
      expect(await getTwiceInChild({})).toEqual([sha(blob), sha(blob)]);
      expect(tlsServer.connections() - before).toBe(1);
    });

    it('through HTTPS_PROXY, goes by undici in a CONNECT tunnel, the certificate verified end to end', async () => {
      const proxy = await startForwardProxy();
      try {
        expect(await getTwiceInChild({ HTTPS_PROXY: proxy.url })).toEqual([sha(blob), sha(blob)]);
        expect(proxy.log.length).toBeGreaterThan(0);
        expect(new Set(proxy.log)).toEqual(new Set([`CONNECT ${tlsServer.url.replace('https://', '')}`]));
      } finally {
        await proxy.stop();
      }
    });

    it("through HTTPS_PROXY, send (every other request: manifests, tokens, the vendors' APIs) tunnels too, the certificate verified", async () => {
      const proxy = await startForwardProxy();
      try {
        const script = `
          const { send, readBody } = await import(${JSON.stringify(transpileForChild().replace('pumped-get.js', 'transport.js'))});
          const body = await readBody(await send({ method: 'GET', url: process.env.BLOB_URL }), 8 * 1024 * 1024);
          console.log((await import('node:crypto')).createHash('sha256').update(body).digest('hex'));`;
        const stdout = await runInChild(script, { HTTPS_PROXY: proxy.url });
        expect(stdout.trim()).toBe(sha(blob));
        expect(proxy.log).toEqual([`CONNECT ${tlsServer.url.replace('https://', '')}`]);
      } finally {
        await proxy.stop();
      }
    });

    it('a slow sink holds at most about a megabyte of read buffers, though TLS goes on handing over records after reading stops', async () => {
      // Node's TLS copies each decrypted record (16 KB at most) into a read buffer of its own,
      // and hands over what it has already decrypted even after reading stops. What counts is
      // the memory the pieces waiting for the destination hold: their read buffers, whole.
      const script = `
        const { getInto } = await import(${JSON.stringify(transpileForChild())});
        const { createHash } = await import('node:crypto');
        const hash = createHash('sha256');
        const held = [];
        const holders = new Map();
        let heldBytes = 0;
        let peak = 0;
        const drain = setInterval(() => held.splice(0, 4).forEach((release) => release()), 2);
        await getInto({ url: process.env.BLOB_URL }, {
          write(piece, release) {
            hash.update(piece);
            const buffer = piece.buffer;
            if (!holders.has(buffer)) heldBytes += buffer.byteLength;
            holders.set(buffer, (holders.get(buffer) ?? 0) + 1);
            peak = Math.max(peak, heldBytes);
            held.push(() => {
              const left = holders.get(buffer) - 1;
              if (left === 0) { holders.delete(buffer); heldBytes -= buffer.byteLength; } else holders.set(buffer, left);
              release();
            });
          },
        });
        clearInterval(drain);
        held.splice(0).forEach((release) => release());
        console.log(JSON.stringify({ sha: hash.digest('hex'), peak }));`;
      const stdout = await runInChild(script, {}, 20_000);
      const { sha: got, peak } = JSON.parse(stdout) as { sha: string; peak: number };
      expect(got).toBe(sha(blob));
      expect(peak).toBeGreaterThan(0);
      expect(peak).toBeLessThanOrEqual(READ_BUFFERS * READ_BUFFER_BYTES + 256 * 1024);
    });

    it("the run's first TLS connection is on the wire before the CA store loads, and its certificate is still checked", async () => {
      // Loading the CA store takes tens of ms; tls.connect does it before the TCP connection
      // starts. send's first connection looks the host up and connects first, and loads the
      // store while the TCP handshake travels. By name (localhost), so the lookup shows when
      // the connection went out; the certificate names 127.0.0.1 only, so it must be refused.
      const script = `
        const { default: tls } = await import('node:tls');
        const { default: net } = await import('node:net');
        const order = [];
        const create = tls.createSecureContext;
        tls.createSecureContext = (...args) => (order.push('CA store'), create(...args));
        const emit = net.Socket.prototype.emit;
        net.Socket.prototype.emit = function (event, ...args) {
          if (event === 'lookup') order.push('lookup');
          return emit.call(this, event, ...args);
        };
        const { send } = await import(${JSON.stringify(transpileForChild().replace('pumped-get.js', 'transport.js'))});
        const err = await send({ method: 'GET', url: process.env.BLOB_URL }).then(() => undefined, (e) => e);
        console.log(JSON.stringify({ order: order.slice(0, 2), code: err?.cause?.code ?? err?.code }));`;
      const stdout = await runInChild(script, { BLOB_URL: `${tlsServer.url.replace('127.0.0.1', 'localhost')}/blob` }, 20_000);
      expect(JSON.parse(stdout)).toEqual({ order: ['lookup', 'CA store'], code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    });

    it('connections opened ahead carry the burst that follows, and those left unused hold nothing open', async () => {
      // Over a wide-area link each new TLS connection is a round trip its first request
      // waits for: openConnections makes them while the token is fetched. Three requests
      // and two blob reads at once then find five connections ready; a sixth, opened and
      // never used, must neither be counted as used nor keep the process alive.
      const script = `
        const { openConnections, send, readBody } = await import(${JSON.stringify(transpileForChild().replace('pumped-get.js', 'transport.js'))});
        const { getInto } = await import(${JSON.stringify(transpileForChild())});
        await openConnections(new URL(process.env.BLOB_URL).origin, { requests: 4, blobReads: 2 });
        await new Promise((resolve) => setTimeout(resolve, 500));
        const sent = [0, 1, 2].map(async () => (await readBody(await send({ method: 'GET', url: process.env.BLOB_URL }), 8 * 1024 * 1024)).length);
        const read = [0, 1].map(async () => { let n = 0; await getInto({ url: process.env.BLOB_URL }, { write(piece, release) { n += piece.length; release(); } }); return n; });
        console.log(JSON.stringify(await Promise.all([...sent, ...read])));`;
      const before = tlsServer.connections();
      const stdout = await runInChild(script, {}, 20_000);
      expect(JSON.parse(stdout)).toEqual(Array(5).fill(blob.length));
      // 4 + 2 opened ahead, none more: every request found its connection ready.
      expect(tlsServer.connections() - before).toBe(6);
    });

    it('a request takes a spare whose handshake is done before one still in its handshake', async () => {
      // Spares open in bursts, and the request that needs one should not wait two round
      // trips for the newest of a later burst beside one that is ready. Through a relay that
      // lets the first connection through and holds every later one until the test ends: a
      // request on a held one never gets an answer (the child says so after 5 s).
      const relay = await startHoldingRelay(Number(new URL(tlsServer.url).port));
      try {
        const script = `
          const { openConnections, send, readBody } = await import(${JSON.stringify(transpileForChild().replace('pumped-get.js', 'transport.js'))});
          const origin = new URL(process.env.BLOB_URL).origin;
          await openConnections(origin, { requests: 1, blobReads: 0 });
          await new Promise((resolve) => setTimeout(resolve, 500));
          await openConnections(origin, { requests: 3, blobReads: 0 });
          const got = send({ method: 'GET', url: process.env.BLOB_URL }).then(async (res) => (await readBody(res, 8 * 1024 * 1024)).length);
          const stuck = new Promise((resolve) => setTimeout(() => resolve('no answer'), 5000).unref());
          console.log(JSON.stringify(await Promise.race([got, stuck])));
          process.exit(0);`;
        const stdout = await runInChild(script, { BLOB_URL: `https://127.0.0.1:${relay.port}/blob` }, 20_000);
        expect(JSON.parse(stdout)).toBe(blob.length);
        expect(relay.held()).toBe(2);
      } finally {
        relay.close();
      }
    });

    it('connections opened after a first one resume its TLS session, for requests and blob reads alike', async () => {
      // A full handshake costs the server a signature per connection: the burst's connections
      // resume the session the first one was given instead.
      const script = `
        const { openConnections, send, readBody } = await import(${JSON.stringify(transpileForChild().replace('pumped-get.js', 'transport.js'))});
        const { getInto } = await import(${JSON.stringify(transpileForChild())});
        await readBody(await send({ method: 'GET', url: process.env.BLOB_URL }), 8 * 1024 * 1024);
        await openConnections(new URL(process.env.BLOB_URL).origin, { requests: 3, blobReads: 2 });
        await new Promise((resolve) => setTimeout(resolve, 500));
        const sent = [0, 1, 2].map(async () => (await readBody(await send({ method: 'GET', url: process.env.BLOB_URL }), 8 * 1024 * 1024)).length);
        const read = [0, 1].map(async () => { let n = 0; await getInto({ url: process.env.BLOB_URL }, { write(piece, release) { n += piece.length; release(); } }); return n; });
        console.log(JSON.stringify(await Promise.all([...sent, ...read])));`;
      const from = resumed.length;
      const stdout = await runInChild(script, {}, 20_000);
      expect(JSON.parse(stdout)).toEqual(Array(5).fill(blob.length));
      // The first connection did the full handshake; the five opened ahead resumed its session
      // (the first one's connection is idle again and carries one of the three requests, so
      // one spare is left over).
      expect(resumed.slice(from)).toEqual([false, true, true, true, true, true]);
    });

    /** TCP to `port`: the first connection passes, every later one is held (accepted, never forwarded). */
    async function startHoldingRelay(port: number): Promise<{ port: number; held: () => number; close: () => void }> {
      const sockets: net.Socket[] = [];
      let accepted = 0;
      const server = net.createServer((client) => {
        sockets.push(client);
        client.on('error', () => undefined);
        if (++accepted > 1) return;
        const upstream = net.connect(port, '127.0.0.1');
        sockets.push(upstream);
        upstream.on('error', () => client.destroy());
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return {
        port: (server.address() as net.AddressInfo).port,
        held: () => accepted - 1,
        close: () => {
          sockets.forEach((s) => s.destroy());
          server.close();
        },
      };
    }

    /**
     * The bodies' SHA-256 of two GETs in a child process under the runner's Node, with `env`
     * added: trust comes from NODE_EXTRA_CA_CERTS, as a user of a registry with a private CA
     * sets it, and Node reads it at start-up only.
     */
    async function getTwiceInChild(env: Record<string, string>): Promise<string[]> {
      const script = `
        const { getInto } = await import(${JSON.stringify(transpileForChild())});
        const results = [];
        for (let i = 0; i < 2; i++) {
          const hash = (await import('node:crypto')).createHash('sha256');
          await getInto({ url: process.env.BLOB_URL }, { write(piece, release) { hash.update(piece); release(); } });
          results.push(hash.digest('hex'));
        }
        console.log(JSON.stringify(results));`;
      return JSON.parse(await runInChild(script, env)) as string[];
    }

    /**
     * Runs `script` (an ES module) in a child process under the runner's Node, trusting the
     * test CA through NODE_EXTRA_CA_CERTS (read at start-up only), BLOB_URL set to the TLS
     * server's blob unless `env` says otherwise; its standard output.
     */
    async function runInChild(script: string, env: Record<string, string> = {}, timeout?: number): Promise<string> {
      const { stdout } = await execFileAsync(node24(), ['--input-type=module', '-e', script], {
        env: { PATH: process.env.PATH ?? '', NODE_EXTRA_CA_CERTS: path.join(dir, 'cert.pem'), BLOB_URL: `${tlsServer.url}/blob`, ...env },
        ...(timeout ? { timeout } : {}),
      });
      return stdout;
    }
  });
});

describe('dispatchedGetInto', () => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  const track = (s: TestServer) => (servers.push(s), s);

  it('delivers a Content-Length body and reuses the connection', async () => {
    const blob = randomBytes(3 * 1024 * 1024 + 17);
    const server = track(await serve((_req, res) => res.writeHead(200, { 'Content-Length': blob.length }).end(blob)));
    for (let i = 0; i < 3; i++) {
      const got = collect();
      const res = await dispatchedGetInto({ url: `${server.url}/v2/acme/app/blobs/x` }, got.sink);
      expect(res.status).toBe(200);
      expect(sha(got.bytes())).toBe(sha(blob));
      expect((await readBody(res)).length).toBe(0);
    }
    // undici's pool opens a second connection while its first is still being set up; from
    // then on they are reused.
    expect(server.connections()).toBeLessThan(3);
  });

  it('decodes a chunked body', async () => {
    const parts = Array.from({ length: 40 }, (_, i) => randomBytes(1000 + i * 997));
    const server = track(
      await serve((_req, res) => {
        res.writeHead(200);
        for (const p of parts) res.write(p);
        res.end();
      }),
    );
    const got = collect();
    await dispatchedGetInto({ url: `${server.url}/blob` }, got.sink);
    expect(sha(got.bytes())).toBe(sha(Buffer.concat(parts)));
  });

  it('sends the headers given and returns a non-2xx answer whole, leaving the sink untouched', async () => {
    let seen: http.IncomingHttpHeaders = {};
    const server = track(
      await serve((req, res) => {
        seen = req.headers;
        if (req.url === '/moved') res.writeHead(307, { Location: 'https://storage.example/blob?sig=1', 'Content-Length': 0 }).end();
        else res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"errors":[{"code":"BLOB_UNKNOWN"}]}');
      }),
    );
    const got = collect();
    const missing = await dispatchedGetInto({ url: `${server.url}/missing`, headers: { Authorization: 'Bearer abc' } }, got.sink);
    expect(seen.authorization).toBe('Bearer abc');
    expect(seen.host).toBe(server.url.replace('http://', ''));
    expect(missing.status).toBe(404);
    expect((await readBody(missing)).toString()).toContain('BLOB_UNKNOWN');
    const moved = await dispatchedGetInto({ url: `${server.url}/moved` }, got.sink);
    expect(moved.status).toBe(307);
    expect(moved.headers.location).toBe('https://storage.example/blob?sig=1');
    const again = await dispatchedGetInto({ url: `${server.url}/missing` }, got.sink);
    expect(again.status).toBe(404);
    expect(got.pieces).toEqual([]);
    expect(server.connections()).toBeLessThan(3);
  });

  it('stops reading while the sink holds its pieces, so memory stays bounded, and finishes once they come back', async () => {
    const blob = randomBytes(8 * 1024 * 1024);
    const server = track(await serve((_req, res) => res.writeHead(200, { 'Content-Length': blob.length }).end(blob)));
    const held: (() => void)[] = [];
    const parts: Buffer[] = [];
    let outstanding = 0;
    let peak = 0;
    const done = dispatchedGetInto(
      { url: `${server.url}/blob` },
      {
        write(piece, release) {
          parts.push(Buffer.from(piece));
          outstanding += piece.length;
          peak = Math.max(peak, outstanding);
          held.push(() => {
            outstanding -= piece.length;
            release();
          });
        },
      },
    );
    // A slow destination: give buffers back a few at a time.
    const drain = setInterval(() => held.splice(0, 4).forEach((release) => release()), 2);
    try {
      await done;
    } finally {
      clearInterval(drain);
    }
    held.splice(0).forEach((release) => release());
    expect(sha(Buffer.concat(parts))).toBe(sha(blob));
    expect(peak).toBeGreaterThan(0);
    // The bound, and at most one socket read (64 KB) that arrived as the connection paused.
    expect(peak).toBeLessThanOrEqual(MAX_UNRELEASED_BYTES + 64 * 1024);
  });

  connectionContract(dispatchedGetInto, track, {
    cutShort: { code: 'UND_ERR_SOCKET', as: 'a dropped connection' },
    malformed: { code: 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' },
  });

  it('an error thrown by the sink aborts the GET, and the connection is not used again', async () => {
    const blob = randomBytes(1024 * 1024);
    const server = track(await serve((_req, res) => res.writeHead(200, { 'Content-Length': blob.length }).end(blob)));
    const failing: BodySink = {
      write() {
        throw new Error('digest mismatch');
      },
    };
    await expect(dispatchedGetInto({ url: `${server.url}/blob` }, failing)).rejects.toThrow('digest mismatch');
    // Every connection it had is closed, so the next GET opens its own.
    await until(() => server.closed() === server.connections());
    const before = server.connections();
    const got = collect();
    await dispatchedGetInto({ url: `${server.url}/blob` }, got.sink);
    expect(got.bytes().length).toBe(blob.length);
    expect(server.connections()).toBeGreaterThan(before);
  });

  it('an abort signal stops the GET with its reason', async () => {
    const server = track(
      await serve((_req, res) => {
        res.writeHead(200, { 'Content-Length': 1024 * 1024 });
        res.write(randomBytes(1000));
      }),
    );
    const controller = new AbortController();
    const sink: BodySink = {
      write(_piece, release) {
        release();
        controller.abort(new Error('the upload failed'));
      },
    };
    await expect(dispatchedGetInto({ url: `${server.url}/blob`, signal: controller.signal }, sink)).rejects.toThrow('the upload failed');
  });

  it('a server that stops sending fails after the idle timeout, retryably', async () => {
    const server = track(await serveRaw((socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234')));
    const err: unknown = await dispatchedGetInto({ url: `${server.url}/blob`, idleTimeoutMs: 200 }, collect().sink).catch((e: Error) => e);
    expect(String(err as Error)).toContain('no data for 0.2s');
    expect(isRetryableNetworkError(err)).toBe(true);
  });

  it('refuses header values that would smuggle in another header', async () => {
    await expect(dispatchedGetInto({ url: 'http://127.0.0.1:9/x', headers: { Authorization: 'Bearer a\r\nX-Evil: 1' } }, collect().sink)).rejects.toMatchObject(
      {
        code: 'UND_ERR_INVALID_ARG',
      },
    );
  });
});

/**
 * pumped-get.ts and what it imports at run time, transpiled to plain ESM in .cache/ of the
 * repository, where undici resolves from its node_modules; returns the module's URL.
 */
function transpileForChild(): string {
  // The layout of packages/publishing/src kept: the HTTP layer imports the error model from '../errors.js'.
  const dir = path.join(repoRoot, '.cache', 'pumped-get-tls');
  mkdirSync(path.join(dir, 'http'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
  const files = [
    ...['pumped-get', 'http1', 'proxy-env', 'dispatched-get', 'undici-pool', 'transport', 'request-error', 'tls-sessions'].map((name) => `http/${name}`),
    'errors',
    'secrets',
  ];
  for (const file of files) {
    const source = readFileSync(path.join(repoRoot, 'packages/publishing/src', `${file}.ts`), 'utf8');
    const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    writeFileSync(path.join(dir, `${file}.js`), outputText);
  }
  return `file://${path.join(dir, 'http', 'pumped-get.js')}`;
}
