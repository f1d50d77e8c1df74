// Makes the workspace package @ci-actions/publishing importable by name from TypeScript the
// project compiled into OUT_DIR (tsc with rootDir at the repository root, so the package's
// sources land in OUT_DIR/packages/publishing/src). The package's own package.json exports
// its TypeScript sources, which is what tsc, ncc and Jest read; Node 20 runs only the
// emitted JavaScript, so OUT_DIR gets a node_modules entry of its own that exports that.
//
//   node scripts/compiled-package.mjs OUT_DIR     (scripts/demo; scripts/run-ts.mjs imports it)
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function linkCompiledPackage(outDir) {
  const entry = path.join(outDir, 'node_modules', '@ci-actions', 'publishing');
  rmSync(entry, { recursive: true, force: true });
  mkdirSync(entry, { recursive: true });
  writeFileSync(path.join(entry, 'package.json'), JSON.stringify({ name: '@ci-actions/publishing', type: 'module', exports: { './*.js': './src/*.js' } }));
  symlinkSync(path.resolve(outDir, 'packages', 'publishing', 'src'), path.join(entry, 'src'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2];
  if (!outDir) {
    process.stderr.write('usage: node scripts/compiled-package.mjs OUT_DIR\n');
    process.exit(2);
  }
  linkCompiledPackage(outDir);
}
