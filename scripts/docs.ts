// npm run docs [-- --check]: regenerates the README's per-action reference blocks from each
// <action>/action.yml and the rollback section; --check writes nothing and fails when
// README.md differs from what would be generated (CI runs it). Run by scripts/run-ts.mjs (npm run docs).
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DocsError, parseActionMetadata, updateReadme, type ActionMetadata, type DocsOptions } from '../tools/release/index.js';

export interface DocsIo {
  cwd: string;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** How the README shows `uses:`: the owner is the reader's fork or org; users pin the major tag. */
export const DOCS_OPTIONS: DocsOptions = {
  repository: '<owner>/ci-actions',
  ref: 'v1',
  examples: {
    'promote-image': {
      source: 'ghcr.io/acme/app@${{ needs.build.outputs.digest }}',
      destination: 'docker.io/acme/app',
      tags: '${{ needs.version.outputs.docker-tags }}',
    },
    'publish-clients': { version: '${{ needs.version.outputs.version }}' },
  },
};

const USAGE = 'usage: npm run docs [-- --check]';

/** The actions: every folder at the root with an action.yml, by name. */
export async function readActions(root: string): Promise<ActionMetadata[]> {
  const entries = await readdir(root, { withFileTypes: true });
  const folders = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules' && existsSync(path.join(root, e.name, 'action.yml')))
    .map((e) => e.name)
    .sort();
  return Promise.all(folders.map(async (id) => parseActionMetadata(id, await readFile(path.join(root, id, 'action.yml'), 'utf8'))));
}

export async function main(argv: string[], io: DocsIo): Promise<number> {
  let check: boolean;
  try {
    const { values } = parseArgs({ args: argv, options: { check: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    check = values.check === true;
  } catch (err) {
    io.err(`docs: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const readmePath = path.join(io.cwd, 'README.md');
  try {
    const actions = await readActions(io.cwd);
    const readme = await readFile(readmePath, 'utf8');
    const { text, changed } = updateReadme(readme, actions, DOCS_OPTIONS);
    if (check) {
      if (changed.length > 0) {
        io.err(`docs: README.md is stale: ${changed.join(', ')} differ from what action.yml generates. Run "npm run docs" and commit README.md.`);
        return 1;
      }
      io.out(`docs: README.md is up to date (${actions.length} actions)`);
      return 0;
    }
    if (changed.length > 0) await writeFile(readmePath, text);
    io.out(changed.length > 0 ? `docs: README.md updated: ${changed.join(', ')}` : `docs: README.md already up to date (${actions.length} actions)`);
    return 0;
  } catch (err) {
    if (err instanceof DocsError || (err as NodeJS.ErrnoException).code === 'ENOENT') {
      io.err(`docs: ${(err as Error).message}`);
      return 1;
    }
    throw err;
  }
}
