// The one way an action entry runs: every failure becomes a failed step with a message
// a person can act on, and configuration problems also become file annotations in the
// Actions UI. Outputs are written by the entry only after its work succeeded, and then the
// step's start and end times too (the stage gate's run summary times its stages by them).
import * as core from '@actions/core';
import { ConfigError, formatProblem } from '../config/problems.js';
import { redact, setSecretMask } from '../secrets.js';

export async function runAction(work: () => Promise<void>): Promise<void> {
  // Credentials the core learns (tokens from token services) are masked as they appear.
  setSecretMask((secret) => core.setSecret(secret));
  const startedAt = new Date().toISOString();
  try {
    await work();
    setOutputs({ 'started-at': startedAt, 'finished-at': new Date().toISOString() });
  } catch (err) {
    if (err instanceof ConfigError) {
      // One annotation per problem, pinned to its line in the file's view of the run.
      for (const p of err.problems) {
        const place = p.line > 0 ? { startLine: p.line, startColumn: p.column } : {};
        core.error(formatProblem(p), { title: 'Invalid configuration', file: p.file, ...place });
      }
      core.setFailed(`${err.problems.length} problem(s) in ${err.problems[0]?.file}, each reported above`);
      return;
    }
    core.setFailed(redact(err instanceof Error ? err.message : String(err)));
  }
}

export function setOutputs(outputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
}
