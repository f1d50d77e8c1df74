// Releasing the suite from a checkout: refuse what must not be released, write the
// changelog and pin the gate, run the checks on that tree, commit it as the release commit,
// tag it vX.Y.Z, move vX onto it, and push all of it as one atomic push. Every refusal comes
// before anything is committed (failing checks put the written files back); a re-run of a
// release that is already tagged on HEAD only ensures the major tag and the push.
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createAnnotatedTag, isRepository, isShallowRepository, listTags, resolveCommit } from '@ci-actions/publishing/git/index.js';
import { commitPaths, currentBranch, isAncestor, listCommits, listRemoteRefs, pushRefs, setMovingTag, workTreeChanges } from '../git/index.js';
import { formatVersion } from '@ci-actions/publishing/version/release-version.js';
import {
  CHANGELOG_FILE,
  changeEntries,
  extractSection,
  hasSection,
  insertSection,
  releaseCommitSubject,
  renderChanges,
  renderSection,
  type ChangeEntry,
} from './changelog.js';
import { ReleaseRefusal } from './errors.js';
import { planRelease, type ReleasePlan } from './plan.js';
import { pinSuiteReferences, PINNED_WORKFLOWS } from './workflow-pins.js';
import { parseReleaseVersion } from './version.js';

export interface ReleaseOptions {
  /** The repository's work tree. */
  cwd: string;
  /** 1.4.2 or v1.4.2. */
  version: string;
  /** Push the release commit's branch, the version tag and the major tag to `remote`. */
  push: boolean;
  /** Decide and report; run no check, write and push nothing. */
  dryRun: boolean;
  /**
   * The checks a release needs (the CLI: README docs fresh, dist/ fresh, the test suite).
   * Throwing refuses the release. It runs on the release commit's files as written (the
   * changelog, the gate pinned), before anything is committed or tagged; refused, they are
   * put back.
   */
  verify: () => Promise<void>;
  remote?: string;
  /** The release date in the changelog; today (UTC) by default. */
  date?: Date;
  log?: (line: string) => void;
}

export type Outcome = 'created' | 'exists' | 'would create';
export type MajorOutcome = 'created' | 'moved' | 'unchanged' | 'would create' | 'would move';

export interface ReleaseResult {
  plan: ReleasePlan;
  version: string;
  tag: string;
  majorTag: string;
  /** The commit the tags mark: the release commit, or HEAD when the changelog needed no commit. */
  commit: string;
  releaseCommit: 'created' | 'not needed' | 'would create';
  versionTag: Outcome;
  majorTagUpdate: MajorOutcome;
  /** Where the major tag was before, when it existed and moved. */
  majorTagFrom: string | undefined;
  /** What was (or, in a dry run, would be) pushed; empty when not pushing or the remote had it all. */
  pushed: string[];
  /** The release's notes: its changelog section and how to pin it. */
  notes: string;
  changes: ChangeEntry[];
  warnings: string[];
}

/** A file the release commit changes, with what it held before (undefined: it did not exist). */
interface WrittenFile {
  file: string;
  before: string | undefined;
}

