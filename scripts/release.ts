// npm run release -- VERSION [--push] [--dry-run] [--no-verify] [--notes-file FILE] [--remote NAME]
//
// Releases the suite from this checkout (tools/release does the work): refuses a
// version not above the last release, a dirty work tree, failing checks; writes the changelog
// in a release commit "release: vX.Y.Z", tags it vX.Y.Z (annotated), moves vX onto it and,
// with --push, pushes the branch and both tags in one atomic push. The GitHub release is
// made by .github/workflows/release.yml, which the pushed tag starts. Run by scripts/run-ts.mjs (npm run release).
import { spawn } from 'node:child_process';
import { appendFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ReleaseRefusal, runRelease } from '../tools/release/index.js';

export interface ReleaseIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
  /** The release checks; the real ones (.ci/run) when not given. */
  verify?: () => Promise<void>;
}

export const USAGE = `usage: npm run release -- VERSION [--push] [--dry-run] [--no-verify] [--notes-file FILE] [--remote NAME]

  VERSION        MAJOR.MINOR.PATCH (or vMAJOR.MINOR.PATCH), above every released version
  --push         push the branch, vX.Y.Z and the moved vX to the remote (one atomic push)
  --dry-run      say what would happen; run no check, write and push nothing
  --no-verify    skip the checks (.ci/run: dist/ fresh, types, README docs, tests); only for
                 the release workflow, whose verify job ran them on this very commit
  --notes-file   write the release notes (the changelog section) to FILE, for gh release create
  --remote       the remote to push to (default: origin)`;

/** The checks a release needs are CI's: .ci/run (dist/ against the sources, types, README docs, the tests). */
export function ciChecks(cwd: string): () => Promise<void> {
  return () =>
    new Promise((resolve, reject) => {
      const child = spawn('bash', [path.join('.ci', 'run')], { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
      child.on('error', reject);
      child.on('exit', (code, signal) =>
        code === 0 ? resolve() : reject(new Error(`.ci/run failed (${signal ?? `exit ${code}`}); its log above says which check`)),
      );
    });
}

export async function main(argv: string[], io: ReleaseIo): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        push: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        'no-verify': { type: 'boolean', default: false },
        'notes-file': { type: 'string' },
        remote: { type: 'string', default: 'origin' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    io.err(`release: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    io.err(`release: ${positionals.length === 0 ? 'which version? ' : 'one version only; '}\n${USAGE}`);
    return 2;
  }
  const skip = async () => io.out('release checks skipped (--no-verify)');
  try {
    const result = await runRelease({
      cwd: io.cwd,
      version: positionals[0],
      push: values.push === true,
      dryRun: values['dry-run'] === true,
      remote: values.remote,
      verify: values['no-verify'] ? skip : (io.verify ?? ciChecks(io.cwd)),
      log: (line) => io.out(`release: ${line}`),
    });
    if (values['notes-file']) await writeFile(path.resolve(io.cwd, values['notes-file']), result.notes);
    if (io.env.GITHUB_OUTPUT && !values['dry-run']) {
      const outputs = { version: result.version, tag: result.tag, 'major-tag': result.majorTag, commit: result.commit };
      await appendFile(
        io.env.GITHUB_OUTPUT,
        Object.entries(outputs)
          .map(([k, v]) => `${k}=${v}\n`)
          .join(''),
      );
    }
    io.out('');
    io.out(`${values['dry-run'] ? 'would release' : 'released'} ${result.tag}; notes:`);
    io.out('');
    io.out(result.notes.trimEnd());
    return 0;
  } catch (err) {
    if (err instanceof ReleaseRefusal) {
      io.err(`release: refused: ${err.message}`);
      return 1;
    }
    io.err(`release: failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
