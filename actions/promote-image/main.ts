// promote-image: copies a tested image by digest from staging to production.
import * as core from '@actions/core';
import {
  actionLog,
  attributeToInput,
  namingInputs,
  parsedInput,
  runAction,
  setOutputs,
  writeSummaryTable,
  type InputFor,
} from '@ci-actions/publishing/action/index.js';
import type { PromotionRecord } from '@ci-actions/publishing/gate/promotion-record.js';
import { promoteImage, type PromoteResult } from '@ci-actions/publishing/oci/promote.js';
import { planEntries } from '@ci-actions/publishing/oci/promote-plan-text.js';
import { formatReference } from '@ci-actions/publishing/oci/reference.js';
import { formatBytes, shortDigest } from '@ci-actions/publishing/util/format.js';
import { stepRoots, writeStepFile } from '@ci-actions/publishing/util/step-files.js';
import { DockerHubClient } from '@ci-actions/publishing/dockerhub/description.js';
import { DOCKER_HUB } from '@ci-actions/publishing/oci/reference.js';
import { attributeToSource, resolveCredentials } from './credentials.js';
import { promoteInputFor, readDescriptionInputs, readPromoteInputs, type DescriptionInputs, type PromoteInputs } from './inputs.js';

export function run(): Promise<void> {
  return runAction(async () => {
    const { inputs, sources } = await resolveCredentials(await readPromoteInputs());
    const description = readDescriptionInputs(inputs, sources.get(DOCKER_HUB)?.input);
    const inputFor = promoteInputFor(sources, description);
    try {
      await namingInputs(inputFor, () => promote(inputs, description, inputFor));
    } catch (err) {
      throw attributeToSource(err, sources);
    }
  });
}

async function promote(inputs: PromoteInputs, description: DescriptionInputs | undefined, inputFor: InputFor): Promise<void> {
  let hub: DockerHubClient | undefined;
  if (description) {
    hub = new DockerHubClient(description.apiUrl, description.username, description.password, actionLog, inputs.retry);
    // Bad Docker Hub credentials fail the step before any blob moves.
    if (!inputs.dryRun) await hub.login();
  }
  const startedAt = new Date().toISOString();
  const title = `${inputs.dryRun ? 'Plan' : 'Promote'} ${formatReference(inputs.source)} -> ${inputs.destinations.map(formatReference).join(', ')}`;
  const result = await core.group(title, () => promoteImage({ ...inputs, log: actionLog }));
  if (result.rateLimitRemaining) core.info(`Docker Hub rate limit remaining: ${result.rateLimitRemaining}`);
  const described =
    hub && description && !inputs.dryRun
      ? await core.group(`Docker Hub description of ${description.update.repository}`, () => updateDescription(hub, description, inputFor))
      : undefined;
  setOutputs({ ...promoteOutputs(result), 'description-updated': String(described?.updated ?? false) });
  if (inputs.recordFile) {
    const record = `${JSON.stringify(promotionRecord(inputs, result, startedAt), null, 2)}\n`;
    parsedInput('record-file', inputs.recordFile, (given) => writeStepFile(stepRoots(), given, record));
  }
  await summary(result, description && described ? { repository: description.update.repository, ...described } : undefined);
}

interface DescriptionResult {
  updated: boolean;
  /** Why not, when not updated. */
  problem?: string;
}

/**
 * The images are promoted by now: a description Docker Hub refuses is cosmetic, and failing
 * the step would hold up what follows it (cleanup) for it. It warns, unless
 * dockerhub-description-required says the description matters as much as the images.
 */
async function updateDescription(hub: DockerHubClient, description: DescriptionInputs, inputFor: InputFor): Promise<DescriptionResult> {
  try {
    await hub.updateDescription(description.update);
    return { updated: true };
  } catch (err) {
    if (description.required) throw err;
    const problem = (attributeToInput(err, inputFor) as Error).message;
    core.warning(
      `the images are promoted, but the Docker Hub description of ${description.update.repository} was not updated: ${problem} (dockerhub-description-required: true fails the step instead)`,
    );
    return { updated: false, problem };
  }
}

/** What the jobs after this one need of the promotion (the stage gate's cleanup, attestation and run summary). */
export function promotionRecord(inputs: PromoteInputs, result: PromoteResult, startedAt: string): PromotionRecord {
  return {
    staging: formatReference({ registry: inputs.source.registry, repository: inputs.source.repository }),
    stagedDigest: result.sourceDigest,
    digest: result.digest,
    repositories: [...new Set(inputs.destinations.map((d) => formatReference({ registry: d.registry, repository: d.repository })))],
    references: result.refs,
    platforms: result.platforms,
    blobsCopied: result.blobsCopied,
    blobsMounted: result.blobsMounted,
    blobsSkipped: result.blobsSkipped,
    bytesCopied: result.bytesCopied,
    dryRun: result.dryRun,
    startedAt,
    finishedAt: new Date().toISOString(),
  };
}

export function promoteOutputs(result: PromoteResult): Record<string, string> {
  return {
    digest: result.digest,
    'source-digest': result.sourceDigest,
    'promoted-refs': result.refs.join('\n'),
    'previous-digests': JSON.stringify(result.previousDigests),
    'blobs-copied': String(result.blobsCopied),
    'blobs-mounted': String(result.blobsMounted),
    'blobs-skipped': String(result.blobsSkipped),
    'bytes-copied': String(result.bytesCopied),
    'dry-run': String(result.dryRun),
  };
}

async function summary(result: PromoteResult, description: (DescriptionResult & { repository: string }) | undefined): Promise<void> {
  const rows = result.refs.map((ref) => [
    ref,
    shortDigest(result.digest),
    result.previousDigests[ref] ? shortDigest(result.previousDigests[ref]) : 'new',
    result.dryRun ? 'would promote' : result.unchangedTags.includes(ref) ? 'unchanged' : 'promoted',
  ]);
  rows.push([
    `blobs: ${result.blobsCopied} copied (${formatBytes(result.bytesCopied)}), ${result.blobsMounted} mounted, ${result.blobsSkipped} already there`,
    result.platforms,
    '',
    '',
  ]);
  if (description)
    rows.push([`Docker Hub description of ${description.repository}`, '', '', description.updated ? 'updated' : `not updated: ${description.problem}`]);
  await writeSummaryTable(result.dryRun ? 'promote-image (dry run)' : 'promote-image', ['destination', 'digest', 'previous', 'result'], rows);
  if (result.dryRun) {
    const plan = planEntries(result.plan).map((e) => [e.destination, e.item, e.action]);
    await writeSummaryTable('promote-image plan', ['destination', 'item', 'action'], plan);
  }
}
