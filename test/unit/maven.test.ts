// The Maven decisions that need no portal: XML, pom requirements, file names, component
// problems, deployment states, the poll schedule and the portal's error report.
import { componentProblems, type Component } from '@ci-actions/publishing/maven/component.js';
import { isDerivedFile, mavenVersionProblem, missingArtifactFiles, parseArtifactFileName } from '@ci-actions/publishing/maven/coordinates.js';
import { deploymentOutcome, pollDelay } from '@ci-actions/publishing/maven/deployment.js';
import { checkPom } from '@ci-actions/publishing/maven/pom.js';
import type { DeploymentState, WaitUntil } from '@ci-actions/publishing/maven/deployments.js';
import { errorLines } from '@ci-actions/publishing/maven/portal.js';
import { childText, parseXml } from '@ci-actions/publishing/maven/xml.js';

const COORDINATES = { groupId: 'io.github.acme', artifactId: 'client', version: '1.0.42' };

function pom(body: string, coordinates = '<groupId>io.github.acme</groupId><artifactId>client</artifactId><version>1.0.42</version>'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">\n<modelVersion>4.0.0</modelVersion>\n${coordinates}\n${body}\n</project>\n`;
}

const COMPLETE = [
  '<name>Acme client</name>',
  '<description>Talks to Acme</description>',
  '<url>https://github.com/acme/client</url>',
  '<licenses><license><name>MIT</name><url>https://opensource.org/licenses/MIT</url></license></licenses>',
  '<developers><developer><name>Acme</name></developer></developers>',
  '<scm><url>https://github.com/acme/client</url></scm>',
].join('\n');

describe('parseXml', () => {
  test('reads elements, text, entities, CDATA; skips comments, declaration, DOCTYPE and attributes', () => {
    const root = parseXml(
      '<?xml version="1.0"?>\n<!DOCTYPE project>\n<!-- c --><project a="1" b=\'2\'><name>A &amp; B &#x263A; &#65;</name><d><![CDATA[<raw>]]></d><e/><!-- <name>no</name> --></project>',
    );
    expect(root.name).toBe('project');
    expect(childText(root, 'name')).toBe('A & B ☺ A');
    expect(childText(root, 'd')).toBe('<raw>');
    expect(root.children.map((c) => c.name)).toEqual(['name', 'd', 'e']);
  });

  test.each([
    ['<project><name>x</project>', 'line 1: </project> closes <name>'],
    ['<project>\n<name>x</name>', 'line 2: <project> is never closed'],
    ['<project/><project/>', 'line 1: a second root element <project>'],
    ['text <project/>', 'line 1: text outside the root element'],
    ['<project>\n\n<a b=c></a></project>', 'line 3: a malformed tag'],
    ['<project>a & b</project>', 'line 1: "&" that starts no entity'],
    ['<project>&nbsp;</project>', 'line 1: unknown entity &nbsp;'],
    ['', 'line 1: no root element'],
    ['</project>', 'line 1: </project> closes nothing'],
  ])('%j is refused: %s', (xml, message) => {
    expect(() => parseXml(xml)).toThrow(message);
  });
});

describe('checkPom: what Central requires of a pom', () => {
  test.each<[string, string, string[], string?]>([
    ['a complete pom', pom(COMPLETE), []],
    [
      'coordinates inherited from the parent',
      pom(COMPLETE, '<parent><groupId>io.github.acme</groupId><artifactId>p</artifactId><version>1.0.42</version></parent><artifactId>client</artifactId>'),
      [],
    ],
    ['a developer with only an id', pom(COMPLETE.replace('<name>Acme</name></developer>', '<id>acme</id></developer>')), []],
    [
      'nothing but coordinates',
      pom(''),
      [
        '<name> is missing or empty',
        '<description> is missing or empty',
        '<url> is missing or empty',
        '<licenses> has no <license> with a <name>',
        '<developers> has no <developer> with a <name> or <id>',
        '<scm> is missing',
      ],
    ],
    ['an empty description', pom(COMPLETE.replace('Talks to Acme', '  ')), ['<description> is missing or empty']],
    ['a license without a name', pom(COMPLETE.replace('<name>MIT</name>', '')), ['<licenses> has no <license> with a <name>']],
    [
      'scm without url',
      pom(COMPLETE.replace('<url>https://github.com/acme/client</url></scm>', '<connection>scm:git:x</connection></scm>')),
      ['<scm> has no <url>'],
    ],
    ['a name only inside a license', pom(COMPLETE.replace('<name>Acme client</name>', '')), ['<name> is missing or empty']],
    [
      'another version',
      pom(COMPLETE, '<groupId>io.github.acme</groupId><artifactId>client</artifactId><version>1.0.41</version>'),
      ['version is "1.0.41", expected "1.0.42" as in its path'],
    ],
    [
      'no groupId at all',
      pom(COMPLETE, '<artifactId>client</artifactId><version>1.0.42</version>'),
      ['groupId is missing, expected "io.github.acme" as in its path'],
    ],
    ['aar packaging', pom(`${COMPLETE}<packaging>aar</packaging>`), [], 'aar'],
    ['not XML', '<project><name>x</project>', ['not well-formed XML: line 1: </project> closes <name>']],
    ['another root', '<settings/>', ['the root element is <settings>, not <project>']],
  ])('%s', (_name, xml, problems, packaging = 'jar') => {
    expect(checkPom(xml, COORDINATES)).toEqual({ packaging, problems });
  });
});

