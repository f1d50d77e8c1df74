// send() against a real server on loopback: what a streamed request body puts on the wire.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { discardBody, send } from '../../packages/core/src/http/transport.js';

describe('send', () => {
  it('a streamed body goes out as written, even when the writer reuses each buffer once its write is called back', async () => {
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
    try {
      const pieces = Array.from({ length: 64 }, () => randomBytes(64 * 1024));
      const expected = Buffer.concat(pieces);
      const res = await send({
        method: 'PUT',
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`,
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
    } finally {
      server.close();
    }
  });
});
