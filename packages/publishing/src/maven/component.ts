// The components of a release in a local Maven repository directory: what `mvn deploy` to a
// file repository or Gradle's `publish` to a `maven { url = ... }` repository writes. A
// component is <group path>/<artifactId>/<version>/ with the pom and the artifact files.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { DomainError } from '../errors.js';
import { readWorkspaceFile, workspaceEntry, WorkspacePathError } from '../util/workspace-path.js';
import { componentPath, isDerivedFile, missingArtifactFiles, parseArtifactFileName, type Coordinates } from './coordinates.js';
import { checkPom } from './pom.js';

/** The Central Portal takes a bundle of at most 1 GB, so no larger file can be published. */
const MAX_ARTIFACT_BYTES = 1024 ** 3;

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

/**
 * Every artifact of `groupId` at `version` under `repositoryPath` (relative to `workspace`, or
 * absolute). What is read must be inside the workspace once its symlinks are resolved: a link
 * in the repository to a file elsewhere is refused as a problem of the Maven repository, and is not uploaded.
 */
export async function readComponents(workspace: string, repositoryPath: string, groupId: string, version: string): Promise<Component[]> {
  try {
    return await findComponents(workspace, repositoryPath, groupId, version);
  } catch (err) {
    throw err instanceof WorkspacePathError ? new DomainError(err.message, { subject: { kind: 'maven-repository', path: repositoryPath }, cause: err }) : err;
  }
}

async function findComponents(workspace: string, repositoryPath: string, groupId: string, version: string): Promise<Component[]> {
  const isDirectory = (p: string) => workspaceEntry(workspace, p)?.kind === 'directory';
  if (!isDirectory(repositoryPath)) {
    throw new DomainError(
      `the Maven repository ${repositoryPath} is not a directory; the build writes the artifacts there first (mvn deploy -DaltDeploymentRepository=local::file:<dir>, or Gradle's publish to a local maven repository)`,
      { subject: { kind: 'maven-repository', path: repositoryPath } },
    );
  }
  const repository = path.resolve(workspace, repositoryPath);
  const groupDir = path.join(repository, ...groupId.split('.'));
  const artifactIds = isDirectory(groupDir) ? await readdir(groupDir) : [];
  const components: Component[] = [];
  const otherVersions: string[] = [];
  for (const artifactId of artifactIds.sort()) {
    const artifactDir = path.join(groupDir, artifactId);
    if (!isDirectory(artifactDir)) continue;
    const coordinates = { groupId, artifactId, version };
    if (isDirectory(path.join(artifactDir, version))) components.push(await readComponent(workspace, repository, coordinates));
    else otherVersions.push(...(await readdir(artifactDir)).filter((entry) => !isDerivedFile(entry)).map((v) => `${artifactId} ${v}`));
  }
  if (components.length === 0) {
    const found = otherVersions.length > 0 ? `it has ${otherVersions.join(', ')}` : `${groupDir} holds no artifacts; check the groupId`;
    throw new DomainError(`no artifact of ${groupId} at version ${version} in ${repositoryPath}: ${found}`, { subject: { kind: 'maven-version', version } });
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
    if (!parseArtifactFileName(artifactId, version, name))
      problems.push(`${component.path}/${name} is not a file of ${artifactId} ${version} (${artifactId}-${version}[-classifier].extension)`);
  }
  return { packaging, problems };
}

async function readComponent(workspace: string, repository: string, coordinates: Coordinates): Promise<Component> {
  const relative = componentPath(coordinates);
  const dir = path.join(repository, relative);
  const files: ComponentFile[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const file = path.join(dir, name);
    if (isDerivedFile(name) || workspaceEntry(workspace, file)?.kind === 'directory') continue;
    files.push({ name, bytes: readWorkspaceFile(workspace, file, MAX_ARTIFACT_BYTES) });
  }
  return { ...coordinates, path: relative, files };
}
