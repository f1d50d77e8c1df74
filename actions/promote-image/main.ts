// promote-image: copies a tested image by digest from staging to production.
import * as core from '@actions/core';
import { actionLog, InputError, runAction, setOutputs, writeSummaryTable } from '../../packages/core/src/action/index.js';
import { promoteImage, type PromoteResult } from '../../packages/core/src/oci/promote.js';
import { formatReference } from '../../packages/core/src/oci/reference.js';
import { formatBytes, shortDigest } from '../../packages/core/src/util/format.js';
import { DockerHubClient } from '../../packages/core/src/dockerhub/description.js';
import { AuthenticationError } from '../../packages/core/src/oci/auth.js';
import { PermissionError } from '../../packages/core/src/oci/errors.js';
import { readDescriptionInputs, readPromoteInputs } from './inputs.js';

type PromoteInputs = ReturnType<typeof readPromoteInputs>;

export function run(): Promise<void> {
  return runAction(async () => {
    const inputs = readPromoteInputs();
    try {
      await promote(inputs);
    } catch (err) {
      throw attributeToInputs(err, inputs);
    }
  });
}

/** A refused login or permission names the credential inputs of the registry that refused. */
function attributeToInputs(err: unknown, inputs: PromoteInputs): unknown {
  if (!(err instanceof AuthenticationError) && !(err instanceof PermissionError)) return err;
  const sides = [
    ...(err.registry === inputs.source.registry ? ['source'] : []),
    ...(inputs.destinations.some((d) => d.registry === err.registry) ? ['destination'] : []),
  ];
  if (sides.length === 0) return err;
  return new InputError(sides.map((s) => `${s}-username/${s}-password`).join(', '), err.message);
}

async function promote(inputs: PromoteInputs): Promise<void> {
  const description = readDescriptionInputs(inputs.destinations);
  let hub: DockerHubClient | undefined;
  if (description) {
    const { username = '', password = '' } = inputs.destinationCredentials ?? {};
    if (!username) throw new InputError('destination-username', 'is required to update the Docker Hub description');
    hub = new DockerHubClient(description.apiUrl, username, password, actionLog, inputs.retry);
    // Bad Docker Hub credentials fail the step before any blob moves.
    if (!inputs.dryRun) await hub.login();
  }
  const title = `${inputs.dryRun ? 'Plan' : 'Promote'} ${formatReference(inputs.source)} -> ${inputs.destinations.map(formatReference).join(', ')}`;
  const result = await core.group(title, () => promoteImage({ ...inputs, log: actionLog }));
  if (result.rateLimitRemaining) core.info(`Docker Hub rate limit remaining: ${result.rateLimitRemaining}`);
  if (hub && description && !inputs.dryRun) {
    await core.group(`Docker Hub description of ${description.update.repository}`, () => hub.updateDescription(description.update));
  }
  setOutputs({ ...promoteOutputs(result), 'description-updated': String(hub !== undefined && !inputs.dryRun) });
  await summary(result);
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

async function summary(result: PromoteResult): Promise<void> {
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
  await writeSummaryTable(result.dryRun ? 'promote-image (dry run)' : 'promote-image', ['destination', 'digest', 'previous', 'result'], rows);
}
