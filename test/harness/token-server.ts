// A registry token server speaking the Docker token protocol as ghcr.io and
// auth.docker.io do: `GET /token?service=S&scope=repository:NAME:pull,push&...` with
// HTTP Basic credentials, answering {token, access_token, expires_in, issued_at}.
// The token is an RS256 JWT whose x5c header carries our self-signed cert, which the
// registry trusts through its rootcertbundle.
//
// Every request is recorded (never the password) so tests can assert which scopes a
// client asked for and what it got. An identity token (OAuth2 refresh token) is exchanged
// by `POST /token` with a form body, grant_type=refresh_token, as Docker's client sends it
// (distribution's docs/spec/auth/oauth.md). Fault rules (as for the fault proxy) make it answer
// 5xx or 429, or drop the connection, in place of a token.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerFault, type FaultRule } from './fault-proxy.js';
import { resolveAccess, parseScope, type Grant, type ParsedScope } from './grants.js';
import { signJwt, type RegistryAccess } from './jwt.js';
import { LOOPBACK } from './ports.js';
import { createSigningKey, type SigningKey } from './signing-key.js';

export interface TokenUser {
  password: string;
  /** The identity token `docker login` would have stored for this user, accepted by POST /token. */
  identityToken?: string;
  grants: Grant[];
}

export interface TokenServerOptions {
  /** Must equal the registry's auth.token.service; requests for another service get 400. */
  service: string;
  /** Must equal the registry's auth.token.issuer. */
  issuer: string;
  users: Record<string, TokenUser>;
  /** Grants for requests without credentials; anonymous requests get 401 when absent. */
  anonymous?: Grant[];
  /** expires_in and exp claim; default 300 s. Changeable later with setLifetime(). */
  lifetimeSeconds?: number;
  /**
   * distribution accepts tokens up to 60 s past `exp` (clock-skew leeway). When true,
   * exp/nbf are shifted back 60 s so the registry really rejects a token once
   * lifetimeSeconds have passed: needed to test token refresh in reasonable time.
   */
  compensateRegistryLeeway?: boolean;
  /** Port to listen on; default a free one. */
  port?: number;
}

export interface TokenRequestRecord {
  time: Date;
  method: string;
  path: string;
  service: string | null;
  account: string | null;
  /** Raw scope strings, in request order. */
  scopes: string[];
  /** Authenticated user, null for anonymous (or failed) requests. */
  user: string | null;
  status: number;
  granted: RegistryAccess[];
  error?: string;
}

export interface TokenServer {
  url: string;
  /** The realm for the registry's auth.token.realm. */
  realm: string;
  service: string;
  issuer: string;
  /** PEM certificate for the registry's auth.token.rootcertbundle. */
  certPath: string;
  /** Every request so far, oldest first. */
  readonly requests: TokenRequestRecord[];
  clearRequests(): void;
  setLifetime(seconds: number): void;
  /** Rules consulted for every request before it is served; `respond` and `reset` take its place. [] serves normally again. */
  setFaults(rules: FaultRule[]): void;
  stop(): Promise<void>;
}

