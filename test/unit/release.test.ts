// The release decisions, without git: which versions may be released, where the major tag
// goes, and the changelog written from the commit subjects.
import {
  CHANGELOG_HEADER,
  changeEntries,
  extractSection,
  hasSection,
  insertSection,
  isConventional,
  majorTagName,
  parseCommit,
  parseReleaseVersion,
  planRelease,
  ReleaseRefusal,
  renderChanges,
  renderSection,
  type TagRef,
} from '../../tools/release/index.js';

const HEAD = 'a'.repeat(40);
const C1 = '1'.repeat(40);
const C2 = '2'.repeat(40);
const C3 = '3'.repeat(40);

function tags(...pairs: [string, string | undefined][]): TagRef[] {
  return pairs.map(([name, commit]) => ({ name, commit }));
}

function plan(version: string, local: TagRef[], remoteTags?: TagRef[]) {
  return planRelease({ version: parseReleaseVersion(version), head: HEAD, tags: local, remoteTags });
}

describe('parseReleaseVersion', () => {
  test.each([
    ['1.4.2', { major: 1, minor: 4, patch: 2 }],
    ['v1.4.2', { major: 1, minor: 4, patch: 2 }],
    [' 2.0.0\n', { major: 2, minor: 0, patch: 0 }],
    ['0.1.0', { major: 0, minor: 1, patch: 0 }],
  ])('%j is a release version', (text, version) => {
    expect(parseReleaseVersion(text)).toEqual(version);
  });

  test.each([
    ['1.4', 'all three numbers are needed'],
    ['v2', 'all three numbers are needed'],
    ['1.4.2-rc.1', 'prereleases and build metadata are not released'],
    ['1.4.2+build.5', 'prereleases and build metadata are not released'],
    ['01.4.2', 'expected MAJOR.MINOR.PATCH'],
    ['release', 'expected MAJOR.MINOR.PATCH'],
    ['', 'expected MAJOR.MINOR.PATCH'],
    ['1.4.99999999999999999', 'expected MAJOR.MINOR.PATCH'],
  ])('%j is refused: %s', (text, message) => {
    expect(() => parseReleaseVersion(text)).toThrow(ReleaseRefusal);
    expect(() => parseReleaseVersion(text)).toThrow(message);
  });

  test('the major tag of a version', () => {
    expect(majorTagName(parseReleaseVersion('1.4.2'))).toBe('v1');
    expect(majorTagName(parseReleaseVersion('0.3.0'))).toBe('v0');
  });
});

