// Bundles each action (actions/<name>/index.ts) into dist/<name>/ with ncc: one ESM file
// with its sourcemap and the licenses of what it bundles. The sourcemap is for people
// reading a bundle position; it is not registered at run time (source-map-support), as
// the actions report failures by message, never by stack, and registering it cost 7 ms of
// every start (promote-image's warm re-run: 99.6 ms against 107.0 ms). ncc type-checks what
// tsconfig.json covers (the shipped sources, not the tests). Output is deterministic, so
// scripts/check-dist can compare a fresh build with the committed one.
//
// @actions/core imports @actions/http-client for one function, getIDToken (OIDC), which no
// action calls; bundled, it brings undici: 900 KB of the 1.1 MB bundle, and 30 ms of every
// action's start (compiling it, loading TLS, HTTP/2 and workers). Bundles leave it out and
// import a stand-in that fails loudly if it is ever used (scripts/http-client-left-out.js),
// except where @actions/github needs the real one when it is loaded (its proxy agent).
//
// Likewise @actions/core imports @actions/exec (and through it @actions/io, child_process and
// assert) for one function, platform.getDetails, which no action calls. promote-image runs no
// program through it (a Docker credential helper it spawns itself, loaded only then), so its
// bundle takes the stand-in scripts/exec-left-out.js: 1.4 MB less memory at start, and 3 to 5
// ms less of every start, which a warm re-run is mostly made of.
//
// The suite's own undici (for HTTP_PROXY/HTTPS_PROXY/NO_PROXY, packages/publishing/src/http/
// undici-pool.ts) is imported dynamically, so ncc puts it in chunks of its own (<id>.index.js)
// that a run loads only when a proxy variable is set: index.js stays small and quick to start.
//
//   node scripts/build.mjs [--out DIR] [ACTION ...]    (default: every action, into dist/)
import ncc from '@vercel/ncc';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true });
const outRoot = path.resolve(values.out ?? path.join(root, 'dist'));

const HTTP_CLIENT_STAND_IN = 'http-client-left-out.js';
/** Actions that load @actions/github, which builds its proxy agent with @actions/http-client on import. */
const NEEDS_HTTP_CLIENT = new Set(['generate-version']);
const EXEC_STAND_IN = 'exec-left-out.js';
/** Actions that run no program through @actions/exec (git and npm do, in the others). */
const LEAVES_EXEC_OUT = new Set(['promote-image']);

const all = readdirSync(path.join(root, 'actions')).filter((name) => existsSync(path.join(root, 'actions', name, 'index.ts')));
const unknown = positionals.filter((name) => !all.includes(name));
if (unknown.length > 0) throw new Error(`no action entry actions/<name>/index.ts for: ${unknown.join(', ')}`);
const actions = positionals.length > 0 ? positionals : all;

// ncc finds tsconfig.json and node_modules from the working directory.
process.chdir(root);
if (positionals.length === 0) rmSync(outRoot, { recursive: true, force: true });
for (const name of actions) {
  const out = path.join(outRoot, name);
  rmSync(out, { recursive: true, force: true });
  process.stdout.write(`bundling ${name} -> ${path.relative(root, out) || out}\n`);
  const leaveOut = !NEEDS_HTTP_CLIENT.has(name);
  const leaveExecOut = LEAVES_EXEC_OUT.has(name);
  const externals = {
    ...(leaveOut ? { '@actions/http-client': `./${HTTP_CLIENT_STAND_IN}`, '@actions/http-client/lib/auth': `./${HTTP_CLIENT_STAND_IN}` } : {}),
    ...(leaveExecOut ? { '@actions/exec': `./${EXEC_STAND_IN}` } : {}),
  };
  const { code, map, assets } = await ncc(path.join(root, 'actions', name, 'index.ts'), {
    sourceMap: true,
    sourceMapRegister: false,
    license: 'licenses.txt',
    quiet: true,
    externals,
  });
  // webpack turns a module it cannot resolve into code that throws when the action runs; a
  // bundle with one must not be written.
  const missing = [...new Set([...code.matchAll(/Cannot find module '([^']+)'/g)].map((m) => m[1]))];
  if (missing.length > 0) throw new Error(`${name}: ncc could not resolve ${missing.join(', ')}`);
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'index.js'), code);
  writeFileSync(path.join(out, 'index.js.map'), map);
  for (const [file, asset] of Object.entries(assets)) writeFileSync(path.join(out, file), asset.source);
  if (leaveOut) copyFileSync(path.join(root, 'scripts', HTTP_CLIENT_STAND_IN), path.join(out, HTTP_CLIENT_STAND_IN));
  if (leaveExecOut) copyFileSync(path.join(root, 'scripts', EXEC_STAND_IN), path.join(out, EXEC_STAND_IN));
}
