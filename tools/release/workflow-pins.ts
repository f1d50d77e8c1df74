// The stage gate names the suite's actions as owner/ci-actions/<action>@<ref>: a called
// workflow resolves ./ paths in the caller's checkout, so it cannot name them locally. With a
// moving ref (@v1), a caller that pins stage-gate.yml@v1.4.1 or @<sha> would still run
// whatever v1 points at today, and a release moving v1 during a run would give two jobs of
// one run different code. So each release commit pins the gate's own references to the
// exact release (@vX.Y.Z), and a check holds them to the newest release in the changelog.
// Pure: test/unit/workflow-pins.test.ts is its specification.

/** The workflows whose references to the suite a release pins. */
export const PINNED_WORKFLOWS = ['.github/workflows/stage-gate.yml'] as const;

/** What the gate names before the first release: the major tag that release will create. */
export const UNRELEASED_REF = 'v1';

export interface SuiteReference {
  /** 1-based line of the `uses:`. */
  line: number;
  /** owner/name of the suite's repository, as written. */
  repository: string;
  /** The action folder (load-config) or workflow path (.github/workflows/x.yml). */
  path: string;
  ref: string;
}

// `uses: owner/name/path@ref`, the value optionally quoted, a trailing comment allowed.
const USES = /^(\s*-?\s*uses:\s*["']?)([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)\/([^@\s"']+)@([^\s"'#]+)/;

/**
 * The `uses:` lines of `text` that name one of `actions` (the suite's action folders) in
 * some repository: the suite's references to itself, whatever owner it lives under.
 */
export function suiteReferences(text: string, actions: readonly string[]): SuiteReference[] {
  const found: SuiteReference[] = [];
  text.split('\n').forEach((line, i) => {
    const m = USES.exec(line);
    if (m && actions.includes(m[3])) found.push({ line: i + 1, repository: m[2], path: m[3], ref: m[4] });
  });
  return found;
}

/** `text` with every suite reference at `ref`; nothing else changes. */
export function pinSuiteReferences(text: string, actions: readonly string[], ref: string): string {
  return text
    .split('\n')
    .map((line) => {
      const m = USES.exec(line);
      if (!m || !actions.includes(m[3])) return line;
      return `${m[1]}${m[2]}/${m[3]}@${ref}${line.slice(m[0].length)}`;
    })
    .join('\n');
}

/**
 * What is wrong with a workflow's suite references, given the ref they must all carry
 * (the newest release's tag, or the major tag before the first release).
 */
export function pinProblems(file: string, text: string, actions: readonly string[], expected: string): string[] {
  const refs = suiteReferences(text, actions);
  if (refs.length === 0) return [`${file} names none of the suite's actions (${actions.join(', ')})`];
  return refs
    .filter((r) => r.ref !== expected)
    .map(
      (r) =>
        `${file}:${r.line}: ${r.repository}/${r.path}@${r.ref} should be @${expected}: the gate runs the actions of its own release (npm run release pins them)`,
    );
}
