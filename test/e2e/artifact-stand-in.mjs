// Stands in for actions/upload-artifact and actions/download-artifact under act, offline: the
// real actions cannot be fetched from GitHub here. The artifacts of a run are directories
// under E2E_ARTIFACTS (one per act run, act.ts), one per name. It does what the stage gate
// asks of them: upload one file or directory under a name (overwrite, if-no-files-found),
// download by name or by a pattern (`*` only) into a path, each artifact into path/<name>
// when several match and merge-multiple is not true, as download-artifact v8 does.
import fs from 'node:fs';
import path from 'node:path';

const input = (name) => (process.env[`INPUT_${name.toUpperCase()}`] ?? '').trim();
const fail = (message) => {
  console.log(`::error::${message}`);
  process.exit(1);
};
const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
const resolve = (p) => path.resolve(workspace, p || '.');

export function run(mode) {
  const store = process.env.E2E_ARTIFACTS;
  if (!store) fail('E2E_ARTIFACTS is not set: the e2e artifact stand-in has nowhere to keep artifacts');
  fs.mkdirSync(store, { recursive: true });
  if (mode === 'upload') {
    const name = input('name') || 'artifact';
    const source = resolve(input('path'));
    if (!fs.existsSync(source)) {
      if (input('if-no-files-found') === 'error') fail(`No files were found with the provided path: ${input('path')}. No artifacts will be uploaded.`);
      return console.log(`no files at ${source}: nothing uploaded`);
    }
    const target = path.join(store, name);
    if (fs.existsSync(target)) {
      if (input('overwrite') !== 'true') fail(`an artifact with the name ${name} already exists in this run (overwrite is not true)`);
      fs.rmSync(target, { recursive: true });
    }
    fs.mkdirSync(target);
    const into = fs.statSync(source).isDirectory() ? target : path.join(target, path.basename(source));
    fs.cpSync(source, into, { recursive: true });
    return console.log(`uploaded ${source} as artifact ${name}`);
  }
  const name = input('name');
  const pattern = input('pattern');
  const matcher = new RegExp(
    `^${(pattern || '*')
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  const names = fs.readdirSync(store).filter((n) => (name ? n === name : matcher.test(n)));
  if (name && names.length === 0) fail(`Artifact not found for name: ${name}`);
  const destination = resolve(input('path'));
  for (const n of names) {
    const into = name || input('merge-multiple') === 'true' || names.length === 1 ? destination : path.join(destination, n);
    fs.mkdirSync(into, { recursive: true });
    fs.cpSync(path.join(store, n), into, { recursive: true });
    console.log(`downloaded artifact ${n} to ${into}`);
  }
  if (names.length === 0) console.log(`no artifact matches ${pattern}`);
}
