// The two registries a promotion moves images between: "staging" standing in for
// GHCR and "production" standing in for Docker Hub, each behind its own token server,
// signing key and user table. Passwords are random per run so no test can depend on
// (or leak) a fixed secret.
import { randomBytes } from 'node:crypto';
import type { Grant } from './grants.js';
import { startRegistry, type Registry } from './registry.js';
import type { Credentials } from './skopeo.js';

export const STAGING_SERVICE = 'staging.local';
export const PRODUCTION_SERVICE = 'registry.production.local';

export interface WorldOptions {
  /** Token lifetime for both token servers (default 300 s). */
  tokenLifetimeSeconds?: number;
  /** See TokenServerOptions.compensateRegistryLeeway. */
  compensateRegistryLeeway?: boolean;
}

export interface World {
  /** GHCR stand-in; user `ci` may do anything on acme/*. */
  staging: Registry;
  /** Docker Hub stand-in; `publisher` may pull+push acme/*, `reader` only pull. */
  production: Registry;
  creds: {
    staging: { ci: Credentials };
    production: { publisher: Credentials; reader: Credentials };
  };
  /** Stops and removes everything. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts both registries. On failure, whatever did start is stopped before the error
 * propagates; `stopWorld(undefined)` in afterAll is then harmless.
 */
export async function startRegistries(options: WorldOptions = {}): Promise<World> {
  const creds = {
    staging: { ci: user('ci') },
    production: { publisher: user('publisher'), reader: user('reader') },
  };
  const common = {
    lifetimeSeconds: options.tokenLifetimeSeconds,
    compensateRegistryLeeway: options.compensateRegistryLeeway,
  };
  const started: Registry[] = [];
  try {
    const staging = await startRegistry({
      ...common,
      name: 'staging',
      service: STAGING_SERVICE,
      users: { ci: entry(creds.staging.ci, [{ repository: 'acme/*', actions: ['*'] }]) },
    });
    started.push(staging);
    const production = await startRegistry({
      ...common,
      name: 'production',
      service: PRODUCTION_SERVICE,
      users: {
        publisher: entry(creds.production.publisher, [{ repository: 'acme/*', actions: ['pull', 'push'] }]),
        reader: entry(creds.production.reader, [{ repository: 'acme/*', actions: ['pull'] }]),
      },
    });
    started.push(production);
    let stopped: Promise<void> | undefined;
    return {
      staging,
      production,
      creds,
      stop: () => (stopped ??= destroyAll(started)),
    };
  } catch (err) {
    await destroyAll(started);
    throw err;
  }
}

/** For afterAll: stops a world that may never have been created. */
export async function stopWorld(world: World | undefined): Promise<void> {
  await world?.stop();
}

function user(username: string): Credentials {
  return { username, password: `${username}-${randomBytes(12).toString('hex')}` };
}

function entry(c: Credentials, grants: Grant[]): { password: string; grants: Grant[] } {
  return { password: c.password, grants };
}

async function destroyAll(registries: Registry[]): Promise<void> {
  const results = await Promise.allSettled(registries.map((r) => r.destroy()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
