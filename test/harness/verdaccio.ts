// A real npm registry on 127.0.0.1: Verdaccio 6 (the devDependency), offline (no uplinks), its
// storage in a temporary directory, one htpasswd user who may read and publish @acme/* and
// nothing else, and a token for that user obtained the way `npm login` obtains one.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../support/paths.js';
import { basicAuth, httpRequest } from './http.js';
import { freePort, LOOPBACK } from './ports.js';
import { httpProbe, ServiceProcess } from './process.js';

export const VERDACCIO_USER = 'publisher';

export interface Verdaccio {
  /** Registry URL, ending in `/`. */
  url: string;
  username: string;
  password: string;
  /** npm token of the user, as an npmrc `_authToken`. */
  token: string;
  storageDir: string;
  output(): string;
  /** Stops Verdaccio and deletes its directory. Idempotent. */
  stop(): Promise<void>;
}

export interface VerdaccioOptions {
  /** Anyone may read @acme/*, as anyone may read a public package on npmjs.com; publishing still needs the user. */
  anonymousRead?: boolean;
}

export async function startVerdaccio(options: VerdaccioOptions = {}): Promise<Verdaccio> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'ci-actions-verdaccio-'));
  let service: ServiceProcess | undefined;
  try {
    const password = `pw-${randomBytes(12).toString('hex')}`;
    const port = await freePort();
    const url = `http://${LOOPBACK}:${port}/`;
    const storageDir = path.join(workDir, 'storage');
    const htpasswd = path.join(workDir, 'htpasswd');
    // htpasswd's {SHA} form (base64 of SHA-1), which Verdaccio's htpasswd plugin verifies; no bcrypt needed.
    await writeFile(htpasswd, `${VERDACCIO_USER}:{SHA}${createHash('sha1').update(password).digest('base64')}\n`);
    const configPath = path.join(workDir, 'config.yaml');
    await writeFile(configPath, verdaccioConfig(storageDir, htpasswd, options));
    service = await ServiceProcess.start({
      name: `verdaccio (${url})`,
      command: path.join(repoRoot, 'node_modules/.bin/verdaccio'),
      args: ['--config', configPath, '--listen', url],
      installHint: 'run npm ci (Verdaccio is a devDependency)',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: workDir },
      cwd: workDir,
      ready: httpProbe(`${url}-/ping`, (status) => status === 200),
      readyTimeoutMs: 60_000,
    });
    const token = await login(url, VERDACCIO_USER, password);
    const running = service;
    let stopped: Promise<void> | undefined;
    return {
      url,
      username: VERDACCIO_USER,
      password,
      token,
      storageDir,
      output: () => running.output(),
      stop: () => (stopped ??= running.stop().then(() => rm(workDir, { recursive: true, force: true }))),
    };
  } catch (err) {
    await service?.stop();
    await rm(workDir, { recursive: true, force: true });
    throw err;
  }
}

/** For afterAll: stops a registry that may never have started. */
export async function stopVerdaccio(verdaccio: Verdaccio | undefined): Promise<void> {
  await verdaccio?.stop();
}

/** What `npm login --auth-type=legacy` does: PUT the user document with Basic credentials, get a token back. */
async function login(url: string, username: string, password: string): Promise<string> {
  const res = await httpRequest(`${url}-/user/org.couchdb.user:${username}`, {
    method: 'PUT',
    headers: { authorization: basicAuth(username, password), 'content-type': 'application/json' },
    body: JSON.stringify({ name: username, password }),
  });
  const token = res.status === 201 ? res.json<{ token?: string }>().token : undefined;
  if (!token) throw new Error(`verdaccio: login as ${username} answered HTTP ${res.status}: ${res.body.toString('utf8')}`);
  return token;
}

function verdaccioConfig(storageDir: string, htpasswd: string, options: VerdaccioOptions): string {
  const authenticated = { access: options.anonymousRead ? '$all' : '$authenticated', publish: '$authenticated', unpublish: '$authenticated' };
  // JSON is valid YAML. No uplinks: nothing is looked up on the public registry.
  const config = {
    storage: storageDir,
    // max_users -1: no self-registration, only the user written above.
    auth: { htpasswd: { file: htpasswd, max_users: -1 } },
    uplinks: {},
    packages: { '@acme/*': authenticated, '**': { access: '$authenticated' } },
    web: { enable: false },
    log: { type: 'stdout', format: 'json', level: 'warn' },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
