// Schema validation with ajv, translated into problems a person can act on: each names
// the line and column in the YAML file, the key path, and what was expected.
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import type { ConfigProblem } from './problems.js';
import { publishingConfigSchema } from './schema.js';
import { formatKeyPath, type PathSegment, type YamlSource } from './yaml-source.js';

const ajv = new Ajv2020({ allErrors: true, useDefaults: true, verbose: true, strict: true });
const validateSchema = ajv.compile(publishingConfigSchema);

/** Validates in place: on success the value has every default filled in. */
export function validateConfig(source: YamlSource): ConfigProblem[] {
  if (validateSchema(source.value)) return semanticProblems(source);
  return (validateSchema.errors ?? []).filter(isUseful).map((e) => toProblem(source, e));
}

// With allErrors, a failing `if`/`anyOf` wrapper repeats what its branches said.
function isUseful(e: ErrorObject): boolean {
  return e.keyword !== 'if' && e.keyword !== 'anyOf';
}

function toProblem(source: YamlSource, e: ErrorObject): ConfigProblem {
  const path = pointerToPath(e.instancePath, source.value);
  const problem = (p: PathSegment[], message: string, at: 'key' | 'value' = 'value'): ConfigProblem => ({
    file: source.file,
    ...source.locate(p, at),
    keyPath: formatKeyPath(p),
    message,
  });
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

function semanticProblems(source: YamlSource): ConfigProblem[] {
  const images = (source.value as { docker: { images: { name: string }[] } }).docker.images;
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  images.forEach((image, i) => {
    if (seen.has(image.name)) {
      const path = ['docker', 'images', i, 'name'];
      problems.push({ file: source.file, ...source.locate(path), keyPath: formatKeyPath(path), message: `duplicate image name "${image.name}"; each image must be named once` });
    }
    seen.add(image.name);
  });
  return problems;
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
  if (typeof value === 'string') return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}
