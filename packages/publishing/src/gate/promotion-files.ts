// The promote legs' record files, as the stage gate's promotions job downloads them: every
// *.json under one directory, which must be in the workspace or the runner's temporary
// directory. Bounded in number and size, so a directory given by mistake (a checkout, /etc)
// is refused rather than read, and its files' text never reaches the log.
import { opendirSync } from 'node:fs';
import path from 'node:path';
import { DomainError } from '../errors.js';
import { stepPath } from '../util/step-files.js';
import { readWorkspaceFile, workspaceEntry, WorkspacePathError } from '../util/workspace-path.js';

/** More than a record holds (a few hundred bytes, a line per reference). */
const MAX_RECORD_BYTES = 64 * 1024;
/** GitHub runs at most 256 jobs of one matrix: one record each. */
const MAX_RECORD_FILES = 256;

export interface RecordFile {
  origin: string;
  text: string;
}

/** The record files under `given`; undefined when it does not exist (no leg uploaded a record). */
export function readPromotionRecordFiles(roots: readonly string[], given: string): RecordFile[] | undefined {
  const { root, real } = stepPath(roots, given);
  const entry = workspaceEntry(root, real);
  if (!entry) return undefined;
  if (entry.kind !== 'directory') throw new WorkspacePathError(given, `"${given}" (${entry.real}) is a regular file; expected a directory of record files`);
  return recordPaths(given, entry.real).map((file) => ({ origin: file, text: readWorkspaceFile(root, file, MAX_RECORD_BYTES).toString('utf8') }));
}

/** The *.json files at any depth under `dir`, refused past MAX_RECORD_FILES without listing the rest. */
function recordPaths(given: string, dir: string): string[] {
  const files: string[] = [];
  const listing = opendirSync(dir, { recursive: true });
  try {
    for (let e = listing.readSync(); e !== null; e = listing.readSync()) {
      if (!e.isFile() || !e.name.endsWith('.json')) continue;
      if (files.length === MAX_RECORD_FILES)
        throw new DomainError(`"${given}" holds more than ${MAX_RECORD_FILES} *.json files; expected promote-image's record files only, one per promote leg`);
      files.push(path.join(e.parentPath, e.name));
    }
  } finally {
    listing.closeSync();
  }
  return files.sort();
}
