// send() against a real server on loopback, straight (node:http) and through a forward proxy
// (undici, what send uses when HTTP_PROXY is set): what a streamed request body puts on the wire.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { discardBody, send } from '@ci-actions/publishing/http/transport.js';
import { startForwardProxy } from '../harness/forward-proxy.js';

afterEach(() => {
  delete process.env.HTTP_PROXY;
});

describe('send', () => {
  it.each([['straight'], ['through HTTP_PROXY']])(
    '%s, a streamed body goes out as written, even when the writer reuses each buffer once its write is called back',
    async (way) => {
      let received = Buffer.alloc(0);
      const server = http.createServer((req, res) => {
        const parts: Buffer[] = [];
        req.on('data', (part: Buffer) => parts.push(part));
        req.on('end', () => {
          received = Buffer.concat(parts);
          res.writeHead(201, { 'Content-Length': 0 }).end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const proxy = await startForwardProxy();
      if (way !== 'straight') process.env.HTTP_PROXY = proxy.url;
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`;
        const pieces = Array.from({ length: 64 }, () => randomBytes(64 * 1024));
        const expected = Buffer.concat(pieces);
        const res = await send({
          method: 'PUT',
          url,
          headers: { 'Content-Length': String(expected.length) },
          body: (request) => {
            // As the pumped GET does: one buffer, refilled as soon as the last piece is called back.
            const buffer = Buffer.alloc(64 * 1024);
            const next = (i: number): void => {
              if (i === pieces.length) {
                request.end();
                return;
              }
              pieces[i].copy(buffer);
              request.write(buffer, () => next(i + 1));
            };
            next(0);
          },
        });
        await discardBody(res);
        expect(res.status).toBe(201);
        expect(received.equals(expected)).toBe(true);
        expect(proxy.log).toEqual(way === 'straight' ? [] : [`PUT ${url}`]);
      } finally {
        server.close();
        await proxy.stop();
      }
    },
  );
});
