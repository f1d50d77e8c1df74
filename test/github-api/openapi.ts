// GitHub's published OpenAPI description of its REST API (@octokit/openapi), used to check
// every request sent to the emulator, and every answer it gives, against what GitHub
// documents: the method and path template, path and query parameters (types, enums,
// the "(max 100)" its descriptions state, no undocumented ones), the request body, and
// the JSON shape of each documented response. A check that fails is a problem string.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { repoRoot } from '../support/paths.js';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema?: { type?: string };
}

interface Operation {
  operationId: string;
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
}

interface Route {
  template: string;
  pattern: RegExp;
  names: string[];
  literalSegments: number;
  operations: Record<string, Operation>;
}

export interface MatchedOperation {
  operationId: string;
  template: string;
  method: string;
  /** Path parameters, decoded. */
  params: Record<string, string>;
}

const SPEC_ID = 'github';

/**
 * Parameters GitHub serves but its description leaves out, each a reported inaccuracy:
 * the user-owned versions list paginates like the organization one
 * (github/rest-api-description#1651, open since 2022).
 */
const UNDOCUMENTED_PARAMETERS: Record<string, string[]> = {
  'packages/get-all-package-versions-for-package-owned-by-user': ['#/components/parameters/page', '#/components/parameters/per-page'],
};
const SPEC_FILE = path.join(repoRoot, 'node_modules/@octokit/openapi/generated/api.github.com.json');

export class OpenApiDescription {
  private static loaded?: OpenApiDescription;
  private readonly spec: { paths: Record<string, Record<string, unknown>> };
  private readonly routes: Route[];
  private readonly ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor() {
    this.spec = JSON.parse(readFileSync(SPEC_FILE, 'utf8'));
    this.ajv.addSchema(this.spec, SPEC_ID);
    this.routes = Object.entries(this.spec.paths).map(([template, item]) => {
      const names: string[] = [];
      const source = template
        .split('/')
        .map((segment) => segment.replace(/\{([^}]+)\}|[^{]+/g, (part, name?: string) => (name ? (names.push(name), '([^/]+)') : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))))
        .join('/');
      return {
        template,
        pattern: new RegExp(`^${source}$`),
        names,
        literalSegments: template.split('/').filter((s) => s && !s.includes('{')).length,
        operations: item as Record<string, Operation>,
      };
    });
  }

  /** One parsed copy per test file: the description is 13 MB. */
  static load(): OpenApiDescription {
    return (OpenApiDescription.loaded ??= new OpenApiDescription());
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
    const params = Object.fromEntries(best.route.names.map((name, i) => [name, decodeURIComponent(best.values[i]!)]));
    return { operationId: best.route.operations[verb]!.operationId, template: best.route.template, method: verb, params };
  }

  requestProblems(method: string, url: URL, body: string): string[] {
    const matched = this.match(method, url.pathname);
    if (!matched) return [`${method} ${url.pathname} is not an operation GitHub's REST API describes`];
    const operation = this.operation(matched);
    const problems: string[] = [];
    const parameters = [
      ...(operation.parameters ?? []).map((p, i) => this.resolve(p, this.pointer(matched, 'parameters', String(i)))),
      ...(UNDOCUMENTED_PARAMETERS[matched.operationId] ?? []).map(($ref) => this.resolve({ $ref }, '')),
    ];
    const seen = new Set<string>();
    for (const { value, pointer } of parameters) {
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
    for (const name of new Set(url.searchParams.keys())) if (!seen.has(name)) problems.push(`query parameter ${name} is not documented for ${matched.operationId}`);
    if (!operation.requestBody && body.length > 0) problems.push(`${matched.operationId} takes no request body, got ${body.length} bytes`);
    if (operation.requestBody) {
      const { pointer } = this.resolve(operation.requestBody, this.pointer(matched, 'requestBody'));
      problems.push(...this.jsonProblems(`${pointer}/content/application~1json/schema`, body, 'request body'));
    }
    return problems;
  }

  /** Problems with an answer to a documented operation; undocumented error statuses (429, 400) carry no schema. */
  responseProblems(matched: MatchedOperation, status: number, body: string): string[] {
    const responses = this.operation(matched).responses;
    const documented = responses[String(status)];
    if (!documented) return status < 300 ? [`${matched.operationId} answered ${status}, which GitHub does not document for it`] : [];
    const { value, pointer } = this.resolve(documented, this.pointer(matched, 'responses', String(status)));
    if (!(value as { content?: Record<string, unknown> }).content?.['application/json']) {
      return body.length > 0 ? [`${matched.operationId} ${status} has no documented body, got ${body.length} bytes`] : [];
    }
    return this.jsonProblems(`${pointer}/content/application~1json/schema`, body, `${status} response`);
  }

  private jsonProblems(schemaPointer: string, body: string, what: string): string[] {
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch {
      return [`${what} is not JSON`];
    }
    const validate = this.validator(schemaPointer);
    return validate(data) ? [] : [`${what}: ${this.ajv.errorsText(validate.errors, { dataVar: 'body' })}`];
  }

  private operation(matched: MatchedOperation): Operation {
    return this.spec.paths[matched.template]![matched.method] as Operation;
  }

  private pointer(matched: MatchedOperation, ...rest: string[]): string {
    return ['', 'paths', matched.template, matched.method, ...rest].map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
  }

  /** Follows a `$ref` to a parameter, body or response object; returns it and where it lives. */
  private resolve(value: unknown, pointer: string): { value: unknown; pointer: string } {
    const ref = (value as { $ref?: string }).$ref;
    if (!ref) return { value, pointer };
    const target = ref.slice(1);
    const found = target
      .split('/')
      .slice(1)
      .reduce<unknown>((node, segment) => (node as Record<string, unknown>)[segment.replace(/~1/g, '/').replace(/~0/g, '~')], this.spec);
    return this.resolve(found, target);
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
