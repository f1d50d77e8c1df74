// Where every benchmark leaves its table: bench/results/<name>.md, and on stdout.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../test/support/paths.js';

export function writeResults(name: string, table: string): void {
  mkdirSync(path.join(repoRoot, 'bench/results'), { recursive: true });
  writeFileSync(path.join(repoRoot, `bench/results/${name}.md`), table);
  process.stdout.write(`\n${table}`);
}
