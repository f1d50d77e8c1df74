// The stage gate's decision step (.github/workflows/stage-gate.yml, step `gate`) run by bash as
// the runner runs it, with hostile values in its environment. Its GITHUB_OUTPUT is read as the
// runner reads it: exactly the intended outputs must come out, each value intact, whatever
// lines a branch name or an input holds.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { configOutputs, parseConfig } from '../../packages/core/src/config/index.js';
import { repoRoot } from '../support/paths.js';

interface Step {
  id?: string;
  env?: Record<string, string>;
  run?: string;
}
const workflow = parse(readFileSync(path.join(repoRoot, '.github/workflows/stage-gate.yml'), 'utf8')) as { jobs: { prepare: { steps: Step[] } } };
const gate = workflow.jobs.prepare.steps.find((s) => s.id === 'gate')!;

const DIGEST = `sha256:${'a'.repeat(64)}`;
const config = parseConfig('publishing-config.yml', 'docker:\n  staging: {registry: ghcr.io, namespace: acme}\n  production: {registry: docker.io, namespace: acme}\n  images: [{name: server}]\n');

/** A push to main with tests and scan passed, one image staged: a run that publishes. */
const PUBLISHING_RUN = {
  EVENT_NAME: 'push',
  REF: 'refs/heads/main',
  PRODUCTION_BRANCH: 'main',
  TESTS_RESULT: 'success',
  SCAN_RESULT: 'success',
  FORCE_PUBLISH: 'false',
  STAGED_IMAGES: `ghcr.io/acme/server@${DIGEST}`,
  IMAGES_JSON: configOutputs(config)['images-json']!,
};

/**
 * GITHUB_OUTPUT read as the runner reads it (actions/runner, FileCommandManager): a line is
 * name=value when its first = comes before any <<, else it opens a name<<delimiter block that
 * runs to a line equal to the delimiter; a later value of a name replaces an earlier one.
 */
function runnerOutputs(text: string): Map<string, string> {
  const outputs = new Map<string, string>();
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines.at(-1) === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      outputs.set(line.slice(0, equals), line.slice(equals + 1));
      continue;
    }
    if (heredoc < 0) throw new Error(`Invalid format '${line}'`);
    const [name, delimiter] = [line.slice(0, heredoc), line.slice(heredoc + 2)];
    if (!name || !delimiter) throw new Error(`Invalid format '${line}'. Name must not be empty and delimiter must not be empty`);
    const value: string[] = [];
    for (i++; lines[i] !== delimiter; i++) {
      if (i >= lines.length) throw new Error(`Invalid value. Matching delimiter not found '${delimiter}'`);
      value.push(lines[i]!);
    }
    outputs.set(name, value.join('\n'));
  }
  return outputs;
}

/** Runs the step's script as the runner does (bash --noprofile --norc -eo pipefail). */
function runGate(env: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'gate-'));
  const files = { script: path.join(dir, 'gate.sh'), output: path.join(dir, 'output'), summary: path.join(dir, 'summary') };
  writeFileSync(files.script, gate.run!);
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', files.script], {
    env: { PATH: process.env.PATH, GITHUB_OUTPUT: files.output, GITHUB_STEP_SUMMARY: files.summary, ...env },
    encoding: 'utf8',
  });
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  const raw = readFileSync(files.output, 'utf8');
  return { outputs: Object.fromEntries(runnerOutputs(raw)), raw, stdout: result.stdout };
}

const MATRIX = JSON.stringify([{ name: 'server', source: `ghcr.io/acme/server@${DIGEST}`, destination: 'docker.io/acme/server', platforms: '', description: '', readme: '' }]);
const intended = (publish: boolean, reason: string) => ({
  publish: String(publish),
  forced: 'false',
  reason,
  'promote-matrix': MATRIX,
  'production-repositories': 'server=docker.io/acme/server',
  'staged-refs': `ghcr.io/acme/server@${DIGEST}`,
});

// Each run: the environment over PUBLISHING_RUN, and whether it publishes and why.
const RUNS: [string, Partial<typeof PUBLISHING_RUN>, boolean, string][] = [
  ['a push to the production branch', {}, true, 'tests and scan passed on the production branch main'],
  [
    'a production branch with a newline and an output line in it',
    { REF: 'refs/heads/feature', PRODUCTION_BRANCH: 'main\npublish=true' },
    false,
    'refs/heads/feature is not the production branch main\npublish=true',
  ],
  [
    'a test result that ends a fixed delimiter and opens blocks of its own',
    { TESTS_RESULT: 'failure\nghadelimiter_staged_refs\npublish<<EOF\ntrue\nEOF\nforced=true' },
    false,
    'tests: failure\nghadelimiter_staged_refs\npublish<<EOF\ntrue\nEOF\nforced=true, security scan: success; only tested and scanned images are published',
  ],
  [
    'a branch with = and << in its name',
    { REF: 'refs/heads/x<<y=z', PRODUCTION_BRANCH: 'a=b<<c' },
    false,
    'refs/heads/x<<y=z is not the production branch a=b<<c',
  ],
  ['a scan result that is a workflow command', { SCAN_RESULT: '\n::set-output name=publish::true' }, false, 'tests: success, security scan: \n::set-output name=publish::true; only tested and scanned images are published'],
];

describe('stage-gate.yml, the gate step', () => {
  test('the test gives the step exactly the environment it declares', () => {
    expect(Object.keys(PUBLISHING_RUN).sort()).toEqual(Object.keys(gate.env!).sort());
  });

  test.each(RUNS)('%s: exactly the intended outputs, values intact', (_name, env, publish, reason) => {
    const { outputs, stdout } = runGate({ ...PUBLISHING_RUN, ...env });
    expect(outputs).toEqual(intended(publish, reason));
    // The decision is logged on one line: no value starts a line, which could be a workflow command.
    expect(stdout.trimEnd().split('\n')).toEqual([`publish=${publish}: ${reason.replaceAll('\n', '\\n')}`]);
  });

  test('the delimiter is drawn for each run', () => {
    const delimiters = [runGate(PUBLISHING_RUN), runGate(PUBLISHING_RUN)].map(({ raw }) => /^reason<<(.*)$/m.exec(raw)![1]);
    expect(delimiters[0]).toMatch(/^ghadelimiter_[0-9a-f-]{36}$/);
    expect(delimiters[1]).not.toBe(delimiters[0]);
  });
});
