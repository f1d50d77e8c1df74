#!/usr/bin/env node
// node scripts/run-ts.mjs NAME [ARGS...]: runs the TypeScript script scripts/NAME.ts
// (`npm run release` and `npm run docs` go through here).
//
// Those scripts are TypeScript because they use the suite's release and docs tooling (tools/)
// and @ci-actions/publishing's git code, which the tests exercise, and `npm run typecheck` checks them
// with the rest. Node 20 does not run TypeScript, so this compiles the script and what it imports with the project's own
// tsconfig.json (a type error stops it; about 2 s) into a fresh folder under .cache/scripts/ and calls its
// main(argv, io), exiting with what it returns.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { linkCompiledPackage } from './compiled-package.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [name, ...args] = process.argv.slice(2);
const entry = name && /^[a-z][a-z0-9-]*$/.test(name) ? path.join(root, 'scripts', `${name}.ts`) : undefined;
if (!entry || !existsSync(entry)) {
  process.stderr.write(`usage: node scripts/run-ts.mjs NAME [ARGS...], where scripts/NAME.ts exists\n`);
  process.exit(2);
}

// Inside the repository, so that the compiled code finds node_modules; one folder per run,
// so that runs at the same time (a test and a maintainer's) do not share one.
mkdirSync(path.join(root, '.cache', 'scripts'), { recursive: true });
const outDir = mkdtempSync(path.join(root, '.cache', 'scripts', `${name}-`));
process.on('exit', () => rmSync(outDir, { recursive: true, force: true }));
const configFile = path.join(root, 'tsconfig.json');
const { config, error } = ts.readConfigFile(configFile, ts.sys.readFile);
if (error) fail([error]);
const parsed = ts.parseJsonConfigFileContent(
  config,
  ts.sys,
  root,
  {
    outDir,
    rootDir: root,
    noEmit: false,
    sourceMap: false,
    declaration: false,
    paths: { '@ci-actions/publishing/*': [path.join(root, 'packages/publishing/src/*')] },
  },
  configFile,
);
const program = ts.createProgram({ rootNames: [entry], options: parsed.options });
const diagnostics = ts.getPreEmitDiagnostics(program);
if (diagnostics.length > 0) fail(diagnostics);
const emitted = program.emit();
if (emitted.emitSkipped || emitted.diagnostics.length > 0) fail(emitted.diagnostics);

// The scripts import the workspace package @ci-actions/publishing by name. Resolved through
// node_modules, tsc would take it for a library and not emit it: compile it through `paths`,
// then point the name at the JavaScript emitted beside the scripts.
linkCompiledPackage(outDir);

const script = await import(pathToFileURL(path.join(outDir, 'scripts', `${name}.js`)).href);
process.exitCode = await script.main(args, {
  cwd: process.cwd(),
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});

function fail(problems) {
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
  process.stderr.write(ts.formatDiagnostics(problems, host));
  process.stderr.write(`scripts/${name}.ts does not compile: fix it (npm run typecheck shows the same errors)\n`);
  process.exit(1);
}
