// Properties of cleanup-staging's real orchestration (cleanupStaging) over generated
// staging packages (test/support/cleanup-world.ts): multi-arch indexes, shared children,
// attestation manifests, OCI referrers, cosign tags, tags of several runs, versions that
// vanish or are gone (ghost and partial images), reads that fail (404, 500), productions
// that lie, GitHub's refusals, and generated retention rules (patterns, keep-n counts,
// older-than, delete-*). Judged against the truth of the generated package, not against
// what the code read:
//   I1  no manifest reachable from a tag that remains, from a kept image, or from an image
//       the retention rules keep (exclude-tags matches it, younger than older-than), is deleted;
//   I2  post-production-cleanup deletes nothing production does not provably serve;
//   I3  a dry run deletes nothing, and lists exactly what the real run then deletes, less
//       only what GitHub refused that no listing can predict: a public version's downloads
//       (the API gives no count), or a last tagged version once another tagged version
//       vanished after the listing (kept, with the reason). Deleting every tagged version
//       is predictable: the plan keeps the last tagged image, in both runs;
//   I4  the strategies for this run's images delete no tag this run did not name;
//   I5  a rate-limit budget running out stops the run: after the refused delete only those
//       already in flight are sent, I1 holds, and deleted + left is the dry run's list;
//   I6  a tag removed from an image that stays (retention's delete-tags) is one delete-tags
//       matches, on an image exclude-tags and older-than do not keep, which keeps a tag.
import fc from 'fast-check';
import { cleanupStaging, type CleanupOptions, type CleanupResult } from '@ci-actions/publishing/cleanup/cleanup.js';
import { BudgetExhaustedError } from '@ci-actions/publishing/github/errors.js';
import { patternMatcher } from '@ci-actions/publishing/cleanup/patterns.js';
import { retentionRules, type RetentionRules } from '@ci-actions/publishing/cleanup/retention.js';
import { parseImageSelector } from '@ci-actions/publishing/cleanup/selectors.js';
import { STRATEGIES, type Strategy } from '@ci-actions/publishing/cleanup/strategy.js';
import type { Log } from '@ci-actions/publishing/log.js';
import { parseReference } from '@ci-actions/publishing/oci/reference.js';
import { buildWorld, existing, fakeIO, NOW, PACKAGE, reachable, servedByProduction, worldSpec, type World, type WorldSpec } from '../support/cleanup-world.js';

const RUNS = 300;
const STAGING = { registry: 'ghcr.io', owner: 'acme' };
const quiet: Log = { info: () => {}, warning: () => {}, debug: () => {} };
const REFUSED = /GitHub refuses to delete|which GitHub refused to delete/;
// GitHub's answers to a delete (packages.ts), as the run reports them; the plan's own
// prediction of the last tagged version says "this cleanup would delete" instead.
const DOWNLOADS_REFUSED = /^GitHub refuses to delete a version of a public package downloaded more than 5,000 times; /;
const LAST_TAGGED_REFUSED = /^GitHub refuses to delete the last tagged version of a package; delete the package itself/;

interface Run {
  world: World;
  rules: RetentionRules | undefined;
  deletesAsked: number;
  result?: CleanupResult;
  error?: unknown;
}

/** This run's images as a pipeline names them: by digest, tag@digest or tag, as the spec says. */
function stagedSelectors(world: World): string[] {
  return world.spec.images.flatMap((s, i) => {
    const digest = world.images[i];
    const own = s.tags.includes('this') ? `this-${i}` : undefined;
    switch (s.staged) {
      case 'no':
        return [];
      case 'digest':
        return [`ghcr.io/acme/${PACKAGE}@${digest}`];
      case 'tag@digest':
        return [own ? `ghcr.io/acme/${PACKAGE}:${own}@${digest}` : `ghcr.io/acme/${PACKAGE}@${digest}`];
      case 'tag':
        return [own ?? digest];
    }
  });
}

