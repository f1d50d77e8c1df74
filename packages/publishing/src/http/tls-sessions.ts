// TLS sessions by host and port, so that the connections opened for a burst (transport.ts)
// and for blob reads (pumped-get.ts) resume the session of the first connection to a
// registry instead of each doing a full handshake: the server skips signing its
// certificate exchange for each, which is most of a handshake's cost at both ends.
import type { TLSSocket } from 'node:tls';

const sessions = new Map<string, Buffer>();
const key = (host: string, port: number) => `${host}:${port}`;

/** Keeps the newest session `socket` is given (TLS 1.3 sends its tickets after the handshake). */
export function rememberSession(socket: Pick<TLSSocket, 'on'>, host: string, port: number): void {
  socket.on('session', (session: Buffer) => sessions.set(key(host, port), session));
}

/** A session to resume with host:port, if a connection to it has been given one. */
export function sessionFor(host: string, port: number): Buffer | undefined {
  return sessions.get(key(host, port));
}
