// generate-version: one unique, monotonic version per build, from the run number, the ref
// and the release tags already in the repository; optionally tags the release.
import * as core from '@actions/core';
import { namingInputs, runAction, setOutputs, writeSummaryTable } from '@ci-actions/publishing/action/index.js';
import { dockerTags, generateVersion, versionOutputs, type GeneratedVersion } from '@ci-actions/publishing/version/index.js';
import { readVersionInputs, versionInputFor } from './inputs.js';

export function run(): Promise<void> {
  return runAction(async () => {
    const { request, createTag, pushTag } = readVersionInputs();
    const generated = await core.group('Version', async () => {
      const result = await namingInputs(versionInputFor, () => generateVersion({ request, cwd: process.cwd(), createTag, pushTag }));
      const { plan } = result;
      if (plan.build.kind === 'release') {
        core.info(
          plan.lastRelease ? `${result.releaseCount} release tag(s), the last ${plan.lastRelease.tag}` : 'no release tag yet: this is the first release',
        );
      }
      core.info(`${plan.version} (${describeKind(result)}), tag: ${describeTag(result)}`);
      return result;
    });
    if (generated.plan.bump) core.warning(generated.plan.bump.message);
    const outputs = versionOutputs(generated.plan);
    await core.group('Outputs', async () => {
      for (const [name, value] of Object.entries(outputs)) core.info(`${name}=${value.includes('\n') ? JSON.stringify(value) : value}`);
    });
    setOutputs(outputs);
    await writeSummaryTable(
      `Version ${generated.plan.version}`,
      ['', 'value'],
      [
        ['kind', describeKind(generated)],
        ['git tag', describeTag(generated)],
        ['docker tags', dockerTags(generated.plan).join(', ')],
        ['npm dist-tag', generated.plan.npmDistTag],
        ['maven version', outputs['maven-version']],
        ['build', `run ${request.runNumber}, attempt ${request.runAttempt}, commit ${generated.commit.slice(0, 7)}`],
      ],
    );
  });
}

function describeKind({ plan }: GeneratedVersion): string {
  const { build } = plan;
  if (build.kind === 'pull-request') return `prerelease of pull request #${build.number}`;
  if (build.kind === 'ref') return `prerelease of ${build.name}`;
  return plan.latest ? `release of ${build.branch}, latest` : `release of ${build.branch}, below the latest ${plan.lastRelease?.tag}`;
}

function describeTag({ plan, tag, pushed }: GeneratedVersion): string {
  if (!plan.gitTag) return tag;
  return `${plan.gitTag}: ${tag}${pushed ? ', pushed to origin' : ''}`;
}
