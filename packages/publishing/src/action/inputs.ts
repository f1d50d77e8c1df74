// Typed reading of action inputs. Every error names the input and says what was
// expected, so a person can fix the workflow file without reading our code.
import * as core from '@actions/core';
import { maskAddressCredentials, type AddressKind } from '../address-credentials.js';
import { DomainError, type Subject } from '../errors.js';
import { DEFAULT_RETRY, MAX_RETRY_WAIT, type RetryPolicy } from '../http/retry.js';
import { addSecret } from '../secrets.js';

/**
 * What the user must fix is an action input: the message starts with its name as `with:`
 * spells it. `input` may name several, e.g. "source-username/source-password".
 */
export class InputError extends DomainError {
  constructor(
    readonly input: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(`input "${input}": ${message}`, options);
  }
}

/** The input(s) an action's user fixes for a failure about `subject`; undefined when none of its inputs gave it. */
export type InputFor = (subject: Subject) => string | undefined;

/** A domain error whose subject came from an input, as an InputError naming it; any other error as it is. */
export function attributeToInput(err: unknown, inputFor: InputFor): unknown {
  if (!(err instanceof DomainError) || err instanceof InputError || !err.subject) return err;
  const input = inputFor(err.subject);
  return input ? new InputError(input, err.message, { cause: err }) : err;
}

/**
 * The `<prefix>-username/<prefix>-password` input pairs whose registries include `registry`,
 * e.g. "source-username/source-password" for the registry an action's source is on; undefined when none.
 */
export function credentialInputsOf(registry: string, registriesByPrefix: Record<string, readonly string[]>): string | undefined {
  const prefixes = Object.keys(registriesByPrefix).filter((prefix) => registriesByPrefix[prefix].includes(registry));
  return prefixes.length > 0 ? prefixes.map((p) => `${p}-username/${p}-password`).join(', ') : undefined;
}

/** Runs `work`, attributing the domain errors it throws to the inputs `inputFor` names. */
export async function namingInputs<T>(inputFor: InputFor, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw attributeToInput(err, inputFor);
  }
}

export function stringInput(name: string, options: { required?: boolean } = {}): string {
  const value = core.getInput(name).trim();
  if (options.required && !value) throw new InputError(name, 'is required and was empty');
  return value;
}

/** Items separated by newlines or commas, blanks dropped (how YAML block scalars arrive). */
export function listInput(name: string, options: { required?: boolean } = {}): string[] {
  const items = core
    .getInput(name)
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (options.required && items.length === 0) throw new InputError(name, 'is required and lists nothing');
  return items;
}

export function booleanInput(name: string, fallback: boolean): boolean {
  const value = core.getInput(name).trim().toLowerCase();
  if (!value) return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InputError(name, `expected true or false, got "${value}"`);
}

export function integerInput(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
  const value = core.getInput(name).trim();
  if (!value) return fallback;
  if (!/^-?\d+$/.test(value)) throw new InputError(name, `expected an integer, got "${value}"`);
  const n = Number(value);
  if (range.min !== undefined && n < range.min) throw new InputError(name, `expected at least ${range.min}, got ${n}`);
  if (range.max !== undefined && n > range.max) throw new InputError(name, `expected at most ${range.max}, got ${n}`);
  return n;
}

/** A secret input: masked in the log and redacted from errors as soon as it is read. */
export function secretInput(name: string): string {
  const value = core.getInput(name);
  addSecret(value);
  return value;
}

/**
 * An address (URL, host or image reference) read from an input: one with credentials in it
 * is refused, naming the input and showing the address with them masked.
 */
export function addressInput(name: string, kind: AddressKind, options: { required?: boolean } = {}): string {
  return noCredentialsIn(name, stringInput(name, options), kind);
}

/** A list of addresses, each checked as addressInput checks one. */
export function addressListInput(name: string, kind: AddressKind, options: { required?: boolean } = {}): string[] {
  return listInput(name, options).map((value) => noCredentialsIn(name, value, kind));
}

function noCredentialsIn(name: string, value: string, kind: AddressKind): string {
  const shown = maskAddressCredentials(value, kind);
  if (shown !== undefined) {
    throw new InputError(
      name,
      `"${shown}" has credentials in it (user:password@ or token@), which would show in logs; remove them and pass them through the action's username and password inputs`,
    );
  }
  return value;
}

/**
 * Runs a parser over an input's value, naming the input in the domain error it throws (what
 * the value is refused for); any other error is a bug, and goes on as it is.
 */
export function parsedInput<T>(name: string, value: string, parse: (value: string) => T): T {
  try {
    return parse(value);
  } catch (err) {
    throw namingInput(name, err);
  }
}

/** parsedInput for a parser that loads what it needs first. */
export async function parsedInputAsync<T>(name: string, value: string, parse: (value: string) => Promise<T>): Promise<T> {
  try {
    return await parse(value);
  } catch (err) {
    throw namingInput(name, err);
  }
}

function namingInput(name: string, err: unknown): unknown {
  if (!(err instanceof DomainError) || err instanceof InputError) return err;
  return new InputError(name, err.message, { cause: err });
}

/**
 * A user name and password pair read from `<prefix>-username` and `<prefix>-password`:
 * both or neither, the password masked. Undefined when neither is given.
 */
export function credentialsInput(prefix: string): { username: string; password: string } | undefined {
  const username = stringInput(`${prefix}-username`);
  const password = secretInput(`${prefix}-password`);
  if (!username && !password) return undefined;
  if (!username) throw new InputError(`${prefix}-username`, `is empty while ${prefix}-password is set; give both or neither`);
  if (!password)
    throw new InputError(`${prefix}-password`, `is empty while ${prefix}-username is set; give both or neither (a secret that is not defined arrives empty)`);
  return { username, password };
}

/** The retry policy of an action that makes HTTP requests, with the longest server-requested wait from max-retry-wait. */
export function retryPolicyInput(): RetryPolicy {
  const seconds = integerInput('max-retry-wait', MAX_RETRY_WAIT.defaultSeconds, { min: MAX_RETRY_WAIT.minSeconds, max: MAX_RETRY_WAIT.maxSeconds });
  return { ...DEFAULT_RETRY, maxRetryWaitMs: seconds * 1000 };
}