describe('planRelease', () => {
  test('the first release: no tags yet, the major tag is created', () => {
    const p = plan('1.0.0', []);
    expect(p).toMatchObject({ tag: 'v1.0.0', majorTag: 'v1', state: 'new', previous: undefined, majorTagCommit: undefined, warnings: [] });
  });

  test('the next release: the previous is the highest release, the major tag is where it was', () => {
    const p = plan('1.5.0', tags(['v1.3.9', C1], ['v1.4.2', C2], ['v1', C2], ['v1.10.0-rc.1', C3], ['nightly', C3], ['v0.9.0', C1]));
    expect(p.previous).toMatchObject({ tag: 'v1.4.2', commit: C2 });
    expect([p.state, p.majorTag, p.majorTagCommit, p.warnings]).toEqual(['new', 'v1', C2, []]);
  });

  test('a new major version creates its own major tag and leaves the old one', () => {
    const p = plan('2.0.0', tags(['v1.4.2', C2], ['v1', C2]));
    expect([p.majorTag, p.majorTagCommit, p.previous?.tag]).toEqual(['v2', undefined, 'v1.4.2']);
  });

  test.each([
    ['1.4.1', 'is not above the last release v1.4.2'],
    ['1.4.0', 'is not above the last release v1.4.2'],
    ['0.9.9', 'is not above the last release v1.4.2'],
  ])('a lower version is refused: %s', (version, message) => {
    const attempt = () => plan(version, tags(['v1.4.2', C2], ['v1.3.0', C1]));
    expect(attempt).toThrow(ReleaseRefusal);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow('The next release is one of 1.4.3, 1.5.0, 2.0.0.');
  });

  test('the same version on another commit is refused: a release tag never moves', () => {
    expect(() => plan('1.4.2', tags(['v1.4.2', C2]))).toThrow(
      `v1.4.2 is already released, on commit ${C2.slice(0, 7)}, and HEAD is ${HEAD.slice(0, 7)}: a release tag never moves`,
    );
  });

  test('the same version already on HEAD is a re-run: tagged, compared with the other releases only', () => {
    const p = plan('v1.4.2', tags(['v1.4.2', HEAD], ['v1.4.1', C1], ['v1', C1]));
    expect([p.state, p.previous?.tag, p.majorTagCommit]).toEqual(['tagged', 'v1.4.1', C1]);
  });

  test('a tag on HEAD below a newer release is refused, so the major tag never goes back', () => {
    expect(() => plan('1.4.1', tags(['v1.4.1', HEAD], ['v1.4.2', C2]))).toThrow('1.4.1 is not above the last release v1.4.2');
  });

  test('a release pushed to the remote but not fetched counts', () => {
    expect(() => plan('1.4.3', tags(['v1.4.2', C2]), tags(['v1.4.2', C2], ['v1.5.0', C3]))).toThrow('is not above the last release v1.5.0');
    expect(plan('1.5.1', tags(['v1.4.2', C2]), tags(['v1.5.0', C3])).previous?.tag).toBe('v1.5.0');
    expect(() => plan('1.4.3', [], tags(['v1.4.3', C3]))).toThrow('v1.4.3 is already released, on commit 3333333');
    expect(plan('1.4.3', [], tags(['v1.4.3', HEAD])).state).toBe('tagged');
  });

  test('a release tag on different commits here and on the remote is refused', () => {
    expect(() => plan('1.5.0', tags(['v1.4.2', C2]), tags(['v1.4.2', C3]))).toThrow(
      "tag v1.4.2 marks commit 2222222 here but 3333333 on origin: fetch the released tags (git fetch --force origin 'refs/tags/v*:refs/tags/v*')",
    );
  });

  test('the major tag may differ from the remote: it is the one tag that moves', () => {
    expect(plan('1.5.0', tags(['v1.4.2', C2], ['v1', C2]), tags(['v1.4.2', C2], ['v1', C1])).state).toBe('new');
  });

  test.each([
    ['1.4.3', []],
    ['1.5.0', []],
    ['2.0.0', []],
    ['1.4.5', ['1.4.5 does not directly follow v1.4.2: the next release would be one of 1.4.3, 1.5.0, 2.0.0']],
    ['1.6.0', ['1.6.0 does not directly follow v1.4.2']],
    ['3.0.0', ['3.0.0 does not directly follow v1.4.2']],
  ])('%s after v1.4.2 warns of skipped versions: %j', (version, warnings) => {
    const p = plan(version, tags(['v1.4.2', C2]));
    expect(p.warnings).toHaveLength(warnings.length);
    warnings.forEach((w, i) => expect(p.warnings[i]).toContain(w));
  });

  test('tags of trees and other prefixes are not releases', () => {
    expect(plan('1.0.0', tags(['v3.0.0', undefined], ['x1.0.0', C1], ['v1.0', C1])).previous).toBeUndefined();
  });
});

describe('changelog entries', () => {
  const commit = (subject: string, body = '', sha = C1) => ({ sha, subject, body });

  test.each([
    ['feat: new input', { type: 'feat', scope: undefined, breaking: false, description: 'new input' }],
    ['fix(promote-image): retry a 502', { type: 'fix', scope: 'promote-image', breaking: false, description: 'retry a 502' }],
    ['Feat(load-config)!: rename outputs', { type: 'feat', scope: 'load-config', breaking: true, description: 'rename outputs' }],
    ['refactor!: drop node20', { type: 'refactor', breaking: true, description: 'drop node20' }],
    ['promote: walk only what a destination lacks', { type: undefined, breaking: false, description: 'promote: walk only what a destination lacks' }],
    ['Fix typo', { type: undefined, description: 'Fix typo' }],
    ['feat:missing space', { type: undefined }],
  ])('%j', (subject, expected) => {
    expect(parseCommit(commit(subject))).toMatchObject(expected);
  });

  test('a BREAKING CHANGE footer makes any commit breaking', () => {
    expect(parseCommit(commit('fix: x', 'Some text.\n\nBREAKING CHANGE: the input is gone')).breaking).toBe(true);
    expect(parseCommit(commit('plain subject', 'BREAKING-CHANGE: yes')).breaking).toBe(true);
    expect(parseCommit(commit('fix: x', 'not a BREAKING CHANGE: mid-line')).breaking).toBe(false);
  });

  test('release commits of earlier runs are left out', () => {
    const entries = changeEntries([commit('release: v1.4.2'), commit('fix: a'), commit('release: the docs')]);
    expect(entries.map((e) => e.subject)).toEqual(['fix: a', 'release: the docs']);
  });

  test('grouped only when more than half of the subjects are conventional', () => {
    const entries = (subjects: string[]) => changeEntries(subjects.map((s) => commit(s)));
    expect(isConventional(entries(['feat: a', 'fix: b', 'random']))).toBe(true);
    expect(isConventional(entries(['feat: a', 'random']))).toBe(false);
    expect(isConventional(entries(['core: a', 'deps: b', 'promote-image: c']))).toBe(false);
  });
});

