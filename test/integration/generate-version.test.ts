// generate-version against real git repositories made for each test: release tags present,
// a tag on another commit, a shallow clone, a bare origin to push to.
import { createAnnotatedTag, listTags, pushTag, TagConflictError } from '@ci-actions/publishing/git/index.js';
import { generateVersion, ShallowCloneError, VersionRegressionError, type GenerateVersionOptions } from '@ci-actions/publishing/version/index.js';
import { parseVersionInputs, type RawVersionInputs } from '../../actions/generate-version/inputs.js';
import { DomainError } from '@ci-actions/publishing/errors.js';
import { git, isolateGitConfig, tempDir as makeTempDir } from '../support/git-repo.js';
import { MAIN_PUSH_INPUTS } from '../support/version-inputs.js';

isolateGitConfig();
const tempDir = () => makeTempDir('generate-version');

/** A repository on main with `commits` commits, configured with a committer unless told not to. */
function repository(commits: number, options: { identity?: boolean } = {}): string {
  const dir = tempDir();
  git(dir, 'init', '--quiet', '--initial-branch=main');
  if (options.identity !== false) {
    git(dir, 'config', 'user.name', 'Test Committer');
    git(dir, 'config', 'user.email', 'committer@example.com');
  }
  for (let i = 1; i <= commits; i++) commit(dir, `commit ${i}`);
  return dir;
}

function commit(dir: string, message: string): string {
  const identity = ['-c', 'user.name=Test Committer', '-c', 'user.email=committer@example.com'];
  git(dir, ...identity, 'commit', '--quiet', '--allow-empty', '--message', message);
  return git(dir, 'rev-parse', 'HEAD');
}

/** A bare repository as origin of `dir`, with everything pushed. */
function withOrigin(dir: string): string {
  const origin = tempDir();
  git(origin, 'init', '--quiet', '--bare', '--initial-branch=main');
  git(dir, 'remote', 'add', 'origin', origin);
  git(dir, 'push', '--quiet', '--tags', 'origin', 'main');
  return origin;
}

function tagOf(dir: string, tag: string): string {
  return git(dir, 'rev-parse', `${tag}^{commit}`);
}

const INPUTS: RawVersionInputs = { ...MAIN_PUSH_INPUTS, sha: '' };

function generate(cwd: string, inputs: Partial<RawVersionInputs> = {}, options: Partial<Omit<GenerateVersionOptions, 'request'>> = {}) {
  return generateVersion({ request: parseVersionInputs({ ...INPUTS, ...inputs }), cwd, createTag: false, pushTag: false, ...options });
}

