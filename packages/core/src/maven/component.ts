// The components of a release in a local Maven repository directory: what `mvn deploy` to a
// file repository or Gradle's `publish` to a `maven { url = ... }` repository writes. A
// component is <group path>/<artifactId>/<version>/ with the pom and the artifact files.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../action/inputs.js';
import { componentPath, isDerivedFile, missingArtifactFiles, parseArtifactFileName, type Coordinates } from './coordinates.js';
import { checkPom } from './pom.js';

export interface ComponentFile {
  name: string;
  bytes: Buffer;
}

export interface Component extends Coordinates {
  /** Directory inside the repository, `/`-separated: also the path inside the bundle. */
  path: string;
  /** The files to bundle, by name; checksums and signatures a build left are made afresh. */
  files: ComponentFile[];
}

/** Every artifact of `groupId` at `version` under `repositoryPath`. */
export async function readComponents(repositoryPath: string, groupId: string, version: string): Promise<Component[]> {
  if (!(await isDirectory(repositoryPath))) {
    throw new InputError(
      'maven-repository-path',
      `${repositoryPath} is not a directory; the build writes the artifacts there first (mvn deploy -DaltDeploymentRepository=local::file:<dir>, or Gradle's publish to a local maven repository)`,
    );
  }
  const groupDir = path.join(repositoryPath, ...groupId.split('.'));
  const artifactIds = (await isDirectory(groupDir)) ? await readdir(groupDir) : [];
  const components: Component[] = [];
  const otherVersions: string[] = [];
  for (const artifactId of artifactIds.sort()) {
    const artifactDir = path.join(groupDir, artifactId);
    if (!(await isDirectory(artifactDir))) continue;
    const coordinates = { groupId, artifactId, version };
    if (await isDirectory(path.join(artifactDir, version))) components.push(await readComponent(repositoryPath, coordinates));
    else otherVersions.push(...(await readdir(artifactDir)).filter((entry) => !isDerivedFile(entry)).map((v) => `${artifactId} ${v}`));
  }
  if (components.length === 0) {
    const found = otherVersions.length > 0 ? `it has ${otherVersions.join(', ')}` : `${groupDir} holds no artifacts; check input "maven-group-id"`;
    throw new InputError('maven-version', `no artifact of ${groupId} at version ${version} in ${repositoryPath}: ${found}`);
  }
  return components;
}

/** Why Central would refuse the component, each problem prefixed with the file it is about; and its packaging. */
export function componentProblems(component: Component): { packaging: string; problems: string[] } {
  const { artifactId, version } = component;
  const names = component.files.map((f) => f.name);
  const pomName = `${artifactId}-${version}.pom`;
  const pom = component.files.find((f) => f.name === pomName);
  const { packaging, problems: pomProblems } = pom ? checkPom(pom.bytes.toString('utf8'), component) : { packaging: 'jar', problems: [] };
  const problems = pomProblems.map((p) => `${component.path}/${pomName}: ${p}`);
  for (const missing of missingArtifactFiles(artifactId, version, packaging, names)) problems.push(`${component.path}/${missing} is missing`);
  for (const name of names) {
    if (!parseArtifactFileName(artifactId, version, name)) problems.push(`${component.path}/${name} is not a file of ${artifactId} ${version} (${artifactId}-${version}[-classifier].extension)`);
  }
  return { packaging, problems };
}

async function readComponent(repositoryPath: string, coordinates: Coordinates): Promise<Component> {
  const relative = componentPath(coordinates);
  const dir = path.join(repositoryPath, relative);
  const files: ComponentFile[] = [];
  for (const name of (await readdir(dir)).sort()) {
    if (isDerivedFile(name) || (await isDirectory(path.join(dir, name)))) continue;
    files.push({ name, bytes: await readFile(path.join(dir, name)) });
  }
  return { ...coordinates, path: relative, files };
}

async function isDirectory(p: string): Promise<boolean> {
  return (await stat(p).catch(() => undefined))?.isDirectory() ?? false;
}
