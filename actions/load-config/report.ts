// load-config's report modes, for the stage gate's jobs after promotion: `promotions` reads
// every promote leg's record (downloaded artifacts) into the promoted-images output;
// `run` builds the run's one summary from toJSON(needs) (core gate/run-summary.ts) and
// writes it as a job summary and the run-summary output. No configuration is read.
import * as core from '@actions/core';
import { booleanInput, InputError, parsedInput, setOutputs, stringInput, writeSummaryTable } from '@ci-actions/publishing/action/index.js';
import { readPromotionRecordFiles } from '@ci-actions/publishing/gate/promotion-files.js';
import { collectPromotionRecords } from '@ci-actions/publishing/gate/promotion-record.js';
import { runSummaryTables, summarizeRun, type GateJobs } from '@ci-actions/publishing/gate/run-summary.js';
import { stepRoots } from '@ci-actions/publishing/util/step-files.js';

export const REPORTS = ['promotions', 'run'] as const;
export type Report = (typeof REPORTS)[number];

export function reportInput(): Report | undefined {
  const value = stringInput('report');
  if (value === '') return undefined;
  if (!(REPORTS as readonly string[]).includes(value)) throw new InputError('report', `"${value}" is not a report; expected promotions, run or empty`);
  return value as Report;
}

export async function writeReport(report: Report): Promise<void> {
  if (report === 'promotions') return promotionsReport();
  const dryRun = booleanInput('dry-run', false);
  const summary = parsedInput('jobs', stringInput('jobs', { required: true }), (text) => summarizeRun(JSON.parse(text) as GateJobs, dryRun));
  setOutputs({ 'run-summary': JSON.stringify(summary) });
  for (const table of runSummaryTables(summary)) if (table.rows.length > 0) await writeSummaryTable(table.heading, table.header, table.rows);
}

async function promotionsReport(): Promise<void> {
  const dir = stringInput('promotion-records');
  const files = dir ? parsedInput('promotion-records', dir, (given) => readPromotionRecordFiles(stepRoots(), given)) : [];
  // No leg uploaded a record when every one failed before promoting: nothing was downloaded.
  if (!files) core.info(`${dir} does not exist: no promote leg recorded a promotion`);
  const records = parsedInput('promotion-records', dir, () => collectPromotionRecords(files ?? []));
  for (const r of records) core.info(`${r.staging}@${r.stagedDigest} -> ${r.references.join(', ')} (${r.digest})${r.dryRun ? ', dry run' : ''}`);
  setOutputs({ 'promoted-images': JSON.stringify(records) });
}