describe('generateVersion in a full clone', () => {
  test('the first release: HEAD, no tags yet', async () => {
    const dir = repository(2);
    const generated = await generate(dir);
    expect(generated.plan.version).toBe('1.0.42');
    expect(generated.commit).toBe(git(dir, 'rev-parse', 'HEAD'));
    expect(generated.releaseCount).toBe(0);
    expect(generated.tag).toBe('not requested');
    expect(git(dir, 'tag', '--list')).toBe('');
  });

  test('release tags on older commits: annotated and lightweight, only releases counted', async () => {
    const dir = repository(1);
    git(dir, 'tag', 'v1.0.3');
    commit(dir, 'second');
    git(dir, 'tag', '--annotate', '--message', 'release', 'v1.0.41');
    git(dir, 'tag', 'v1.0.99-rc.1');
    git(dir, 'tag', 'nightly');
    commit(dir, 'third');
    const generated = await generate(dir);
    expect(generated.plan.version).toBe('1.0.42');
    expect(generated.plan.lastRelease?.tag).toBe('v1.0.41');
    expect(generated.plan.lastRelease?.commit).toBe(tagOf(dir, 'v1.0.41'));
    expect(generated.releaseCount).toBe(2);
  });

  test('a restarted run number fails, naming the last release, and tags nothing', async () => {
    const dir = repository(1);
    git(dir, 'tag', '--annotate', '--message', 'release', 'v1.0.300');
    commit(dir, 'after the rename');
    const attempt = generate(dir, {}, { createTag: true });
    await expect(attempt).rejects.toThrow(VersionRegressionError);
    await expect(generate(dir, {}, { createTag: true })).rejects.toThrow(
      /^version 1\.0\.42 \(run number 42 \+ offset 0\) is not above the last release v1\.0\.300 \(commit [0-9a-f]{7}\).*set versioning\.offset to 259 or more.*on-regression/,
    );
    expect(git(dir, 'tag', '--list')).toBe('v1.0.300');
  });

  test('the version tagged on another commit is a regression, not a tag to move', async () => {
    const dir = repository(1);
    const parent = git(dir, 'rev-parse', 'HEAD');
    git(dir, 'tag', '--annotate', '--message', 'release', 'v1.0.42');
    commit(dir, 'next');
    await expect(generate(dir, {}, { createTag: true })).rejects.toThrow(`not above the last release v1.0.42 (commit ${parent.slice(0, 7)})`);
    expect(tagOf(dir, 'v1.0.42')).toBe(parent);
  });

  test('on-regression: bump tags the next patch, and a re-run finds that tag again', async () => {
    const dir = repository(1);
    git(dir, 'tag', 'v1.0.300');
    const head = commit(dir, 'next');
    const first = await generate(dir, { 'on-regression': 'bump' }, { createTag: true });
    expect([first.plan.version, first.tag, first.plan.bump?.from]).toEqual(['1.0.301', 'created', '1.0.42']);
    expect(tagOf(dir, 'v1.0.301')).toBe(head);
    const rerun = await generate(dir, { 'on-regression': 'bump', 'run-attempt': '2' }, { createTag: true });
    expect([rerun.plan.version, rerun.tag, rerun.plan.bump]).toEqual(['1.0.301', 'already on this commit', undefined]);
  });

  test('a tag prefix other than v', async () => {
    const dir = repository(1);
    git(dir, 'tag', 'server/v1.0.50');
    git(dir, 'tag', 'v1.0.900');
    commit(dir, 'next');
    await expect(generate(dir, { 'tag-prefix': 'server/v' })).rejects.toThrow('not above the last release server/v1.0.50');
    expect((await generate(dir, { 'tag-prefix': 'server/v', offset: '9' })).plan.gitTag).toBe('server/v1.0.51');
  });

  test('sha picks the commit; one that is not in the repository is refused as about that commit (the action names sha)', async () => {
    const dir = repository(2);
    const first = git(dir, 'rev-list', '--max-parents=0', 'HEAD');
    expect((await generate(dir, { sha: first.slice(0, 10) })).commit).toBe(first);
    const missing = generate(dir, { sha: 'deadbeef'.repeat(5) });
    await expect(missing).rejects.toThrow(DomainError);
    await expect(missing).rejects.toMatchObject({ subject: { kind: 'commit', sha: 'deadbeef'.repeat(5) } });
    await expect(generate(dir, { sha: 'deadbeef'.repeat(5) })).rejects.toThrow(`commit ${'deadbeef'.repeat(5)} is not in the repository at ${dir}`);
  });

  test('outside a repository the message says to check it out', async () => {
    const dir = tempDir();
    await expect(generate(dir)).rejects.toThrow(`${dir} is not a git repository: check the repository out first (actions/checkout with fetch-depth: 0)`);
  });

  test('a prerelease with a known commit needs no repository at all', async () => {
    const sha = '0123456789abcdef0123456789abcdef01234567';
    const generated = await generate(tempDir(), { 'event-name': 'pull_request', ref: 'refs/pull/7/merge', 'pr-number': '7', sha }, { createTag: true });
    expect([generated.plan.version, generated.tag]).toEqual(['1.0.42-pr.7.g0123456', 'prereleases are not tagged']);
  });
});

