// Bundles each action (actions/<name>/index.ts) into dist/<name>/ with ncc: one ESM file
// with its sourcemap and the licenses of what it bundles. Output is deterministic, so
// scripts/check-dist can compare a fresh build with the committed one.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const outRoot = process.argv[2] ? path.resolve(process.argv[2]) : path.join(root, 'dist');
const ncc = path.join(root, 'node_modules', '.bin', 'ncc');

const actions = readdirSync(path.join(root, 'actions')).filter((name) =>
  existsSync(path.join(root, 'actions', name, 'index.ts')),
);

rmSync(outRoot, { recursive: true, force: true });
for (const name of actions) {
  const out = path.join(outRoot, name);
  process.stdout.write(`bundling ${name} -> ${path.relative(root, out)}\n`);
  execFileSync(ncc, ['build', `actions/${name}/index.ts`, '-o', out, '--source-map', '--license', 'licenses.txt', '--quiet'], {
    cwd: root,
    stdio: 'inherit',
  });
}
