// generate-version: one unique, monotonic version per build, from the run number, the ref
// and the release tags already in the repository; optionally tags the release.
import * as core from '@actions/core';
import { context } from '@actions/github';
import { runAction, setOutputs, writeSummaryTable } from '../../packages/core/src/action/index.js';
import {
  dockerTags,
  generateVersion,
  parseVersionInputs,
  versionOutputs,
  type GeneratedVersion,
  type RawVersionInputs,
} from '../../packages/core/src/version/index.js';

export function run(): Promise<void> {
  return runAction(async () => {
    const request = parseVersionInputs(readInputs());
    const generated = await core.group('Version', async () => {
      const result = await generateVersion({
        request,
        cwd: process.cwd(),
        createTag: core.getBooleanInput('create-tag'),
        pushTag: core.getBooleanInput('push-tag'),
      });
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

// Empty context inputs (their action.yml default) take the runner's values. The run counters
// are read raw: @actions/github's context parses them with parseInt, turning "5x" into 5.
function readInputs(): RawVersionInputs {
  const input = (name: string) => core.getInput(name);
  const pullRequest = context.payload.pull_request;
  // The payload types pull_request's other fields as any; only head.sha is read from them.
  const pullRequestHead = pullRequest?.head as { sha?: string } | undefined;
  return {
    'base-version': input('base-version'),
    offset: input('offset'),
    'on-regression': input('on-regression'),
    'tag-prefix': input('tag-prefix'),
    'production-branch': input('production-branch'),
    'run-number': input('run-number') || (process.env.GITHUB_RUN_NUMBER ?? ''),
    'run-attempt': input('run-attempt') || (process.env.GITHUB_RUN_ATTEMPT ?? ''),
    // A pull request's GITHUB_SHA is the merge commit GitHub made; the head is what was pushed.
    sha: input('sha') || String(pullRequestHead?.sha ?? '') || (context.sha ?? ''),
    ref: input('ref') || (context.ref ?? ''),
    'event-name': input('event-name') || (context.eventName ?? ''),
    'pr-number': input('pr-number') || String(pullRequest?.number ?? ''),
    'floating-tags': String(core.getBooleanInput('floating-tags')),
  };
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
