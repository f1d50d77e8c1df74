// A service's published OpenAPI 3.0 description (JSON or YAML), used to check every request
// a stand-in receives, and every answer it gives, against what the vendor documents: the
// method and path template, path and query parameters (types, enums, the "(max 100)" GitHub's
// descriptions state, no undocumented ones), the request body (a JSON body against its schema;
// a multipart one by its parts' names and content types), and each documented response (its
// content type, and a JSON or text body against its schema). A check that fails is a problem
// string; the stand-ins collect them, and their tests fail when any is left.
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { formDataParts } from './multipart.js';

export interface DescriptionSource {
  /** The OpenAPI 3.0 document, JSON or YAML. */
  file: string;
  /** Whose API it describes, for messages: "GitHub's REST API". */
  describes: string;
  /**
   * Parameters the service serves but its description leaves out, by operation: `$ref`s into
   * the document. Each is a reported inaccuracy of the description, named where it is listed.
   */
  undocumentedParameters?: Record<string, string[]>;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema?: { type?: string };
}

interface Operation {
  operationId?: string;
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
}

interface MediaTypes {
  content?: Record<string, { schema?: unknown; encoding?: Record<string, { contentType?: string }> }>;
  required?: boolean;
}

interface Schema {
  type?: string;
  format?: string;
  properties?: Record<string, unknown>;
  required?: string[];
}

interface Route {
  template: string;
  pattern: RegExp;
  names: string[];
  literalSegments: number;
  operations: Record<string, Operation | undefined>;
}

export interface MatchedOperation {
  /** The operation's operationId, or "METHOD /template" where the description gives none. */
  operationId: string;
  template: string;
  method: string;
  /** Path parameters, decoded. */
  params: Record<string, string>;
}

const SPEC_ID = 'description';

