// nektos/act as the GitHub runner of the end-to-end tests, on this machine, without Docker:
// host mode (-P ubuntu-latest=-self-hosted) runs every job as processes on the host, and
// JavaScript actions with the first `node` on PATH, so Node 24 goes first: the runtime
// `runs.using: node24` gets on GitHub.
//
// The suite itself is what the workflows name acme/ci-actions@v1 (the reusable workflow and
// its actions): act's --local-repository serves that repository from a copy of this working
// tree made for the run (the action folders, dist/ and .github/workflows/, what a release tag
// holds), so the files under test run as they are, without rewriting a `uses:`.
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { suiteReferences as suiteReferenceList } from '../../tools/release/index.js';
import { findExecutable } from '../harness/process.js';
import { node24 } from '../support/node24.js';
import { repoRoot } from '../support/paths.js';

const run = promisify(execFile);

/** The version these tests were checked with (test/e2e/README.md says what it does in host mode). */
export const ACT_VERSION = 'v0.2.89';
export const ACT_MODULE = 'github.com/nektos/act';
/** How the workflows name this repository. */
export const SUITE = 'acme/ci-actions';
export const SUITE_REF = 'v1';
/** The suite's action folders. */
export const SUITE_ACTIONS = readdirSync(repoRoot, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(path.join(repoRoot, e.name, 'action.yml')))
  .map((e) => e.name);
/** The ref the stage gate names its actions by: the release it belongs to (npm run release pins it). */
export const GATE_REF = pinnedRef(path.join(repoRoot, '.github/workflows/stage-gate.yml'));

const toolsBin = path.join(repoRoot, '.tools/bin');

/** .tools/bin/act at ACT_VERSION, installed from its Go module when missing or another version. */
export async function ensureAct(): Promise<string> {
  const act = path.join(toolsBin, 'act');
  if (existsSync(act)) {
    const { stdout } = await run(act, ['--version']);
    if (stdout.trim() === `act version ${ACT_VERSION.slice(1)}`) return act;
  }
  const go = findExecutable('go');
  if (!go) {
    throw new Error(
      `act ${ACT_VERSION} is not in .tools/bin and Go is not on PATH to install it: install Go (https://go.dev/dl/), or run GOBIN=${toolsBin} go install ${ACT_MODULE}@${ACT_VERSION}`,
    );
  }
  mkdirSync(toolsBin, { recursive: true });
  try {
    await run(go, ['install', `${ACT_MODULE}@${ACT_VERSION}`], {
      env: { ...process.env, GOBIN: toolsBin, GOFLAGS: '-mod=mod' },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 600_000,
    });
  } catch (err) {
    const { stderr = '' } = err as { stderr?: string };
    throw new Error(`go install ${ACT_MODULE}@${ACT_VERSION} failed (the Go module proxy must be reachable):\n${stderr.trim()}`, { cause: err });
  }
  return act;
}

/**
 * The suite as a release would hold it, copied from the working tree: each action folder's
 * action.yml, dist/ and .github/workflows/. act reads it wherever a workflow says
 * acme/ci-actions/...@v1. The copy keeps node_modules and the rest of the tree out of what
 * act copies into every job.
 */
