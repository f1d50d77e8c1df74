// Schema validation with ajv, translated into problems a person can act on: each names
// the line and column in the YAML file, the key path, and what was expected.
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { redactUrlCredentials } from '../address-credentials.js';
import type { ConfigProblem } from './problems.js';
import { publishingConfigSchema } from './schema.js';
import { credentialProblems, semanticProblems } from './semantic.js';
import { problemAt, type PathSegment, type YamlSource } from './yaml-source.js';

const ajv = new Ajv2020({ allErrors: true, useDefaults: true, verbose: true, strict: true });
const validateSchema = ajv.compile(publishingConfigSchema);

/**
 * Validates in place: on success the value has every default filled in. Credentials are
 * looked for whatever the schema says, so that a file that fails for both reasons shows both.
 */
export function validateConfig(source: YamlSource): ConfigProblem[] {
  const problems = validateSchema(source.value) ? semanticProblems(source) : (validateSchema.errors ?? []).filter(isUseful).map((e) => toProblem(source, e));
  return [...problems, ...credentialProblems(source)];
}

// With allErrors, a failing `if`/`anyOf` wrapper repeats what its branches said.
function isUseful(e: ErrorObject): boolean {
  return e.keyword !== 'if' && e.keyword !== 'anyOf';
}

function toProblem(source: YamlSource, e: ErrorObject): ConfigProblem {
  const path = pointerToPath(e.instancePath, source.value);
  const problem = (p: PathSegment[], message: string, at: 'key' | 'value' = 'value') => problemAt(source, p, message, at);
  const params = e.params as Record<string, unknown>;
  const description = (e.parentSchema as { description?: string } | undefined)?.description;
  const about = description ? ` (${description})` : '';
  switch (e.keyword) {
    case 'additionalProperty':
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys((e.parentSchema as { properties?: object }).properties ?? {}).filter((k) => k !== '$schema');
      return problem([...path, key], `unknown key; expected one of: ${known.join(', ')}`, 'key');
    }
    case 'required':
      return problem(path, `missing required key "${String(params.missingProperty)}"`);
    case 'type':
      return problem(path, `expected ${article(String(params.type))}${about}, got ${describe(e.data)}`);
    case 'enum':
      return problem(path, `expected one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, got ${describe(e.data)}`);
    case 'pattern':
      return problem(path, `got ${describe(e.data)}, expected a value matching ${String(params.pattern)}${about}`);
    default:
      return problem(path, `${e.message ?? 'is invalid'}${about}, got ${describe(e.data)}`);
  }
}

function pointerToPath(pointer: string, root: unknown): PathSegment[] {
  const path: PathSegment[] = [];
  let node: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment: PathSegment = Array.isArray(node) ? Number(key) : key;
    path.push(segment);
    node = (node as Record<string | number, unknown> | undefined)?.[segment];
  }
  return path;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  // A value is shown back to the person, in the log: without a credential it may hold.
  if (typeof value === 'string') return JSON.stringify(redactUrlCredentials(value));
  // What is left is a scalar YAML gives: a number or a boolean.
  return `${typeof value} ${value as number | boolean}`;
}
