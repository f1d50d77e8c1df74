// The -SNAPSHOT layout Maven's deployer writes and its resolver reads, as pure functions.
import {
  artifactMetadata,
  lastBuildNumber,
  relabelPom,
  snapshotBuild,
  snapshotVersion,
  uniqueVersion,
  versionMetadata,
} from '@ci-actions/publishing/maven/snapshot.js';

const component = { groupId: 'io.github.acme', artifactId: 'client', version: '1.0.42-SNAPSHOT' };

describe('snapshotVersion', () => {
  test.each([
    ['1.0.42', undefined],
    ['1.0.42-alpha-branch.feature.g1a2b3c4', '1.0.42-SNAPSHOT'],
    ['1.0.42-alpha-pr.7.g1a2b3c4', '1.0.42-SNAPSHOT'],
    ['2.0.0-RC1', '2.0.0-SNAPSHOT'],
    ['1.0.42-SNAPSHOT', '1.0.42-SNAPSHOT'],
  ])('%s -> %s', (version, snapshot) => {
    expect(snapshotVersion(version)).toBe(snapshot);
  });
});

describe('a snapshot build', () => {
  test('is numbered after the last and stamped in UTC', () => {
    const build = snapshotBuild(new Date('2026-12-01T17:05:09.123Z'), 2);
    expect(build).toEqual({ timestamp: '20261201.170509', buildNumber: 3, lastUpdated: '20261201170509' });
    expect(uniqueVersion('1.0.42-SNAPSHOT', build)).toBe('1.0.42-20261201.170509-3');
  });

  test.each([
    ['no metadata yet', undefined, 0],
    [
      'metadata of build 7',
      '<metadata><versioning><snapshot><timestamp>20260101.000000</timestamp><buildNumber>7</buildNumber></snapshot></versioning></metadata>',
      7,
    ],
    ['metadata naming no build (a local install)', '<metadata><versioning><snapshot><localCopy>true</localCopy></snapshot></versioning></metadata>', 0],
  ])('the last build number in %s is %s', (_case, metadata, number) => {
    expect(lastBuildNumber(metadata)).toBe(number);
  });
});

describe('relabelPom', () => {
  test.each([
    ['the project version', '<project><version>1.0.42-alpha-b.g1</version></project>', '<project><version>1.0.42-SNAPSHOT</version></project>'],
    [
      'a sibling dependency and the parent, spaces kept',
      '<parent><version> 1.0.42-alpha-b.g1 </version></parent><dependency><version>1.0.42-alpha-b.g1</version></dependency>',
      '<parent><version> 1.0.42-SNAPSHOT </version></parent><dependency><version>1.0.42-SNAPSHOT</version></dependency>',
    ],
    [
      'another version, and the version in text, left alone',
      '<dependency><version>1.0.41</version></dependency><description>built as 1.0.42-alpha-b.g1</description>',
      '<dependency><version>1.0.41</version></dependency><description>built as 1.0.42-alpha-b.g1</description>',
    ],
    ['a version the built one is a prefix of, left alone', '<version>1.0.42-alpha-b.g1x</version>', '<version>1.0.42-alpha-b.g1x</version>'],
  ])('%s', (_case, pom, relabelled) => {
    expect(relabelPom(pom, '1.0.42-alpha-b.g1', '1.0.42-SNAPSHOT')).toBe(relabelled);
  });
});

describe('maven-metadata.xml', () => {
  const build = { timestamp: '20261201.170509', buildNumber: 3, lastUpdated: '20261201170509' };

  test("the snapshot's names the build of each file kind", () => {
    const xml = versionMetadata(component, build, [
      { classifier: '', extension: 'pom' },
      { classifier: 'sources', extension: 'jar' },
    ]);
    expect(lastBuildNumber(xml)).toBe(3);
    expect(xml).toContain('<snapshotVersion>\n        <extension>pom</extension>\n        <value>1.0.42-20261201.170509-3</value>');
    expect(xml).toContain('<classifier>sources</classifier>\n        <extension>jar</extension>\n        <value>1.0.42-20261201.170509-3</value>');
  });

  test.each([
    ['none yet', undefined, ['1.0.42-SNAPSHOT']],
    [
      'others listed',
      '<metadata><versioning><versions><version>1.0.40-SNAPSHOT</version><version>1.0.42-SNAPSHOT</version></versions></versioning></metadata>',
      ['1.0.40-SNAPSHOT', '1.0.42-SNAPSHOT'],
    ],
  ])("the artifact's, with %s, lists each version once", (_case, existing, versions) => {
    const xml = artifactMetadata(existing, component, build.lastUpdated);
    expect([...xml.matchAll(/<version>([^<]+)<\/version>/g)].map((m) => m[1])).toEqual(versions);
    expect(xml).toContain('<latest>1.0.42-SNAPSHOT</latest>');
  });
});
