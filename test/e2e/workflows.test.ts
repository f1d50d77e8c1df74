// The pipeline's shape, read from the workflow files (fast, no act): what the stage gate
// promises that a run cannot show on every path. And the act-runnable caller differs from
// examples/ci-cd.yml only where caller.ts says it does.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { repoRoot } from '../support/paths.js';
import { newestReleaseTag, pinProblems, UNRELEASED_REF } from '../../tools/release/index.js';
import { parsePromotionRecords, type PromotionRecord } from '@ci-actions/publishing/gate/promotion-record.js';
import { GATE_REF, SUITE, SUITE_ACTIONS, SUITE_REF, suiteReferences } from './act.js';
import { actCaller, actLegacyCi, EXAMPLE, LEGACY_CI, STAGE_GATE_CALL } from './caller.js';

interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  outputs?: Record<string, string>;
  steps?: { id?: string; if?: string; uses?: string; run?: string; with?: Record<string, string | boolean>; env?: Record<string, string> }[];
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: Record<string, string>;
  services?: unknown;
}
interface Workflow {
  name?: string;
  on: Record<string, unknown>;
  permissions?: unknown;
  jobs: Record<string, Job>;
}

const execFileAsync = promisify(execFile);
const STAGE_GATE = path.join(repoRoot, '.github/workflows/stage-gate.yml');
const read = (file: string) => parse(readFileSync(file, 'utf8')) as Workflow;
const needsOf = (job: Job) => (typeof job.needs === 'string' ? [job.needs] : (job.needs ?? []));

