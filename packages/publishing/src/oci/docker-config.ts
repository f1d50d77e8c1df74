// The Docker client's config file (config.json) as `docker login` and docker/login-action
// write it: `auths` maps a registry to base64 "user:password" (or username/password
// fields, or an identity token), `credHelpers` names a credential helper per registry and
// `credsStore` one for every registry. Parsing and lookup are pure; reading the file and
// running helpers is docker-credentials.ts.
import { DomainError } from '../errors.js';
import type { RegistryCredentials } from './auth.js';
import { canonicalRegistry, DOCKER_HUB } from './reference.js';

/** What `docker login` stores Docker Hub under, and what a helper is asked about for it. */
export const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';

const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const EXPECTED = 'expected a JSON object such as {"auths": {"ghcr.io": {"auth": "<base64 of user:password>"}}}';

/** A Docker config file the user's login step wrote, and what is wrong in it. */
export class DockerConfigError extends DomainError {
  constructor(file: string, problem: string) {
    super(`Docker config ${file}: ${problem}`);
  }
}

export interface DockerConfigEntry {
  /** The key as written in the file (https://index.docker.io/v1/, ghcr.io, ...). */
  key: string;
  credentials: RegistryCredentials;
}

export interface DockerConfig {
  file: string;
  /** By canonical registry (docker.io, ghcr.io, localhost:5000). */
  auths: Map<string, DockerConfigEntry>;
  credsStore?: string;
  /** Helper name by canonical registry. */
  credHelpers: Map<string, string>;
}

/** Where a registry's credentials are, per Docker's order: its credHelpers entry, else credsStore, else auths. */
export interface DockerConfigLookup {
  helper?: { name: string; serverUrl: string; setting: 'credHelpers' | 'credsStore' };
  /** The auths entry: the credentials, or the fallback when a credsStore helper knows nothing. */
  entry?: DockerConfigEntry;
}

/** A config.json's content; every problem names the file and the key, never a secret. */
export function parseDockerConfig(file: string, text: string): DockerConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the fault, which may be a password.
    throw new DockerConfigError(file, `is not valid JSON; ${EXPECTED}`);
  }
  if (!isObject(json)) throw new DockerConfigError(file, `holds ${describe(json)}; ${EXPECTED}`);
  const config: DockerConfig = { file, auths: new Map(), credHelpers: new Map() };
  const { auths, credsStore, credHelpers } = json;
  if (auths !== undefined) {
    if (!isObject(auths)) throw new DockerConfigError(file, `"auths" holds ${describe(auths)}; expected an object mapping registries to {"auth": ...} entries`);
    for (const [key, value] of Object.entries(auths)) {
      const credentials = parseEntry(file, key, value);
      if (credentials) config.auths.set(registryOf(key), { key, credentials });
    }
  }
  if (credsStore !== undefined && credsStore !== '') config.credsStore = helperName(file, '"credsStore"', credsStore);
  if (credHelpers !== undefined) {
    if (!isObject(credHelpers))
      throw new DockerConfigError(file, `"credHelpers" holds ${describe(credHelpers)}; expected an object mapping registries to helper names`);
    for (const [key, value] of Object.entries(credHelpers)) config.credHelpers.set(registryOf(key), helperName(file, `"credHelpers"."${key}"`, value));
  }
  return config;
}

/** Where the config keeps `registry`'s credentials (a canonical registry, as in image references). */
export function lookupDockerConfig(config: DockerConfig, registry: string): DockerConfigLookup {
  const entry = config.auths.get(registry);
  const serverUrl = registry === DOCKER_HUB ? DOCKER_HUB_SERVER : registry;
  const own = config.credHelpers.get(registry);
  if (own) return { helper: { name: own, serverUrl, setting: 'credHelpers' } };
  if (config.credsStore) return { helper: { name: config.credsStore, serverUrl, setting: 'credsStore' }, ...(entry ? { entry } : {}) };
  return entry ? { entry } : {};
}

/**
 * The registry a key names, as Docker reads it: scheme and path dropped
 * (https://index.docker.io/v1/ is docker.io, http://localhost:5000 is localhost:5000).
 */
export function registryOf(key: string): string {
  return canonicalRegistry(key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('/')[0]);
}

/** An auths entry's credentials; undefined for an empty entry (a credsStore placeholder). */
function parseEntry(file: string, key: string, value: unknown): RegistryCredentials | undefined {
  const where = `"auths"."${key}"`;
  if (!isObject(value)) throw new DockerConfigError(file, `${where} holds ${describe(value)}; expected an object with "auth" (base64 of user:password)`);
  const field = (name: string): string | undefined => {
    const v = value[name];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string') throw new DockerConfigError(file, `${where}."${name}" holds ${describe(v)}; expected a string`);
    return v;
  };
  const auth = field('auth');
  const identityToken = field('identitytoken');
  let username = field('username');
  let password = field('password');
  if (auth) {
    // Docker reads "auth" before the separate fields; its decoded user:password wins.
    const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(auth) ? Buffer.from(auth, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new DockerConfigError(file, `${where}."auth" is not base64 of user:password (as docker login writes it)`);
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (identityToken) return { ...(username ? { username } : {}), identityToken };
  if (!username && !password) return undefined;
  if (!username || !password)
    throw new DockerConfigError(file, `${where} has a ${username ? 'username without a password' : 'password without a username'}; expected both, or "auth"`);
  return { username, password };
}

function helperName(file: string, where: string, value: unknown): string {
  if (typeof value !== 'string' || !HELPER_NAME.test(value))
    throw new DockerConfigError(file, `${where} holds ${describe(value)}; expected a credential helper name (docker-credential-<name>), e.g. "pass"`);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a value is, without showing it (it may be a secret). */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a string';
  return `a ${typeof value}`;
}
