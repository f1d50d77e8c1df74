// Job summary tables: what an action did, readable on the run's page.
import * as core from '@actions/core';

export async function writeSummaryTable(heading: string, header: string[], rows: string[][]): Promise<void> {
  // Outside a runner (a local demo) there is no summary file: the log already has it all.
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary
    .addHeading(heading, 3)
    .addTable([header.map((data) => ({ data, header: true })), ...rows])
    .write();
}
