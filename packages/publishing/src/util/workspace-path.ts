// Paths an input or the configuration names are read only inside the workspace, and only as
// regular files and directories: `/proc/self/environ` as a README would publish the step's
// secrets, `/dev/zero` would fill the memory, a FIFO would block the step for ever. Each path
// is resolved with its symlinks first, so a link in the checkout cannot point the read
// elsewhere, and a file is read with a size bound, from the very file that was checked.
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { formatBytes } from './format.js';
import { DomainError } from '../errors.js';

/** A path refused, with what was given, what it resolved to and what was expected; the caller names the input or key. */
export class WorkspacePathError extends DomainError {
  constructor(
    readonly given: string,
    message: string,
  ) {
    super(message);
  }
}

export interface WorkspaceEntry {
  /** The path with every symlink resolved. */
  real: string;
  kind: 'file' | 'directory';
  /** As it was when resolved: what a later read must still find. */
  stats: Stats;
}

const KIND = { file: 'a regular file', directory: 'a directory' } as const;

/** The workspace a runner checks out into: GITHUB_WORKSPACE, or the working directory outside a runner. */
export function actionWorkspace(): string {
  return process.env.GITHUB_WORKSPACE || process.cwd();
}

/**
 * What `given` (relative to `workspace`, or absolute) is once its symlinks are resolved;
 * undefined when nothing is there. Refused when it leads outside the workspace or to
 * anything but a regular file or a directory.
 */
export function workspaceEntry(workspace: string, given: string): WorkspaceEntry | undefined {
  const root = realpathSync.native(workspace);
  let real: string;
  try {
    real = realpathSync.native(path.resolve(workspace, given));
  } catch (err) {
    // A dangling symlink is missing too: there is nothing to read behind it.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new WorkspacePathError(given, `"${given}" cannot be resolved: ${(err as Error).message}`);
  }
  if (!isInside(root, real)) {
    throw new WorkspacePathError(given, `"${given}" resolves to ${real}, outside the workspace ${root}; expected a path inside the workspace`);
  }
  const stats = statSync(real);
  if (stats.isFile()) return { real, kind: 'file', stats };
  if (stats.isDirectory()) return { real, kind: 'directory', stats };
  throw new WorkspacePathError(given, `"${given}" (${real}) is ${kindOf(stats)}; expected a regular file or a directory`);
}

/** The real path of the directory `given`; refused when it is missing or not a directory inside the workspace. */
export function workspaceDirectory(workspace: string, given: string): string {
  return existing(workspace, given, 'directory').real;
}

/**
 * The contents of the regular file `given` inside the workspace, at most `maxBytes`. The file
 * is opened once and read from that descriptor after checking it is the file resolved, so a
 * path swapped for a link or a device between the check and the read is refused, not read;
 * no more than the checked size plus one byte is ever read, so a file that grows is noticed.
 */
export function readWorkspaceFile(workspace: string, given: string, maxBytes: number): Buffer {
  const entry = existing(workspace, given, 'file');
  const checked = entry.stats;
  refuseOver(given, entry.real, checked.size, maxBytes);
  // O_NONBLOCK: should a FIFO take the file's place, opening it must not wait for a writer.
  const fd = openSync(entry.real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile() || opened.dev !== checked.dev || opened.ino !== checked.ino) {
      throw new WorkspacePathError(given, `"${given}" (${entry.real}) was replaced while it was opened; expected a regular file that stays in place`);
    }
    refuseOver(given, entry.real, opened.size, maxBytes);
    const buffer = Buffer.alloc(opened.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, length);
      if (n === 0) break;
      length += n;
    }
    if (length > opened.size)
      throw new WorkspacePathError(given, `"${given}" (${entry.real}) grew while it was read; expected a file the build has finished writing`);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** The entry `given` names, refused unless it is `expected`. */
function existing(workspace: string, given: string, expected: WorkspaceEntry['kind']): WorkspaceEntry {
  const entry = workspaceEntry(workspace, given);
  if (!entry) {
    const absolute = path.resolve(workspace, given);
    throw new WorkspacePathError(
      given,
      `"${given}" does not exist${absolute === given ? '' : ` (looked for ${absolute})`}; expected ${KIND[expected]} inside the workspace`,
    );
  }
  if (entry.kind !== expected) throw new WorkspacePathError(given, `"${given}" (${entry.real}) is ${KIND[entry.kind]}; expected ${KIND[expected]}`);
  return entry;
}

/** Whether `real` is `root` or below it: compared by path segments, so /ws-evil is not inside /ws. */
export function isInside(root: string, real: string): boolean {
  const relative = path.relative(root, real);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

function refuseOver(given: string, real: string, size: number, maxBytes: number): void {
  if (size > maxBytes) throw new WorkspacePathError(given, `"${given}" (${real}) has ${formatBytes(size)}; expected at most ${formatBytes(maxBytes)}`);
}

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'neither a regular file nor a directory';
}
