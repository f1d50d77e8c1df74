// An Android library on both sides of the stand-in. No Android SDK here: the test packs the
// .aar as the Android Gradle plugin lays it out (AndroidManifest.xml, classes.jar of the
// compiled sources, R.txt) with its sources and javadoc jars, and Maven's deploy-file writes
// them with the fixture's pom (packaging aar) into a file repository, as Gradle's
// maven-publish does. After publishing, a consumer project that depends on the library with
// <type>aar</type> resolves it from the stand-in alone.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { zipSync, type Zippable } from 'fflate';
import { requireExecutable } from '../harness/process.js';
import { repoRoot } from '../support/paths.js';
import { DEPENDENCY_PLUGIN, DEPLOY_PLUGIN, FIXTURE_GROUP_ID, mvn } from './maven.js';

const run = promisify(execFile);

export const ANDROID_ARTIFACT_ID = 'widget';

export interface AndroidLibrary {
  /** The file repository publish-clients publishes. */
  repository: string;
  /** The .aar as built, to compare with what a consumer resolves. */
  aar: Buffer;
}

/** Packs test/fixtures/android-library at `version` and deploys it into a new file repository. */
export async function buildAndroidLibrary(version: string): Promise<AndroidLibrary> {
  const work = mkdtempSync(path.join(tmpdir(), 'android-library-'));
  const project = path.join(work, 'project');
  cpSync(path.join(repoRoot, 'test/fixtures/android-library'), project, { recursive: true });
  const pomPath = path.join(project, 'pom.xml');
  const pom = readFileSync(pomPath, 'utf8');
  if (!pom.includes('<version>1.0.0</version>')) throw new Error('test/fixtures/android-library/pom.xml: project version 1.0.0 not found');
  writeFileSync(pomPath, pom.replace('<version>1.0.0</version>', `<version>${version}</version>`));

  const sources = path.join(project, 'src/main/java');
  const classes = path.join(work, 'classes');
  const javadoc = path.join(work, 'javadoc');
  await run(requireExecutable('javac', 'install a JDK'), ['--release', '11', '-d', classes, ...filesUnder(sources)]);
  await run(requireExecutable('javadoc', 'install a JDK'), ['-quiet', '-d', javadoc, '-sourcepath', sources, 'io.github.acme.widget']);

  const aar = zip({
    'AndroidManifest.xml': readFileSync(path.join(project, 'src/main/AndroidManifest.xml')),
    'classes.jar': zip(tree(classes)),
    'R.txt': Buffer.alloc(0),
  });
  const files = { aar: path.join(work, 'widget.aar'), sources: path.join(work, 'widget-sources.jar'), javadoc: path.join(work, 'widget-javadoc.jar') };
  writeFileSync(files.aar, aar);
  writeFileSync(files.sources, zip(tree(sources)));
  writeFileSync(files.javadoc, zip(tree(javadoc)));

  const repository = path.join(work, 'repository');
  // From outside the project: Maven without the Android plugin cannot load a project of packaging aar.
  await mvn(work, [
    `${DEPLOY_PLUGIN}:deploy-file`,
    `-Dfile=${files.aar}`,
    `-Dsources=${files.sources}`,
    `-Djavadoc=${files.javadoc}`,
    `-DpomFile=${pomPath}`,
    '-DrepositoryId=local',
    `-Durl=file:${repository}`,
  ]);
  return { repository, aar: Buffer.from(aar) };
}

/**
 * A consumer project depending on the library as an Android app's build declares it
 * (<type>aar</type>), resolving it from `repositoryUrl` alone with strict checksums: the
 * stand-in's repository is the project's `central`. Returns the .aar Maven copied.
 */
export async function resolveAarAsDependency(repositoryUrl: string, version: string): Promise<Buffer> {
  const consumer = mkdtempSync(path.join(tmpdir(), 'android-consumer-'));
  writeFileSync(
    path.join(consumer, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.github.acme.app</groupId>
  <artifactId>app</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <repositories>
    <repository><id>central</id><url>${repositoryUrl}</url></repository>
  </repositories>
  <dependencies>
    <dependency>
      <groupId>${FIXTURE_GROUP_ID}</groupId>
      <artifactId>${ANDROID_ARTIFACT_ID}</artifactId>
      <version>${version}</version>
      <type>aar</type>
    </dependency>
  </dependencies>
</project>
`,
  );
  const output = path.join(consumer, 'dependencies');
  await mvn(consumer, ['-C', `${DEPENDENCY_PLUGIN}:copy-dependencies`, `-DoutputDirectory=${output}`]);
  return readFileSync(path.join(output, `${ANDROID_ARTIFACT_ID}-${version}.aar`));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile());
}

function tree(dir: string): Zippable {
  return Object.fromEntries(filesUnder(dir).map((f) => [path.relative(dir, f).split(path.sep).join('/'), readFileSync(f)]));
}

function zip(files: Zippable): Uint8Array {
  return zipSync(files, { mtime: new Date('2024-01-01T00:00:00Z') });
}