/** Retention rules as a workflow writes them: patterns over this run's and other runs' tags, globs or regular expressions. */
const PATTERNS: [string, boolean][] = [
  ['this-*', false],
  ['other-*', false],
  ['*-1,*-3', false],
  ['?his-?', false],
  ['^other-[02]$', true],
  ['-[13]', true],
];
const pattern = fc.option(fc.constantFrom(...PATTERNS), { nil: undefined }).map((p) => (p ? patternMatcher(p[0], p[1]) : undefined));
const count = fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined });
const flag = fc.option(fc.boolean(), { nil: undefined });
const retention: fc.Arbitrary<RetentionRules> = fc
  .record({
    deleteTags: pattern,
    excludeTags: pattern,
    keepNTagged: count,
    keepNUntagged: count,
    deleteUntagged: flag,
    deleteGhostImages: flag,
    deletePartialImages: flag,
    deleteOrphanedImages: flag,
    olderThanHours: fc.option(fc.integer({ min: 0, max: 40 * 24 }), { nil: undefined }),
  })
  .map(({ olderThanHours, ...given }) =>
    retentionRules({ ...given, ...(olderThanHours !== undefined ? { olderThanMs: olderThanHours * 3_600_000, olderThan: `${olderThanHours} hours` } : {}) }),
  );

async function cleanup(
  spec: WorldSpec,
  strategy: Strategy,
  keepLast: number,
  dryRun: boolean,
  given?: RetentionRules,
  budget?: number,
): Promise<Run & { afterRefusal: number }> {
  const world = buildWorld(spec);
  // Only the retention strategy reads the rules (the action refuses them next to another).
  const rules = strategy === 'retention' ? (given ?? retentionRules({})) : undefined;
  const io = fakeIO(world);
  // A budget of `budget` deletes: the next one is refused, and (unlike the real client,
  // which refuses every later one too) later ones would go through: the run must stop itself.
  let afterRefusal = 0;
  const deleteVersion = io.packages.deleteVersion.bind(io.packages);
  io.packages.deleteVersion = async (...args) => {
    if (budget !== undefined && io.deletes === budget) {
      io.deletes++;
      afterRefusal = 0;
      throw new BudgetExhaustedError('the rate-limit budget is spent (fake)');
    }
    if (budget !== undefined && io.deletes > budget) afterRefusal++;
    return deleteVersion(...args);
  };
  const options: CleanupOptions = {
    decision: { strategy, reason: 'chosen by the property' },
    owner: 'acme',
    packages: [PACKAGE],
    staged: stagedSelectors(world).map((text) => parseImageSelector(text, STAGING)),
    protected: world.spec.images.flatMap((s, i) => (s.protected ? [parseImageSelector(world.images[i], STAGING)] : [])),
    keepLast,
    maxAgeDays: 14,
    graceHours: 6,
    ...(rules ? { retention: rules } : {}),
    stagingRegistry: STAGING.registry,
    productionRepositories: new Map([[PACKAGE, parseReference(`docker.io/acme/${PACKAGE}`)]]),
    token: 'unused',
    apiUrl: 'http://unused.invalid',
    concurrency: 2,
    dryRun,
    log: quiet,
    now: () => NOW,
  };
  try {
    const result = await cleanupStaging(options, io);
    return { world, rules, deletesAsked: io.deletes, result, afterRefusal };
  } catch (error) {
    return { world, rules, deletesAsked: io.deletes, error, afterRefusal };
  }
}

const short = (digest: string) => digest.slice(7, 15);