export class OpenApiDescription {
  private static readonly loaded = new Map<string, OpenApiDescription>();
  private readonly spec: { paths: Record<string, Record<string, unknown>> };
  private readonly routes: Route[];
  private readonly ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor(private readonly source: DescriptionSource) {
    const text = readFileSync(source.file, 'utf8');
    this.spec = source.file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    this.ajv.addSchema(this.spec, SPEC_ID);
    this.routes = Object.entries(this.spec.paths).map(([template, item]) => {
      const names: string[] = [];
      const pattern = template
        .split('/')
        .map((segment) =>
          segment.replace(/\{([^}]+)\}|[^{]+/g, (part, name?: string) => (name ? (names.push(name), '([^/]+)') : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))),
        )
        .join('/');
      return {
        template,
        pattern: new RegExp(`^${pattern}$`),
        names,
        literalSegments: template.split('/').filter((s) => s && !s.includes('{')).length,
        operations: item as Record<string, Operation>,
      };
    });
  }

  /** One parsed copy per document and test file: GitHub's is 13 MB. */
  static load(source: DescriptionSource): OpenApiDescription {
    let description = OpenApiDescription.loaded.get(source.file);
    if (!description) OpenApiDescription.loaded.set(source.file, (description = new OpenApiDescription(source)));
    return description;
  }

  /** The documented operation a request is for; the most specific template wins (/user/x over /{a}/x). */
  match(method: string, pathname: string): MatchedOperation | undefined {
    const verb = method.toLowerCase();
    let best: { route: Route; values: string[] } | undefined;
    for (const route of this.routes) {
      if (!route.operations[verb]) continue;
      const m = route.pattern.exec(pathname);
      if (m && (!best || route.literalSegments > best.route.literalSegments)) best = { route, values: m.slice(1) };
    }
    if (!best) return undefined;
    const params = Object.fromEntries(best.route.names.map((name, i) => [name, decodeURIComponent(best.values[i])]));
    const operationId = best.route.operations[verb]!.operationId ?? `${method.toUpperCase()} ${best.route.template}`;
    return { operationId, template: best.route.template, method: verb, params };
  }

  /** Problems with a request; `contentType` is its Content-Type header, if any. */
  requestProblems(method: string, url: URL, body: Buffer | string, contentType = ''): string[] {
    const matched = this.match(method, url.pathname);
    if (!matched) return [`${method} ${url.pathname} is not an operation ${this.source.describes} describes`];
    const operation = this.operation(matched);
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const { value, pointer } of this.parameters(matched)) {
      const p = value as Parameter;
      if (p.in !== 'path' && p.in !== 'query') continue;
      const raw = p.in === 'path' ? matched.params[p.name] : (url.searchParams.get(p.name) ?? undefined);
      seen.add(p.name);
      if (raw === undefined) {
        if (p.required) problems.push(`required ${p.in} parameter ${p.name} is missing`);
        continue;
      }
      const typed = coerce(raw, p.schema?.type);
      const validate = this.validator(`${pointer}/schema`);
      if (!validate(typed)) problems.push(`${p.in} parameter ${p.name}=${raw}: ${this.ajv.errorsText(validate.errors, { dataVar: p.name })}`);
      // The limit lives in prose: "The number of results per page (max 100)".
      const max = /\(max (\d+)\)/.exec(p.description ?? '');
      if (max && Number(raw) > Number(max[1])) problems.push(`${p.in} parameter ${p.name}=${raw} is above the documented maximum ${max[1]}`);
    }
    for (const name of new Set(url.searchParams.keys()))
      if (!seen.has(name)) problems.push(`query parameter ${name} is not documented for ${matched.operationId}`);
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
    if (!operation.requestBody) {
      if (bytes.length > 0) problems.push(`${matched.operationId} takes no request body, got ${bytes.length} bytes`);
      return problems;
    }
    const { value, pointer } = this.resolve(operation.requestBody, this.pointer(matched, 'requestBody'));
    const requestBody = value as MediaTypes;
    if (bytes.length === 0) {
      if (requestBody.required) problems.push(`${matched.operationId} requires a request body`);
      return problems;
    }
    const mediaType = contentType.split(';')[0].trim().toLowerCase();
    const documented = requestBody.content?.[mediaType];
    if (!documented) return [...problems, `request body of type "${contentType}" is not documented; ${documentedTypes(requestBody)}`];
    const schemaPointer = `${pointer}/content/${escape(mediaType)}/schema`;
    if (isJson(mediaType)) problems.push(...this.jsonProblems(schemaPointer, bytes.toString('utf8'), 'request body'));
    if (mediaType === 'multipart/form-data') problems.push(...this.formDataProblems(schemaPointer, documented.encoding ?? {}, contentType, bytes));
    return problems;
  }

  /**
   * Problems with an answer to a documented operation, sent with `contentType`. An
   * undocumented error status (429, say) carries no schema, so only its absence from a
   * success is one.
   */
  responseProblems(matched: MatchedOperation, status: number, body: string, contentType = ''): string[] {
    const responses = this.operation(matched).responses;
    const documented = responses[String(status)];
    if (!documented) return status < 300 ? [`${matched.operationId} answered ${status}, which ${this.source.describes} does not document for it`] : [];
    const { value, pointer } = this.resolve(documented, this.pointer(matched, 'responses', String(status)));
    const response = value as MediaTypes;
    if (!response.content) return body.length > 0 ? [`${matched.operationId} ${status} has no documented body, got ${body.length} bytes`] : [];
    const mediaType = contentType.split(';')[0].trim().toLowerCase();
    if (!response.content[mediaType]) return [`${matched.operationId} ${status} answered with content type "${contentType}"; ${documentedTypes(response)}`];
    const schemaPointer = `${pointer}/content/${escape(mediaType)}/schema`;
    if (isJson(mediaType)) return this.jsonProblems(schemaPointer, body, `${status} response`);
    if (mediaType.startsWith('text/')) return this.dataProblems(schemaPointer, body, `${status} response`);
    return [];
  }

  /** The operation's parameters with those of its path, which it may override (OpenAPI 3.0, Path Item Object). */
  private parameters(matched: MatchedOperation): { value: unknown; pointer: string }[] {
    const item = this.spec.paths[matched.template] as { parameters?: unknown[] };
    const operation = this.operation(matched);
    const own = (operation.parameters ?? []).map((p, i) => this.resolve(p, this.pointer(matched, 'parameters', String(i))));
    const key = ({ value }: { value: unknown }) => `${(value as Parameter).in} ${(value as Parameter).name}`;
    const overridden = new Set(own.map(key));
    const inherited = (item.parameters ?? [])
      .map((p, i) => this.resolve(p, ['', 'paths', matched.template, 'parameters', String(i)].map(escape).join('/')))
      .filter((p) => !overridden.has(key(p)));
    const undocumented = (this.source.undocumentedParameters?.[matched.operationId] ?? []).map(($ref) => this.resolve({ $ref }, ''));
    return [...inherited, ...own, ...undocumented];
  }

  /** A multipart body: every part documented, every required one present, each of its documented content type. */
  private formDataProblems(schemaPointer: string, encoding: Record<string, { contentType?: string }>, contentType: string, body: Buffer): string[] {
    const parts = formDataParts(contentType, body);
    if (!parts) return [`multipart request body has no boundary in "${contentType}"`];
    const schema = this.resolve(this.at(schemaPointer), schemaPointer).value as Schema;
    const properties = schema.properties ?? {};
    const problems: string[] = [];
    for (const part of parts) {
      const property = properties[part.name];
      if (!property) {
        problems.push(`multipart part "${part.name}" is not documented; the documented parts are ${Object.keys(properties).join(', ') || 'none'}`);
        continue;
      }
      const expected = encoding[part.name]?.contentType ?? defaultPartType(this.resolve(property, '').value as Schema);
      const actual = (part.contentType ?? 'text/plain').split(';')[0].trim().toLowerCase();
      if (!expected.split(',').some((type) => mediaTypeMatches(type.trim(), actual)))
        problems.push(`multipart part "${part.name}" has content type ${actual}, documented ${expected}`);
    }
    for (const name of schema.required ?? []) if (!parts.some((p) => p.name === name)) problems.push(`required multipart part "${name}" is missing`);
    return problems;
  }

  private jsonProblems(schemaPointer: string, body: string, what: string): string[] {
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch {
      return [`${what} is not JSON`];
    }
    return this.dataProblems(schemaPointer, data, what);
  }

  private dataProblems(schemaPointer: string, data: unknown, what: string): string[] {
    const validate = this.validator(schemaPointer);
    return validate(data) ? [] : [`${what}: ${this.ajv.errorsText(validate.errors, { dataVar: 'body' })}`];
  }

  private operation(matched: MatchedOperation): Operation {
    return this.spec.paths[matched.template][matched.method] as Operation;
  }

  private pointer(matched: MatchedOperation, ...rest: string[]): string {
    return ['', 'paths', matched.template, matched.method, ...rest].map(escape).join('/');
  }

  /** The node a JSON pointer into the document names. */
  private at(pointer: string): unknown {
    return pointer
      .split('/')
      .slice(1)
      .reduce<unknown>((node, segment) => (node as Record<string, unknown>)[segment.replace(/~1/g, '/').replace(/~0/g, '~')], this.spec);
  }

  /** Follows a `$ref` to a parameter, body, response or schema object; returns it and where it lives. */
  private resolve(value: unknown, pointer: string): { value: unknown; pointer: string } {
    const ref = (value as { $ref?: string }).$ref;
    if (!ref) return { value, pointer };
    const target = ref.slice(1);
    return this.resolve(this.at(target), target);
  }

  private validator(pointer: string): ValidateFunction {
    let validate = this.validators.get(pointer);
    if (!validate) {
      const fragment = pointer.split('/').map(encodeURIComponent).join('/');
      validate = this.ajv.compile({ $ref: `${SPEC_ID}#${fragment}` });
      this.validators.set(pointer, validate);
    }
    return validate;
  }
}

/** Path and query values arrive as text; the schema says what they must parse as. */
function coerce(raw: string, type: string | undefined): unknown {
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

/** A JSON pointer segment. */
function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isJson(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

function documentedTypes(body: MediaTypes): string {
  return `documented: ${Object.keys(body.content ?? {}).join(', ') || 'none'}`;
}

/** A part's content type when the description gives no encoding (OpenAPI 3.0, Encoding Object). */
function defaultPartType(schema: Schema): string {
  if (schema.type === 'string' && schema.format === 'binary') return 'application/octet-stream';
  return schema.type === 'object' ? 'application/json' : 'text/plain';
}

/** Compares a media type with a documented one, which may use wildcards (image/*) as the Encoding Object allows. */
function mediaTypeMatches(pattern: string, actual: string): boolean {
  const [type, subtype] = pattern.toLowerCase().split('/');
  const [actualType, actualSubtype] = actual.split('/');
  return (type === '*' || type === actualType) && (subtype === '*' || subtype === actualSubtype);
}