describe("generateVersion: a re-run attempt gets attempt 1's version whatever was tagged since", () => {
  /** Run 42 built `dir`'s HEAD; then run 43 released the next commit, as another runner would. */
  function laterRunReleased(dir: string): void {
    const built = git(dir, 'rev-parse', 'HEAD');
    commit(dir, 'merged after run 42 started');
    git(dir, 'tag', '--annotate', '--message', 'Release 1.0.43 (workflow run 43, attempt 1)', 'v1.0.43');
    git(dir, 'checkout', '--quiet', '--detach', built);
  }

  test('no release tag yet when attempt 1 ran (it failed: not above v1.0.43)', async () => {
    const dir = repository(2);
    const first = await generate(dir);
    laterRunReleased(dir);
    const rerun = await generate(dir, { 'run-attempt': '2' }, { createTag: true });
    expect([first.plan.version, first.plan.latest]).toEqual(['1.0.42', true]);
    // Same version; `latest` stays with 1.0.43, which took it since.
    expect([rerun.plan.version, rerun.plan.latest, rerun.plan.npmDistTag, rerun.tag]).toEqual(['1.0.42', false, 'superseded', 'created']);
    // What the summary names as the release it is below.
    expect(rerun.plan.lastRelease?.tag).toBe('v1.0.43');
  });

  test('attempt 1 bumped without tagging (it bumped again, past the version its artifacts carry)', async () => {
    const dir = repository(1);
    git(dir, 'tag', 'v1.0.300');
    commit(dir, 'built by run 42');
    const first = await generate(dir, { 'on-regression': 'bump' });
    const built = git(dir, 'rev-parse', 'HEAD');
    commit(dir, 'merged after run 42 started');
    git(dir, 'tag', 'v1.0.302');
    git(dir, 'checkout', '--quiet', '--detach', built);
    const rerun = await generate(dir, { 'on-regression': 'bump', 'run-attempt': '2' });
    expect([first.plan.version, rerun.plan.version, rerun.plan.latest]).toEqual(['1.0.301', '1.0.301', false]);
  });

  test('attempt 1 tagged its commit, and a later run of the same commit tagged it too', async () => {
    const dir = repository(2);
    await generate(dir, {}, { createTag: true });
    await generate(dir, { 'run-number': '43' }, { createTag: true });
    const rerun = await generate(dir, { 'run-attempt': '2' });
    expect([rerun.plan.version, rerun.plan.latest, rerun.tag]).toEqual(['1.0.42', false, 'not requested']);
  });
});

describe('generateVersion creating and pushing the tag', () => {
  test('an annotated tag on the built commit, pushed to origin; a re-run changes nothing', async () => {
    const dir = repository(2);
    const origin = withOrigin(dir);
    const head = git(dir, 'rev-parse', 'HEAD');
    const first = await generate(dir, {}, { createTag: true, pushTag: true });
    expect([first.plan.gitTag, first.tag, first.pushed]).toEqual(['v1.0.42', 'created', true]);
    expect(git(dir, 'cat-file', '-t', 'v1.0.42')).toBe('tag');
    expect(git(dir, 'tag', '--list', '--format=%(contents:subject)', 'v1.0.42')).toBe('Release 1.0.42 (workflow run 42, attempt 1)');
    expect(tagOf(origin, 'v1.0.42')).toBe(head);

    const rerun = await generate(dir, { 'run-attempt': '2' }, { createTag: true, pushTag: true });
    expect([rerun.plan.version, rerun.tag, rerun.pushed]).toEqual(['1.0.42', 'already on this commit', true]);
    expect(git(origin, 'tag', '--list')).toBe('v1.0.42');
  });

  test('a fresh clone of the tagged origin (the runner of a re-run) gets the same version', async () => {
    const dir = repository(1);
    const origin = withOrigin(dir);
    await generate(dir, {}, { createTag: true, pushTag: true });
    const clone = tempDir();
    git(clone, 'clone', '--quiet', origin, '.');
    const rerun = await generate(clone, { 'run-attempt': '2' }, { createTag: true, pushTag: true });
    expect([rerun.plan.version, rerun.tag, rerun.plan.latest]).toEqual(['1.0.42', 'already on this commit', true]);
  });

  test('push-tag: false keeps the tag local', async () => {
    const dir = repository(1);
    const origin = withOrigin(dir);
    const generated = await generate(dir, {}, { createTag: true, pushTag: false });
    expect([generated.tag, generated.pushed]).toEqual(['created', false]);
    expect(git(origin, 'tag', '--list')).toBe('');
  });

  test('without a configured committer the tag is made by github-actions[bot]', async () => {
    const dir = repository(1, { identity: false });
    await generate(dir, {}, { createTag: true });
    expect(git(dir, 'tag', '--list', '--format=%(taggername) %(taggeremail)', 'v1.0.42')).toBe(
      'github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>',
    );
    expect(git(dir, 'config', '--list', '--local')).not.toContain('user.');
  });

  test('a tag another build pushed first is reported, not overwritten', async () => {
    const dir = repository(1);
    const origin = withOrigin(dir);
    // Another runner releases v1.0.42 from its own commit after this checkout was made.
    const other = tempDir();
    git(other, 'clone', '--quiet', origin, '.');
    const theirs = commit(other, 'their commit');
    git(other, 'tag', 'v1.0.42');
    git(other, 'push', '--quiet', 'origin', 'v1.0.42');
    await expect(generate(dir, {}, { createTag: true, pushTag: true })).rejects.toThrow(/cannot push tag v1\.0\.42 to origin: .*already exists/s);
    expect(tagOf(origin, 'v1.0.42')).toBe(theirs);
  });
});