/** I1: what a remaining tag, a kept image or an image the retention rules keep needs, transitively, is all still there. */
function brokenByCleanup(run: Run): string[] {
  const deleted = new Set(run.world.deleted);
  const kept = new Set(run.result?.kept.map((k) => k.digest) ?? []);
  // Images the rules keep are roots whether or not the run deleted them: deleting one is the fault.
  const retained = run.world.images.map((digest) => run.world.versions.get(digest)!).filter((v) => !v.vanished && keptByRules(run.rules, v));
  const roots = [...existing(run.world).filter((v) => v.tags.length > 0 || kept.has(v.digest)), ...retained];
  return roots.flatMap((root) =>
    [...reachable(run.world.versions, root.digest)]
      .filter((d) => deleted.has(d))
      .map((d) => `${short(d)} deleted, but ${short(root.digest)} (${root.tags.join(', ') || 'kept'}) needs it`),
  );
}

/** Whether the retention rules keep an image whatever else selects it: exclude-tags matches it, or it is younger than older-than. */
function keptByRules(rules: RetentionRules | undefined, image: { digest: string; tags: string[]; createdAt: number }): boolean {
  if (!rules) return false;
  const excluded = rules.excludeTags !== undefined && [...image.tags, image.digest].some(rules.excludeTags);
  return excluded || (rules.olderThanMs !== undefined && NOW - image.createdAt < rules.olderThanMs);
}

/** I2: every deleted manifest is served by production; a referrer, with its image. */
function deletedWithoutProof(run: Run): string[] {
  const { world } = run;
  const deleted = new Set(world.deleted);
  return world.deleted.flatMap((d) => {
    const version = world.versions.get(d)!;
    if (!version.isReferrer) return servedByProduction(world, d) ? [] : [`${short(d)} deleted, but production does not serve it`];
    // Its image deleted by this run, or gone before (deleted meanwhile), and promoted.
    const subject = [...world.versions.values()].find((v) => v.referrers.includes(d))!;
    const gone = deleted.has(subject.digest) || subject.vanished;
    return gone && servedByProduction(world, subject.digest)
      ? []
      : [`referrer ${short(d)} deleted, but its image ${short(subject.digest)} is ${gone ? 'not promoted' : 'still there'}`];
  });
}

/** I3: the dry run's list against the real run's outcome. */
function dryRunMismatch(dry: Run, real: Run): string[] {
  if (dry.deletesAsked > 0) return [`the dry run asked GitHub to delete ${dry.deletesAsked} version(s)`];
  if ((dry.error === undefined) !== (real.error === undefined))
    return [`the dry run ${dry.error ? 'failed' : 'succeeded'}, the real run ${real.error ? 'failed' : 'succeeded'}`];
  if (real.error) return real.world.deleted.length > 0 ? ['the real run failed after deleting'] : [];
  const listed = new Set(dry.result!.deleted.map((d) => d.digest));
  const reported = new Set(real.result!.deleted.map((d) => d.digest));
  const refused = unpredictableRefusals(real);
  return [
    ...[...reported].filter((d) => !listed.has(d)).map((d) => `${short(d)} deleted, but the dry run did not list it`),
    ...[...listed]
      .filter((d) => !reported.has(d) && !refused.has(d))
      .map((d) => `${short(d)} listed by the dry run, but neither deleted nor refused by GitHub for a reason the listing cannot show`),
    // Placeholders the run pushed to move a tag off an image (untag.ts) are deleted by design.
    ...real.world.deleted.filter((d) => !reported.has(d) && !real.world.versions.get(d)!.placeholder).map((d) => `${short(d)} deleted, but not reported`),
    ...mismatchedUntags(dry.result!, real.result!),
  ];
}

/**
 * What the real run kept because GitHub refused it for what no listing shows, with what
 * belongs to it: the downloads of a public version, and the last tagged version when
 * another tagged version vanished after the listing (the plan counted it as staying).
 */
function unpredictableRefusals(run: Run): Set<string> {
  const vanishedTagged = [...run.world.versions.values()].some((v) => v.vanished && v.tags.length > 0);
  const roots = run.result!.kept.filter((k) => DOWNLOADS_REFUSED.test(k.reason) || (vanishedTagged && LAST_TAGGED_REFUSED.test(k.reason)));
  return new Set(roots.flatMap((k) => [...reachable(run.world.versions, k.digest)]));
}