describe('stage-gate.yml', () => {
  const workflow = read(STAGE_GATE);
  const jobs = workflow.jobs;

  test('names every action of the suite at its own release: the newest in the changelog', () => {
    const refs = suiteReferences(STAGE_GATE);
    expect(refs.length).toBeGreaterThanOrEqual(5);
    for (const ref of refs) {
      const m = new RegExp(`^${SUITE}/([a-z-]+)@${GATE_REF}$`).exec(ref);
      expect({ ref, matches: m !== null }).toEqual({ ref, matches: true });
      expect({ ref, exists: existsSync(path.join(repoRoot, m![1], 'action.yml')) }).toEqual({ ref, exists: true });
    }
    expect(new Set(refs.map((r) => r.replace(/@.*/, '').split('/')[2]))).toEqual(
      new Set(['load-config', 'generate-version', 'promote-image', 'publish-clients', 'cleanup-staging']),
    );
    const changelog = readFileSync(path.join(repoRoot, 'CHANGELOG.md'), 'utf8');
    expect(pinProblems('stage-gate.yml', readFileSync(STAGE_GATE, 'utf8'), SUITE_ACTIONS, newestReleaseTag(changelog) ?? UNRELEASED_REF)).toEqual([]);
  });

  test('cleanup runs after every publishing job, whatever their results; only the summary after it', () => {
    const publishing = Object.entries(jobs)
      .filter(([, job]) => job.steps?.some((s) => /\/(promote-image|publish-clients)@|^actions\/attest-build-provenance@/.test(s.uses ?? '')))
      .map(([id]) => id);
    expect(publishing.sort()).toEqual(['attest', 'promote', 'publish-clients']);
    const cleanup = jobs.cleanup;
    expect(cleanup.steps!.map((s) => s.uses)).toEqual([`${SUITE}/cleanup-staging@${GATE_REF}`]);
    expect(needsOf(cleanup)).toEqual(expect.arrayContaining([...publishing, 'promotions']));
    // Whatever the publishing jobs' results, but not after a cancel.
    expect(cleanup.if).toBe("${{ !cancelled() && needs.prepare.result == 'success' }}");
    // Only the summary waits on cleanup.
    expect(
      Object.entries(jobs)
        .filter(([, job]) => needsOf(job).includes('cleanup'))
        .map(([id]) => id),
    ).toEqual(['summary']);
    // The strategy is decided from the results, never fixed.
    const inputs = cleanup.steps![0].with!;
    expect(inputs.strategy).toBeUndefined();
    expect(inputs).toMatchObject({
      'promote-result': '${{ needs.promote.result }}',
      'publish-result': '${{ needs.publish-clients.result }}',
      'tests-result': '${{ inputs.tests-result }}',
      'scan-result': '${{ inputs.scan-result }}',
      // What promotion produced (a platform filter makes a new index) is what cleanup verifies.
      promotions: '${{ needs.promotions.outputs.promoted-images }}',
      // Read by prepare from its checkout where the event has none (pull requests, manual runs).
      'head-commit-message': '${{ needs.prepare.outputs.head-commit-message }}',
    });
  });

  test("each promote leg's record reaches the promotions job, whose list is the gate's promoted-images", () => {
    const steps = jobs.promote.steps!;
    const promote = steps.find((s) => s.uses?.includes('/promote-image@'))!;
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(steps.indexOf(upload)).toBeGreaterThan(steps.indexOf(promote));
    expect(upload.with).toMatchObject({ path: promote.with!['record-file'], 'if-no-files-found': 'error', overwrite: true });
    const uploaded = String(upload.with!.name);
    const download = jobs.promotions.steps!.find((s) => s.uses?.startsWith('actions/download-artifact@'))!;
    const pattern = new RegExp(`^${String(download.with!.pattern).replace(/\*/g, '.*')}$`);
    expect(uploaded).toBe('stage-gate-promotion-${{ matrix.image.name }}-${{ strategy.job-index }}');
    expect(uploaded.replace('${{ matrix.image.name }}', 'webauthn-server').replace('${{ strategy.job-index }}', '0')).toMatch(pattern);
    // Artifacts of the caller (its clients) never match.
    expect('clients').not.toMatch(pattern);
    const collect = jobs.promotions.steps!.find((s) => s.uses?.includes('/load-config@'))!;
    expect(collect.with).toEqual({ report: 'promotions', 'promotion-records': download.with!.path });
    expect(needsOf(jobs.promotions)).toEqual(['prepare', 'promote']);
    // Whenever prepare ran, so that attest's matrix always has a list to read.
    expect(jobs.promotions.if).toBe("${{ !cancelled() && needs.prepare.result == 'success' }}");
    const outputs = (workflow.on.workflow_call as { outputs: Record<string, { value: string }> }).outputs;
    expect(outputs['promoted-images'].value).toBe('${{ jobs.promotions.outputs.promoted-images }}');
    expect(outputs['run-summary'].value).toBe('${{ jobs.summary.outputs.run-summary }}');
  });

  test('environment: the jobs that write to production run in it, no other; empty names none', () => {
    const inEnvironment = Object.entries(jobs).filter(([, job]) => (job as { environment?: unknown }).environment !== undefined);
    expect(inEnvironment.map(([id]) => id).sort()).toEqual(['attest', 'promote', 'publish-clients']);
    for (const [, job] of inEnvironment) expect((job as { environment?: unknown }).environment).toBe('${{ inputs.environment || null }}');
  });

  test("runs-on: every job on the caller's runner labels", () => {
    for (const [id, job] of Object.entries(jobs)) expect([id, (job as { 'runs-on'?: unknown })['runs-on']]).toEqual([id, '${{ fromJSON(inputs.runs-on) }}']);
    const input = (workflow.on.workflow_call as { inputs: Record<string, { default?: unknown }> }).inputs['runs-on'];
    expect(JSON.parse(String(input.default))).toEqual(['ubuntu-latest']);
  });

  test('dry-run (shadow mode): every action that writes runs as a dry run; attest does not run', () => {
    const writers = Object.values(jobs)
      .flatMap((job) => job.steps ?? [])
      .filter((s) => /\/(promote-image|publish-clients|cleanup-staging)@/.test(s.uses ?? ''));
    expect(writers).toHaveLength(3);
    for (const step of writers) expect([step.uses, step.with!['dry-run']]).toEqual([step.uses, '${{ inputs.dry-run }}']);
    expect(jobs.attest.if).toContain('!inputs.dry-run');
    expect(jobs.summary.steps![0].with).toMatchObject({ 'dry-run': '${{ inputs.dry-run }}' });
  });

  // act cannot run attest-build-provenance (Sigstore and GitHub's attestation API): its wiring is checked here.
  test('attest: off by default; each promoted image attested in production by its promoted digest, with an action pinned by commit', () => {
    const input = (workflow.on.workflow_call as { inputs: Record<string, { default?: unknown; type?: string }> }).inputs.attest;
    expect(input).toMatchObject({ type: 'boolean', default: false });
    const attest = jobs.attest;
    expect(attest.if).toBe(
      "${{ !cancelled() && inputs.attest && !inputs.dry-run && needs.promotions.result == 'success' && needs.promotions.outputs.promoted-images != '[]' }}",
    );
    expect((attest as { strategy?: { matrix: { image: string } } }).strategy!.matrix.image).toBe('${{ fromJSON(needs.promotions.outputs.promoted-images) }}');
    const step = attest.steps!.find((s) => s.uses?.startsWith('actions/attest-build-provenance@'))!;
    expect(step.uses).toMatch(/^actions\/attest-build-provenance@[0-9a-f]{40}$/);
    expect(step.with).toEqual({
      'subject-name': '${{ matrix.image.repositories[0] }}',
      'subject-digest': '${{ matrix.image.digest }}',
      'push-to-registry': true,
    });
    // The fields it reads are the ones promote-image records.
    const record: PromotionRecord = parsePromotionRecords(
      JSON.stringify({
        staging: 'ghcr.io/acme/app',
        stagedDigest: `sha256:${'a'.repeat(64)}`,
        digest: `sha256:${'b'.repeat(64)}`,
        repositories: ['docker.io/acme/app'],
        references: ['docker.io/acme/app:1.0.1'],
        platforms: 'linux/amd64',
        blobsCopied: 0,
        blobsMounted: 0,
        blobsSkipped: 0,
        bytesCopied: 0,
        dryRun: false,
        startedAt: '2026-12-01T00:00:00Z',
        finishedAt: '2026-12-01T00:00:01Z',
      }),
      'record',
    )[0];
    expect([record.repositories[0], record.digest]).toEqual(['docker.io/acme/app', `sha256:${'b'.repeat(64)}`]);
    // Only this job may write attestations; pushing them to production takes the production login first.
    const login = attest.steps!.findIndex((s) => s.uses?.startsWith('docker/login-action@'));
    expect(login).toBeGreaterThanOrEqual(0);
    expect(login).toBeLessThan(attest.steps!.indexOf(step));
    expect(Object.entries(jobs).filter(([, job]) => job.permissions?.attestations)).toEqual([['attest', attest]]);
  });

  test('the summary is the last job, after everything unless cancelled, and only feeds the jobs to load-config', () => {
    const summary = jobs.summary;
    expect(summary.if).toBe('${{ !cancelled() }}');
    expect(needsOf(summary).sort()).toEqual(
      Object.keys(jobs)
        .filter((id) => id !== 'summary')
        .sort(),
    );
    expect(Object.values(jobs).filter((job) => needsOf(job).includes('summary'))).toEqual([]);
    expect(summary.steps!.map((s) => s.uses)).toEqual([`${SUITE}/load-config@${GATE_REF}`]);
    expect(summary.steps![0].with).toEqual({ report: 'run', jobs: '${{ toJSON(needs) }}', 'dry-run': '${{ inputs.dry-run }}' });
  });

  test('a release is tagged by a job of its own, the only one that writes contents, before anything is published', () => {
    const tag = jobs.tag;
    expect(needsOf(tag)).toEqual(['prepare']);
    expect(tag.if).toBe(
      "${{ !cancelled() && needs.prepare.result == 'success' && needs.prepare.outputs.publish == 'true' && needs.prepare.outputs.git-tag != '' && !inputs.dry-run }}",
    );
    expect(tag.permissions).toEqual({ contents: 'write' });
    for (const id of ['promote', 'publish-clients']) {
      expect({ id, needs: needsOf(jobs[id]) }).toEqual({ id, needs: expect.arrayContaining(['tag']) });
      // A failed tag publishes nothing; a prerelease (force-publish on a branch) has none to make.
      expect({ id, if: jobs[id].if }).toEqual({ id, if: expect.stringContaining("&& (needs.tag.result == 'success' || needs.tag.result == 'skipped')") });
    }
    // The version is computed as prepare computes it, then tagged and pushed.
    const generate = (job: Job) => job.steps!.find((s) => s.uses?.includes('/generate-version@'))!;
    expect(generate(tag).uses).toBe(generate(jobs.prepare).uses);
    expect(generate(tag).with).toEqual({ ...generate(jobs.prepare).with, 'create-tag': true, 'push-tag': true });
    expect(tag.steps!.find((s) => s.uses?.startsWith('actions/checkout@'))!.with).toEqual({ 'fetch-depth': 0, 'persist-credentials': true });
    expect(jobs.prepare.outputs).toMatchObject({ 'git-tag': '${{ steps.version.outputs.git-tag }}', version: '${{ steps.version.outputs.version }}' });
  });

  // prepare's outputs are as old as the run, or older: "Re-run failed jobs" re-runs a failed
  // publishing job with the outputs prepare gave in the first attempt (GitHub community
  // discussion #121211). A release tagged since then must keep latest, 1 and 1.0.
  test('the moving tags (Docker tags, npm dist-tag) are decided in the job that publishes them, never taken from prepare', () => {
    const generate = (job: Job) => job.steps!.find((s) => s.uses?.includes('/generate-version@'));
    const prepareGenerate = generate(jobs.prepare)!;
    for (const [id, action, input, output] of [
      ['promote', 'promote-image', 'tags', 'docker-tags'],
      ['publish-clients', 'publish-clients', 'npm-dist-tag', 'npm-dist-tag'],
    ] as const) {
      const steps = jobs[id].steps!;
      const publish = steps.find((s) => s.uses?.includes(`/${action}@`))!;
      const recompute = generate(jobs[id]);
      expect({ id, recompute: recompute && { uses: recompute.uses, with: recompute.with } }).toEqual({
        id,
        recompute: { uses: prepareGenerate.uses, with: prepareGenerate.with },
      });
      expect({ id, [input]: publish.with![input] }).toEqual({ id, [input]: `\${{ steps.${recompute!.id}.outputs.${output} }}` });
      // Read-only, before the publishing step, from a checkout with the tags.
      expect(steps.indexOf(recompute!)).toBeLessThan(steps.indexOf(publish));
      expect(steps.find((s) => s.uses?.startsWith('actions/checkout@'))!.with).toMatchObject({ 'fetch-depth': 0 });
      // The version itself stays prepare's (the built artifacts carry it): a different one stops the job.
      const check = steps.find((s) => s.if === `steps.${recompute!.id}.outputs.version != needs.prepare.outputs.version`);
      expect({ id, check: steps.indexOf(check!) }).toEqual({ id, check: steps.indexOf(recompute!) + 1 });
    }
    // Nothing in the gate reads a moving tag from prepare.
    expect(readFileSync(STAGE_GATE, 'utf8')).not.toMatch(/needs\.prepare\.outputs\.(docker-tags|npm-dist-tag|is-latest)/);
  });

  test('publishing jobs run only when the gate opened', () => {
    for (const id of ['promote', 'publish-clients'])
      expect(jobs[id].if).toMatch(/^\$\{\{ !cancelled\(\) && needs\.prepare\.result == 'success' && needs\.prepare\.outputs\.publish == 'true'/);
  });

  // A job whose `if:` names no status function gets an implicit success(), which GitHub
  // evaluates over the caller's needs too (actions/runner#2205): with the caller's tests
  // failed, such a job would be skipped on GitHub although act runs it.
  test('every job states its status check: none relies on the implicit success()', () => {
    for (const [id, job] of Object.entries(jobs)) expect([id, job.if ?? '']).toEqual([id, expect.stringMatching(/^\$\{\{ !cancelled\(\)/)]);
  });

  test('least privilege: nothing at the top, each job only what it uses', () => {
    expect(workflow.permissions).toEqual({});
    expect(Object.fromEntries(Object.entries(jobs).map(([id, job]) => [id, job.permissions]))).toEqual({
      prepare: { contents: 'read' },
      tag: { contents: 'write' },
      promote: { contents: 'read', packages: 'read' },
      'publish-clients': { contents: 'read', 'id-token': 'write' },
      promotions: {},
      attest: { attestations: 'write', 'id-token': 'write' },
      cleanup: { packages: 'write' },
      summary: {},
    });
  });

  test('secrets and inputs reach shell code only through env:, never interpolated into a script', () => {
    for (const [id, job] of Object.entries(jobs)) {
      for (const step of job.steps ?? []) {
        if (step.run) expect({ job: id, interpolates: /\$\{\{/.test(step.run) }).toEqual({ job: id, interpolates: false });
      }
    }
    const declared = Object.keys((workflow.on.workflow_call as { secrets: Record<string, unknown> }).secrets).sort();
    const used = [...readFileSync(STAGE_GATE, 'utf8').matchAll(/secrets\.([A-Z_]+)/g)].map((m) => m[1]);
    expect([...new Set(used)].sort()).toEqual(declared);
  });
});

describe('examples/ci-cd.yml', () => {
  const example = read(EXAMPLE);

  test('calls the stage gate once, after the tests and the scan, passing their results and every secret it declares', () => {
    const calls = Object.values(example.jobs).filter((job) => job.uses);
    expect(calls.map((c) => c.uses)).toEqual([STAGE_GATE_CALL]);
    const call = calls[0];
    expect(needsOf(call).sort()).toEqual(['build', 'e2e-tests', 'security-scan']);
    expect(call.if).toBe("${{ !cancelled() && needs.build.result == 'success' }}");
    expect(call.with).toMatchObject({ 'tests-result': '${{ needs.e2e-tests.result }}', 'scan-result': '${{ needs.security-scan.result }}' });
    const declared = Object.keys((read(STAGE_GATE).on.workflow_call as { secrets: Record<string, unknown> }).secrets);
    expect(Object.keys(call.secrets ?? {}).sort()).toEqual(declared.sort());
    for (const [name, value] of Object.entries(call.secrets ?? {})) expect(value).toBe(`\${{ secrets.${name} }}`);
    // The call grants what the stage gate's jobs need at most.
    expect(call.permissions).toEqual({ contents: 'write', packages: 'write', 'id-token': 'write' });
  });

  test('every job declares its permissions, nothing at the top; no script interpolates an expression', () => {
    expect(example.permissions).toEqual({});
    for (const [id, job] of Object.entries(example.jobs)) {
      expect({ job: id, permissions: job.permissions !== undefined }).toEqual({ job: id, permissions: true });
      for (const step of job.steps ?? []) {
        if (step.run) expect({ job: id, interpolates: /\$\{\{/.test(step.run) }).toEqual({ job: id, interpolates: false });
      }
    }
  });

  test('the build generates the version exactly as the stage gate does, so the clients it builds carry it', () => {
    const gate = read(STAGE_GATE).jobs.prepare.steps!.find((s) => s.uses?.includes('/generate-version@'))!;
    const build = example.jobs.build.steps!.find((s) => s.uses?.includes('/generate-version@'))!;
    // The same action; the example pins the moving major tag as its users do, the gate its own exact release.
    const gateAction = gate.uses!.replace(/@.*/, '');
    expect(build.uses).toBe(`${gateAction}@v1`);
    expect(build.with).toEqual(gate.with);
    // Both checkouts see the release tags generate-version compares with.
    const checkout = (job: Job) => job.steps!.find((s) => s.uses?.startsWith('actions/checkout@'))!.with;
    expect(checkout(example.jobs.build)).toMatchObject({ 'fetch-depth': 0 });
    expect(checkout(read(STAGE_GATE).jobs.prepare)).toMatchObject({ 'fetch-depth': 0 });
  });

  test("the clients artifact keeps hidden files (upload-artifact drops them since v4.4), such as a package's .npmignore", () => {
    const uploads = example.jobs.build.steps!.filter((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(uploads.map((s) => s.with)).toEqual([expect.objectContaining({ name: 'clients', 'include-hidden-files': true })]);
  });

  test('the act-runnable copy changes only the steps (and services) of build, e2e-tests and security-scan', () => {
    const runnable = parse(actCaller()) as Workflow;
    expect(runnable.on).toEqual(example.on);
    expect(runnable.permissions).toEqual(example.permissions);
    expect(Object.keys(runnable.jobs)).toEqual(Object.keys(example.jobs));
    expect(runnable.jobs['stage-gate']).toEqual(example.jobs['stage-gate']);
    for (const id of ['build', 'e2e-tests', 'security-scan']) {
      const { steps: _s, services: _v, outputs, ...kept } = runnable.jobs[id];
      const { steps: _es, services: _ev, outputs: exampleOutputs, ...exampleKept } = example.jobs[id];
      expect(kept).toEqual(exampleKept);
      expect(Object.keys(outputs ?? {})).toEqual(Object.keys(exampleOutputs ?? {}));
      expect(runnable.jobs[id].steps!.map((s) => s.run)).toEqual([`bash "$E2E_STAND_INS" ${id}`]);
    }
  });
});

describe('examples/staging-sweep.yml', () => {
  const sweep = read(path.join(repoRoot, 'examples/staging-sweep.yml'));

  test('runs nightly and by hand, with the least permissions, the sweep strategy, and a dry run by default when dispatched', () => {
    expect(Object.keys(sweep.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(sweep.permissions).toEqual({});
    expect(sweep.jobs.sweep.permissions).toEqual({ contents: 'read', packages: 'write' });
    const step = sweep.jobs.sweep.steps!.find((s) => s.uses?.includes('/cleanup-staging@'))!;
    expect(step.with).toMatchObject({ strategy: 'scheduled-sweep', 'dry-run': "${{ github.event_name == 'workflow_dispatch' && inputs.dry-run }}" });
    const dispatch = sweep.on.workflow_dispatch as { inputs: Record<string, { default: unknown }> };
    expect(dispatch.inputs['dry-run'].default).toBe(true);
    // Every input it sets is one cleanup-staging declares.
    const declared = Object.keys(
      (parse(readFileSync(path.join(repoRoot, 'cleanup-staging/action.yml'), 'utf8')) as { inputs: Record<string, unknown> }).inputs,
    );
    for (const input of Object.keys(step.with ?? {})) expect({ input, declared: declared.includes(input) }).toEqual({ input, declared: true });
  });
});

describe('examples/legacy (the old design, run by legacy.test.ts)', () => {
  const POST_PROCESSING = path.join(repoRoot, 'examples/legacy/post-processing.yml');
  const ci = read(LEGACY_CI);
  const postProcessing = read(POST_PROCESSING);

  test('each file says at its top that it is the old design, kept to show its failure', () => {
    for (const file of [LEGACY_CI, POST_PROCESSING]) expect(readFileSync(file, 'utf8').split('\n')[0]).toMatch(/^# THE OLD DESIGN, kept to show its failure/);
  });

  test("post-processing starts when CI completes on main, and CI's last job deletes the staged images when the run succeeded", () => {
    expect(postProcessing.on).toEqual({ workflow_run: { workflows: [ci.name], types: ['completed'], branches: ['main'] } });
    const cleanup = ci.jobs['staging-cleanup'];
    expect(Object.values(ci.jobs).filter((job) => needsOf(job).includes('staging-cleanup'))).toEqual([]);
    expect(needsOf(cleanup).sort()).toEqual(['build', 'e2e-tests', 'security-scan']);
    const step = cleanup.steps!.find((s) => s.uses === `${SUITE}/cleanup-staging@${SUITE_REF}`)!;
    expect(step.with).toMatchObject({ staged: '${{ needs.build.outputs.staged-images }}' });
    expect(step.with!.strategy).toMatch(/needs\.e2e-tests\.result == 'success' && needs\.security-scan\.result == 'success' && 'immediate-cleanup'/);
  });

  test('the act-runnable CI changes only the steps of build, e2e-tests and security-scan', () => {
    const runnable = parse(actLegacyCi()) as Workflow;
    expect(runnable.on).toEqual(ci.on);
    expect(Object.keys(runnable.jobs)).toEqual(Object.keys(ci.jobs));
    expect(runnable.jobs['staging-cleanup']).toEqual(ci.jobs['staging-cleanup']);
    for (const id of ['build', 'e2e-tests', 'security-scan']) expect(runnable.jobs[id].steps!.map((s) => s.run)).toEqual([`bash "$E2E_STAND_INS" ${id}`]);
  });
});

describe("ci.yml, the suite's own checks on GitHub", () => {
  const ci = read(path.join(repoRoot, '.github/workflows/ci.yml'));

  test('runs on every push to main and every pull request, with .ci/run', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    expect(ci.jobs.checks.steps!.map((s) => s.run).filter(Boolean)).toEqual(['bash .ci/run']);
  });

  test('the self-test runs the actions from the working tree; everything else is pinned by digest', () => {
    const uses = Object.values(ci.jobs).flatMap((job) => (job.steps ?? []).map((s) => s.uses).filter((u): u is string => Boolean(u)));
    const local = uses.filter((u) => u.startsWith('./'));
    expect(new Set(local)).toEqual(new Set(['./load-config', './generate-version', './promote-image']));
    for (const u of local) expect({ u, exists: existsSync(path.join(repoRoot, u, 'action.yml')) }).toEqual({ u, exists: true });
    for (const u of uses.filter((x) => !x.startsWith('./'))) expect({ u, pinned: /@[0-9a-f]{40}$/.test(u) }).toEqual({ u, pinned: true });
    const services = ci.jobs['self-test'].services as Record<string, { image: string }>;
    for (const [name, service] of Object.entries(services)) {
      expect({ name, pinned: /@sha256:[0-9a-f]{64}$/.test(service.image) }).toEqual({ name, pinned: true });
    }
  });

  test('the self-test image script writes the layout it names, by the digest it prints', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'self-test-image-'));
    try {
      const { stdout } = await execFileAsync('node', [path.join(repoRoot, 'scripts/run-ts.mjs'), 'self-test-image', dir], { cwd: repoRoot });
      const printed = Object.fromEntries(
        stdout
          .trim()
          .split('\n')
          .map((line) => line.split('=', 2) as [string, string]),
      );
      expect(printed.ref).toBe(`oci:${dir}:self-test`);
      const raw = await execFileAsync('skopeo', ['inspect', '--raw', printed.ref], { encoding: 'buffer' });
      expect(`sha256:${createHash('sha256').update(raw.stdout).digest('hex')}`).toBe(printed.digest);
      const index = JSON.parse(raw.stdout.toString()) as { manifests: { platform?: { architecture: string } }[] };
      expect(index.manifests.map((m) => m.platform?.architecture).sort()).toEqual(['amd64', 'arm64', 'unknown', 'unknown']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