describe('Maven file names and versions', () => {
  test.each<[string, boolean, string | undefined]>([
    ['1.0.42', false, undefined],
    ['1.0.42-pr.7.g1a2b3c4', false, undefined],
    ['2.0.0-RC1', false, undefined],
    [
      '1.0.42-SNAPSHOT',
      false,
      '"1.0.42-SNAPSHOT" is a SNAPSHOT version, which Maven Central takes into its snapshot repository only: set maven-snapshots to true',
    ],
    ['1.0.42-SNAPSHOT', true, undefined],
    ['1.0.42-snapshot', true, '"1.0.42-snapshot" is a SNAPSHOT version'],
    ['1.0 beta', true, '"1.0 beta" is not a Maven version'],
    ['../1.0', false, '"../1.0" is not a Maven version'],
    ['', false, '"" is not a Maven version'],
  ])('version %j, snapshots %s', (version, snapshots, problem) => {
    const found = mavenVersionProblem(version, snapshots);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  test.each([
    ['client-1.0.42.jar', { classifier: '', extension: 'jar' }],
    ['client-1.0.42-sources.jar', { classifier: 'sources', extension: 'jar' }],
    ['client-1.0.42.module', { classifier: '', extension: 'module' }],
    ['client-1.0.42.tar.gz', { classifier: '', extension: 'tar.gz' }],
    ['client-1.0.42-release.aar', { classifier: 'release', extension: 'aar' }],
    ['client-1.0.41.jar', undefined],
    ['client-1.0.42', undefined],
    ['other-1.0.42.jar', undefined],
    ['README.md', undefined],
  ])('%s reads back as %j', (name, parsed) => {
    expect(parseArtifactFileName('client', '1.0.42', name)).toEqual(parsed);
  });

  test.each([
    ['client-1.0.42.jar.asc', true],
    ['client-1.0.42.jar.sha512', true],
    ['maven-metadata.xml', true],
    ['maven-metadata-local.xml', true],
    ['_remote.repositories', true],
    ['client-1.0.42.jar', false],
    ['client-1.0.42.pom', false],
  ])('%s is made afresh or left out: %s', (name, derived) => {
    expect(isDerivedFile(name)).toBe(derived);
  });

  test.each([
    ['jar', ['client-1.0.42.pom'], ['client-1.0.42.jar', 'client-1.0.42-sources.jar', 'client-1.0.42-javadoc.jar']],
    ['aar', ['client-1.0.42.pom', 'client-1.0.42.aar', 'client-1.0.42-sources.jar'], ['client-1.0.42-javadoc.jar']],
    ['bundle', ['client-1.0.42.pom', 'client-1.0.42.jar', 'client-1.0.42-sources.jar', 'client-1.0.42-javadoc.jar'], []],
    ['pom', [], ['client-1.0.42.pom']],
    ['pom', ['client-1.0.42.pom'], []],
  ])('packaging %s with %j misses %j', (packaging, files, missing) => {
    expect(missingArtifactFiles('client', '1.0.42', packaging, files)).toEqual(missing);
  });
});

describe('componentProblems', () => {
  const component = (files: Record<string, string>): Component => ({
    ...COORDINATES,
    path: 'io/github/acme/client/1.0.42',
    files: Object.entries(files).map(([name, text]) => ({ name, bytes: Buffer.from(text) })),
  });

  test('a complete Android library has none', () => {
    const aar = component({
      'client-1.0.42.pom': pom(`${COMPLETE}<packaging>aar</packaging>`),
      'client-1.0.42.aar': 'aar',
      'client-1.0.42.module': '{}',
      'client-1.0.42-sources.jar': 'src',
      'client-1.0.42-javadoc.jar': 'doc',
    });
    expect(componentProblems(aar)).toEqual({ packaging: 'aar', problems: [] });
  });

  test('each problem names its file', () => {
    const broken = component({
      'client-1.0.42.pom': pom(COMPLETE.replace('<url>https://github.com/acme/client</url>\n', '')),
      'client-1.0.42.jar': 'jar',
      'notes.txt': 'x',
    });
    expect(componentProblems(broken).problems).toEqual([
      'io/github/acme/client/1.0.42/client-1.0.42.pom: <url> is missing or empty',
      'io/github/acme/client/1.0.42/client-1.0.42-sources.jar is missing',
      'io/github/acme/client/1.0.42/client-1.0.42-javadoc.jar is missing',
      'io/github/acme/client/1.0.42/notes.txt is not a file of client 1.0.42 (client-1.0.42[-classifier].extension)',
    ]);
  });

  test('no pom: the pom and, for the default jar packaging, the artifacts are missing', () => {
    expect(componentProblems(component({ 'client-1.0.42.jar': 'jar' })).problems).toEqual([
      'io/github/acme/client/1.0.42/client-1.0.42.pom is missing',
      'io/github/acme/client/1.0.42/client-1.0.42-sources.jar is missing',
      'io/github/acme/client/1.0.42/client-1.0.42-javadoc.jar is missing',
    ]);
  });
});

describe('following a deployment', () => {
  test.each<[DeploymentState, 'automatic' | 'user-managed', WaitUntil, string]>([
    ['PENDING', 'automatic', 'published', 'waiting'],
    ['VALIDATING', 'automatic', 'published', 'waiting'],
    ['VALIDATED', 'automatic', 'published', 'waiting'],
    ['PUBLISHING', 'automatic', 'published', 'waiting'],
    ['PUBLISHED', 'automatic', 'published', 'done'],
    ['FAILED', 'automatic', 'published', 'failed'],
    ['PENDING', 'automatic', 'validated', 'waiting'],
    ['VALIDATING', 'automatic', 'validated', 'waiting'],
    ['VALIDATED', 'automatic', 'validated', 'done'],
    ['PUBLISHING', 'automatic', 'validated', 'done'],
    ['PUBLISHED', 'automatic', 'validated', 'done'],
    ['FAILED', 'automatic', 'validated', 'failed'],
    ['PENDING', 'user-managed', 'published', 'waiting'],
    ['VALIDATING', 'user-managed', 'published', 'waiting'],
    ['VALIDATED', 'user-managed', 'published', 'done'],
    ['PUBLISHING', 'user-managed', 'published', 'waiting'],
    ['PUBLISHED', 'user-managed', 'published', 'done'],
    ['FAILED', 'user-managed', 'published', 'failed'],
    ['PENDING', 'user-managed', 'validated', 'waiting'],
    ['VALIDATING', 'user-managed', 'validated', 'waiting'],
    ['VALIDATED', 'user-managed', 'validated', 'done'],
    ['PUBLISHING', 'user-managed', 'validated', 'done'],
    ['PUBLISHED', 'user-managed', 'validated', 'done'],
    ['FAILED', 'user-managed', 'validated', 'failed'],
  ])('%s with %s publishing, waiting until %s: %s', (state, type, waitUntil, outcome) => {
    expect(deploymentOutcome(state, type, waitUntil)).toBe(outcome);
  });

  test('polls sooner at first, then at the cap', () => {
    expect([1, 2, 3, 4, 30, 31, 100].map((attempt) => pollDelay({ initialMs: 500, maxMs: 15_000 }, attempt))).toEqual([
      500, 1000, 1500, 2000, 15_000, 15_000, 15_000,
    ]);
  });

  test.each([
    [
      { 'pkg:maven/g/a@1': ['Invalid signature for file: a-1.jar', 'Missing md5 checksum for file: a-1.pom'] },
      ['pkg:maven/g/a@1: Invalid signature for file: a-1.jar', 'pkg:maven/g/a@1: Missing md5 checksum for file: a-1.pom'],
    ],
    [{ common: 'Bundle is not a valid zip file' }, ['common: Bundle is not a valid zip file']],
    [
      ['one', { two: 2 }],
      ['one', '{"two":2}'],
    ],
    ['plain', ['plain']],
    [undefined, []],
    [{}, []],
  ])('the portal errors %j read as %j', (errors, lines) => {
    expect(errorLines(errors)).toEqual(lines);
  });
});
