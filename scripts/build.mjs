// Bundles each action (actions/<name>/index.ts) into dist/<name>/ with ncc: one ESM file
// with its sourcemap and the licenses of what it bundles. ncc type-checks what
// tsconfig.json covers (the shipped sources, not the tests). Output is deterministic, so
// scripts/check-dist can compare a fresh build with the committed one.
//
//   node scripts/build.mjs [--out DIR] [ACTION ...]    (default: every action, into dist/)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true });
const outRoot = path.resolve(values.out ?? path.join(root, 'dist'));
const ncc = path.join(root, 'node_modules', '.bin', 'ncc');

const all = readdirSync(path.join(root, 'actions')).filter((name) => existsSync(path.join(root, 'actions', name, 'index.ts')));
const unknown = positionals.filter((name) => !all.includes(name));
if (unknown.length > 0) throw new Error(`no action entry actions/<name>/index.ts for: ${unknown.join(', ')}`);
const actions = positionals.length > 0 ? positionals : all;

if (positionals.length === 0) rmSync(outRoot, { recursive: true, force: true });
for (const name of actions) {
  const out = path.join(outRoot, name);
  rmSync(out, { recursive: true, force: true });
  process.stdout.write(`bundling ${name} -> ${path.relative(root, out) || out}\n`);
  execFileSync(ncc, ['build', `actions/${name}/index.ts`, '-o', out, '--source-map', '--license', 'licenses.txt', '--quiet'], {
    cwd: root,
    stdio: 'inherit',
  });
}
