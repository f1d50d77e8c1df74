// -SNAPSHOT releases. Since 2025 the Central Portal takes them into its snapshot repository,
// https://central.sonatype.com/repository/maven-snapshots/, for namespaces with SNAPSHOTs
// enabled, through the API `mvn deploy` speaks (PUTs in the repository layout), unvalidated
// and cleaned up after 90 days (https://central.sonatype.org/publish/publish-portal-snapshots/).
// A branch or force-published build is a prerelease: generate-version's maven-version
// 1.0.42-alpha-branch.x.g1a2b3c4 is published as 1.0.42-SNAPSHOT, each run a new timestamped
// build of it, as Maven's deployer lays snapshots out: files named
// <artifactId>-1.0.42-<yyyyMMdd.HHmmss>-<buildNumber>[-classifier].<ext>, and maven-metadata.xml
// beside them naming the newest, which a consumer of 1.0.42-SNAPSHOT resolves through.
import type { Coordinates } from './coordinates.js';
import { childElement, childElements, childText, parseXml } from './xml.js';

export const SNAPSHOT_SUFFIX = '-SNAPSHOT';

/** Where the portal at `centralUrl` keeps snapshots. */
export function snapshotRepositoryUrl(centralUrl: string): string {
  return `${centralUrl.replace(/\/+$/, '')}/repository/maven-snapshots/`;
}

/** The -SNAPSHOT version a prerelease publishes as (one that is already a SNAPSHOT as it is); undefined for a release. */
export function snapshotVersion(version: string): string | undefined {
  if (version.endsWith(SNAPSHOT_SUFFIX)) return version;
  const dash = version.indexOf('-');
  return dash < 0 ? undefined : `${version.slice(0, dash)}${SNAPSHOT_SUFFIX}`;
}

export interface SnapshotBuild {
  /** yyyyMMdd.HHmmss, UTC. */
  timestamp: string;
  /** One more than the repository's last build of this snapshot. */
  buildNumber: number;
  /** yyyyMMddHHmmss, UTC, as maven-metadata.xml's lastUpdated. */
  lastUpdated: string;
}

export function snapshotBuild(now: Date, lastBuildNumber: number): SnapshotBuild {
  const digits = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return { timestamp: `${digits.slice(0, 8)}.${digits.slice(8)}`, buildNumber: lastBuildNumber + 1, lastUpdated: digits };
}

/** 1.0.42-SNAPSHOT built at 20250101.120000 as build 3: 1.0.42-20250101.120000-3. */
export function uniqueVersion(snapshot: string, build: SnapshotBuild): string {
  return `${snapshot.slice(0, -SNAPSHOT_SUFFIX.length)}-${build.timestamp}-${build.buildNumber}`;
}

/** The build number in a snapshot's maven-metadata.xml; 0 when there is none yet (or it names none). */
export function lastBuildNumber(metadata: string | undefined): number {
  if (metadata === undefined) return 0;
  const number = Number(childText(childElement(childElement(parseXml(metadata), 'versioning'), 'snapshot'), 'buildNumber'));
  return Number.isInteger(number) && number > 0 ? number : 0;
}

/**
 * The pom of a component built at `built`, published at `snapshot`: every <version> that is
 * exactly the built version (the project's, a parent's or a dependency's of the same release)
 * becomes the snapshot, so the components keep depending on each other.
 */
export function relabelPom(pom: string, built: string, snapshot: string): string {
  const escaped = built.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return pom.replace(new RegExp(`<version>(\\s*)${escaped}(\\s*)</version>`, 'g'), `<version>$1${snapshot}$2</version>`);
}

export interface SnapshotFile {
  classifier: string;
  extension: string;
}

/** The snapshot's own maven-metadata.xml: which timestamped file is the newest of each kind. */
export function versionMetadata(component: Coordinates, build: SnapshotBuild, files: readonly SnapshotFile[]): string {
  const value = uniqueVersion(component.version, build);
  const versions = files.map(
    (f) =>
      `      <snapshotVersion>\n${f.classifier ? `        <classifier>${f.classifier}</classifier>\n` : ''}        <extension>${f.extension}</extension>\n` +
      `        <value>${value}</value>\n        <updated>${build.lastUpdated}</updated>\n      </snapshotVersion>\n`,
  );
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<metadata modelVersion="1.1.0">\n  <groupId>${component.groupId}</groupId>\n  <artifactId>${component.artifactId}</artifactId>\n` +
    `  <version>${component.version}</version>\n  <versioning>\n    <snapshot>\n      <timestamp>${build.timestamp}</timestamp>\n      <buildNumber>${build.buildNumber}</buildNumber>\n    </snapshot>\n` +
    `    <lastUpdated>${build.lastUpdated}</lastUpdated>\n    <snapshotVersions>\n${versions.join('')}    </snapshotVersions>\n  </versioning>\n</metadata>\n`
  );
}

/** The artifact's maven-metadata.xml: the versions it has, this snapshot added to those `existing` lists. */
export function artifactMetadata(existing: string | undefined, component: Coordinates, lastUpdated: string): string {
  const listed =
    existing === undefined ? [] : childElements(childElement(childElement(parseXml(existing), 'versioning'), 'versions'), 'version').map((v) => v.text.trim());
  const versions = [...new Set([...listed.filter(Boolean), component.version])];
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<metadata>\n  <groupId>${component.groupId}</groupId>\n  <artifactId>${component.artifactId}</artifactId>\n  <versioning>\n` +
    `    <latest>${component.version}</latest>\n    <versions>\n${versions.map((v) => `      <version>${v}</version>\n`).join('')}    </versions>\n` +
    `    <lastUpdated>${lastUpdated}</lastUpdated>\n  </versioning>\n</metadata>\n`
  );
}