describe('renderChanges', () => {
  const sha = (n: number) => String(n).repeat(40).slice(0, 40);
  const entries = (subjects: string[], bodies: string[] = []) =>
    changeEntries(subjects.map((subject, i) => ({ sha: sha(i + 1), subject, body: bodies[i] ?? '' })));

  test('conventional subjects are grouped: breaking first, scope in bold, the rest under Other changes', () => {
    const text = renderChanges(
      entries([
        'feat(promote-image): copy referrers',
        'fix: retry 502',
        'feat!: drop an input',
        'chore(deps): bump yaml',
        'docs: rollback',
        'an odd one',
        'perf: fewer HEADs',
      ]),
    );
    expect(text).toBe(
      [
        '### Breaking changes',
        '',
        '- drop an input (3333333)',
        '',
        '### Features',
        '',
        '- **promote-image:** copy referrers (1111111)',
        '',
        '### Fixes',
        '',
        '- retry 502 (2222222)',
        '',
        '### Performance',
        '',
        '- fewer HEADs (7777777)',
        '',
        '### Dependencies',
        '',
        '- **deps:** bump yaml (4444444)',
        '',
        '### Documentation',
        '',
        '- rollback (5555555)',
        '',
        '### Other changes',
        '',
        '- an odd one (6666666)',
        '',
      ].join('\n'),
    );
  });

  test('subjects that are mostly not conventional are a plain list, as written, oldest first', () => {
    expect(renderChanges(entries(['core: OCI client', 'deps: Verdaccio', 'promote-image: copy <image> by *digest*']))).toBe(
      '- core: OCI client (1111111)\n- deps: Verdaccio (2222222)\n- promote-image: copy &lt;image&gt; by \\*digest\\* (3333333)\n',
    );
  });

  test('no commits', () => {
    expect(renderChanges([])).toBe('No changes recorded in the commits.\n');
  });

  test('a section has the tag and the date', () => {
    expect(renderSection('v1.4.2', new Date('2025-11-26T23:59:00Z'), entries(['fix: a']))).toBe('## v1.4.2 (2025-11-26)\n\n### Fixes\n\n- a (1111111)\n');
  });
});

describe('CHANGELOG.md sections', () => {
  const section = (tag: string, line: string) => `## ${tag} (2025-11-26)\n\n- ${line}\n`;

  test('the first section goes after the header of a missing, empty or header-only file', () => {
    for (const file of [undefined, '', CHANGELOG_HEADER]) {
      const { text, inserted } = insertSection(file, 'v1.0.0', section('v1.0.0', 'first'));
      expect(inserted).toBe(true);
      expect(text).toBe(`${CHANGELOG_HEADER}\n${section('v1.0.0', 'first')}`);
    }
  });

  test('a new section goes above the newest one, the rest untouched', () => {
    const one = insertSection(undefined, 'v1.0.0', section('v1.0.0', 'first')).text;
    const two = insertSection(one, 'v1.1.0', section('v1.1.0', 'second')).text;
    expect(two).toBe(`${CHANGELOG_HEADER}\n${section('v1.1.0', 'second')}\n${section('v1.0.0', 'first')}`);
    expect(extractSection(two, 'v1.1.0')).toBe('- second');
    expect(extractSection(two, 'v1.0.0')).toBe('- first');
    expect(extractSection(two, 'v1.0.1')).toBeUndefined();
  });

  test('a release already in the changelog is not written twice', () => {
    const one = insertSection(undefined, 'v1.0.0', section('v1.0.0', 'first')).text;
    expect(insertSection(one, 'v1.0.0', section('v1.0.0', 'again'))).toEqual({ text: one, inserted: false });
  });

  test('a section heading matches its tag exactly', () => {
    const text = `# Changelog\n\n## v1.0.10 (2025-01-01)\n\n- ten\n`;
    expect(hasSection(text, 'v1.0.1')).toBe(false);
    expect(hasSection(text, 'v1.0.10')).toBe(true);
    expect(hasSection('## v1.0.1\n', 'v1.0.1')).toBe(true);
  });
});
