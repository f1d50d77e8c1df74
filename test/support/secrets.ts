import type { ActionRun } from './action-runner.js';

/** Secrets may appear only in the ::add-mask:: commands that tell the runner to hide them. */
export function expectNoSecretShown(run: ActionRun, secrets: string[]): void {
  for (const line of `${run.stdout}\n${run.stderr}`.split('\n')) {
    if (line.startsWith('::add-mask::')) continue;
    // The failure names the line with the secret blanked, so the report does not leak it either.
    for (const secret of secrets) if (line.includes(secret)) throw new Error(`a secret shows in the log: ${line.split(secret).join('***')}`);
  }
}
