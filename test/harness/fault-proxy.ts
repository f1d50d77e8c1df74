// A reverse proxy in front of a test registry that can misbehave on purpose: answer 429
// with Retry-After or 503 instead of forwarding, drop the connection, corrupt a blob on
// its way out, or run a hook (stop the registry, move a tag) before a chosen request is
// forwarded. Clients are pointed at the proxy's host; the registry behind it stays real.
// The token server takes the same rules (token-server.ts), for faults in the token service.
import http from 'node:http';
import { LOOPBACK, freePort } from './ports.js';

export interface ProxiedRequest {
  method: string;
  path: string;
  /** How many requests matching this method+path kind came before (0 for the first). */
  seen: number;
}

export type FaultAction =
  | { kind: 'forward' }
  | { kind: 'respond'; status: number; headers?: Record<string, string>; body?: string }
  /** Drop the connection without answering (a reset, as a crashing server or a load balancer gives). */
  | { kind: 'reset' }
  /** Forward, but flip one byte of the response body (a corrupt blob). */
  | { kind: 'corrupt' }
  /** Run something first (e.g. stop the registry), then forward. */
  | { kind: 'before'; run: () => Promise<void> };

export type FaultRule = (request: ProxiedRequest) => FaultAction | undefined;

/** A rule that acts on the nth request (1-based) matching `matches`, and only on it. */
export function onNth(n: number, matches: (r: ProxiedRequest) => boolean, action: FaultAction): FaultRule {
  let count = 0;
  return (r) => (matches(r) && ++count === n ? action : undefined);
}

export interface FaultProxy {
  host: string;
  /** Every request seen, in order: "METHOD path". */
  log: string[];
  setRules(rules: FaultRule[]): void;
  stop(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const port = await freePort();
  const log: string[] = [];
  const counts = new Map<string, number>();
  let rules: FaultRule[] = [];

  // Every failure is answered with a 502 inside, so nothing awaits what it returns.
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    log.push(`${method} ${path}`);
    const kindKey = `${method} ${path.replace(/\?.*$/, '')}`;
    const seen = counts.get(kindKey) ?? 0;
    counts.set(kindKey, seen + 1);
    const action = rules.map((r) => r({ method, path, seen })).find((a) => a !== undefined) ?? { kind: 'forward' };
    try {
      if (answerFault(action, req, res)) return;
      if (action.kind === 'before') await action.run();
      forward(req, res, target, action.kind === 'corrupt');
    } catch (err) {
      res.writeHead(502).end(String(err));
    }
  };
  const server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(port, LOOPBACK, resolve));
  return {
    host: `${LOOPBACK}:${port}`,
    log,
    setRules: (next) => {
      rules = next;
      counts.clear();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Carries out an action that answers in place of the server (respond, reset); false for the others. */
export function answerFault(action: FaultAction, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  if (action.kind === 'respond') {
    req.resume();
    res.writeHead(action.status, action.headers ?? {}).end(action.body ?? '');
    return true;
  }
  if (action.kind === 'reset') {
    req.socket.resetAndDestroy();
    return true;
  }
  return false;
}

function forward(req: http.IncomingMessage, res: http.ServerResponse, target: string, corrupt: boolean): void {
  const upstream = http.request(`http://${target}${req.url}`, { method: req.method, headers: { ...req.headers, host: target }, agent: false }, (up) => {
    const headers = { ...up.headers };
    // Redirects and upload locations point back through the proxy.
    if (typeof headers.location === 'string') headers.location = headers.location.replace(`http://${target}`, '');
    res.writeHead(up.statusCode ?? 502, headers);
    let flipped = !corrupt;
    up.on('data', (chunk: Buffer) => {
      if (!flipped && chunk.length > 0) {
        chunk = Buffer.from(chunk);
        chunk[0] = chunk[0] ^ 0xff;
        flipped = true;
      }
      res.write(chunk);
    });
    up.on('end', () => res.end());
    up.on('error', () => res.destroy());
  });
  upstream.on('error', (err) => {
    if (!res.headersSent) res.writeHead(502).end(String(err));
    else res.destroy();
  });
  req.pipe(upstream);
}
