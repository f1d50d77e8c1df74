// A real container registry (CNCF distribution 2.8, Debian package docker-registry)
// on 127.0.0.1 with token auth from our own token server: the same protocol a client
// meets at ghcr.io or Docker Hub, with nothing leaving the machine.
//
// The port and storage dir are fixed for the life of the handle, so a test can stop
// the registry mid-operation and start it again with the same content.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOOPBACK, freePort } from './ports.js';
import { ServiceProcess, httpProbe } from './process.js';
import { startTokenServer, type TokenServer, type TokenServerOptions } from './token-server.js';

export const REGISTRY_BINARY = 'docker-registry';
const INSTALL_HINT = 'install the Debian package docker-registry (bash scripts/setup does it)';

export interface RegistryOptions extends Omit<TokenServerOptions, 'service' | 'issuer' | 'port'> {
  /** Short label for messages and temp dir names, e.g. "staging". */
  name: string;
  /** Token `service` / audience, e.g. "ghcr.io" look-alike "staging.local". */
  service: string;
  /** Token issuer; default `<service>-token-issuer`. */
  issuer?: string;
  /** distribution log level; output is captured, shown in start-up errors and output(). */
  logLevel?: 'error' | 'warn' | 'info' | 'debug';
  /**
   * The token realm clients are sent to, when not the token server itself: the benchmarks
   * put the token server behind a simulated wide-area link (wan.ts) and name that.
   */
  realmFor?: (tokenServer: TokenServer) => Promise<string>;
}

export interface Registry {
  name: string;
  /** host:port, as used in image references: `${host}/acme/app:tag`. */
  host: string;
  url: string;
  service: string;
  tokenServer: TokenServer;
  storageDir: string;
  configPath: string;
  readonly running: boolean;
  /** Starts the registry again (same port, same storage). No-op when running. */
  start(): Promise<void>;
  /** Graceful stop (SIGTERM, SIGKILL after a grace period). Idempotent. */
  stop(): Promise<void>;
  /** Abrupt stop (SIGKILL), like a crash. Idempotent. */
  kill(): Promise<void>;
  restart(): Promise<void>;
  /** Registry output captured so far, across restarts. */
  output(): string;
  /** Stops registry and token server and deletes temp dirs. Idempotent. */
  destroy(): Promise<void>;
}

export async function startRegistry(options: RegistryOptions): Promise<Registry> {
  const issuer = options.issuer ?? `${options.service}-token-issuer`;
  const tokenServer = await startTokenServer({ ...options, service: options.service, issuer });
  let workDir: string | undefined;
  try {
    workDir = await mkdtemp(join(tmpdir(), `ci-actions-registry-${options.name}-`));
    const port = await freePort();
    const storageDir = join(workDir, 'storage');
    const configPath = join(workDir, 'config.yml');
    const realm = options.realmFor ? await options.realmFor(tokenServer) : tokenServer.realm;
    await writeFile(configPath, registryConfig({ port, storageDir, realm, tokenServer, issuer, options }));
    const registry = new RegistryHandle(options, tokenServer, realm, workDir, port, storageDir, configPath);
    await registry.start();
    return registry;
  } catch (err) {
    await tokenServer.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
    throw err;
  }
}

class RegistryHandle implements Registry {
  readonly name: string;
  readonly host: string;
  readonly url: string;
  readonly service: string;
  private process: ServiceProcess | undefined;
  /** Output of earlier runs, so a stop/start in a test keeps the whole story. */
  private earlierOutput = '';
  private destroyed: Promise<void> | undefined;

  constructor(
    options: RegistryOptions,
    readonly tokenServer: TokenServer,
    private readonly realm: string,
    private readonly workDir: string,
    port: number,
    readonly storageDir: string,
    readonly configPath: string,
  ) {
    this.name = options.name;
    this.service = options.service;
    this.host = `${LOOPBACK}:${port}`;
    this.url = `http://${this.host}`;
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  async start(): Promise<void> {
    if (this.destroyed) throw new Error(`registry ${this.name} was destroyed`);
    if (this.running) return;
    if (this.process) this.earlierOutput += `${this.process.output()}--- registry restarted ---\n`;
    const realm = this.realm;
    this.process = await ServiceProcess.start({
      name: `registry ${this.name} (${this.url})`,
      command: REGISTRY_BINARY,
      args: ['serve', this.configPath],
      installHint: INSTALL_HINT,
      // A clean environment: REGISTRY_* variables would override the config file.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: this.workDir },
      // Ready means: serving, and challenging for a Bearer token from *our* realm.
      ready: httpProbe(`${this.url}/v2/`, (status, headers) => {
        const challenge = String(headers['www-authenticate'] ?? '');
        return status === 401 && challenge.startsWith(`Bearer realm="${realm}"`);
      }),
    });
  }

  async stop(): Promise<void> {
    await this.process?.stop();
  }

  async kill(): Promise<void> {
    this.process?.killNow();
    await this.process?.exited;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  output(): string {
    return this.earlierOutput + (this.process?.output() ?? '');
  }

  destroy(): Promise<void> {
    this.destroyed ??= (async () => {
      await this.stop();
      await this.tokenServer.stop();
      await rm(this.workDir, { recursive: true, force: true });
    })();
    return this.destroyed;
  }
}

function registryConfig(p: { port: number; storageDir: string; realm: string; tokenServer: TokenServer; issuer: string; options: RegistryOptions }): string {
  // JSON is valid YAML, and saves a YAML dependency.
  const config = {
    version: '0.1',
    log: { level: p.options.logLevel ?? 'info', formatter: 'text', fields: { service: p.options.name } },
    storage: {
      filesystem: { rootdirectory: p.storageDir },
      delete: { enabled: true },
      // No background jobs touching storage while a test inspects it.
      maintenance: { uploadpurging: { enabled: false } },
    },
    // No `debug` key: the debug/pprof listener stays off.
    http: { addr: `${LOOPBACK}:${p.port}`, secret: randomBytes(16).toString('hex') },
    auth: {
      token: {
        realm: p.realm,
        service: p.options.service,
        issuer: p.issuer,
        rootcertbundle: p.tokenServer.certPath,
      },
    },
    compatibility: { schema1: { enabled: false } },
    health: { storagedriver: { enabled: false } },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