export function releaseTree(): string {
  const tree = mkdtempSync(path.join(tmpdir(), 'ci-actions-release-'));
  for (const entry of readdirSync(repoRoot, { withFileTypes: true })) {
    if (entry.isDirectory() && existsSync(path.join(repoRoot, entry.name, 'action.yml'))) {
      mkdirSync(path.join(tree, entry.name));
      cpSync(path.join(repoRoot, entry.name, 'action.yml'), path.join(tree, entry.name, 'action.yml'));
    }
  }
  cpSync(path.join(repoRoot, 'dist'), path.join(tree, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.map') });
  cpSync(path.join(repoRoot, '.github/workflows'), path.join(tree, '.github/workflows'), { recursive: true });
  return tree;
}

/** The artifact actions, played by artifact-stand-in.mjs over a directory per run (E2E_ARTIFACTS). */
const ARTIFACT_ACTIONS: Record<string, 'upload' | 'download'> = { 'actions/upload-artifact': 'upload', 'actions/download-artifact': 'download' };
const ARTIFACT_STAND_IN = path.join(repoRoot, 'test/e2e/artifact-stand-in.mjs');

/**
 * act fetches every remote action a job names before it runs the job's first step, even an
 * action whose step `if:` skips (pkg/runner/step_action_remote.go, prepareActionExecutor in
 * pre()), and this machine has no access to GitHub. Each remote action of these workflows
 * other than actions/checkout (which act replaces with a copy of the working directory) and
 * the suite gets a stand-in that fails its step if it ever runs, except the artifact actions,
 * which keep artifacts in a directory of the act run (artifact-stand-in.mjs): the stage gate
 * passes each promote leg's record on as an artifact.
 */
export function remoteActionStubs(workflows: string[]): { root: string; mappings: string[] } {
  const root = mkdtempSync(path.join(tmpdir(), 'ci-actions-stubs-'));
  const mappings = new Set<string>();
  for (const file of workflows) {
    for (const [, uses] of readFileSync(file, 'utf8').matchAll(/uses:\s*([^\s#]+)/g)) {
      const m = /^([^./][^/]*)\/([^/@]+)(?:\/[^@]*)?@(.+)$/.exec(uses);
      if (!m) continue;
      const [, owner, repo, ref] = m;
      if (`${owner}/${repo}` === SUITE || `${owner}/${repo}` === 'actions/checkout') continue;
      const dir = path.join(root, `${owner}-${repo}-${ref}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        path.join(dir, 'action.yml'),
        `name: stand-in for ${owner}/${repo}\ndescription: not available offline\nruns:\n  using: node24\n  main: stub.mjs\n`,
      );
      const artifacts = ARTIFACT_ACTIONS[`${owner}/${repo}`];
      writeFileSync(
        path.join(dir, 'stub.mjs'),
        artifacts
          ? `import { run } from ${JSON.stringify(pathToFileURL(ARTIFACT_STAND_IN).href)};\nrun('${artifacts}');\n`
          : `console.log('::error::${owner}/${repo}@${ref} is not available to the e2e tests (no access to GitHub)');\nprocess.exit(1);\n`,
      );
      mappings.add(`${owner}/${repo}@${ref}=${dir}`);
    }
  }
  return { root, mappings: [...mappings] };
}

export interface ActJob {
  /** The job id, with the calling job's id before it for a called workflow's job: stage-gate/cleanup. */
  job: string;
  /** success or failure, as act reports it; a job act skipped is absent. */
  result: string;
}

export interface ActRun {
  exitCode: number;
  /** The job results act reported, in the order they finished. */
  jobs: ActJob[];
  /** act's log, JSON lines (without the values of ::add-mask:: commands). */
  log: string;
  /** A readable tail of the log: each line's job and message. */
  tail(lines?: number): string;
}

export interface ActOptions {
  act: string;
  /** The repository the workflow runs in (act's working directory and the checkout it copies). */
  workdir: string;
  workflow: string;
  event: 'push' | 'pull_request' | 'workflow_dispatch' | 'schedule' | 'workflow_run';
  payload: Record<string, unknown>;
  /** The suite's release tree (releaseTree()). */
  suite: string;
  /** More --local-repository mappings, owner/repo@ref=dir (remoteActionStubs()). */
  localRepositories?: string[];
  actor: string;
  secrets: Record<string, string>;
  /** Configuration variables (the vars context). */
  vars?: Record<string, string>;
  /** GITHUB_* and other variables act puts in the github context and the job environment. */
  env: Record<string, string>;
  timeoutMs?: number;
}

/** Runs one workflow with act in host mode and resolves with what act reported. */
export async function runAct(options: ActOptions): Promise<ActRun> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'ci-actions-act-'));
  try {
    const eventFile = path.join(scratch, 'event.json');
    writeFileSync(eventFile, JSON.stringify(options.payload));
    // Secrets and variables in files, never on argv (ps shows argv).
    const secretFile = path.join(scratch, 'secrets');
    writeFileSync(secretFile, dotenv(options.secrets), { mode: 0o600 });
    const envFile = path.join(scratch, 'env');
    // The run's artifacts (artifact-stand-in.mjs), gone with the run as on GitHub after their retention.
    writeFileSync(envFile, dotenv({ ...options.env, E2E_ARTIFACTS: path.join(scratch, 'artifacts') }));
    const varFile = path.join(scratch, 'vars');
    writeFileSync(varFile, dotenv(options.vars ?? {}));
    const home = path.join(scratch, 'home');
    mkdirSync(home);
    const args = [
      options.event,
      '--workflows',
      options.workflow,
      '--eventpath',
      eventFile,
      '--platform',
      'ubuntu-latest=-self-hosted',
      '--secret-file',
      secretFile,
      '--env-file',
      envFile,
      '--var-file',
      varFile,
      '--actor',
      options.actor,
      ...[...new Set([SUITE_REF, GATE_REF])].flatMap((ref) => ['--local-repository', `${SUITE}@${ref}=${options.suite}`]),
      ...(options.localRepositories ?? []).flatMap((m) => ['--local-repository', m]),
      '--action-cache-path',
      path.join(scratch, 'action-cache'),
      '--no-cache-server',
      '--json',
    ];
    const env: NodeJS.ProcessEnv = {
      // Node 24 first: act runs JavaScript actions with the first node on PATH.
      PATH: [path.dirname(node24()), process.env.PATH ?? '/usr/bin:/bin'].join(path.delimiter),
      // An empty HOME: no ~/.actrc, no ~/.docker/config.json, no ~/.npmrc of the developer.
      HOME: home,
      TMPDIR: process.env.TMPDIR ?? tmpdir(),
      LANG: 'C.UTF-8',
    };
    // Its own process group, so a timeout (or this process ending) stops act and every step it started.
    const child = spawn(options.act, args, { cwd: options.workdir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone already
      }
    };
    process.once('exit', killGroup);
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const timeout = setTimeout(() => {
      log += `\n{"msg":"ci-actions e2e: act killed after ${options.timeoutMs ?? 600_000} ms"}\n`;
      killGroup();
    }, options.timeoutMs ?? 600_000);
    const exitCode = await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code ?? -1));
    }).finally(() => {
      clearTimeout(timeout);
      process.removeListener('exit', killGroup);
    });
    const kept = withoutMaskArguments(log);
    return { exitCode, jobs: jobResults(kept), log: kept, tail: (lines = 80) => readable(kept, lines) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * act's JSON log repeats the value of each ::add-mask:: command in the fields arg and raw
 * (its text log shows ***): those two fields are dropped before the log is kept anywhere.
 */
function withoutMaskArguments(log: string): string {
  return log
    .split('\n')
    .map((line) => {
      if (!line.startsWith('{') || !line.includes('"add-mask"')) return line;
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry.command !== 'add-mask') return line;
        delete entry.arg;
        delete entry.raw;
        return JSON.stringify(entry);
      } catch {
        return line;
      }
    })
    .join('\n');
}

/** KEY=value lines as act's --secret-file/--env-file read them (multi-line values JSON-quoted). */
function dotenv(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${v.includes('\n') || v.includes('"') ? JSON.stringify(v) : v}`)
    .join('\n');
}

interface LogLine {
  msg?: string;
  jobID?: string;
  job?: string;
  jobResult?: string;
  stage?: string;
  step?: string;
}

function parseLog(log: string): LogLine[] {
  return log
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      try {
        return JSON.parse(l) as LogLine;
      } catch {
        return { msg: l };
      }
    });
}

function jobResults(log: string): ActJob[] {
  return parseLog(log)
    .filter((l) => l.jobResult)
    .map((l) => ({ job: (l.job ?? l.jobID ?? '').trim(), result: l.jobResult! }));
}

function readable(log: string, lines: number): string {
  const text = log
    .split('\n')
    .map((l) => {
      if (!l.startsWith('{')) return l;
      try {
        const j = JSON.parse(l) as LogLine;
        return `[${j.job ?? j.jobID ?? ''}] ${j.msg ?? ''}`;
      } catch {
        return l;
      }
    })
    .filter((l) => l.trim() !== '');
  return text.slice(-lines).join('\n');
}

/** The suite's `uses:` references in a workflow file, e.g. acme/ci-actions/load-config@v1. */
export function suiteReferences(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/uses:\s*([^\s#]+)/g)].map((m) => m[1]).filter((u) => u.startsWith(`${SUITE}/`));
}

function pinnedRef(workflow: string): string {
  const refs = new Set(suiteReferenceList(readFileSync(workflow, 'utf8'), SUITE_ACTIONS).map((r) => r.ref));
  if (refs.size !== 1)
    throw new Error(
      `${workflow} names the suite's actions at ${refs.size === 0 ? 'no ref' : `several refs (${[...refs].join(', ')})`}: npm run release pins them to one`,
    );
  return [...refs][0];
}
