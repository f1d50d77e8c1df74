// Maven on both sides of the stand-in: it builds the fixture library into a file repository
// (what the pipeline's build step leaves for publish-clients), and after publishing it
// resolves the library from the stand-in as a consumer would, with strict checksums; GnuPG
// then verifies the signatures Maven downloaded.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { requireExecutable } from '../harness/process.js';
import { repoRoot } from '../support/paths.js';

const run = promisify(execFile);

export const FIXTURE_GROUP_ID = 'io.github.acme';
export const FIXTURE_ARTIFACT_ID = 'greeting';

// Plugins invoked by coordinates, pinned like the fixture's own.
export const DEPLOY_PLUGIN = 'org.apache.maven.plugins:maven-deploy-plugin:3.1.4';
export const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

/**
 * A version no earlier run used: Maven's local repository keeps what it resolved, and a
 * version found there would not be downloaded from the stand-in at all.
 */
export function uniqueVersion(): string {
  return `1.0.${Date.now() % 1_000_000_000}`;
}

/** Builds test/fixtures/maven-library at `version` into a new file repository and returns its path. */
export async function buildMavenLibrary(version: string): Promise<string> {
  const work = mkdtempSync(path.join(tmpdir(), 'maven-library-'));
  const project = path.join(work, 'project');
  cpSync(path.join(repoRoot, 'test/fixtures/maven-library'), project, { recursive: true });
  const pomPath = path.join(project, 'pom.xml');
  const pom = readFileSync(pomPath, 'utf8');
  if (!pom.includes('<version>1.0.0</version>')) throw new Error('test/fixtures/maven-library/pom.xml: project version 1.0.0 not found');
  writeFileSync(pomPath, pom.replace('<version>1.0.0</version>', `<version>${version}</version>`));
  const repository = path.join(work, 'repository');
  // package, then deploy to a file repository: no install, so the library never enters the
  // local repository and a later resolution really downloads it.
  await mvn(project, ['package', `${DEPLOY_PLUGIN}:deploy`, `-DaltDeploymentRepository=local::file:${repository}`]);
  return repository;
}

/**
 * Resolves `artifact` (groupId:artifactId:version[:type[:classifier]]) from `repositoryUrl`
 * alone, with strict checksums (-C: a missing or wrong checksum fails) except for signatures
 * (type jar.asc, pom.asc), for which Maven fetches no checksums: their key verifies them.
 * Returns the component's directory in the local repository.
 */
export async function resolveWithMaven(repositoryUrl: string, artifact: string): Promise<string> {
  const checksums = artifact.endsWith('.asc') ? [] : ['-C'];
  await mvn(mkdtempSync(path.join(tmpdir(), 'maven-consumer-')), [
    ...checksums,
    `${DEPENDENCY_PLUGIN}:get`,
    `-Dartifact=${artifact}`,
    '-Dtransitive=false',
    `-DremoteRepositories=central-stand-in::default::${repositoryUrl}`,
  ]);
  const [groupId, artifactId, version] = artifact.split(':') as [string, string, string];
  return path.join(homedir(), '.m2/repository', ...groupId.split('.'), artifactId, version);
}

/** Verifies a detached signature with GnuPG's gpgv against `armoredPublicKey` alone; throws when it does not verify. */
export async function verifyWithGpg(armoredPublicKey: string, file: string, signature: string): Promise<void> {
  const gpg = requireExecutable('gpg', 'install the Debian package gpg');
  const gpgv = requireExecutable('gpgv', 'install the Debian package gpgv');
  const home = mkdtempSync(path.join(tmpdir(), 'gnupg-'));
  const armored = path.join(home, 'key.asc');
  const keyring = path.join(home, 'key.gpg');
  writeFileSync(armored, armoredPublicKey);
  await run(gpg, ['--homedir', home, '--batch', '--yes', '--output', keyring, '--dearmor', armored]);
  await run(gpgv, ['--homedir', home, '--keyring', keyring, signature, file]);
}

export async function mvn(cwd: string, args: string[]): Promise<void> {
  const binary = requireExecutable('mvn', 'install Maven (Debian package maven)');
  try {
    await run(binary, ['-B', '-q', '-Dstyle.color=never', ...args], { cwd, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(`mvn ${args.join(' ')} failed in ${cwd}:\n${`${stdout}\n${stderr}`.trim().slice(-6000)}`, { cause: err });
  }
}
