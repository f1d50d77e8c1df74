// cleanup-staging: deletes staging images only when nothing still needs them.
import * as core from '@actions/core';
import { leveledLog, namingInputs, runAction, setOutputs, writeSummaryTable } from '@ci-actions/publishing/action/index.js';
import { cleanupStaging, type CleanupResult } from '@ci-actions/publishing/cleanup/cleanup.js';
import { DomainError } from '@ci-actions/publishing/errors.js';
import { shortDigest } from '@ci-actions/publishing/util/format.js';
import { cleanupInputFor, readCleanupInputs } from './inputs.js';

/** The job summary stays far below GitHub's 1 MiB limit even for a sweep of thousands of versions. */
const SUMMARY_ROWS = 300;

export function run(): Promise<void> {
  return runAction(async () => {
    const inputs = readCleanupInputs();
    const log = leveledLog(inputs.logLevel);
    if (inputs.repository) log.info(`repository: ${inputs.repository}`);
    log.info(`strategy: ${inputs.decision.strategy} (${inputs.decision.reason})`);
    const title = `${inputs.dryRun ? 'Plan' : 'Clean up'} ${inputs.packages.join(', ')} (${inputs.decision.strategy})`;
    const result = await core.group(title, () => namingInputs(cleanupInputFor(inputs), () => cleanupStaging({ ...inputs, log })));
    // Written even when verification failed below: they say what was deleted and what was kept.
    setOutputs(cleanupOutputs(result));
    await summary(result);
    if (result.unverified.length > 0) {
      throw new DomainError(
        `${result.unverified.length} promoted image(s) are not proven to be served by production, so their staging copies were kept: ` +
          `${result.unverified.map((u) => `${u.package}@${u.digest}`).join(', ')}. Check that promote-image promoted these digests; with a platform filter production serves a new index digest, which cleanup verifies only when given promote-image's records (promotions)`,
      );
    }
  });
}

export function cleanupOutputs(result: CleanupResult): Record<string, string> {
  return {
    strategy: result.strategy,
    reason: result.reason,
    deleted: result.deleted.map((d) => d.digest).join('\n'),
    'deleted-count': String(result.deleted.length),
    kept: JSON.stringify(result.kept),
    'kept-count': String(result.kept.length),
    'dry-run': String(result.dryRun),
    invalid: JSON.stringify(result.invalid),
    'invalid-count': String(result.invalid.length),
    'budget-exhausted': String(result.budgetExhausted),
    left: JSON.stringify(result.left),
    'left-count': String(result.left.length),
    'packages-left': result.packagesLeft.join('\n'),
    'rate-limit-remaining': result.rateLimit ? String(result.rateLimit.remaining) : '',
    untagged: JSON.stringify(result.untagged),
  };
}

async function summary(result: CleanupResult): Promise<void> {
  const action = result.dryRun ? 'would delete' : 'deleted';
  const rows = [
    ...result.deleted.map((d) => [d.package, shortDigest(d.digest), d.tags.join(', '), action, d.reason]),
    ...result.kept.map((k) => [k.package, shortDigest(k.digest), k.tags.join(', '), 'kept', k.reason]),
    ...result.untagged.map((u) => [u.package, shortDigest(u.digest), u.tags.join(', '), result.dryRun ? 'would remove these tags' : 'tags removed', u.reason]),
    ...result.notFound.map((text) => ['', text, '', 'not found', 'no package lists it: deleted already, or never pushed']),
    ...result.invalid.map((i) => [i.package, shortDigest(i.digest), i.tags.join(', '), 'invalid', i.reason]),
    ...result.left.map((l) => [l.package, shortDigest(l.digest), l.tags.join(', '), 'left for the next run', l.reason]),
    ...result.packagesLeft.map((name) => [name, '', '', 'left for the next run', 'not looked at: the rate-limit budget is spent']),
  ];
  const shown = rows.slice(0, SUMMARY_ROWS);
  if (rows.length > shown.length) shown.push(['', '', '', '', `and ${rows.length - shown.length} more: see the step log and the outputs`]);
  shown.push(['', '', '', result.strategy, result.reason]);
  if (result.rateLimit) {
    const { remaining, limit, reset } = result.rateLimit;
    const budget = result.budgetExhausted ? 'the rate-limit budget ran out: run again after the reset for the rest' : 'within the rate-limit budget';
    shown.push(['', '', '', 'rate limit', `${remaining} of ${limit} requests left until ${new Date(reset * 1000).toISOString()}; ${budget}`]);
  }
  await writeSummaryTable(`cleanup-staging${result.dryRun ? ' (dry run)' : ''}`, ['package', 'digest', 'tags', 'action', 'reason'], shown);
}
