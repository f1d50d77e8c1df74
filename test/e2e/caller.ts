// examples/ci-cd.yml, and the old design's CI (examples/legacy/ci.yml), made runnable under act
// on a machine without Docker: the steps of the jobs that need Docker or the internet (build:
// buildx and registry logins; e2e-tests: a service container; security-scan: a scanner
// downloaded from GitHub) are replaced by stand-ins (stand-ins.sh) that set the same outputs
// from the same kind of work. Everything else runs as written: the triggers, the jobs' needs, if
// and permissions, their output names, the stage-gate job with every input and secret it passes
// to the reusable workflow, and the old CI's staging cleanup.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, parseDocument, type Document, type YAMLMap } from 'yaml';
import { repoRoot } from '../support/paths.js';
import { SUITE, SUITE_REF } from './act.js';

export const EXAMPLE = path.join(repoRoot, 'examples/ci-cd.yml');
export const LEGACY_CI = path.join(repoRoot, 'examples/legacy/ci.yml');
export const STAND_INS = path.join(repoRoot, 'test/e2e/stand-ins.sh');
export const STAGE_GATE_CALL = `${SUITE}/.github/workflows/stage-gate.yml@${SUITE_REF}`;

interface StandIn {
  /** Passed to the stand-in script's step as env:, as the real steps get them. */
  env: Record<string, string>;
}

/** What replaces each job's steps. Jobs not listed here run as the example has them. */
const JOBS: Record<string, StandIn> = {
  build: { env: { STAGING_USER: '${{ github.actor }}', STAGING_TOKEN: '${{ secrets.GITHUB_TOKEN }}', SHA: '${{ github.sha }}' } },
  'e2e-tests': { env: { STAGING_USER: '${{ github.actor }}', STAGING_TOKEN: '${{ secrets.GITHUB_TOKEN }}', IMAGE: '${{ needs.build.outputs.server-image }}' } },
  'security-scan': { env: {} },
};

/** Keys of a replaced job that stay as the example wrote them. */
const KEPT = new Set(['name', 'needs', 'if', 'runs-on', 'permissions', 'timeout-minutes', 'outputs', 'env', 'concurrency']);

export function actCaller(example = readFileSync(EXAMPLE, 'utf8')): string {
  const doc = parseDocument(example);
  const jobs = doc.get('jobs') as YAMLMap;
  const ids = jobs.items.map((pair) => String(pair.key));
  const calls = ids.filter((id) => (jobs.get(id) as YAMLMap).get('uses') !== undefined);
  if (calls.length !== 1 || (jobs.get(calls[0]) as YAMLMap).get('uses') !== STAGE_GATE_CALL) {
    throw new Error(
      `${EXAMPLE}: expected exactly one job calling ${STAGE_GATE_CALL}, found ${calls.map((c) => `${c}: ${String((jobs.get(c) as YAMLMap).get('uses'))}`).join(', ') || 'none'}`,
    );
  }
  return withStandIns(doc, EXAMPLE);
}

/** examples/legacy/ci.yml as act runs it: its build, tests and scan are the same stand-ins. */
export function actLegacyCi(legacy = readFileSync(LEGACY_CI, 'utf8')): string {
  return withStandIns(parseDocument(legacy), LEGACY_CI);
}

function withStandIns(doc: Document, file: string): string {
  const jobs = doc.get('jobs') as YAMLMap;
  for (const [id, standIn] of Object.entries(JOBS)) {
    const job = jobs.get(id);
    if (!isMap(job)) throw new Error(`${file}: job ${id} not found; test/e2e/caller.ts stands in for it`);
    replaceSteps(doc, job, id, standIn);
  }
  return doc.toString({ lineWidth: 0 });
}

function replaceSteps(doc: Document, job: YAMLMap, id: string, standIn: StandIn): void {
  for (const pair of [...job.items]) {
    const key = String(pair.key);
    if (!KEPT.has(key) && key !== 'steps') job.delete(key);
  }
  // Every output keeps its name and now reads the stand-in step's output of the same name.
  const outputs = job.get('outputs');
  if (isMap(outputs)) {
    for (const pair of outputs.items) outputs.set(pair.key, `\${{ steps.stand-in.outputs.${String(pair.key)} }}`);
  }
  job.set(
    'steps',
    doc.createNode([
      {
        name: `Stand-in for the steps of ${id} (test/e2e/stand-ins.sh)`,
        id: 'stand-in',
        env: standIn.env,
        run: `bash "$E2E_STAND_INS" ${id}`,
      },
    ]),
  );
}
