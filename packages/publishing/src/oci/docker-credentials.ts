// Registry credentials from the Docker client's configuration, for registries no input
// gives any: $DOCKER_CONFIG/config.json (else ~/.docker/config.json), where `docker login`
// and docker/login-action leave them, and the credential helpers it names
// (docker-credential-<name> get, the server URL on stdin, {"Username","Secret"} on stdout).
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Log } from '../log.js';
import { addBasicCredentials, addSecret, redact } from '../secrets.js';
import type { RegistryCredentials } from './auth.js';
import { lookupDockerConfig, parseDockerConfig, type DockerConfig } from './docker-config.js';

/** What Docker's helpers print when they hold nothing for the server. */
const NOT_FOUND = /credentials not found/i;
/** Docker's helpers answer at once; a hung one (a keychain prompt nobody sees) must not hold the step. */
const HELPER_TIMEOUT_MS = 30_000;

export interface FoundCredentials {
  credentials: RegistryCredentials;
  /** Where they came from, for a person: the file and key, or the helper. */
  source: string;
}

/** Runs `docker-credential-<name> get`; undefined when the helper holds nothing for the server. */
export type CredentialHelper = (name: string, serverUrl: string) => Promise<RegistryCredentials | undefined>;

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.DOCKER_CONFIG || path.join(homedir(), '.docker'), 'config.json');
}

/** The config at `file`, every secret in it masked; undefined when there is no such file. */
export function readDockerConfig(file: string): DockerConfig | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const config = parseDockerConfig(file, text);
  for (const { credentials } of config.auths.values()) mask(credentials);
  return config;
}

/** Credentials for each of `registries` the Docker config knows; the others are left out, with a warning where a helper failed. */
export async function dockerConfigCredentials(
  registries: readonly string[],
  options: { log: Log; env?: NodeJS.ProcessEnv; helper?: CredentialHelper },
): Promise<Map<string, FoundCredentials>> {
  const found = new Map<string, FoundCredentials>();
  if (registries.length === 0) return found;
  const config = readDockerConfig(dockerConfigPath(options.env));
  if (!config) return found;
  const runHelper = options.helper ?? runCredentialHelper;
  for (const registry of registries) {
    const { helper, entry } = lookupDockerConfig(config, registry);
    const fromEntry = entry ? { credentials: entry.credentials, source: `${config.file} (auths "${entry.key}")` } : undefined;
    if (!helper) {
      if (fromEntry) found.set(registry, fromEntry);
      continue;
    }
    const named = `docker-credential-${helper.name} (${helper.setting} in ${config.file})`;
    try {
      const credentials = await runHelper(helper.name, helper.serverUrl);
      if (credentials) {
        mask(credentials);
        found.set(registry, { credentials, source: named });
        continue;
      }
    } catch (err) {
      options.log.warning(
        `${registry}: ${named} gave no credentials: ${(err as Error).message}; ${fromEntry ? `using ${fromEntry.source}` : 'going on without credentials for it'}`,
      );
    }
    if (fromEntry) found.set(registry, fromEntry);
  }
  return found;
}

export async function runCredentialHelper(name: string, serverUrl: string): Promise<RegistryCredentials | undefined> {
  const program = `docker-credential-${name}`;
  // Loaded here, not at start: most runs name no helper (see scripts/build.mjs).
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(program, ['get'], { stdio: ['pipe', 'pipe', 'pipe'], env: process.env });
    // Not spawn's own `timeout`: Node clears it only on 'exit', which a helper that is not
    // installed never emits, and its timer held the action's process open for 30 s.
    const timer = setTimeout(() => child.kill('SIGTERM'), HELPER_TIMEOUT_MS);
    child.once('error', () => clearTimeout(timer));
    child.once('close', () => clearTimeout(timer));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'ENOENT' ? new Error(`${program} is not installed (not on PATH)`) : new Error(`${program}: ${err.message}`)),
    );
    child.on('close', (code, signal) => {
      if (code === 0) {
        try {
          resolve(helperAnswer(stdout));
        } catch (err) {
          reject(new Error(`${program} get: ${(err as Error).message}`));
        }
        return;
      }
      if (NOT_FOUND.test(stdout) || NOT_FOUND.test(stderr)) return resolve(undefined);
      const detail = (stderr || stdout).trim().split('\n')[0]?.slice(0, 200) ?? '';
      reject(new Error(`${program} get ${signal ? `was killed (${signal})` : `exited with ${code}`}${detail ? `: ${redact(detail)}` : ''}`));
    });
    child.stdin.on('error', () => {}); // a helper that exits without reading; its exit status says why
    child.stdin.end(serverUrl);
  });
}

/** A helper's {"ServerURL","Username","Secret"}; Username "<token>" marks an identity token. */
function helperAnswer(stdout: string): RegistryCredentials {
  let answer: { Username?: unknown; Secret?: unknown };
  try {
    answer = JSON.parse(stdout) as typeof answer;
  } catch {
    throw new Error('the answer is not JSON ({"Username": ..., "Secret": ...} was expected)');
  }
  if (typeof answer.Secret !== 'string' || !answer.Secret) throw new Error('the answer has no "Secret"');
  addSecret(answer.Secret);
  const username = typeof answer.Username === 'string' ? answer.Username : '';
  if (username === '<token>' || !username) return { identityToken: answer.Secret };
  return { username, password: answer.Secret };
}

function mask(credentials: RegistryCredentials): void {
  if (credentials.username && credentials.password) addBasicCredentials(credentials.username, credentials.password);
  addSecret(credentials.password);
  addSecret(credentials.identityToken);
}
