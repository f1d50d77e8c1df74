// A re-run attempt, as a property over run numbers and tag histories: whatever releases were
// tagged after attempt 1 (on later commits), attempt 2 gets attempt 1's version, and `latest`
// only where attempt 1 had it and no newer release has taken it since.
import fc from 'fast-check';
import { computeVersion, releaseTags, VersionRegressionError, type ReleaseTag } from '@ci-actions/publishing/version/index.js';
import { parseVersionInputs } from '../../actions/generate-version/inputs.js';
import { HEAD_SHA, MAIN_PUSH_INPUTS } from '../support/version-inputs.js';

const OTHER = 'ffeeddccbbaa99887766554433221100ffeeddcc';
const patch = fc.integer({ min: 1, max: 400 });
const tags = (patches: number[], subject?: (patch: number) => string) =>
  releaseTags(
    patches.map((p) => ({ name: `v1.0.${p}`, commit: OTHER, subject: subject?.(p) })),
    'v',
  );

describe('computeVersion: attempt 2 against the tags of attempt 1 and more', () => {
  test('same version; latest only if attempt 1 had it and nothing newer came', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.constantFrom('fail', 'bump'),
        fc.uniqueArray(patch),
        fc.uniqueArray(patch),
        (run, onRegression, before, since) => {
          const request = parseVersionInputs({ ...MAIN_PUSH_INPUTS, 'run-number': String(run), 'on-regression': onRegression });
          const history = (releases: ReleaseTag[], notInHistory: string[]) => ({ commit: HEAD_SHA, releases, notInHistory: new Set(notInHistory) });
          let first;
          try {
            first = computeVersion(request, history(tags(before), []));
          } catch (err) {
            if (err instanceof VersionRegressionError) return;
            throw err;
          }
          // Releases of later runs, on later commits; none takes attempt 1's version, which its artifacts carry.
          const later = tags(
            since.filter((p) => `1.0.${p}` !== first.version && !before.includes(p)),
            (p) => `Release 1.0.${p} (workflow run ${run + p}, attempt 1)`,
          );
          const rerun = computeVersion(
            { ...request, runAttempt: 2 },
            history(
              [...tags(before), ...later],
              later.map((r) => r.tag),
            ),
          );
          expect(rerun.version).toBe(first.version);
          const newer = later.some((r) => r.version.patch > Number(first.version.split('.')[2]));
          expect(rerun.latest).toBe(first.latest && !newer);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
