// Thin skopeo wrappers: the independent client that puts images into the test
// registries and reads them back, so tests of our own registry code are not checked
// by that same code.
//
// Credentials go through a temp auth.json (--authfile), never argv, and HOME points at
// an empty temp dir so the developer's own ~/.docker/config.json is never read.
// Errors carry skopeo's stderr with every password (and its base64 form) redacted.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireExecutable } from './process.js';

export interface Credentials {
  username: string;
  password: string;
}

export interface RunOptions {
  timeoutMs?: number;
  /** Extra skopeo arguments, placed after the subcommand. */
  extraArgs?: string[];
}

export class SkopeoError extends Error {
  constructor(
    message: string,
    readonly args: string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'SkopeoError';
  }
}

const INSTALL_HINT = 'install the Debian package skopeo (bash scripts/setup does it)';

/** `skopeo copy --all --preserve-digests <oci:dir:tag> <docker://host/repo:tag>`. */
export async function pushLayout(layout: string | { ociRef: string }, destination: string, creds?: Credentials, options: RunOptions = {}): Promise<void> {
  const source = typeof layout === 'string' ? layout : layout.ociRef;
  await copy(source, destination, { destCreds: creds, ...options });
}

export interface CopyOptions extends RunOptions {
  srcCreds?: Credentials;
  destCreds?: Credentials;
  /** Copy every instance of an index (default true). */
  all?: boolean;
  /** Fail rather than change a digest (default true). */
  preserveDigests?: boolean;
}

export async function copy(source: string, destination: string, options: CopyOptions = {}): Promise<void> {
  await withAuth(async (auth) => {
    const args = ['copy', '--quiet'];
    if (options.all ?? true) args.push('--all');
    if (options.preserveDigests ?? true) args.push('--preserve-digests');
    args.push(...(await auth.flags('src', source, options.srcCreds)));
    args.push(...(await auth.flags('dest', destination, options.destCreds)));
    args.push(...(options.extraArgs ?? []), source, destination);
    await run(args, auth, options);
  });
}

/** The manifest or index exactly as the registry serves it. */
export async function inspectRaw(ref: string, creds?: Credentials, options: RunOptions = {}): Promise<Buffer> {
  return withAuth(async (auth) => {
    const args = ['inspect', '--raw', ...(await auth.flags('', ref, creds)), ...(options.extraArgs ?? []), ref];
    return run(args, auth, options);
  });
}

/** `skopeo delete`: removes the manifest a tag or digest points at. */
export async function deleteImage(ref: string, creds?: Credentials, options: RunOptions = {}): Promise<void> {
  await withAuth(async (auth) => {
    await run(['delete', ...(await auth.flags('', ref, creds)), ...(options.extraArgs ?? []), ref], auth, options);
  });
}

/** Tags of `docker://host/repo`. */
export async function listTags(repoRef: string, creds?: Credentials, options: RunOptions = {}): Promise<string[]> {
  return withAuth(async (auth) => {
    const out = await run(['list-tags', ...(await auth.flags('', repoRef, creds)), ...(options.extraArgs ?? []), repoRef], auth, options);
    return (JSON.parse(out.toString('utf8')) as { Tags: string[] | null }).Tags ?? [];
  });
}

/** Per-call temp dir holding auth files (and serving as skopeo's HOME). */
class AuthScope {
  readonly secrets: string[] = [];
  private files = 0;
  constructor(readonly dir: string) {}

  /**
   * Flags for one side of a command (prefix 'src', 'dest' or '' for inspect/delete).
   * docker:// refs to plain-HTTP test registries need tls-verify off; no creds means
   * an explicitly anonymous request.
   */
  async flags(prefix: '' | 'src' | 'dest', ref: string, creds?: Credentials): Promise<string[]> {
    if (!ref.startsWith('docker://')) return [];
    const flag = (name: string): string => (prefix ? `--${prefix}-${name}` : `--${name}`);
    const out = [`${flag('tls-verify')}=false`];
    if (!creds) return [...out, flag('no-creds')];
    const host = ref.slice('docker://'.length).split('/')[0];
    const basic = Buffer.from(`${creds.username}:${creds.password}`).toString('base64');
    this.secrets.push(creds.password, basic);
    const file = join(this.dir, `auth-${this.files++}.json`);
    await writeFile(file, JSON.stringify({ auths: { [host]: { auth: basic } } }), { mode: 0o600 });
    return [...out, `${flag('authfile')}=${file}`];
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) if (secret) result = result.split(secret).join('***');
    return result;
  }
}

async function withAuth<T>(fn: (auth: AuthScope) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'ci-actions-skopeo-'));
  try {
    return await fn(new AuthScope(dir));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(args: string[], auth: AuthScope, options: RunOptions): Promise<Buffer> {
  const skopeo = requireExecutable('skopeo', INSTALL_HINT);
  // --insecure-policy: no dependence on the host's /etc/containers/policy.json.
  const fullArgs = ['--insecure-policy', ...args];
  return new Promise((resolve, reject) => {
    execFile(
      skopeo,
      fullArgs,
      {
        encoding: 'buffer',
        maxBuffer: 64 * 1024 * 1024,
        timeout: options.timeoutMs ?? 300_000,
        env: { PATH: process.env.PATH, HOME: auth.dir, TMPDIR: process.env.TMPDIR ?? tmpdir() },
      },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const text = auth.redact(stderr.toString('utf8').trim());
        const code = typeof err.code === 'number' ? err.code : null;
        const why = err.killed ? `killed (${err.signal ?? 'timeout'})` : `exit code ${code}`;
        reject(new SkopeoError(`skopeo ${auth.redact(fullArgs.join(' '))} failed, ${why}:\n${text}`, fullArgs, code, text));
      },
    );
  });
}
