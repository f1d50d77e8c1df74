// YAML parsing that remembers where every value came from. js-yaml (the first plan)
// reports positions only for syntax errors; `yaml` keeps a node tree with source ranges,
// so a schema error on `docker.images[1].name` can point at its line and column.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { ConfigProblem } from './problems.js';

export type PathSegment = string | number;

export interface YamlSource {
  file: string;
  value: unknown;
  /** Position of the value at `path`, or of its nearest existing ancestor. */
  locate(path: PathSegment[], at?: 'key' | 'value'): { line: number; column: number };
}

export function formatKeyPath(path: PathSegment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** A problem about the key path `path`, placed at its value (or its key) in the file. */
export function problemAt(source: YamlSource, path: PathSegment[], message: string, at: 'key' | 'value' = 'value'): ConfigProblem {
  return { file: source.file, ...source.locate(path, at), keyPath: formatKeyPath(path), message };
}

export function parseYamlSource(file: string, text: string): { source?: YamlSource; problems: ConfigProblem[] } {
  const lineCounter = new LineCounter();
  // yaml's own uniqueKeys check compares each key with every key before it in its map,
  // quadratic in the keys of one map (20k keys took 10 s); duplicateKeys() is one pass.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const position = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const invalid = [
    ...doc.errors.map((e) => {
      const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
      return { line: pos.line, column: pos.col, message: firstLine(e.message) };
    }),
    ...duplicateKeys(doc).map((offset) => ({ ...position(offset), message: 'Map keys must be unique' })),
  ];
  if (invalid.length > 0) {
    return { problems: invalid.map(({ line, column, message }) => ({ file, line, column, keyPath: '', message: `invalid YAML: ${message}` })) };
  }

  const locate = (path: PathSegment[], at: 'key' | 'value' = 'value') => {
    let node: unknown = doc.contents;
    let keyNode: unknown;
    for (const segment of path) {
      const next = child(node, segment);
      if (!next) break;
      node = next.value;
      keyNode = next.key;
    }
    const target = (at === 'key' && keyNode) || node;
    const range = (target as Node | null)?.range;
    return range ? position(range[0]) : { line: 1, column: 1 };
  };

  return { source: { file, value: doc.toJS({ maxAliasCount: 100 }), locate }, problems: [] };
}

/**
 * Offsets of the keys that repeat a scalar key earlier in the same map, as yaml's uniqueKeys
 * compares them (equal scalar values; other keys are never equal), with one set per map.
 */
function duplicateKeys(doc: Document): number[] {
  const offsets: number[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const { key } of map.items) {
        if (!isScalar(key)) continue;
        if (seen.has(key.value)) offsets.push(key.range?.[0] ?? 0);
        seen.add(key.value);
      }
    },
  });
  // visit() reaches an outer map before the maps inside it; problems read in file order.
  return offsets.sort((a, b) => a - b);
}

// A map's pairs by key text, built once per map: locate() runs once for each problem, and
// searching the items each time made a file with many unknown keys quadratic.
const pairsByKey = new WeakMap<YAMLMap, Map<string, Pair>>();

function child(node: unknown, segment: PathSegment): { key?: unknown; value: unknown } | undefined {
  if (isMap(node) && typeof segment === 'string') {
    let pairs = pairsByKey.get(node);
    if (!pairs) {
      pairs = new Map(node.items.filter((p) => isPair(p) && isScalar(p.key)).map((p) => [String((p.key as Scalar).value), p]));
      pairsByKey.set(node, pairs);
    }
    const pair = pairs.get(segment);
    return pair ? { key: pair.key, value: pair.value ?? pair.key } : undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item ? { value: item } : undefined;
  }
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}
