// publish-clients: publishes the client libraries to npm and Maven Central, once. Both sides
// are prepared (packed, signed, bundled, checked against what is published) before either
// publishes, so a problem anywhere fails the step with nothing published.
import * as core from '@actions/core';
import { actionLog, namingInputs, runAction, setOutputs, writeSummaryTable } from '@ci-actions/publishing/action/index.js';
import { prepareMavenRelease, publishMavenRelease, type MavenReleaseResult } from '@ci-actions/publishing/maven/index.js';
import { prepareNpmRelease, publishNpmRelease, type NpmPackageResult } from '@ci-actions/publishing/npm/index.js';
import { formatBytes } from '@ci-actions/publishing/util/format.js';
import { publishInputFor, readPublishInputs, type PublishInputs } from './inputs.js';

export function run(): Promise<void> {
  return runAction(async () => {
    const inputs = readPublishInputs();
    await namingInputs(publishInputFor(inputs), () => publish(inputs));
  });
}

async function publish({ npm, maven, dryRun }: PublishInputs): Promise<void> {
  const npmRelease = npm && (await core.group('npm: pack and check the registry', () => prepareNpmRelease({ ...npm, log: actionLog })));
  try {
    const mavenRelease = maven && (await core.group('Maven Central: check, sign and bundle', () => prepareMavenRelease({ ...maven, log: actionLog })));
    const suffix = dryRun ? ' (dry run)' : '';
    const npmResults = npmRelease && (await core.group(`npm: publish${suffix}`, () => publishNpmRelease(npmRelease, { dryRun })));
    const mavenResult = mavenRelease && (await core.group(`Maven Central: upload and publish${suffix}`, () => publishMavenRelease(mavenRelease, { dryRun })));
    setOutputs(publishOutputs(npmResults ?? [], mavenResult));
    await writeSummaryTable(`publish-clients${suffix}`, ['registry', 'package', 'result'], summaryRows(npmResults ?? [], mavenResult));
  } finally {
    await npmRelease?.dispose();
  }
}

export function publishOutputs(npm: NpmPackageResult[], maven: MavenReleaseResult | undefined): Record<string, string> {
  const npmIds = (outcome: NpmPackageResult['outcome']) =>
    npm
      .filter((p) => p.outcome === outcome)
      .map((p) => `${p.name}@${p.version}`)
      .join('\n');
  const mavenIds = (...outcomes: string[]) =>
    (maven?.components ?? [])
      .filter((c) => outcomes.includes(c.outcome))
      .map((c) => c.coordinates)
      .join('\n');
  return {
    'npm-published': npmIds('published'),
    'npm-skipped': npmIds('already published'),
    'npm-awaiting-approval': npm
      .filter((p) => p.outcome === 'staged' || p.outcome === 'already staged')
      .map((p) => `${p.name}@${p.version}`)
      .join('\n'),
    'maven-published': mavenIds('published'),
    'maven-validated': mavenIds('validated', 'publishing'),
    'maven-skipped': mavenIds('already published'),
    'would-publish': [...npm.filter((p) => p.outcome === 'dry run').map((p) => `${p.name}@${p.version}`), ...mavenIds('dry run').split('\n')]
      .filter(Boolean)
      .join('\n'),
    'maven-deployment-id': maven?.deploymentId ?? '',
    'maven-deployment-state': maven?.deploymentState ?? '',
  };
}

export function summaryRows(npm: NpmPackageResult[], maven: MavenReleaseResult | undefined): string[][] {
  const rows = npm.map((p) => ['npm', `${p.name}@${p.version}`, npmResult(p)]);
  for (const c of maven?.components ?? []) {
    const deployment = maven?.deploymentId ? `, deployment ${maven.deploymentId}` : '';
    const result =
      c.outcome === 'validated'
        ? `validated${deployment}: publish it in the Central Portal`
        : c.outcome === 'publishing'
          ? `validated${deployment}: the portal publishes it on its own; this step did not wait (wait-until validated)`
          : c.outcome === 'dry run'
            ? `dry run, bundle ${formatBytes(maven?.bundleSize ?? 0)}`
            : c.outcome === 'published'
              ? `published${deployment}`
              : c.outcome;
    rows.push(['Maven Central', c.coordinates, result]);
  }
  return rows;
}

function npmResult(p: NpmPackageResult): string {
  if (p.outcome === 'already published') return 'already published, same contents';
  if (p.outcome !== 'staged' && p.outcome !== 'already staged') return `${p.outcome}, dist-tag ${p.distTag}`;
  // Nobody can install a staged version until a maintainer approves it with 2FA.
  const approve = p.stageId ? `npm stage approve ${p.stageId}` : `npm stage list ${p.name}, then npm stage approve <id>`;
  return `${p.outcome}, dist-tag ${p.distTag}: awaiting a maintainer's approval (${approve})`;
}