/** I3 for tags: the dry run lists exactly the tags the real run removes from kept images. */
function mismatchedUntags(dry: CleanupResult, real: CleanupResult): string[] {
  const listed = (result: CleanupResult) => result.untagged.flatMap((u) => u.tags.map((t) => `${short(u.digest)}:${t}`)).sort();
  const [planned, removed] = [listed(dry), listed(real)];
  return planned.join() === removed.join()
    ? []
    : [`the dry run would remove ${planned.join(', ') || 'no tag'}, the real run removed ${removed.join(', ') || 'none'}`];
}

/** I6: a tag a run removes from an image it keeps is one delete-tags matches, on an image the rules do not keep whole. */
function tagsWronglyRemoved(run: Run): string[] {
  return [...run.world.versions.values()].flatMap((v) => {
    if (!v.tagsBefore) return [];
    const removed = v.tagsBefore.filter((t) => !v.tags.includes(t));
    const wrong = removed.filter((t) => !run.rules?.deleteTags?.(t));
    if (wrong.length > 0) return [`${short(v.digest)} lost ${wrong.join(', ')}, which delete-tags does not match`];
    if (keptByRules(run.rules, { ...v, tags: v.tagsBefore })) return [`${short(v.digest)} lost ${removed.join(', ')}, but the rules keep it whole`];
    return v.tags.length === 0 ? [`${short(v.digest)} lost every tag but was not deleted`] : [];
  });
}

/** I4: tags of other pipelines (other-<i>), or tags the run did not name, that are gone. */
function foreignTagsDeleted(run: Run): string[] {
  const named = new Set(stagedSelectors(run.world).flatMap((text) => parseImageSelector(text, STAGING).tag ?? []));
  return run.world.deleted.flatMap((d) =>
    run.world.versions
      .get(d)!
      .tags.filter((t) => !named.has(t) && !t.startsWith('sha256-'))
      .map((t) => `${short(d)} deleted with tag ${t}, which this run did not name`),
  );
}

const scenario = fc.tuple(worldSpec, fc.constantFrom(...STRATEGIES), fc.integer({ min: 0, max: 3 }), retention);

