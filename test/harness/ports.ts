// A free TCP port on 127.0.0.1. Services under test (docker-registry) need a port
// number in their config file before they start, so we cannot simply listen on 0 in
// the service itself: bind an ephemeral port, read it back, release it. The short
// window in which another process could take it is accepted; callers that care can
// retry start-up on EADDRINUSE.
import { createServer } from 'node:net';

export const LOOPBACK = '127.0.0.1';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: LOOPBACK, port: 0, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the port of an ephemeral listener'));
        return;
      }
      server.close((err) => (err ? reject(err) : resolve(address.port)));
    });
  });
}
