// The moving tags as a property over release histories: a release takes `MAJOR` and
// `MAJOR.MINOR` (floating-tags) exactly when it is at or above every release of that line, and
// `latest` exactly when it is at or above every release, wherever those were tagged (in its
// history, after it, on another line) and whichever attempt this is. So none of them moves back.
import fc from 'fast-check';
import { computeVersion, dockerTags, releaseTags, VersionRegressionError, type VersionPlan } from '@ci-actions/publishing/version/index.js';
import { parseVersionInputs } from '../../actions/generate-version/inputs.js';
import { HEAD_SHA, MAIN_PUSH_INPUTS } from '../support/version-inputs.js';

const OTHER = 'ffeeddccbbaa99887766554433221100ffeeddcc';
type Triple = [number, number, number];
const triple = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 12 }));
// Numeric order, written out here rather than taken from the code under test.
const atLeast = (a: Triple, b: Triple) => a[0] > b[0] || (a[0] === b[0] && (a[1] > b[1] || (a[1] === b[1] && a[2] >= b[2])));

const history = fc.record({
  // Release tags of other runs, each on another commit, in this build's history or not.
  others: fc.uniqueArray(fc.record({ version: triple, inHistory: fc.boolean(), run: fc.integer({ min: 1, max: 40 }) }), {
    selector: (r) => r.version.join('.'),
    maxLength: 12,
  }),
  base: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
  run: fc.integer({ min: 1, max: 12 }),
  // A re-run: this run's own tag is already on its commit.
  ownTag: fc.boolean(),
  onRegression: fc.constantFrom('fail', 'bump'),
  floating: fc.boolean(),
});

type History = typeof history extends fc.Arbitrary<infer T> ? T : never;

function plan(h: History): { plan: VersionPlan; releases: Triple[] } | undefined {
  const request = parseVersionInputs({
    ...MAIN_PUSH_INPUTS,
    'base-version': h.base.join('.'),
    'run-number': String(h.run),
    'on-regression': h.onRegression,
    'floating-tags': String(h.floating),
  });
  const own = `${h.base.join('.')}.${h.run}`;
  const others = h.others.filter((r) => !(h.ownTag && r.version.join('.') === own));
  const tags = [
    ...others.map((r) => ({ name: `v${r.version.join('.')}`, commit: OTHER, subject: `Release ${r.version.join('.')} (workflow run ${r.run}, attempt 1)` })),
    ...(h.ownTag ? [{ name: `v${own}`, commit: HEAD_SHA, subject: `Release ${own} (workflow run ${h.run}, attempt 1)` }] : []),
  ];
  const notInHistory = new Set(others.filter((r) => !r.inHistory).map((r) => `v${r.version.join('.')}`));
  try {
    const computed = computeVersion(request, { commit: HEAD_SHA, releases: releaseTags(tags, 'v'), notInHistory });
    return { plan: computed, releases: tags.map((t) => t.name.slice(1).split('.').map(Number) as Triple) };
  } catch (err) {
    if (err instanceof VersionRegressionError) return undefined;
    throw err;
  }
}

describe('computeVersion: MAJOR, MAJOR.MINOR and latest over random release histories', () => {
  test('each moving tag exactly when the release is at or above every release of its line', () => {
    let emitted = 0;
    let withheld = 0;
    fc.assert(
      fc.property(history, (h) => {
        const result = plan(h);
        if (!result) return;
        const { plan: p, releases } = result;
        const version = p.version.split('.').map(Number) as Triple;
        const newestOf = (line: (r: Triple) => boolean) => releases.filter(line).every((r) => atLeast(version, r));
        const major = newestOf((r) => r[0] === version[0]);
        const minor = newestOf((r) => r[0] === version[0] && r[1] === version[1]);
        const latest = newestOf(() => true);
        const expectedFloating = h.floating ? [...(major ? [`${version[0]}`] : []), ...(minor ? [`${version[0]}.${version[1]}`] : [])] : [];
        expect({ history: h, version: p.version, floating: p.floatingTags, latest: p.latest }).toEqual({
          history: h,
          version: p.version,
          floating: expectedFloating,
          latest,
        });
        expect(dockerTags(p)).toEqual([p.version, ...expectedFloating, ...(latest ? ['latest'] : [])]);
        expect(p.npmDistTag).toBe(latest ? 'latest' : 'superseded');
        if (h.floating && expectedFloating.length === 2) emitted++;
        if (h.floating && expectedFloating.length < 2) withheld++;
      }),
      { numRuns: 2000 },
    );
    // Both sides of the rule were reached, not only the easy one.
    expect(emitted).toBeGreaterThan(50);
    expect(withheld).toBeGreaterThan(50);
  });

  test('a prerelease never takes a moving tag', () => {
    fc.assert(
      fc.property(history, fc.constantFrom('refs/heads/dev', 'refs/pull/7/merge', 'refs/tags/v9'), (h, ref) => {
        const request = parseVersionInputs({ ...MAIN_PUSH_INPUTS, ref, 'run-number': String(h.run), 'floating-tags': String(h.floating) });
        const p = computeVersion(request, { commit: HEAD_SHA, releases: [], notInHistory: new Set() });
        expect({ floating: p.floatingTags, latest: p.latest, tags: dockerTags(p) }).toEqual({ floating: [], latest: false, tags: [p.version] });
      }),
      { numRuns: 200 },
    );
  });
});
