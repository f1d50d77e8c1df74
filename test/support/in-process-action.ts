// Runs an action's entry (its main.ts run()) inside the test process, with inputs as INPUT_*
// variables and action.yml's defaults filled in, as runBundledAction does for the bundle, and
// its standard output captured: what a workflow log would show, without a bundle to rebuild.
// Environment and exit code are restored afterwards.
import type { ActionRun } from './action-runner.js';
import { readActionMetadata } from './action-runner.js';

export async function runActionInProcess(action: string, run: () => Promise<void>, inputs: Record<string, string>): Promise<ActionRun> {
  const values: Record<string, string> = {};
  for (const [name, spec] of Object.entries(readActionMetadata(action).inputs ?? {})) values[name] = spec.default ?? '';
  Object.assign(values, inputs);
  const saved = { ...process.env };
  // Outside a runner: no output or summary files, so nothing is written beside the log.
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_STATE', 'GITHUB_ENV']) delete process.env[name];
  for (const [name, value] of Object.entries(values)) process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  let stdout = '';
  // Saved bound to stdout: a bare reference to the method would lose its `this`.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  };
  try {
    await run();
  } finally {
    process.stdout.write = write;
    // In place: process.env coerces what is assigned to it, a plain object put there would not.
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { exitCode, stdout, stderr: '', outputs: {}, summary: '' };
}

/** The message of the step's failure (the ::error:: command), unescaped. */
export function failureMessage(run: ActionRun): string {
  const line = run.stdout.split('\n').find((l) => l.startsWith('::error::'));
  return (line ?? '').slice('::error::'.length).replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
}
