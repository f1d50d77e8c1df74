// A stand-in for the two Docker Hub API endpoints promote-image uses: POST /v2/auth/token
// ({identifier, secret} -> {access_token}, 401 on bad credentials) and PATCH
// /v2/repositories/{namespace}/{name}/ ({description, full_description}, Bearer token; 401
// without a valid token, 403 without admin rights, 404 for an unknown repository, 400 when
// the short description exceeds 100 bytes or the full one 25,000 bytes, counted in UTF-8),
// answering the repository as GetRepository does. Hub counts bytes where Docker's description
// says maxLength (characters): 26 emoji, 104 bytes, are refused with a 400
// (peter-evans/dockerhub-description#142), a 25,000-character README with multi-byte glyphs
// too (docker-library/docs#2465), answered with the field errors docker-pushrm shows for the
// README (christian-korneck/docker-pushrm#28); the same body for the short description is
// inferred, as nobody shows Hub's. Every request is checked against Docker's OpenAPI
// description (openapi.yaml beside this file, which says where the PATCH comes from, since
// Docker does not describe it), every answer too: `violations` lists what did not match, and
// a test fails when it is not empty.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { OpenApiDescription, type DescriptionSource } from '../harness/openapi.js';
import { repoRoot } from '../support/paths.js';
import { LOOPBACK, freePort } from '../harness/ports.js';

export const DOCKER_HUB_API: DescriptionSource = {
  // From the repository root, not beside the module: the demo and the benchmarks run it compiled elsewhere.
  file: path.join(repoRoot, 'test/dockerhub-api/openapi.yaml'),
  describes: "Docker Hub's API",
};

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
  /** Requests (and answers) that do not match Docker Hub's OpenAPI description. */
  readonly violations: string[];
  stop(): Promise<void>;
}

/** What Docker Hub takes of each text, in UTF-8 bytes. */
const LIMIT_BYTES: Record<string, number> = { description: 100, full_description: 25_000 };

/** When every repository of the stand-in was created. */
const REGISTERED = '2024-01-02T03:04:05.000000Z';

export async function startDockerHubApi(users: Record<string, HubUser>, repositories: string[]): Promise<DockerHubApi> {
  const description = OpenApiDescription.load(DOCKER_HUB_API);
  const repos = new Map(
    repositories.map((r) => {
      const [namespace, name] = r.split('/') as [string, string];
      return [r, { namespace, name, description: '', full_description: '' }];
    }),
  );
  const tokens = new Map<string, string>();
  const requests: string[] = [];
  const violations: string[] = [];
  const port = await freePort();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://hub.invalid');
      const raw = Buffer.concat(chunks);
      for (const p of description.requestProblems(req.method ?? '', url, raw, req.headers['content-type'])) violations.push(`${req.method} ${req.url}: ${p}`);
      const matched = description.match(req.method ?? '', url.pathname);
      const reply = (status: number, body: object) => {
        const text = JSON.stringify(body);
        if (matched)
          for (const p of description.responseProblems(matched, status, text, 'application/json'))
            violations.push(`stand-in answer to ${req.method} ${req.url}: ${p}`);
        requests.push(`${req.method} ${req.url} ${status}`);
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(text);
      };
      let body: Record<string, unknown> = {};
      try {
        if (raw.length > 0) body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        return reply(400, { message: 'malformed JSON' });
      }
      if (matched?.operationId === 'AuthCreateAccessToken') {
        const user = users[String(body.identifier)];
        if (!user || user.password !== body.secret) return reply(401, { errinfo: {}, message: 'Incorrect authentication credentials' });
        const token = randomBytes(24).toString('hex');
        tokens.set(token, String(body.identifier));
        return reply(200, { access_token: token });
      }
      if (matched?.operationId !== 'UpdateRepositoryDescription') return reply(404, { message: 'page not found' });
      const key = `${matched.params.namespace}/${matched.params.repository}`;
      const repo = repos.get(key);
      const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      const username = auth ? tokens.get(auth[1]) : undefined;
      if (!username) return reply(401, { message: 'authentication credentials were not provided' });
      if (!repo) return reply(404, { message: 'object not found' });
      if (!users[username].admin.includes(repo.namespace)) return reply(403, { message: 'You do not have permission to perform this action.' });
      const unknown = Object.keys(body).filter((k) => k !== 'description' && k !== 'full_description');
      if (unknown.length > 0) return reply(400, { message: `unknown fields: ${unknown.join(', ')}` });
      const tooLong = Object.entries(LIMIT_BYTES).filter(([field, limit]) => typeof body[field] === 'string' && Buffer.byteLength(body[field]) > limit);
      if (tooLong.length > 0) {
        const fielderrors = Object.fromEntries(tooLong.map(([field]) => [field, 'Exceeded max number of characters']));
        return reply(400, {
          message: `httperror 400: request had ${tooLong.length} validation error${tooLong.length > 1 ? 's' : ''}`,
          errinfo: { fielderrors },
        });
      }
      if (typeof body.description === 'string') repo.description = body.description;
      if (typeof body.full_description === 'string') repo.full_description = body.full_description;
      return reply(200, repositoryInfo(repo, new Date().toISOString()));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, LOOPBACK, resolve));
  return {
    url: `http://${LOOPBACK}:${port}`,
    repositories: repos,
    requests,
    violations,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The repository as GetRepository answers it to its administrator: a public image repository nobody pulled yet. */
function repositoryInfo(repo: HubRepository, lastUpdated: string): Record<string, unknown> {
  return {
    user: repo.namespace,
    name: repo.name,
    namespace: repo.namespace,
    repository_type: 'image',
    status: 1,
    status_description: 'active',
    description: repo.description,
    is_private: false,
    is_automated: false,
    star_count: 0,
    pull_count: 0,
    last_updated: lastUpdated,
    last_modified: lastUpdated,
    date_registered: REGISTERED,
    collaborator_count: 0,
    affiliation: null,
    hub_user: repo.namespace,
    has_starred: false,
    full_description: repo.full_description,
    permissions: { read: true, write: true, admin: true },
    media_types: [],
    content_types: [],
    categories: [],
    immutable_tags_settings: { enabled: false, rules: [] },
    storage_size: null,
    source: null,
  };
}
