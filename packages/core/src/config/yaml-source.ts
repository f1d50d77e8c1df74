// YAML parsing that remembers where every value came from. js-yaml (the first plan)
// reports positions only for syntax errors; `yaml` keeps a node tree with source ranges,
// so a schema error on `docker.images[1].name` can point at its line and column.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
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

export function parseYamlSource(file: string, text: string): { source?: YamlSource; problems: ConfigProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
        return { file, line: pos.line, column: pos.col, keyPath: '', message: `invalid YAML: ${firstLine(e.message)}` };
      }),
    };
  }

  const position = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };

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

function child(node: unknown, segment: PathSegment): { key?: unknown; value: unknown } | undefined {
  if (isMap(node) && typeof segment === 'string') {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === segment);
    return pair ? { key: pair.key, value: pair.value ?? pair.key } : undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item ? { value: item } : undefined;
  }
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
