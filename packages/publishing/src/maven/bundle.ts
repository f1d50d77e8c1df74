// The deployment bundle the Central Portal takes: a zip in the Maven repository layout holding
// every file of the components with its `.asc` signature and its `.md5`, `.sha1`, `.sha256`
// and `.sha512` checksums (hex digests; signatures get none, as Central specifies:
// https://central.sonatype.org/publish/publish-portal-upload/).
import { createHash } from 'node:crypto';
import { zipSync, type Zippable } from 'fflate';
import type { Component } from './component.js';
import type { Signer } from './signing.js';

const CHECKSUM_ALGORITHMS = ['md5', 'sha1', 'sha256', 'sha512'] as const;

export interface BundleEntry {
  path: string;
  bytes: Uint8Array;
}

/** Each file, then its signature, then its checksums; paths inside the zip are repository paths. */
export async function bundleEntries(components: readonly Component[], signer: Signer): Promise<BundleEntry[]> {
  const entries: BundleEntry[] = [];
  for (const component of components) {
    for (const file of component.files) {
      const filePath = `${component.path}/${file.name}`;
      entries.push({ path: filePath, bytes: file.bytes });
      entries.push({ path: `${filePath}.asc`, bytes: Buffer.from(await signer.sign(file.bytes)) });
      entries.push(...checksumEntries(filePath, file.bytes));
    }
  }
  return entries;
}

/** The `.md5`, `.sha1`, `.sha256` and `.sha512` files of the file at `filePath`. */
export function checksumEntries(filePath: string, bytes: Uint8Array): BundleEntry[] {
  return CHECKSUM_ALGORITHMS.map((algorithm) => ({ path: `${filePath}.${algorithm}`, bytes: Buffer.from(createHash(algorithm).update(bytes).digest('hex')) }));
}

export function zipBundle(entries: readonly BundleEntry[]): Uint8Array {
  const files: Zippable = {};
  // Archives gain nothing from a second compression: they are stored as they are.
  for (const { path, bytes } of entries) files[path] = [bytes, { level: /\.(jar|aar|war|zip)$/.test(path) ? 0 : 6 }];
  return zipSync(files);
}
