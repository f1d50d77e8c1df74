// The release on real git repositories made for each test, with a bare origin: the release
// commit and tags it makes, the major tag it moves, what it pushes, and every refusal leaving
// the repository as it was.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ReleaseRefusal, runRelease, type ReleaseOptions } from '../../tools/release/index.js';
import { git, isolateGitConfig, tempDir as makeTempDir } from '../support/git-repo.js';

isolateGitConfig();
const tempDir = () => makeTempDir('release');

const DATE = new Date('2025-11-26T12:00:00Z');

/** A repository on main with a committer configured and the given commits (each a file change). */
function repository(...subjects: string[]): string {
  const dir = tempDir();
  git(dir, 'init', '--quiet', '--initial-branch=main');
  git(dir, 'config', 'user.name', 'Test Committer');
  git(dir, 'config', 'user.email', 'committer@example.com');
  subjects.forEach((subject) => commit(dir, subject));
  return dir;
}

let counter = 0;
function commit(dir: string, subject: string, body = ''): string {
  writeFileSync(path.join(dir, 'file.txt'), `change ${++counter}\n`);
  git(dir, 'add', 'file.txt');
  git(dir, 'commit', '--quiet', '--message', body ? `${subject}\n\n${body}` : subject);
  return head(dir);
}

function mkdirpSync(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

function head(dir: string): string {
  return git(dir, 'rev-parse', 'HEAD');
}

/** A bare origin with main pushed. */
function withOrigin(dir: string): string {
  const origin = tempDir();
  git(origin, 'init', '--quiet', '--bare', '--initial-branch=main');
  git(dir, 'remote', 'add', 'origin', origin);
  git(dir, 'push', '--quiet', 'origin', 'main');
  return origin;
}

function tagOf(dir: string, tag: string): string {
  return git(dir, 'rev-parse', `refs/tags/${tag}^{commit}`);
}

function tags(dir: string): string[] {
  return git(dir, 'tag', '--list').split('\n').filter(Boolean);
}

function changelog(dir: string): string {
  return readFileSync(path.join(dir, 'CHANGELOG.md'), 'utf8');
}

/** Everything a refusal must leave as it was: HEAD, branch, tags, work tree, origin. */
function snapshot(dir: string): string {
  return [git(dir, 'rev-parse', 'HEAD'), git(dir, 'show-ref'), git(dir, 'status', '--porcelain')].join('\n---\n');
}

async function release(dir: string, version: string, options: Partial<ReleaseOptions> = {}) {
  const lines: string[] = [];
  const result = await runRelease({
    cwd: dir,
    version,
    push: false,
    dryRun: false,
    verify: async () => undefined,
    date: DATE,
    log: (l) => lines.push(l),
    ...options,
  });
  return { ...result, lines };
}

describe('a release', () => {
  test('the first: a release commit with the changelog, tagged v1.0.0 (annotated), v1 on it, all pushed atomically', async () => {
    const dir = repository('feat: load-config reads the configuration', 'fix(promote-image): retry a 502', 'chore: tidy');
    const origin = withOrigin(dir);
    const before = head(dir);
    let verified = 0;
    const result = await release(dir, '1.0.0', { push: true, verify: async () => void verified++ });

    expect(verified).toBe(1);
    expect(git(dir, 'log', '-1', '--format=%s')).toBe('release: v1.0.0');
    expect(git(dir, 'rev-parse', 'HEAD~1')).toBe(before);
    expect(git(dir, 'show', '--name-only', '--format=', 'HEAD')).toBe('CHANGELOG.md');
    expect(result).toMatchObject({
      version: '1.0.0',
      tag: 'v1.0.0',
      majorTag: 'v1',
      commit: head(dir),
      releaseCommit: 'created',
      versionTag: 'created',
      majorTagUpdate: 'created',
    });
    expect(git(dir, 'cat-file', '-t', 'refs/tags/v1.0.0')).toBe('tag');
    expect(git(dir, 'cat-file', '-t', 'refs/tags/v1')).toBe('commit');
    expect([tagOf(dir, 'v1.0.0'), tagOf(dir, 'v1')]).toEqual([head(dir), head(dir)]);

    expect(changelog(dir)).toContain('## v1.0.0 (2025-11-26)\n\n### Features\n\n- load-config reads the configuration (');
    expect(changelog(dir)).toContain('### Fixes\n\n- **promote-image:** retry a 502 (');
    expect(changelog(dir)).toContain('### Other changes\n\n- tidy (');
    expect(result.notes).toContain('### Features');
    expect(result.notes).toContain(`Pin this release with \`@v1.0.0\` or \`@${head(dir)}\`; \`@v1\` follows the newest 1.x release.`);

    expect(result.pushed).toEqual(['HEAD:refs/heads/main', 'refs/tags/v1.0.0:refs/tags/v1.0.0', '+refs/tags/v1:refs/tags/v1']);
    expect([git(origin, 'rev-parse', 'main'), tagOf(origin, 'v1.0.0'), tagOf(origin, 'v1')]).toEqual([head(dir), head(dir), head(dir)]);
    expect(git(origin, 'cat-file', '-t', 'refs/tags/v1.0.0')).toBe('tag');
  });

  test('the release commit pins the stage gate to the release, so a caller pinning the gate runs that release', async () => {
    const dir = repository('feat: first');
    const gate = '.github/workflows/stage-gate.yml';
    const gateText = (ref: string) =>
      `jobs:\n  prepare:\n    steps:\n      - uses: actions/checkout@abc # v7\n      - uses: acme/ci-actions/load-config@${ref}\n      - uses: "acme/ci-actions/cleanup-staging@${ref}" # last\n`;
    for (const action of ['load-config', 'cleanup-staging']) writeFileSync(path.join(mkdirpSync(path.join(dir, action)), 'action.yml'), 'name: x\n');
    writeFileSync(path.join(mkdirpSync(path.join(dir, '.github/workflows')), 'stage-gate.yml'), gateText('v1'));
    git(dir, 'add', '.');
    git(dir, 'commit', '--quiet', '--message', 'feat: the gate');

    await release(dir, '1.0.0');
    expect(git(dir, 'show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual([gate, 'CHANGELOG.md'].sort());
    expect(readFileSync(path.join(dir, gate), 'utf8')).toBe(gateText('v1.0.0'));
    expect(git(dir, 'status', '--porcelain')).toBe('');

    commit(dir, 'fix: second');
    await release(dir, '1.0.1');
    expect(git(dir, 'show', `v1.0.1:${gate}`)).toBe(gateText('v1.0.1').trimEnd());
    expect(git(dir, 'show', `v1.0.0:${gate}`)).toBe(gateText('v1.0.0').trimEnd());
  });

  test('the checks run on the tree the release commit holds, the gate pinned; refused, the tree is as it was', async () => {
    const dir = repository('feat: first');
    const gate = '.github/workflows/stage-gate.yml';
    const gateText = (ref: string) => `jobs:\n  prepare:\n    steps:\n      - uses: acme/ci-actions/load-config@${ref}\n`;
    writeFileSync(path.join(mkdirpSync(path.join(dir, 'load-config')), 'action.yml'), 'name: x\n');
    writeFileSync(path.join(mkdirpSync(path.join(dir, '.github/workflows')), 'stage-gate.yml'), gateText('v1'));
    git(dir, 'add', '.');
    git(dir, 'commit', '--quiet', '--message', 'feat: the gate');
    const before = head(dir);

    const seen: string[] = [];
    const look = () => seen.push(readFileSync(path.join(dir, gate), 'utf8'));
    const state = snapshot(dir);
    const attempt = release(dir, '1.0.0', {
      verify: async () => {
        look();
        throw new Error('a test compares the gate with the example');
      },
    });
    await expect(attempt).rejects.toThrow(/^the release checks failed, so nothing was committed, tagged or pushed: a test compares/);
    expect(snapshot(dir)).toBe(state);
    expect(seen).toEqual([gateText('v1.0.0')]);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(readFileSync(path.join(dir, gate), 'utf8')).toBe(gateText('v1'));
    expect(head(dir)).toBe(before);
    expect(tags(dir)).toEqual([]);

    await release(dir, '1.0.0', { verify: async () => void look() });
    expect(seen).toEqual([gateText('v1.0.0'), gateText('v1.0.0')]);
    expect(git(dir, 'show', `v1.0.0:${gate}`)).toBe(gateText('v1.0.0').trimEnd());
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  test('the next: v1 moves to it; the changelog gets a section on top with only the new commits', async () => {
    const dir = repository('core: first');
    const origin = withOrigin(dir);
    await release(dir, '1.0.0', { push: true });
    const first = head(dir);
    commit(dir, 'promote-image: copy referrers');
    commit(dir, 'generate-version: <run> numbers');
    git(dir, 'push', '--quiet', 'origin', 'main');

    const result = await release(dir, '1.1.0', { push: true });
    expect(result).toMatchObject({ releaseCommit: 'created', versionTag: 'created', majorTagUpdate: 'moved', majorTagFrom: first });
    expect(result.plan.previous?.tag).toBe('v1.0.0');
    expect([tagOf(dir, 'v1'), tagOf(origin, 'v1'), tagOf(origin, 'v1.0.0')]).toEqual([head(dir), head(dir), first]);
    const text = changelog(dir);
    expect(text.indexOf('## v1.1.0')).toBeLessThan(text.indexOf('## v1.0.0'));
    const section = text.slice(text.indexOf('## v1.1.0'), text.indexOf('## v1.0.0'));
    expect(section).toMatch(
      /^## v1\.1\.0 \(2025-11-26\)\n\n- promote-image: copy referrers \([0-9a-f]{7}\)\n- generate-version: &lt;run&gt; numbers \([0-9a-f]{7}\)\n\n$/,
    );
    expect(result.lines).toContain(`v1: moved from ${first.slice(0, 7)} -> ${head(dir).slice(0, 7)}`);
  });

  test('a new major version creates v2 and leaves v1 on the last 1.x release', async () => {
    const dir = repository('feat: a');
    const origin = withOrigin(dir);
    await release(dir, '1.0.0', { push: true });
    const v1 = head(dir);
    commit(dir, 'feat!: rename every input');
    const result = await release(dir, '2.0.0', { push: true });
    expect([result.majorTag, result.majorTagUpdate]).toEqual(['v2', 'created']);
    expect([tagOf(origin, 'v1'), tagOf(origin, 'v2'), tagOf(origin, 'v2.0.0')]).toEqual([v1, head(dir), head(dir)]);
    expect(changelog(dir)).toContain('## v2.0.0 (2025-11-26)\n\n### Breaking changes\n\n- rename every input (');
    expect(result.warnings).toEqual([]);
  });

  test('breaking changes in a minor release are released, with a warning', async () => {
    const dir = repository('feat: a');
    await release(dir, '1.0.0');
    const breaking = commit(dir, 'fix: a new default', 'BREAKING CHANGE: the default changed');
    const result = await release(dir, '1.1.0');
    expect(result.warnings).toEqual([
      `1 breaking change(s) since v1.0.0 (${breaking.slice(0, 7)}), but 1.1.0 keeps major version 1: everyone on @v1 gets them`,
    ]);
  });

  test('without --push nothing leaves the repository, and the log says how to push', async () => {
    const dir = repository('feat: a');
    const origin = withOrigin(dir);
    const result = await release(dir, 'v1.0.0');
    expect(result.pushed).toEqual([]);
    expect(tags(dir)).toEqual(['v1', 'v1.0.0']);
    expect(git(origin, 'tag', '--list')).toBe('');
    expect(result.lines.at(-1)).toBe('not pushed: run again with --push, or git push --atomic origin main v1.0.0 +v1');
  });

  test("without a configured committer the release commit is github-actions[bot]'s", async () => {
    const dir = repository('feat: a');
    git(dir, 'config', '--unset', 'user.name');
    git(dir, 'config', '--unset', 'user.email');
    await release(dir, '1.0.0');
    expect(git(dir, 'log', '-1', '--format=%an <%ae>')).toBe('github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>');
  });
});

describe('a re-run', () => {
  test('of the same release on the same commit changes nothing and pushes nothing new', async () => {
    const dir = repository('feat: a');
    const origin = withOrigin(dir);
    await release(dir, '1.0.0', { push: true });
    const state = snapshot(dir);
    const originState = git(origin, 'show-ref');
    const again = await release(dir, '1.0.0', { push: true });
    expect(again).toMatchObject({ releaseCommit: 'not needed', versionTag: 'exists', majorTagUpdate: 'unchanged', pushed: [] });
    expect(again.plan.state).toBe('tagged');
    expect(again.lines).toContain('origin has the release already');
    expect(snapshot(dir)).toBe(state);
    expect(git(origin, 'show-ref')).toBe(originState);
    expect(again.notes).toContain('### Features\n\n- a (');
  });

  test('after a push that failed, pushes what is missing', async () => {
    const dir = repository('feat: a');
    await release(dir, '1.0.0');
    const origin = withOrigin(dir);
    git(dir, 'push', '--quiet', 'origin', 'HEAD~1:refs/heads/main', '--force');
    const again = await release(dir, '1.0.0', { push: true });
    expect(again.pushed).toEqual(['HEAD:refs/heads/main', 'refs/tags/v1.0.0:refs/tags/v1.0.0', '+refs/tags/v1:refs/tags/v1']);
    expect([git(origin, 'rev-parse', 'main'), tagOf(origin, 'v1')]).toEqual([head(dir), head(dir)]);
  });

  test('after the release commit was made but not tagged: no second commit, the tag goes on it', async () => {
    const dir = repository('feat: a');
    await release(dir, '1.0.0');
    git(dir, 'tag', '--delete', 'v1.0.0', 'v1');
    const releaseCommit = head(dir);
    const again = await release(dir, '1.0.0');
    expect(again).toMatchObject({ releaseCommit: 'not needed', versionTag: 'created', majorTagUpdate: 'created', commit: releaseCommit });
    expect(changelog(dir).match(/## v1\.0\.0/g)).toHaveLength(1);
  });

  test('the workflow started by a hand-made tag: detached at the tag, no commit, v1 moved, notes from the commits', async () => {
    const dir = repository('feat: a');
    const origin = withOrigin(dir);
    await release(dir, '1.0.0', { push: true });
    commit(dir, 'fix: b');
    git(dir, 'tag', 'v1.0.1');
    git(dir, 'push', '--quiet', 'origin', 'main', 'v1.0.1');
    // What actions/checkout leaves for a tag push with fetch-depth: 0.
    const runner = tempDir();
    git(runner, 'clone', '--quiet', origin, '.');
    git(runner, 'checkout', '--quiet', '--detach', 'v1.0.1');

    const result = await release(runner, 'v1.0.1', { push: true });
    expect(result).toMatchObject({ releaseCommit: 'not needed', versionTag: 'exists', majorTagUpdate: 'moved', pushed: ['+refs/tags/v1:refs/tags/v1'] });
    expect(result.notes).toMatch(/^### Fixes\n\n- b \([0-9a-f]{7}\)\n\nPin this release with `@v1\.0\.1`/);
    expect(result.warnings).toEqual([
      'CHANGELOG.md has no section for v1.0.1 (the tag was not made by npm run release): the notes list the commits since v1.0.0',
    ]);
    expect(tagOf(origin, 'v1')).toBe(tagOf(origin, 'v1.0.1'));
    expect(git(runner, 'status', '--porcelain')).toBe('');
  });

  test('the workflow started by a tag npm run release made: the notes are its changelog section', async () => {
    const dir = repository('feat: a');
    const origin = withOrigin(dir);
    const made = await release(dir, '1.0.0', { push: true });
    const runner = tempDir();
    git(runner, 'clone', '--quiet', origin, '.');
    git(runner, 'checkout', '--quiet', '--detach', 'v1.0.0');
    const result = await release(runner, 'v1.0.0', { push: true });
    expect(result).toMatchObject({ versionTag: 'exists', majorTagUpdate: 'unchanged', pushed: [], warnings: [] });
    expect(result.notes).toBe(made.notes);
  });
});

describe('refusals leave everything as it was', () => {
  async function refused(dir: string, version: string, message: string | RegExp, options: Partial<ReleaseOptions> = {}) {
    const state = snapshot(dir);
    const attempt = release(dir, version, options);
    await expect(attempt).rejects.toThrow(ReleaseRefusal);
    await expect(attempt).rejects.toThrow(message);
    expect(snapshot(dir)).toBe(state);
  }

  test('a lower or equal version', async () => {
    const dir = repository('feat: a');
    await release(dir, '1.4.2');
    commit(dir, 'fix: b');
    await refused(dir, '1.4.1', '1.4.1 is not above the last release v1.4.2');
    await refused(dir, '1.4.2', /^v1\.4\.2 is already released, on commit [0-9a-f]{7}, and HEAD is [0-9a-f]{7}: a release tag never moves/);
    await refused(dir, '0.9.0', 'The next release is one of 1.4.3, 1.5.0, 2.0.0.');
  });

  test('a version that is not MAJOR.MINOR.PATCH', async () => {
    await refused(repository('feat: a'), '1.0.0-rc.1', 'prereleases and build metadata are not released');
  });

  test('a dirty work tree: modified, staged or untracked', async () => {
    const dir = repository('feat: a');
    writeFileSync(path.join(dir, 'file.txt'), 'edited\n');
    await refused(
      dir,
      '1.0.0',
      'the work tree is not clean: commit, stash or remove these first, so that the release is exactly what is committed:\n   M file.txt',
    );
    git(dir, 'checkout', '--quiet', '--', 'file.txt');
    writeFileSync(path.join(dir, 'dist.js'), 'stale bundle\n');
    await refused(dir, '1.0.0', '?? dist.js');
    git(dir, 'add', 'dist.js');
    await refused(dir, '1.0.0', 'A  dist.js');
  });

  test('ignored files do not make the tree dirty', async () => {
    const dir = repository();
    writeFileSync(path.join(dir, '.gitignore'), '.cache/\n');
    git(dir, 'add', '.gitignore');
    git(dir, 'commit', '--quiet', '--message', 'chore: ignore the cache');
    execFileSync('mkdir', ['-p', path.join(dir, '.cache')]);
    writeFileSync(path.join(dir, '.cache', 'x'), 'x');
    expect((await release(dir, '1.0.0')).tag).toBe('v1.0.0');
  });

  test('failing checks: nothing committed, tagged or pushed', async () => {
    const dir = repository('feat: a');
    const origin = withOrigin(dir);
    await refused(dir, '1.0.0', 'the release checks failed, so nothing was committed, tagged or pushed: check-dist: dist/ differs from a fresh build', {
      push: true,
      verify: async () => {
        throw new Error('check-dist: dist/ differs from a fresh build');
      },
    });
    expect(tags(dir)).toEqual([]);
    expect(git(origin, 'tag', '--list')).toBe('');
    expect(git(dir, 'log', '--format=%s')).toBe('feat: a');
  });

  test('nothing since the last release', async () => {
    const dir = repository('feat: a');
    await release(dir, '1.0.0');
    await refused(dir, '1.0.1', 'HEAD is v1.0.0 already: there is nothing to release since');
  });

  test('HEAD that does not contain the last release', async () => {
    const dir = repository('feat: a', 'feat: b');
    await release(dir, '1.0.0');
    git(dir, 'checkout', '--quiet', '-b', 'old', 'HEAD~2');
    commit(dir, 'fix: on an old branch');
    await refused(dir, '1.0.1', /^HEAD \([0-9a-f]{7}\) does not contain the last release v1\.0\.0 \([0-9a-f]{7}\): v1 would move to a history without it/);
  });

  test('a detached HEAD when a release commit is needed', async () => {
    const dir = repository('feat: a');
    git(dir, 'checkout', '--quiet', '--detach');
    await refused(dir, '1.0.0', 'HEAD is detached: check out the branch to release from');
  });

  test('a shallow clone', async () => {
    const dir = repository('feat: a', 'feat: b');
    const origin = withOrigin(dir);
    const clone = tempDir();
    git(clone, 'clone', '--quiet', '--depth', '1', `file://${origin}`, '.');
    await refused(clone, '1.0.0', 'this is a shallow clone: a release needs every tag and the history since the last release');
  });

  test('with --push: a release on the remote that was not fetched', async () => {
    const dir = repository('feat: a');
    const origin = withOrigin(dir);
    const other = tempDir();
    git(other, 'clone', '--quiet', origin, '.');
    git(other, 'tag', 'v1.2.0');
    git(other, 'push', '--quiet', 'origin', 'v1.2.0');
    commit(dir, 'fix: b');
    await refused(dir, '1.1.0', '1.1.0 is not above the last release v1.2.0', { push: true });
    // Without --push the remote is not asked; the push would have told.
    expect((await release(dir, '1.1.0')).tag).toBe('v1.1.0');
  });

  test('with --push: the remote branch has commits HEAD lacks', async () => {
    const dir = repository('feat: a');
    const origin = withOrigin(dir);
    const other = tempDir();
    git(other, 'clone', '--quiet', origin, '.');
    git(other, '-c', 'user.name=O', '-c', 'user.email=o@example.com', 'commit', '--quiet', '--allow-empty', '--message', 'fix: theirs');
    git(other, 'push', '--quiet', 'origin', 'main');
    const message = /^origin\/main \([0-9a-f]{7}\) has commits HEAD lacks: release from an up-to-date main \(git pull --rebase origin main\)/;
    // Commits this clone has not even fetched.
    await refused(dir, '1.0.0', message, { push: true });
    // Fetched: HEAD is behind.
    git(dir, 'fetch', '--quiet', 'origin');
    await refused(dir, '1.0.0', message, { push: true });
    // Diverged.
    commit(dir, 'fix: mine');
    await refused(dir, '1.0.0', message, { push: true });
  });

  test('a rejected push: the remote takes nothing, the local release stays for a re-run', async () => {
    const dir = repository('feat: a');
    const origin = withOrigin(dir);
    // A hook that refuses every tag, as a protected-tag rule would.
    writeFileSync(
      path.join(origin, 'hooks', 'pre-receive'),
      '#!/bin/sh\nwhile read old new ref; do case "$ref" in refs/tags/*) echo "tags are protected" >&2; exit 1;; esac; done\n',
      { mode: 0o755 },
    );
    const attempt = release(dir, '1.0.0', { push: true });
    await expect(attempt).rejects.toThrow(
      /^cannot push HEAD:refs\/heads\/main refs\/tags\/v1\.0\.0:refs\/tags\/v1\.0\.0 \+refs\/tags\/v1:refs\/tags\/v1 to origin \(the push is atomic: nothing was updated there\)/,
    );
    await expect(attempt).rejects.toThrow(
      'The release stays here: run the release again to push it, or start over with git tag --delete v1.0.0 && git reset --keep HEAD~1.',
    );
    expect(git(origin, 'log', '-1', '--format=%s', 'main')).toBe('feat: a');
    expect(git(origin, 'tag', '--list')).toBe('');
    expect(tags(dir)).toEqual(['v1', 'v1.0.0']);
  });
});

describe('a dry run', () => {
  test('reports the plan and the notes, runs no check, writes and pushes nothing', async () => {
    const dir = repository('feat: a');
    const origin = withOrigin(dir);
    await release(dir, '1.0.0', { push: true });
    commit(dir, 'fix: b');
    git(dir, 'push', '--quiet', 'origin', 'main');
    const state = snapshot(dir);
    let verified = false;
    const result = await release(dir, '1.0.1', {
      push: true,
      dryRun: true,
      verify: async () => {
        verified = true;
      },
    });
    expect(verified).toBe(false);
    expect(snapshot(dir)).toBe(state);
    expect(git(origin, 'tag', '--list')).toBe('v1\nv1.0.0');
    expect(result).toMatchObject({ releaseCommit: 'would create', versionTag: 'would create', majorTagUpdate: 'would move' });
    expect(result.pushed).toEqual(['HEAD:refs/heads/main', 'refs/tags/v1.0.1:refs/tags/v1.0.1', '+refs/tags/v1:refs/tags/v1']);
    expect(result.notes).toMatch(/^### Fixes\n\n- b \([0-9a-f]{7}\)\n\nPin this release with `@v1\.0\.1` or the release commit;/);
    expect(result.lines).toEqual(
      expect.arrayContaining(['dry run: the checks are not run and nothing is written', 'v1.0.1: would create on the release commit']),
    );
  });
});
