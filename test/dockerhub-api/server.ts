// A stand-in for the two Docker Hub API endpoints promote-image uses, shaped from Docker
// Hub's API reference: POST /v2/auth/token ({identifier, secret} -> {access_token}, 401
// on bad credentials) and PATCH /v2/repositories/{namespace}/{name}/ ({description,
// full_description}, Bearer token; 401 without a valid token, 403 without admin rights,
// 404 for an unknown repository, 400 when the short description exceeds 100 characters).
// GET on the repository reads the state back for assertions.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { LOOPBACK, freePort } from '../harness/ports.js';

export interface HubUser {
  password: string;
  /** Namespaces the user administers. */
  admin: string[];
}

export interface HubRepository {
  namespace: string;
  name: string;
  description: string;
  full_description: string;
}

export interface DockerHubApi {
  url: string;
  repositories: Map<string, HubRepository>;
  /** "METHOD path status" for every request. */
  requests: string[];
  stop(): Promise<void>;
}

export async function startDockerHubApi(users: Record<string, HubUser>, repositories: string[]): Promise<DockerHubApi> {
  const repos = new Map(repositories.map((r) => {
    const [namespace, name] = r.split('/') as [string, string];
    return [r, { namespace, name, description: '', full_description: '' }];
  }));
  const tokens = new Map<string, string>();
  const requests: string[] = [];
  const port = await freePort();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: object) => {
        requests.push(`${req.method} ${req.url} ${status}`);
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      };
      let body: Record<string, unknown> = {};
      try {
        if (chunks.length > 0) body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        return reply(400, { message: 'malformed JSON' });
      }
      if (req.method === 'POST' && req.url === '/v2/auth/token') {
        const user = users[String(body.identifier)];
        if (!user || user.password !== body.secret) return reply(401, { errinfo: {}, message: 'Incorrect authentication credentials' });
        const token = randomBytes(24).toString('hex');
        tokens.set(token, String(body.identifier));
        return reply(200, { access_token: token });
      }
      const match = /^\/v2\/repositories\/([^/]+)\/([^/]+)\/$/.exec(req.url ?? '');
      if (!match) return reply(404, { message: 'page not found' });
      const key = `${match[1]}/${match[2]}`;
      const repo = repos.get(key);
      if (req.method === 'GET') return repo ? reply(200, repo) : reply(404, { message: 'object not found' });
      if (req.method !== 'PATCH') return reply(405, { message: 'method not allowed' });
      const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      const username = auth ? tokens.get(auth[1]!) : undefined;
      if (!username) return reply(401, { message: 'authentication credentials were not provided' });
      if (!repo) return reply(404, { message: 'object not found' });
      if (!users[username]!.admin.includes(repo.namespace)) return reply(403, { message: 'You do not have permission to perform this action.' });
      const unknown = Object.keys(body).filter((k) => k !== 'description' && k !== 'full_description');
      if (unknown.length > 0) return reply(400, { message: `unknown fields: ${unknown.join(', ')}` });
      if (typeof body.description === 'string' && [...body.description].length > 100) {
        return reply(400, { message: 'description: Ensure this field has no more than 100 characters.' });
      }
      if (typeof body.description === 'string') repo.description = body.description;
      if (typeof body.full_description === 'string') repo.full_description = body.full_description;
      return reply(200, repo);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, LOOPBACK, resolve));
  return {
    url: `http://${LOOPBACK}:${port}`,
    repositories: repos,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
