// Publishing prerelease components as -SNAPSHOT versions to the portal's snapshot repository
// (snapshot.ts says how they are laid out). Prepared like a release, before anything is
// published: each pom relabelled to the snapshot version, each file signed and checksummed.
// Published with PUTs, files first and each maven-metadata.xml last, so a consumer never
// reads metadata naming a build whose files are not there yet.
import type { Log } from '../log.js';
import { bundleEntries, checksumEntries, type BundleEntry } from './bundle.js';
import type { Component } from './component.js';
import { componentPath, formatCoordinates, parseArtifactFileName, type Coordinates } from './coordinates.js';
import type { Signer } from './signing.js';
import { artifactMetadata, lastBuildNumber, relabelPom, snapshotBuild, uniqueVersion, versionMetadata, type SnapshotFile } from './snapshot.js';
import type { SnapshotRepository } from './snapshot-repository.js';

export interface SnapshotComponent {
  /** At the -SNAPSHOT version. */
  coordinates: Coordinates;
  /** The version the build wrote, which the file names carry until they are published. */
  builtVersion: string;
  /** Each file with its signature and checksums, under the snapshot's directory. */
  entries: BundleEntry[];
  files: SnapshotFile[];
}

export async function prepareSnapshotComponents(components: readonly Component[], snapshot: string, signer: Signer): Promise<SnapshotComponent[]> {
  const prepared: SnapshotComponent[] = [];
  for (const component of components) {
    const coordinates = { groupId: component.groupId, artifactId: component.artifactId, version: snapshot };
    const files = component.files.map((f) =>
      f.name.endsWith('.pom') ? { ...f, bytes: Buffer.from(relabelPom(f.bytes.toString('utf8'), component.version, snapshot)) } : f,
    );
    const entries = await bundleEntries([{ ...coordinates, path: componentPath(coordinates), files }], signer);
    const kinds = files.map((f) => parseArtifactFileName(component.artifactId, component.version, f.name)!);
    prepared.push({ coordinates, builtVersion: component.version, entries, files: kinds });
  }
  return prepared;
}

/** Publishes each component as the next build of its snapshot; returns the unique versions published. */
export async function publishSnapshotComponents(
  repository: SnapshotRepository,
  components: readonly SnapshotComponent[],
  log: Log,
  now = new Date(),
): Promise<string[]> {
  const published: string[] = [];
  for (const component of components) {
    const { coordinates } = component;
    const dir = componentPath(coordinates);
    const build = snapshotBuild(now, lastBuildNumber(await repository.get(`${dir}/maven-metadata.xml`)));
    const unique = uniqueVersion(coordinates.version, build);
    const builtPrefix = `${dir}/${coordinates.artifactId}-${component.builtVersion}`;
    for (const entry of component.entries) {
      await repository.put(`${dir}/${coordinates.artifactId}-${unique}${entry.path.slice(builtPrefix.length)}`, entry.bytes);
    }
    await putWithChecksums(repository, `${dir}/maven-metadata.xml`, versionMetadata(coordinates, build, component.files));
    const artifactDir = dir.slice(0, dir.lastIndexOf('/'));
    const listed = await repository.get(`${artifactDir}/maven-metadata.xml`);
    await putWithChecksums(repository, `${artifactDir}/maven-metadata.xml`, artifactMetadata(listed, coordinates, build.lastUpdated));
    log.info(`${formatCoordinates(coordinates)}: published to ${repository.url} as ${unique} (${component.files.length} file(s), signed and checksummed)`);
    published.push(unique);
  }
  return published;
}

async function putWithChecksums(repository: SnapshotRepository, path: string, text: string): Promise<void> {
  const bytes = Buffer.from(text);
  await repository.put(path, bytes);
  for (const checksum of checksumEntries(path, bytes)) await repository.put(checksum.path, checksum.bytes);
}
