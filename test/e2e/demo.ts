// The README's demo, second half: starts the local services (two registries standing in for
// GHCR and Docker Hub, the GitHub Packages API emulator, Verdaccio as npm), runs the
// main-branch pipeline (examples/ci-cd.yml and the stage gate) with act in host mode, and prints
// what moved where, read back from the services. Then the same builds of main through the old
// two-workflow design (examples/legacy) and the stage gate, and how many of them each put into
// production. Compiled and run by scripts/demo:
//   npx tsc -p tsconfig.test.json --noEmit false --outDir .cache/build && node scripts/compiled-package.mjs .cache/build \
//     && node .cache/build/test/e2e/demo.js
import { isGone, pullsCompletely } from '../harness/pull-check.js';
import { inspectRaw, listTags } from '../harness/skopeo.js';
import { node24 } from '../support/node24.js';
import { ACT_VERSION } from './act.js';
import { compareDesigns, publishSuccess } from './designs.js';
import { IMAGES, MAVEN_COMPONENT, NPM_PACKAGE, OWNER, startPipeline } from './pipeline.js';

const COMPARED_BUILDS = 3;

async function main(): Promise<number> {
  console.log(`== starting the local services and act ${ACT_VERSION} (host mode, ${node24()})`);
  const pipeline = await startPipeline();
  try {
    const { registries, npm } = pipeline;
    console.log(`   staging (GHCR stand-in)       ${registries.staging.url}`);
    console.log(`   production (Docker Hub)       ${registries.production.url}`);
    console.log(`   GitHub Packages API emulator  ${pipeline.api.url}`);
    console.log(`   npm registry (Verdaccio)      ${npm.url}`);
    console.log(`   Maven Central (stand-in)      ${pipeline.central.url}`);
    console.log(`   the team's repository         ${pipeline.repository}`);
    console.log('\n== act push: examples/ci-cd.yml on main, the stage gate called as acme/ci-actions/.github/workflows/stage-gate.yml@v1');
    const started = Date.now();
    const run = await pipeline.run({ event: 'push', commit: 'feat: the demo release', runNumber: 1 });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    for (const job of run.act.jobs) console.log(`   ${job.result.padEnd(8)} ${job.job}`);
    console.log(`   act exited ${run.act.exitCode}; the run took ${seconds} s (the Maven build of the client included); act's log: .cache/e2e/1-1-push.log`);
    if (run.act.exitCode !== 0) {
      console.log(run.act.tail(40));
      return 1;
    }

    console.log('\n== what moved where (read back from the services)');
    const ci = registries.creds.staging.ci;
    const reader = registries.creds.production.reader;
    for (const name of IMAGES) {
      const image = run.images[name];
      const production = `${registries.production.host}/${OWNER}/${name}`;
      const tags = await listTags(`docker://${production}`, reader);
      const identical = (await inspectRaw(`docker://${production}:${run.version}`, reader)).equals(image.raw);
      const complete = await pullsCompletely(`${production}@${image.digest}`, reader);
      const cleaned = await isGone(run.staged[name], ci);
      console.log(`   ${name}`);
      console.log(`     staged     ${run.staged[name]}`);
      console.log(
        `     production ${production}:{${tags.sort().join(',')}} -> ${image.digest.slice(0, 19)}… ${identical ? 'byte-identical' : 'DIFFERENT'}, ${complete ? 'pulls completely' : 'DOES NOT PULL'} (${image.manifests.length} platforms, ${image.attestations.length} attestations)`,
      );
      console.log(`     staging    ${cleaned ? 'deleted after the promotion' : 'STILL THERE'}`);
    }
    const state = await pipeline.npmState();
    console.log(`   ${NPM_PACKAGE}`);
    console.log(
      `     npm        ${state.versions.join(', ')} (dist-tags: ${Object.entries(state.distTags)
        .map(([t, v]) => `${t}=${v}`)
        .join(', ')}) in ${npm.url}`,
    );
    const deployments = pipeline.central.deployments.map((d) => `${d.id} ${d.state}`).join(', ');
    console.log(`   ${MAVEN_COMPONENT}`);
    console.log(`     Maven      ${pipeline.mavenPublished().join(', ')} published (deployment ${deployments}), served at ${pipeline.central.repositoryUrl}`);
    const deletes = pipeline.api.requests.filter((r) => r.method === 'DELETE').length;
    console.log(
      `   GitHub Packages API: ${pipeline.api.requests.length} requests, ${deletes} version deletions, ${pipeline.api.violations.length} answers outside GitHub's OpenAPI description`,
    );

    console.log(
      `\n== the same ${COMPARED_BUILDS} builds of main through both designs: examples/legacy (CI, then post-processing on workflow_run) and the stage gate`,
    );
    const comparing = Date.now();
    // Run 1 was the release above: these builds are runs 2 and on, with versions of their own.
    const outcomes = await compareDesigns(pipeline, COMPARED_BUILDS, 2);
    const result = (exitCode: number) => (exitCode === 0 ? 'success' : 'failure');
    const where = (published: boolean) => (published ? 'in production' : 'NOT in production');
    for (const o of outcomes) {
      const staging = o.legacy.stagedForPostProcessing.length === 0 ? 'deleted by CI' : `kept: ${o.legacy.stagedForPostProcessing.join(', ')}`;
      console.log(`   build ${o.build} ${o.sha.slice(0, 7)}`);
      console.log(
        `     legacy      CI ${result(o.legacy.ci.exitCode)}, staging ${staging}, post-processing ${result(o.legacy.postProcessing.exitCode)} -> ${where(o.legacy.published)}`,
      );
      console.log(`     stage gate  ${result(o.stageGate.run.exitCode)} -> ${where(o.stageGate.published)}`);
    }
    console.log(
      `   (checked by digest in the production registry with skopeo; ${((Date.now() - comparing) / 1000).toFixed(1)} s; act's logs: .cache/e2e/legacy-*.log and <run>-1-push.log)`,
    );
    for (const line of publishSuccess(outcomes)) console.log(`   ${line}`);
    return 0;
  } finally {
    await pipeline.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);
