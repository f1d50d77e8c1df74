import type { ActionRun } from './action-runner.js';

/** Secrets may appear only in the ::add-mask:: commands that tell the runner to hide them. */
export function expectNoSecretShown(run: ActionRun, secrets: string[]): void {
  for (const line of `${run.stdout}\n${run.stderr}`.split('\n')) {
    if (line.startsWith('::add-mask::')) continue;
    for (const secret of secrets) expect(line).not.toContain(secret);
  }
}
