// The changelog from the commits since the last release: grouped when the subjects follow
// Conventional Commits (feat:, fix(scope)!:, ...), a plain list of subjects when they mostly
// do not. CHANGELOG.md keeps one section per release, newest first; the section is also the
// release's notes on GitHub.
import type { GitCommit } from '../git/log.js';
import { inlineText } from './markdown.js';

export const CHANGELOG_FILE = 'CHANGELOG.md';

export const CHANGELOG_HEADER = `# Changelog

Every release of the suite. Pin one exactly with \`uses: <owner>/ci-actions/<action>@vX.Y.Z\`
(or its commit sha); \`@vX\` follows the newest X.Y.Z release. Each section is written by
\`npm run release\` from the commit subjects since the previous release, grouped when they
follow Conventional Commits, and is that release's notes on GitHub.
`;

/** A release commit's subject: `release: v1.4.2`. Such commits are left out of the changelog. */
export function releaseCommitSubject(tag: string): string {
  return `release: ${tag}`;
}

const RELEASE_COMMIT = /^release: v\d+\.\d+\.\d+$/;

export interface ChangeEntry {
  sha: string;
  /** Conventional type in lower case (feat, fix, ...); undefined when the subject is not conventional. */
  type: string | undefined;
  scope: string | undefined;
  breaking: boolean;
  /** The description after `type(scope)!: `, or the whole subject when not conventional. */
  description: string;
  subject: string;
}

const TYPES = new Set(['feat', 'fix', 'perf', 'refactor', 'docs', 'test', 'tests', 'build', 'ci', 'chore', 'style', 'revert', 'deps']);
const CONVENTIONAL = /^(?<type>[A-Za-z]+)(?:\((?<scope>[^()\r\n]+)\))?(?<bang>!)?: +(?<description>\S.*)$/;
const BREAKING_FOOTER = /^BREAKING[ -]CHANGE: /m;

export function parseCommit(commit: GitCommit): ChangeEntry {
  const subject = commit.subject.trim();
  const match = CONVENTIONAL.exec(subject);
  const type = match?.groups?.type?.toLowerCase();
  if (match?.groups && type && TYPES.has(type)) {
    return {
      sha: commit.sha,
      type,
      scope: match.groups.scope?.trim(),
      breaking: match.groups.bang === '!' || BREAKING_FOOTER.test(commit.body),
      description: match.groups.description.trim(),
      subject,
    };
  }
  return { sha: commit.sha, type: undefined, scope: undefined, breaking: BREAKING_FOOTER.test(commit.body), description: subject, subject };
}

/** The commits a changelog lists: not the release commits (`release: vX.Y.Z`) of earlier runs. */
export function changeEntries(commits: GitCommit[]): ChangeEntry[] {
  return commits.filter((commit) => !RELEASE_COMMIT.test(commit.subject.trim())).map(parseCommit);
}

const GROUPS: { title: string; matches: (entry: ChangeEntry) => boolean }[] = [
  { title: 'Breaking changes', matches: (e) => e.breaking },
  { title: 'Features', matches: (e) => e.type === 'feat' },
  { title: 'Fixes', matches: (e) => e.type === 'fix' },
  { title: 'Performance', matches: (e) => e.type === 'perf' },
  { title: 'Dependencies', matches: (e) => e.type === 'deps' || e.scope === 'deps' },
  { title: 'Documentation', matches: (e) => e.type === 'docs' },
  { title: 'Other changes', matches: () => true },
];

/** Groups when more than half of the subjects are conventional; otherwise the subjects, as written. */
export function isConventional(entries: ChangeEntry[]): boolean {
  return entries.filter((e) => e.type !== undefined).length * 2 > entries.length;
}

function line(entry: ChangeEntry, grouped: boolean): string {
  const sha = entry.sha.slice(0, 7);
  if (!grouped || entry.type === undefined) return `- ${inlineText(entry.subject)} (${sha})`;
  const scope = entry.scope ? `**${inlineText(entry.scope)}:** ` : '';
  return `- ${scope}${inlineText(entry.description)} (${sha})`;
}

/** The body of a release's section (what follows its heading), ending with a newline. */
export function renderChanges(entries: ChangeEntry[]): string {
  if (entries.length === 0) return 'No changes recorded in the commits.\n';
  if (!isConventional(entries)) return entries.map((e) => line(e, false)).join('\n') + '\n';
  const blocks: string[] = [];
  const placed = new Set<ChangeEntry>();
  for (const group of GROUPS) {
    const members = entries.filter((e) => !placed.has(e) && group.matches(e));
    members.forEach((e) => placed.add(e));
    if (members.length > 0) blocks.push(`### ${group.title}\n\n${members.map((e) => line(e, true)).join('\n')}\n`);
  }
  return blocks.join('\n');
}

/** `## v1.4.2 (2025-11-26)` and the body. */
export function renderSection(tag: string, date: Date, entries: ChangeEntry[]): string {
  return `## ${tag} (${date.toISOString().slice(0, 10)})\n\n${renderChanges(entries)}`;
}

function headingPattern(tag: string): RegExp {
  return new RegExp(`^## ${tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[ \\t]|$)`, 'm');
}

/** The tag of the newest release the changelog holds (its first section), if any. */
export function newestReleaseTag(changelog: string): string | undefined {
  return /^## (v\d+\.\d+\.\d+)(?=[ \t]|$)/m.exec(changelog)?.[1];
}

/** True when the changelog has a section for the tag. */
export function hasSection(changelog: string, tag: string): boolean {
  return headingPattern(tag).test(changelog);
}

/**
 * The changelog with the section added above the newest release's section (after the
 * header). A changelog that already has a section for the tag is returned unchanged: a
 * re-run never writes a release twice. An empty or missing file gets the standard header.
 */
export function insertSection(changelog: string | undefined, tag: string, section: string): { text: string; inserted: boolean } {
  const current = changelog && changelog.trim() !== '' ? changelog : CHANGELOG_HEADER;
  if (hasSection(current, tag)) return { text: current, inserted: false };
  const block = section.endsWith('\n') ? section : `${section}\n`;
  const first = /^## /m.exec(current);
  if (!first) return { text: `${current.replace(/\s*$/, '')}\n\n${block}`, inserted: true };
  const before = current.slice(0, first.index).replace(/\s*$/, '');
  return { text: `${before}\n\n${block}\n${current.slice(first.index)}`, inserted: true };
}

/** The body of the tag's section (without its heading), trimmed; undefined when there is none. */
export function extractSection(changelog: string, tag: string): string | undefined {
  const heading = headingPattern(tag).exec(changelog);
  if (!heading) return undefined;
  const start = changelog.indexOf('\n', heading.index);
  if (start === -1) return '';
  const rest = changelog.slice(start + 1);
  const next = /^## /m.exec(rest);
  return (next ? rest.slice(0, next.index) : rest).trim();
}