/** The release commit's files: the changelog, and the gate's references to the suite pinned to the release. */
async function writeReleaseFiles(cwd: string, changelogBefore: string | undefined, changelog: string, tag: string): Promise<WrittenFile[]> {
  await writeFile(path.join(cwd, CHANGELOG_FILE), changelog);
  const written: WrittenFile[] = [{ file: CHANGELOG_FILE, before: changelogBefore }];
  const actions = (await readdir(cwd, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && existsSync(path.join(cwd, e.name, 'action.yml')))
    .map((e) => e.name);
  for (const file of PINNED_WORKFLOWS) {
    const text = await readFile(path.join(cwd, file), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const pinned = pinSuiteReferences(text, actions, tag);
    if (pinned === text) continue;
    await writeFile(path.join(cwd, file), pinned);
    written.push({ file, before: text });
  }
  return written;
}

async function restoreFiles(cwd: string, written: readonly WrittenFile[]): Promise<void> {
  for (const { file, before } of written) {
    if (before === undefined) await rm(path.join(cwd, file), { force: true });
    else await writeFile(path.join(cwd, file), before);
  }
}

function short(commit: string): string {
  return commit.slice(0, 7);
}

function behind(remote: string, branch: string, theirs: string): ReleaseRefusal {
  return new ReleaseRefusal(
    `${remote}/${branch} (${short(theirs)}) has commits HEAD lacks: release from an up-to-date ${branch} (git pull --rebase ${remote} ${branch}), ` +
      'so that the release commit can be pushed onto it',
  );
}

export async function runRelease(options: ReleaseOptions): Promise<ReleaseResult> {
  const { cwd, dryRun } = options;
  const remote = options.remote ?? 'origin';
  const log = options.log ?? (() => undefined);
  const version = parseReleaseVersion(options.version);

  if (!(await isRepository(cwd))) throw new ReleaseRefusal(`${cwd} is not a git repository`);
  if (await isShallowRepository(cwd)) {
    throw new ReleaseRefusal(
      'this is a shallow clone: a release needs every tag and the history since the last release (actions/checkout with fetch-depth: 0, or git fetch --unshallow --tags)',
    );
  }
  const changes = await workTreeChanges(cwd);
  if (changes.length > 0) {
    const shown = changes
      .slice(0, 10)
      .map((l) => `  ${l}`)
      .join('\n');
    const more = changes.length > 10 ? `\n  ... and ${changes.length - 10} more` : '';
    throw new ReleaseRefusal(
      `the work tree is not clean: commit, stash or remove these first, so that the release is exactly what is committed:\n${shown}${more}`,
    );
  }
  const head = await resolveCommit(cwd, 'HEAD');
  if (!head) throw new ReleaseRefusal('the repository has no commit to release');
  const branch = await currentBranch(cwd);

  const remoteRefs = options.push ? await listRemoteRefs(cwd, remote) : undefined;
  const plan = planRelease({ version, head, tags: await listTags(cwd), remoteTags: remoteRefs?.tags, remote });
  const warnings = [...plan.warnings];
  log(
    `release ${plan.tag}: ${plan.state === 'tagged' ? `already tagged on HEAD (${short(head)})` : `new, from HEAD ${short(head)}${branch ? ` on ${branch}` : ''}`}`,
  );
  log(`last release: ${plan.previous ? `${plan.previous.tag} (${short(plan.previous.commit)})` : 'none, this is the first'}`);

  // Where the remote's branch is relative to HEAD: the release commit goes onto the branch
  // and is pushed with the tags, which a remote branch with commits HEAD lacks would refuse.
  let remoteBranch: 'absent' | 'same' | 'behind' | 'ahead' | undefined;
  if (remoteRefs && branch) {
    const theirs = remoteRefs.branches.get(branch);
    if (theirs === undefined) remoteBranch = 'absent';
    else if (theirs === head) remoteBranch = 'same';
    else if ((await isAncestor(cwd, theirs, head)) === true) remoteBranch = 'behind';
    else if ((await isAncestor(cwd, head, theirs)) === true) remoteBranch = 'ahead';
    else throw behind(remote, branch, theirs);
  }

  // The major tag only moves forward: HEAD must contain the last release.
  if (plan.previous) {
    if (plan.previous.commit === head) throw new ReleaseRefusal(`HEAD is ${plan.previous.tag} already: there is nothing to release since`);
    const contains = await isAncestor(cwd, plan.previous.commit, head);
    if (contains !== true) {
      throw new ReleaseRefusal(
        `HEAD (${short(head)}) does not contain the last release ${plan.previous.tag} (${short(plan.previous.commit)})` +
          (contains === undefined
            ? ', a commit this clone does not have: fetch it (git fetch --tags)'
            : `: ${plan.majorTag} would move to a history without it`) +
          '. Release from a checkout that contains it.',
      );
    }
  }

  const commits = await listCommits(cwd, plan.previous?.commit, head);
  const entries = changeEntries(commits);
  const changelogPath = path.join(cwd, CHANGELOG_FILE);
  const changelog = await readFile(changelogPath, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  const sectionWritten = changelog !== undefined && hasSection(changelog, plan.tag);

  const needsCommit = plan.state === 'new' && !sectionWritten;
  if (needsCommit && !branch) {
    throw new ReleaseRefusal('HEAD is detached: check out the branch to release from, since the release commit (the changelog) goes onto it');
  }
  if (needsCommit && remoteBranch === 'ahead') {
    throw behind(remote, branch!, remoteRefs!.branches.get(branch!)!);
  }
  const breaking = entries.filter((e) => e.breaking);
  if (breaking.length > 0 && plan.previous && plan.previous.version.major === version.major) {
    warnings.push(
      `${breaking.length} breaking change(s) since ${plan.previous.tag} (${breaking.map((e) => short(e.sha)).join(', ')}), but ${formatVersion(version)} keeps major version ${version.major}: ` +
        `everyone on @${plan.majorTag} gets them`,
    );
  }
  warnings.forEach((w) => log(`warning: ${w}`));

  // The checks run on the tree as the release commit holds it: the changelog written and the
  // gate pinned to this release. Run before pinning, they once passed on a gate at @v1 and
  // the release commit failed them. Refused, the tree is put back as it was.
  const rendered = needsCommit ? renderSection(plan.tag, options.date ?? new Date(), entries) : undefined;
  const written = rendered !== undefined && !dryRun ? await writeReleaseFiles(cwd, changelog, insertSection(changelog, plan.tag, rendered).text, plan.tag) : [];
  if (dryRun) log('dry run: the checks are not run and nothing is written');
  else {
    log(
      `running the release checks${written.length > 0 ? ` on the tree as the release commit holds it (${written.map((w) => w.file).join(', ')} written)` : ''}`,
    );
    try {
      await options.verify();
    } catch (err) {
      await restoreFiles(cwd, written);
      throw new ReleaseRefusal(`the release checks failed, so nothing was committed, tagged or pushed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  // The changelog section: written by this run, by an earlier run of this release, or (a tag
  // made by hand) missing, in which case the notes come from the commits and nothing is committed.
  let commit = head;
  let releaseCommit: ReleaseResult['releaseCommit'] = 'not needed';
  let section: string;
  if (sectionWritten) {
    section = extractSection(changelog, plan.tag) ?? '';
  } else if (rendered !== undefined) {
    section = extractSection(rendered, plan.tag) ?? '';
    if (dryRun) releaseCommit = 'would create';
    else {
      const files = written.map((w) => w.file);
      commit = await commitPaths(cwd, files, releaseCommitSubject(plan.tag));
      releaseCommit = 'created';
      log(`committed ${files.join(', ')}: ${releaseCommitSubject(plan.tag)} (${short(commit)})`);
    }
  } else {
    section = renderChanges(entries).trim();
    const warning = `${CHANGELOG_FILE} has no section for ${plan.tag} (the tag was not made by npm run release): the notes list the commits since ${plan.previous?.tag ?? 'the beginning'}`;
    warnings.push(warning);
    log(`warning: ${warning}`);
  }

  let versionTag: Outcome;
  if (plan.state === 'tagged' && (await resolveCommit(cwd, `refs/tags/${plan.tag}`)) === commit) versionTag = 'exists';
  else if (dryRun) versionTag = 'would create';
  else versionTag = await createAnnotatedTag(cwd, plan.tag, commit, `ci-actions ${plan.tag}`);
  const target = releaseCommit === 'would create' ? 'the release commit' : short(commit);
  log(`${plan.tag}: ${versionTag === 'exists' ? 'already' : versionTag} on ${target}`);

  let majorTagUpdate: MajorOutcome;
  const majorTagFrom = plan.majorTagCommit !== commit ? plan.majorTagCommit : undefined;
  if (dryRun)
    majorTagUpdate = plan.majorTagCommit === commit && releaseCommit !== 'would create' ? 'unchanged' : plan.majorTagCommit ? 'would move' : 'would create';
  else majorTagUpdate = await setMovingTag(cwd, plan.majorTag, commit);
  log(`${plan.majorTag}: ${majorTagUpdate}${majorTagFrom ? ` from ${short(majorTagFrom)}` : ''} -> ${target}`);

  const pushed: string[] = [];
  if (remoteRefs) {
    const remoteTag = (name: string) => remoteRefs.tags.find((t) => t.name === name)?.commit;
    const theirs = branch ? remoteRefs.branches.get(branch) : undefined;
    const branchMoves = releaseCommit !== 'not needed' || theirs !== commit;
    if (branch && remoteBranch !== 'ahead' && branchMoves) pushed.push(`HEAD:refs/heads/${branch}`);
    if (remoteTag(plan.tag) !== commit) pushed.push(`refs/tags/${plan.tag}:refs/tags/${plan.tag}`);
    if (remoteTag(plan.majorTag) !== commit) pushed.push(`+refs/tags/${plan.majorTag}:refs/tags/${plan.majorTag}`);
    if (pushed.length === 0) log(`${remote} has the release already`);
    else if (dryRun) log(`would push to ${remote}: ${pushed.join(' ')}`);
    else {
      try {
        await pushRefs(cwd, pushed, remote);
      } catch (err) {
        const undo = `git tag --delete ${plan.tag}${releaseCommit === 'created' ? ' && git reset --keep HEAD~1' : ''}`;
        throw new Error(
          `${err instanceof Error ? err.message : String(err)}\nThe release stays here: run the release again to push it, or start over with ${undo}.`,
          { cause: err },
        );
      }
      log(`pushed to ${remote}: ${pushed.join(' ')}`);
    }
  } else if (!dryRun) {
    log(`not pushed: run again with --push, or git push --atomic ${remote}${branch ? ` ${branch}` : ''} ${plan.tag} +${plan.majorTag}`);
  }

  const sha = releaseCommit === 'would create' ? 'the release commit' : `\`@${commit}\``;
  const notes = `${section}\n\nPin this release with \`@${plan.tag}\` or ${sha}; \`@${plan.majorTag}\` follows the newest ${version.major}.x release.\n`;
  return {
    plan,
    version: formatVersion(version),
    tag: plan.tag,
    majorTag: plan.majorTag,
    commit,
    releaseCommit,
    versionTag,
    majorTagUpdate,
    majorTagFrom,
    pushed,
    notes,
    changes: entries,
    warnings,
  };
}
