// The files one step writes for a later one (promote-image's record-file, the records the
// stage gate's promotions job reads back) live in the workspace or in the runner's temporary
// directory, where the stage gate keeps them (runner.temp). Nowhere else: a record path is an
// input, and a step that writes or reads anywhere an input says can overwrite the runner's
// files or print a secret's start in a parse error.
import { closeSync, constants, fstatSync, ftruncateSync, openSync, realpathSync, writeSync } from 'node:fs';
import path from 'node:path';
import { actionWorkspace, isInside, WorkspacePathError } from './workspace-path.js';

/** The directories a step's files may be in: the workspace, then the runner's temporary directory when there is one. */
export function stepRoots(): string[] {
  const temp = process.env.RUNNER_TEMP;
  return temp ? [actionWorkspace(), temp] : [actionWorkspace()];
}

export interface StepPath {
  /** The real path of the root that holds it. */
  root: string;
  /** The path with the symlinks of its existing part resolved; it need not exist. */
  real: string;
}

/**
 * Where `given` (relative to the first root, or absolute) is once the symlinks of its longest
 * existing part are resolved, and which root holds it; refused when none does.
 */
export function stepPath(roots: readonly string[], given: string): StepPath {
  let real: string;
  try {
    real = resolveExisting(path.resolve(roots[0], given));
  } catch (err) {
    throw new WorkspacePathError(given, `"${given}" cannot be resolved: ${(err as Error).message}`);
  }
  const reals = roots.flatMap((root) => {
    try {
      return [realpathSync.native(root)];
    } catch {
      return []; // a root that is not there holds nothing
    }
  });
  const root = reals.find((r) => isInside(r, real));
  if (root === undefined)
    throw new WorkspacePathError(
      given,
      `"${given}" resolves to ${real}, outside ${reals.map((r, i) => `${i === 0 ? 'the workspace' : "the runner's temporary directory"} ${r}`).join(' and ')}; expected a path inside ${reals.length > 1 ? 'one of them' : 'it'}`,
    );
  return { root, real };
}

/**
 * Writes `text` to the file `given` inside one of `roots`, created or replaced. Opened without
 * following a symlink in its place, and only written when what was opened is a regular file.
 */
export function writeStepFile(roots: readonly string[], given: string, text: string): void {
  const { real } = stepPath(roots, given);
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO in the file's place fails at once instead of waiting for a reader.
    fd = openSync(real, constants.O_WRONLY | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0), 0o644);
  } catch (err) {
    throw new WorkspacePathError(
      given,
      `"${given}" (${real}) cannot be written: ${(err as Error).message}; expected a regular file, or a new one in an existing directory`,
    );
  }
  try {
    if (!fstatSync(fd).isFile()) throw new WorkspacePathError(given, `"${given}" (${real}) is not a regular file; expected a regular file, or a new one`);
    ftruncateSync(fd);
    const bytes = Buffer.from(text, 'utf8');
    for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written, bytes.length - written);
  } finally {
    closeSync(fd);
  }
}

/** `absolute` with the symlinks of its longest existing prefix resolved, the rest as given. */
function resolveExisting(absolute: string): string {
  const missing: string[] = [];
  for (let existing = absolute; ; existing = path.dirname(existing)) {
    try {
      return path.join(realpathSync.native(existing), ...missing);
    } catch (err) {
      // A dangling symlink is missing too; writing refuses it, since it opens without following one.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(existing) === existing) throw err;
      missing.unshift(path.basename(existing));
    }
  }
}