describe('generateVersion in a shallow clone', () => {
  // Fetches only the tip, and only the tags that point at it (none here).
  function shallowClone(origin: string): string {
    const clone = tempDir();
    git(clone, 'clone', '--quiet', '--depth', '1', `file://${origin}`, '.');
    return clone;
  }

  test('without tags a release fails and says how to fetch them', async () => {
    const dir = repository(3);
    git(dir, 'tag', 'v1.0.300', 'HEAD~1');
    const clone = shallowClone(withOrigin(dir));
    expect(git(clone, 'rev-parse', '--is-shallow-repository')).toBe('true');
    const attempt = generate(clone);
    await expect(attempt).rejects.toThrow(ShallowCloneError);
    await expect(generate(clone)).rejects.toThrow('this is a shallow clone and it has no release tags (vMAJOR.MINOR.PATCH)');
    await expect(generate(clone)).rejects.toThrow('set fetch-depth: 0 on actions/checkout');
  });

  test('with the tags fetched (fetch-tags: true) a shallow clone sees the regression', async () => {
    const dir = repository(3);
    git(dir, 'tag', '--annotate', '--message', 'release', 'v1.0.300', 'HEAD~2');
    const clone = shallowClone(withOrigin(dir));
    // What actions/checkout does with fetch-tags: true.
    git(clone, 'fetch', '--quiet', '--depth', '1', 'origin', '+refs/tags/*:refs/tags/*');
    expect(git(clone, 'rev-parse', '--is-shallow-repository')).toBe('true');
    await expect(generate(clone)).rejects.toThrow('not above the last release v1.0.300');
    expect((await generate(clone, { offset: '259' })).plan.version).toBe('1.0.301');
  });

  test('a prerelease needs no tags: a shallow clone is enough', async () => {
    const clone = shallowClone(withOrigin(repository(2)));
    const generated = await generate(clone, { ref: 'refs/heads/feature/x' });
    expect(generated.plan.version).toBe(`1.0.42-feature-x-2bdd6c29.g${git(clone, 'rev-parse', '--short=7', 'HEAD')}`);
  });
});

describe('git tags', () => {
  test('listTags peels annotated tags and tags of tags, with their subjects; a tag of a tree has no commit', async () => {
    const dir = repository(1);
    const head = git(dir, 'rev-parse', 'HEAD');
    git(dir, 'tag', 'light');
    git(dir, 'tag', '--annotate', '--message', 'a', 'annotated');
    git(dir, 'tag', '--annotate', '--message', 'b', 'nested', 'annotated');
    git(dir, 'tag', 'tree', 'HEAD^{tree}');
    git(dir, 'tag', '--annotate', '--message', 'two  spaces and more\n\nbody', 'spaced');
    expect(await listTags(dir)).toEqual([
      { name: 'annotated', commit: head, subject: 'a' },
      { name: 'light', commit: head },
      { name: 'nested', commit: head, subject: 'b' },
      { name: 'spaced', commit: head, subject: 'two  spaces and more' },
      { name: 'tree', commit: undefined },
    ]);
  });

  test('createAnnotatedTag: created, then exists; refuses another commit', async () => {
    const dir = repository(2);
    const head = git(dir, 'rev-parse', 'HEAD');
    const parent = git(dir, 'rev-parse', 'HEAD~1');
    expect(await createAnnotatedTag(dir, 'v1.0.1', parent, 'first')).toBe('created');
    expect(await createAnnotatedTag(dir, 'v1.0.1', parent, 'again')).toBe('exists');
    const moving = createAnnotatedTag(dir, 'v1.0.1', head, 'moved');
    await expect(moving).rejects.toThrow(TagConflictError);
    await expect(createAnnotatedTag(dir, 'v1.0.1', head, 'moved')).rejects.toThrow(`tag v1.0.1 already exists on commit ${parent}, not on ${head}`);
    expect(tagOf(dir, 'v1.0.1')).toBe(parent);
  });

  test('pushTag to a remote that does not exist says what the job needs', async () => {
    const dir = repository(1);
    git(dir, 'tag', 'v1.0.1');
    await expect(pushTag(dir, 'v1.0.1')).rejects.toThrow(/cannot push tag v1\.0\.1 to origin: git push origin .*permissions: contents: write/s);
  });
});