const REGISTRY_LEEWAY_SECONDS = 60;

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const key = await createSigningKey(`${options.issuer} test token issuer`);
  const requests: TokenRequestRecord[] = [];
  let lifetime = options.lifetimeSeconds ?? 300;
  let faults: FaultRule[] = [];
  let seen = 0;

  const server = createServer((req, res) => {
    const request = { method: req.method ?? 'GET', path: req.url ?? '/', seen: seen++ };
    const fault = faults.map((rule) => rule(request)).find((a) => a !== undefined);
    if (fault && answerFault(fault, req, res)) return;
    if (req.method !== 'POST') {
      requests.push(handle(req, res, options, key, lifetime));
      return;
    }
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => requests.push(handle(req, res, options, key, lifetime, new URLSearchParams(body))));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, LOOPBACK, () => resolve());
    });
  } catch (err) {
    await key.dispose();
    throw new Error(`token server for ${options.service} could not listen: ${(err as Error).message}`, { cause: err });
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${LOOPBACK}:${port}`;
  let stopped: Promise<void> | undefined;

  return {
    url,
    realm: `${url}/token`,
    service: options.service,
    issuer: options.issuer,
    certPath: key.certPath,
    requests,
    clearRequests: () => void requests.splice(0, requests.length),
    setLifetime: (seconds) => void (lifetime = seconds),
    setFaults: (rules) => {
      faults = rules;
      seen = 0;
    },
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // clients keep connections alive; don't wait for them
      }).then(() => key.dispose())),
  };
}

function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: TokenServerOptions,
  key: SigningKey,
  lifetime: number,
  form?: URLSearchParams,
): TokenRequestRecord {
  const url = new URL(req.url ?? '/', 'http://token.invalid');
  const params = form ?? url.searchParams;
  const scopes = params
    .getAll('scope')
    .flatMap((s) => s.split(' '))
    .filter(Boolean);
  const record: TokenRequestRecord = {
    time: new Date(),
    method: req.method ?? '',
    path: url.pathname,
    service: params.get('service'),
    account: params.get('account'),
    scopes,
    user: null,
    status: 0,
    granted: [],
  };
  const fail = (status: number, code: string, message: string): TokenRequestRecord => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (status === 401) headers['www-authenticate'] = `Basic realm="${options.issuer}"`;
    res.writeHead(status, headers).end(JSON.stringify({ errors: [{ code, message }], details: message }));
    return { ...record, status, error: message };
  };

  if (!['GET', 'POST'].includes(req.method ?? '') || url.pathname !== '/token') return fail(404, 'NOT_FOUND', 'only GET and POST /token are served');
  if (record.service !== options.service) {
    return fail(400, 'UNSUPPORTED', `service must be "${options.service}", got ${JSON.stringify(record.service)}`);
  }
  const parsed: ParsedScope[] = [];
  for (const scope of scopes) {
    const p = parseScope(scope);
    if (!p) return fail(400, 'INVALID_SCOPE', `malformed scope ${JSON.stringify(scope)}`);
    parsed.push(p);
  }

  let grants: Grant[];
  if (form) {
    // RFC 6749 5.2: a refused grant is 400 with {"error": "invalid_grant"}.
    const oauthError = (error: string, description: string): TokenRequestRecord => {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error, error_description: description }));
      return { ...record, status: 400, error: description };
    };
    if (form.get('grant_type') !== 'refresh_token') return oauthError('unsupported_grant_type', 'only grant_type=refresh_token is served');
    if (!form.get('client_id')) return oauthError('invalid_request', 'client_id is required');
    const refreshToken = form.get('refresh_token');
    const found = Object.entries(options.users).find(([, u]) => u.identityToken !== undefined && u.identityToken === refreshToken);
    if (!found) return oauthError('invalid_grant', 'invalid refresh token');
    record.user = found[0];
    grants = found[1].grants;
  } else {
    const credentials = parseBasic(req.headers.authorization);
    if (credentials === 'malformed') return fail(401, 'UNAUTHORIZED', 'malformed Authorization header');
    if (credentials === undefined) {
      if (!options.anonymous) return fail(401, 'UNAUTHORIZED', 'authentication required');
      grants = options.anonymous;
    } else {
      const user = Object.prototype.hasOwnProperty.call(options.users, credentials.user) ? options.users[credentials.user] : undefined;
      if (!user || user.password !== credentials.password) {
        return fail(401, 'UNAUTHORIZED', 'incorrect username or password');
      }
      if (record.account !== null && record.account !== credentials.user) {
        return fail(400, 'DENIED', 'account does not match the authenticated user');
      }
      record.user = credentials.user;
      grants = user.grants;
    }
  }

  const granted = resolveAccess(parsed, grants);
  const now = Math.floor(Date.now() / 1000);
  const shift = options.compensateRegistryLeeway ? REGISTRY_LEEWAY_SECONDS : 0;
  const token = signJwt(
    { typ: 'JWT', alg: 'RS256', x5c: [key.certDerBase64] },
    {
      iss: options.issuer,
      sub: record.user ?? '',
      aud: options.service, // a string: distribution 2.8 also accepts a list, older ones do not
      exp: now + lifetime - shift,
      nbf: now - shift - 1,
      iat: now,
      jti: randomUUID(),
      access: granted,
    },
    key.privateKey,
  );
  const body = { token, access_token: token, expires_in: lifetime, issued_at: new Date(now * 1000).toISOString() };
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  return { ...record, status: 200, granted };
}

function parseBasic(header: string | undefined): { user: string; password: string } | 'malformed' | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic\s+(\S+)$/i.exec(header);
  if (!match) return 'malformed';
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
