// Each action's README reference, generated from its action.yml: the description, a usage
// example, the inputs (required, default verbatim, description) and the outputs. The blocks
// live in README.md between markers, so the prose around them stays hand-written:
//   <!-- action-docs:promote-image:start --> ... <!-- action-docs:promote-image:end -->
import { parseDocument, stringify } from 'yaml';
import { codeCell, inlineText } from './markdown.js';

export class DocsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DocsError';
  }
}

export interface ActionInput {
  name: string;
  description: string;
  required: boolean;
  /** The default exactly as action.yml writes it; undefined when there is none. */
  default: string | undefined;
  deprecationMessage: string | undefined;
}

export interface ActionOutput {
  name: string;
  description: string;
}

export interface ActionMetadata {
  /** The action's folder, which is also its path in `uses: <owner>/ci-actions/<folder>@v1`. */
  id: string;
  description: string;
  inputs: ActionInput[];
  outputs: ActionOutput[];
}

type Json = string | Json[] | { [key: string]: Json } | null;

function isMap(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads an action.yml. Scalars are read with YAML's failsafe schema, as strings exactly as
 * written: a default of 1.0 stays "1.0" and `${{ github.token }}` stays an expression.
 */
export function parseActionMetadata(id: string, text: string, file = `${id}/action.yml`): ActionMetadata {
  const doc = parseDocument(text, { schema: 'failsafe', prettyErrors: true });
  if (doc.errors.length > 0) throw new DocsError(`${file}: ${doc.errors[0].message}`);
  const root = doc.toJS() as Json;
  if (!isMap(root)) throw new DocsError(`${file}: expected a mapping with name, description, inputs, outputs and runs`);
  const str = (value: Json | undefined, where: string): string => {
    if (typeof value !== 'string') throw new DocsError(`${file}: ${where} must be a string`);
    return value.trim();
  };
  const section = (key: 'inputs' | 'outputs'): [string, { [key: string]: Json }][] => {
    const value = root[key];
    if (value === undefined || value === null || value === '') return [];
    if (!isMap(value)) throw new DocsError(`${file}: ${key} must be a mapping`);
    return Object.entries(value).map(([name, entry]) => {
      if (!isMap(entry)) throw new DocsError(`${file}: ${key}.${name} must be a mapping`);
      return [name, entry];
    });
  };
  const inputs = section('inputs').map(([name, entry]): ActionInput => {
    const required = entry.required === undefined ? 'false' : str(entry.required, `inputs.${name}.required`);
    if (!/^(true|false)$/i.test(required)) throw new DocsError(`${file}: inputs.${name}.required must be true or false, not ${required}`);
    const fallback = entry.default;
    if (fallback !== undefined && fallback !== null && typeof fallback !== 'string') throw new DocsError(`${file}: inputs.${name}.default must be a scalar`);
    return {
      name,
      description: str(entry.description, `inputs.${name}.description`),
      required: required.toLowerCase() === 'true',
      default: fallback ?? undefined,
      deprecationMessage: entry.deprecationMessage === undefined ? undefined : str(entry.deprecationMessage, `inputs.${name}.deprecationMessage`),
    };
  });
  const outputs = section('outputs').map(([name, entry]): ActionOutput => ({ name, description: str(entry.description, `outputs.${name}.description`) }));
  return { id, description: str(root.description, 'description'), inputs, outputs };
}

export interface DocsOptions {
  /** owner/name in `uses:`; the README writes `<owner>/ci-actions`. */
  repository: string;
  /** The ref users pin: the major tag. */
  ref: string;
  /** Example values for `with:`, per action; required inputs without one get a `<name>` placeholder. */
  examples?: Record<string, Record<string, string>>;
}

function usageExample(action: ActionMetadata, options: DocsOptions): string {
  const given = options.examples?.[action.id] ?? {};
  for (const name of Object.keys(given)) {
    if (!action.inputs.some((input) => input.name === name)) {
      throw new DocsError(`the usage example of ${action.id} sets input ${name}, which ${action.id}/action.yml does not have`);
    }
  }
  const values: Record<string, string> = {};
  for (const input of action.inputs) {
    if (given[input.name] !== undefined) values[input.name] = given[input.name]!;
    else if (input.required) values[input.name] = `<${input.name}>`;
  }
  const step: Record<string, unknown> = { id: action.id, uses: `${options.repository}/${action.id}@${options.ref}` };
  if (Object.keys(values).length > 0) step.with = values;
  return stringify([step], { lineWidth: 0 }).trimEnd();
}

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

/** The README block of one action (without its markers). */
export function renderActionDocs(action: ActionMetadata, options: DocsOptions): string {
  const parts = [
    `<!-- generated from ${action.id}/action.yml by "npm run docs": edit that file, not this block -->`,
    `### ${action.id}`,
    '',
    inlineText(action.description),
    '',
    '```yaml',
    usageExample(action, options),
    '```',
    '',
    '#### Inputs',
    '',
  ];
  if (action.inputs.length === 0) parts.push('None.');
  else {
    parts.push(
      table(
        ['Input', 'Required', 'Default', 'Description'],
        action.inputs.map((input) => [
          `\`${input.name}\``,
          input.required ? 'yes' : 'no',
          input.default === undefined ? '' : codeCell(input.default),
          inlineText(input.description) + (input.deprecationMessage ? ` **Deprecated:** ${inlineText(input.deprecationMessage)}` : ''),
        ]),
      ),
    );
  }
  parts.push('', '#### Outputs', '');
  if (action.outputs.length === 0) parts.push('None.');
  else
    parts.push(
      table(
        ['Output', 'Description'],
        action.outputs.map((output) => [`\`${output.name}\``, inlineText(output.description)]),
      ),
    );
  return parts.join('\n');
}

function requireNames(action: ActionMetadata | undefined, inputs: string[], outputs: string[]): ActionMetadata {
  if (!action) throw new DocsError('the rollback section is about promote-image, and there is no promote-image/action.yml');
  for (const name of inputs) {
    if (!action.inputs.some((i) => i.name === name))
      throw new DocsError(`the rollback section uses promote-image's input ${name}, which promote-image/action.yml no longer has`);
  }
  for (const name of outputs) {
    if (!action.outputs.some((o) => o.name === name))
      throw new DocsError(`the rollback section uses promote-image's output ${name}, which promote-image/action.yml no longer has`);
  }
  return action;
}

/**
 * The rollback section: pin the previous release or sha; put a previous image back on a
 * production tag with promote-image. The promote-image inputs and outputs it names are
 * checked against its action.yml, so a rename fails the docs check instead of the reader.
 */
export function renderRollback(actions: ActionMetadata[], options: DocsOptions): string {
  const promote = requireNames(
    actions.find((a) => a.id === 'promote-image'),
    ['source', 'destination', 'source-username', 'source-password', 'destination-username', 'destination-password', 'dry-run'],
    ['previous-digests'],
  );
  const uses = (ref: string) => `${options.repository}/${promote.id}@${ref}`;
  return [
    '<!-- generated by "npm run docs"; the promote-image inputs and outputs it names are checked against promote-image/action.yml -->',
    '### Pin an earlier release',
    '',
    `Every release is a tag \`vX.Y.Z\` that never moves; the major tag \`${options.ref}\` moves to each new release of its major`,
    'version. When a release misbehaves, pin the one before it in `uses:`, or its commit sha, the one reference nobody can',
    'move (the release notes give both):',
    '',
    '```yaml',
    `- uses: ${uses('v1.4.1')}`,
    `- uses: ${uses('0123456789abcdef0123456789abcdef01234567')} # v1.4.1`,
    '```',
    '',
    `A maintainer can also move \`${options.ref}\` back for everyone until a fixed release is out:`,
    `\`git tag --force ${options.ref} v1.4.1 && git push --force origin ${options.ref}\`; the next \`npm run release\` moves it forward again.`,
    '',
    '### Put a previous image back on a production tag',
    '',
    "promote-image's `previous-digests` output maps every tag it wrote to the digest the tag had before (`''` for a tag",
    'it created); keep it, e.g. as a job output. To roll a tag back, promote that digest onto the tag:',
    '',
    '```yaml',
    `- uses: ${uses(options.ref)}`,
    '  with:',
    '    source: docker.io/acme/app@sha256:<previous digest>',
    '    destination: docker.io/acme/app:latest',
    '    source-username: ${{ vars.DOCKERHUB_USERNAME }}',
    '    source-password: ${{ secrets.DOCKERHUB_TOKEN }}',
    '    destination-username: ${{ vars.DOCKERHUB_USERNAME }}',
    '    destination-password: ${{ secrets.DOCKERHUB_TOKEN }}',
    '```',
    '',
    'With source and destination in the same registry every blob is already there: nothing is downloaded or uploaded,',
    "only the tag moves. `dry-run: 'true'` shows what would change first.",
  ].join('\n');
}

const MARKER = /^<!-- ([a-z0-9][a-z0-9:_-]*):(start|end) -->[ \t]*$/gm;

function markerLine(id: string, edge: 'start' | 'end'): string {
  return `<!-- ${id}:${edge} -->`;
}

/** The ids of the marked blocks in `text` (`action-docs:promote-image`, `rollback`), in order. */
export function markedBlocks(text: string): string[] {
  return [...text.matchAll(MARKER)].filter((m) => m[2] === 'start').map((m) => m[1]);
}

/**
 * Replaces what is between `<!-- ID:start -->` and `<!-- ID:end -->` (each on its own line)
 * with `content`. Missing, repeated or misordered markers are errors that say what to add.
 */
export function replaceMarkedBlock(text: string, id: string, content: string, file = 'README.md'): string {
  const find = (edge: 'start' | 'end') => [...text.matchAll(MARKER)].filter((m) => m[1] === id && m[2] === edge);
  const starts = find('start');
  const ends = find('end');
  const pair = `${markerLine(id, 'start')} and ${markerLine(id, 'end')}`;
  if (starts.length === 0 || ends.length === 0) {
    const missing =
      starts.length === 0 && ends.length === 0
        ? 'the markers'
        : starts.length === 0
          ? `the marker ${markerLine(id, 'start')}`
          : `the marker ${markerLine(id, 'end')}`;
    throw new DocsError(`${file} lacks ${missing}: add ${pair}, each on a line of its own, where the block goes`);
  }
  if (starts.length > 1 || ends.length > 1) throw new DocsError(`${file} has ${pair} more than once: keep one of each`);
  const start = starts[0];
  const end = ends[0];
  if (end.index < start.index) throw new DocsError(`${file} has ${markerLine(id, 'end')} before ${markerLine(id, 'start')}`);
  const from = start.index + start[0].length;
  return `${text.slice(0, from)}\n${content.replace(/\n+$/, '')}\n${text.slice(end.index)}`;
}

/** The id of an action's block: `action-docs:<action>`. */
export function actionBlockId(action: string): string {
  return `action-docs:${action}`;
}

export const ROLLBACK_BLOCK = 'rollback';

export interface ReadmeUpdate {
  text: string;
  /** The blocks whose content changed. */
  changed: string[];
}

/**
 * README.md with every block regenerated: one per action, and the rollback section. Every
 * action needs its markers; markers of an action that does not exist are an error too.
 */
export function updateReadme(readme: string, actions: ActionMetadata[], options: DocsOptions, file = 'README.md'): ReadmeUpdate {
  const known = new Set([...actions.map((a) => actionBlockId(a.id)), ROLLBACK_BLOCK]);
  const strays = markedBlocks(readme).filter((id) => !known.has(id));
  if (strays.length > 0) {
    throw new DocsError(`${file} has blocks for ${strays.join(', ')}, which no action.yml generates: remove their markers or add the action`);
  }
  const present = new Set([...readme.matchAll(MARKER)].map((m) => m[1]));
  const missing = [...known].filter((id) => !present.has(id));
  if (missing.length > 1) {
    throw new DocsError(
      `${file} lacks the markers of ${missing.length} blocks: add each pair, each marker on a line of its own, where its block goes:\n` +
        missing.map((id) => `  ${markerLine(id, 'start')}\n  ${markerLine(id, 'end')}`).join('\n'),
    );
  }
  const blocks: [string, string][] = [
    ...actions.map((action): [string, string] => [actionBlockId(action.id), renderActionDocs(action, options)]),
    [ROLLBACK_BLOCK, renderRollback(actions, options)],
  ];
  let text = readme;
  const changed: string[] = [];
  for (const [id, content] of blocks) {
    const next = replaceMarkedBlock(text, id, content, file);
    if (next !== text) changed.push(id);
    text = next;
  }
  return { text, changed };
}
