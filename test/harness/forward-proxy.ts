// A forward proxy, as HTTP_PROXY/HTTPS_PROXY name one: plain-HTTP requests arrive with an
// absolute URI and are forwarded, HTTPS arrives as CONNECT host:port and is tunnelled
// byte for byte. It records what went through it, so a test can tell which of a client's
// requests used the proxy and which went straight to their server.
import http from 'node:http';
import net from 'node:net';
import { LOOPBACK } from './ports.js';

export interface ForwardProxy {
  /** http://127.0.0.1:port, the value for HTTP_PROXY/HTTPS_PROXY. */
  url: string;
  /** "GET http://host/path" for each forwarded request, "CONNECT host:port" for each tunnel, in order. */
  log: string[];
  stop(): Promise<void>;
}

export async function startForwardProxy(): Promise<ForwardProxy> {
  const log: string[] = [];
  const tunnels = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const target = new URL(req.url ?? '/');
    log.push(`${req.method} ${target.origin}${target.pathname}`);
    // Proxy-Connection is for the proxy, not the server.
    const headers = { ...req.headers };
    delete headers['proxy-connection'];
    const upstream = http.request(target, { method: req.method, headers, agent: false }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', (err) => (res.headersSent ? res.destroy() : res.writeHead(502).end(String(err))));
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    log.push(`CONNECT ${req.url}`);
    const { hostname, port } = new URL(`http://${req.url}`);
    const upstream = net.connect(Number(port), hostname.replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      tunnels.add(socket);
      socket.on('close', () => tunnels.delete(socket));
    }
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://${LOOPBACK}:${port}`,
    log,
    stop: () =>
      new Promise<void>((resolve) => {
        tunnels.forEach((socket) => socket.destroy());
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