describe('cleanup-staging properties (every strategy, generated packages and faults)', () => {
  test('I1: no manifest reachable from a remaining tag, a kept image or an image the retention rules keep is deleted', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ([spec, strategy, keepLast, rules]) => {
        expect(brokenByCleanup(await cleanup(spec, strategy, keepLast, false, rules))).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  test('I2: post-production-cleanup deletes nothing production does not provably serve', async () => {
    await fc.assert(
      fc.asyncProperty(worldSpec, async (spec) => {
        expect(deletedWithoutProof(await cleanup(spec, 'post-production-cleanup', 0, false))).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  test('I3: a dry run deletes nothing and lists exactly what the real run deletes, or GitHub refuses for what no listing shows', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ([spec, strategy, keepLast, rules]) => {
        const real = await cleanup(spec, strategy, keepLast, false, rules);
        const dry = await cleanup(spec, strategy, keepLast, true, rules);
        expect(dryRunMismatch(dry, real)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
  test('I1 and I3 for the retention strategy alone: generated patterns, keep-n counts, older-than and delete-* options', async () => {
    await fc.assert(
      fc.asyncProperty(worldSpec, retention, async (spec, rules) => {
        const real = await cleanup(spec, 'retention', 0, false, rules);
        const dry = await cleanup(spec, 'retention', 0, true, rules);
        expect({ error: real.error, I1: brokenByCleanup(real), I3: dryRunMismatch(dry, real), I6: tagsWronglyRemoved(real) }).toEqual({
          error: undefined,
          I1: [],
          I3: [],
          I6: [],
        });
      }),
      { numRuns: RUNS },
    );
  });

  test('I5: a budget running out stops the run, breaks nothing, and leaves exactly the rest of the plan', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, fc.integer({ min: 0, max: 12 }), async ([spec, strategy, keepLast, rules], budget) => {
        const real = await cleanup(spec, strategy, keepLast, false, rules, budget);
        const dry = await cleanup(spec, strategy, keepLast, true, rules);
        if (real.error || dry.error) return;
        const planned = dry.result!.deleted.map((d) => d.digest).sort();
        const refused = new Set(real.result!.kept.filter((k) => REFUSED.test(k.reason)).map((k) => k.digest));
        const accounted = [...real.result!.deleted, ...real.result!.left].map((d) => d.digest).filter((d) => !refused.has(d));
        // Concurrency 2: at most the one other delete already in flight goes after the refusal.
        expect(real.afterRefusal).toBeLessThanOrEqual(1);
        expect({ I1: brokenByCleanup(real), accounted: accounted.sort(), exhausted: real.result!.budgetExhausted }).toEqual({
          I1: [],
          accounted: planned.filter((d) => !refused.has(d)),
          exhausted: real.deletesAsked > budget,
        });
      }),
      { numRuns: RUNS },
    );
  });

  test('I4: immediate and post-production cleanup delete no tag this run did not name', async () => {
    await fc.assert(
      fc.asyncProperty(worldSpec, fc.constantFrom<Strategy>('immediate-cleanup', 'post-production-cleanup', 'preserve-for-debug'), async (spec, strategy) => {
        expect(foreignTagsDeleted(await cleanup(spec, strategy, 0, false))).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});

/** Shrunk counterexamples the properties found, kept as named cases: each must hold every invariant. */
const REGRESSIONS: [string, WorldSpec, Strategy, number][] = [
  [
    // I1: with no tagged version nothing was read, so the platform manifest of the newest
    // (kept) untagged index looked like an old image of its own and was swept.
    'an untagged index kept as the newest image keeps its platform manifest in a sweep',
    {
      images: [
        {
          platforms: 1,
          attestations: false,
          share: false,
          tags: [],
          referrer: 'none',
          ageHours: 336,
          staged: 'no',
          protected: false,
          production: 'promoted',
          vanished: false,
          downloads: 0,
        },
      ],
      faults: [],
      public: false,
    },
    'scheduled-sweep',
    1,
  ],
  [
    // I2 (the property's own judgement was wrong): the SBOM of a promoted image deleted
    // meanwhile goes with it; the image is not "still there".
    'the referrer of a promoted image deleted meanwhile goes after it',
    {
      images: [
        {
          platforms: 0,
          attestations: false,
          share: false,
          tags: [],
          referrer: 'subject',
          ageHours: 0,
          staged: 'tag@digest',
          protected: false,
          production: 'promoted',
          vanished: true,
          downloads: 0,
        },
        {
          platforms: 0,
          attestations: false,
          share: false,
          tags: ['other'],
          referrer: 'none',
          ageHours: 0,
          staged: 'no',
          protected: false,
          production: 'promoted',
          vanished: false,
          downloads: 0,
        },
      ],
      faults: [],
      public: false,
    },
    'post-production-cleanup',
    0,
  ],
];

describe('regressions found by the properties', () => {
  test.each(REGRESSIONS)('%s', async (_name, spec, strategy, keepLast) => {
    const real = await cleanup(spec, strategy, keepLast, false);
    const dry = await cleanup(spec, strategy, keepLast, true);
    expect({
      I1: brokenByCleanup(real),
      I2: strategy === 'post-production-cleanup' ? deletedWithoutProof(real) : [],
      I3: dryRunMismatch(dry, real),
      I4: foreignTagsDeleted(real),
    }).toEqual({ I1: [], I2: [], I3: [], I4: [] });
    expect(real.world.deleted.length + (real.result?.kept.length ?? 0)).toBeGreaterThan(0);
  });
});
