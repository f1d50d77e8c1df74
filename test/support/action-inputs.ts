// Reads an action's inputs as the runner passes them: INPUT_* variables, action.yml's defaults
// filled in for what the test leaves out. The environment is restored afterwards (once the
// promise settles, for a reader that loads a parser first).
import { InputError } from '@ci-actions/publishing/action/index.js';
import { readActionMetadata } from './action-runner.js';

export function withInputs<T>(action: string, inputs: Record<string, string>, read: () => T, env: Record<string, string> = {}): T {
  const values: Record<string, string> = {};
  for (const [name, spec] of Object.entries(readActionMetadata(action).inputs ?? {})) values[name] = spec.default ?? '';
  Object.assign(values, inputs);
  const saved = { ...process.env };
  Object.assign(process.env, env);
  for (const [name, value] of Object.entries(values)) process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const restore = () => {
    // In place: process.env coerces what is assigned to it, a plain object put there would not.
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  };
  let result: T;
  try {
    result = read();
  } catch (err) {
    restore();
    throw err;
  }
  if (result instanceof Promise) return result.finally(restore) as T;
  restore();
  return result;
}

/** refusal for a reader that loads a parser first. */
export async function refusalOf(
  action: string,
  inputs: Record<string, string>,
  read: () => Promise<unknown>,
  env: Record<string, string> = {},
): Promise<string> {
  try {
    await withInputs(action, inputs, read, env);
  } catch (err) {
    return refusedWith(err);
  }
  throw accepted(action, inputs);
}

/** The InputError `read` refuses the inputs with: its message, which starts with the input's name. */
export function refusal(action: string, inputs: Record<string, string>, read: () => unknown, env: Record<string, string> = {}): string {
  try {
    withInputs(action, inputs, read, env);
  } catch (err) {
    return refusedWith(err);
  }
  throw accepted(action, inputs);
}

function refusedWith(err: unknown): string {
  if (err instanceof InputError) return err.message;
  throw err;
}

const accepted = (action: string, inputs: Record<string, string>) => new Error(`${action} accepted ${JSON.stringify(inputs)}`);
