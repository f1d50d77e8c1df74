// Packs a package at the build's version without writing to the checkout. npm lists what the
// package contains (its `files`, ignore rules and bundled dependencies, judged in the repository
// where they live); those files are copied into the step's temporary directory, the copy's
// package.json takes the version, and npm packs the copy. Editing the checkout instead would
// leave it modified whenever the step is cancelled between the edit and the restore.
//
// No lifecycle script runs (--ignore-scripts): what is published is what the pipeline built
// and tested, not a rebuild that would need the dev dependencies and could differ.
// npm packs deterministically (fixed file times and order), so a re-run of the same build
// produces the same tarball, which is how an already published version is recognised.
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NpmError, parseNpmJson, tryNpm } from './cli.js';
import { pinSiblings } from './dependencies.js';

export interface PackedPackage {
  name: string;
  version: string;
  tarball: string;
  /** `sha512-<base64>`, as the registry reports it in dist.integrity. */
  integrity: string;
  /** SHA-1 of the tarball in hex, as npm stage list reports a staged version's. */
  shasum: string;
  fileCount: number;
  size: number;
}

interface PackReport {
  name: string;
  version: string;
  filename: string;
  integrity: string;
  shasum: string;
  size: number;
  files: { path: string }[];
}

/** `siblings`: the packages published at the same version, whose dependents are pinned to it. */
export async function packAtVersion(dir: string, version: string, workDir: string, siblings: ReadonlySet<string>): Promise<PackedPackage> {
  const contents = await pack(dir, ['--dry-run']);
  const copy = await mkdtemp(path.join(workDir, 'package-'));
  for (const file of contents.files) {
    const target = path.join(copy, file.path);
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(path.join(dir, file.path), target);
  }
  const manifestPath = path.join(copy, 'package.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
  // Spreading keeps "version" where it was, so the packed package.json reads like the original.
  await writeFile(manifestPath, `${JSON.stringify(pinSiblings({ ...manifest, version }, siblings, version), null, 2)}\n`);
  const packed = await pack(copy, ['--pack-destination', workDir]);
  return {
    name: packed.name,
    version: packed.version,
    tarball: path.join(workDir, packed.filename),
    integrity: packed.integrity,
    shasum: packed.shasum,
    fileCount: packed.files.length,
    size: packed.size,
  };
}

async function pack(dir: string, extra: string[]): Promise<PackReport> {
  const args = ['pack', '--json', '--ignore-scripts', ...extra];
  const output = await tryNpm(dir, args);
  if (output.exitCode !== 0) throw new NpmError(dir, args, output);
  const report = (parseNpmJson(dir, args, output) as PackReport[] | undefined)?.[0];
  if (!report?.integrity || !Array.isArray(report.files)) throw new NpmError(dir, args, { ...output, stderr: 'npm pack reported no package' });
  return report;
}
