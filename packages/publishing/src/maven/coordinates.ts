// Maven coordinates and the file names of a component in the Maven repository layout:
// <group path>/<artifactId>/<version>/<artifactId>-<version>[-<classifier>].<extension>.

export interface Coordinates {
  groupId: string;
  artifactId: string;
  version: string;
}

// Maven's own rule for ids (the model validator's [A-Za-z0-9_\-.]+), without empty segments.
const ID = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

export function isMavenId(id: string): boolean {
  return ID.test(id);
}

/** Why Maven Central would not take `version`, or undefined; a SNAPSHOT only goes to the snapshot repository, when `snapshots` is on. */
export function mavenVersionProblem(version: string, snapshots: boolean): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(version)) return `"${version}" is not a Maven version: use letters, digits and . _ + - (e.g. 1.0.42)`;
  if (/SNAPSHOT$/i.test(version) && !(snapshots && version.endsWith('-SNAPSHOT'))) {
    return `"${version}" is a SNAPSHOT version, which Maven Central takes into its snapshot repository only: set maven-snapshots to true, or publish a release or prerelease version`;
  }
  return undefined;
}

export function componentPath({ groupId, artifactId, version }: Coordinates): string {
  return `${groupId.split('.').join('/')}/${artifactId}/${version}`;
}

export function formatCoordinates({ groupId, artifactId, version }: Coordinates): string {
  return `${groupId}:${artifactId}:${version}`;
}

/** Central names components by package URL in its status reports. */
export function purl({ groupId, artifactId, version }: Coordinates): string {
  return `pkg:maven/${groupId}/${artifactId}@${version}`;
}

/** Files a build leaves next to the artifacts that the bundle makes afresh or does not carry. */
export function isDerivedFile(name: string): boolean {
  return /\.(asc|md5|sha1|sha256|sha512|lastUpdated)$/.test(name) || /^maven-metadata.*\.xml$/.test(name) || name === '_remote.repositories';
}

/** `<artifactId>-<version>[-<classifier>].<extension>` read back; undefined when the name is not one. */
export function parseArtifactFileName(artifactId: string, version: string, name: string): { classifier: string; extension: string } | undefined {
  const prefix = `${artifactId}-${version}`;
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  const match = /^(?:-([^.]+))?\.(.+)$/.exec(rest);
  return match ? { classifier: match[1] ?? '', extension: match[2] } : undefined;
}

/**
 * Files Central requires of a component that are not among `files`: the pom, and unless the
 * packaging is pom, the main artifact and the sources and javadoc jars.
 */
export function missingArtifactFiles(artifactId: string, version: string, packaging: string, files: readonly string[]): string[] {
  const prefix = `${artifactId}-${version}`;
  const required = [`${prefix}.pom`];
  if (packaging !== 'pom') required.push(`${prefix}.${mainExtension(packaging)}`, `${prefix}-sources.jar`, `${prefix}-javadoc.jar`);
  return required.filter((name) => !files.includes(name));
}

// Packagings whose artifact is a jar under another name; the rest (jar, aar, war, ...) are their own extension.
function mainExtension(packaging: string): string {
  return packaging === 'bundle' || packaging === 'maven-plugin' ? 'jar' : packaging;
}
