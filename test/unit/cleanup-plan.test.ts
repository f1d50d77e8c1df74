import { createHash } from 'node:crypto';
import { dependentsOf, manifestLinks, type ManifestLinks } from '@ci-actions/publishing/cleanup/dependents.js';
import { cosignTagSubject, referrerTagSubject } from '@ci-actions/publishing/oci/referrer-tags.js';
import { LAST_TAGGED_VERSION, planCleanup, type PlanInput } from '@ci-actions/publishing/cleanup/plan.js';
import { findBrokenImages } from '@ci-actions/publishing/cleanup/broken.js';
import { parseInterval } from '@ci-actions/publishing/cleanup/interval.js';
import { patternMatcher } from '@ci-actions/publishing/cleanup/patterns.js';
import { retentionRules, type RetentionInputs, type RetentionRules } from '@ci-actions/publishing/cleanup/retention.js';
import type { Strategy } from '@ci-actions/publishing/cleanup/strategy.js';
import type { PackageVersion } from '@ci-actions/publishing/github/container-package.js';
import { shortDigest } from '@ci-actions/publishing/util/format.js';

// A package described by names: `{A}` in a tag or reason stands for A's digest hex
// (tags) or short digest (reasons), so the table reads like the situation it covers.
/** Every name's digest, and back: the names a case adds to the package read in its results too. */
const names = new Map<string, string>();
const digest = (name: string) => {
  const value = `sha256:${createHash('sha256').update(name).digest('hex')}`;
  names.set(value, name);
  return value;
};
const hex = (name: string) => digest(name).slice(7);
const HOUR = 3_600_000;
const NOW = Date.parse('2025-06-01T12:00:00Z');
const INDEX = 'application/vnd.oci.image.index.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

interface Spec {
  name: string;
  tags?: string[];
  ageHours: number;
  /** Names this index lists; a name prefixed "att:" is listed as a buildx attestation manifest. */
  lists?: string[];
  subject?: string;
}

/**
 *  A  pr-1   index: A-amd, A-arm, attestations A-att-amd, A-att-arm        10 days
 *  B  pr-2   index: A-amd (shared with A: a reproducible build), B-arm, B-att-arm   9 days
 *  sig-A     cosign signature of A, tag sha256-<A>.sig
 *  refs-A    referrers fallback index of A (tag sha256-<A>) listing ref-A (an SBOM, subject A)
 *  C  main-3 single-platform manifest                                        8 days
 *  D  latest index: D-amd                                                     1 hour
 *  orphan    untagged, listed by nothing                                     20 days
 */
const PACKAGE: Spec[] = [
  { name: 'A', tags: ['pr-1'], ageHours: 240, lists: ['A-amd', 'A-arm', 'att:A-att-amd', 'att:A-att-arm'] },
  { name: 'A-amd', ageHours: 240 },
  { name: 'A-arm', ageHours: 240 },
  { name: 'A-att-amd', ageHours: 240 },
  { name: 'A-att-arm', ageHours: 240 },
  { name: 'B', tags: ['pr-2'], ageHours: 216, lists: ['A-amd', 'B-arm', 'att:B-att-arm'] },
  { name: 'B-arm', ageHours: 216 },
  { name: 'B-att-arm', ageHours: 216 },
  { name: 'sig-A', tags: ['sha256-{A}.sig'], ageHours: 239 },
  { name: 'refs-A', tags: ['sha256-{A}'], ageHours: 239, lists: ['ref-A'] },
  { name: 'ref-A', ageHours: 239, subject: 'A' },
  { name: 'C', tags: ['main-3'], ageHours: 192 },
  { name: 'D', tags: ['latest'], ageHours: 1, lists: ['D-amd'] },
  { name: 'D-amd', ageHours: 1 },
  { name: 'orphan', ageHours: 480 },
];

const fill = (text: string, render: (name: string) => string) => text.replace(/\{([\w-]+)\}/g, (_m, name: string) => render(name));

function build(specs: Spec[]): { versions: PackageVersion[]; links: Map<string, ManifestLinks> } {
  const versions = specs.map((s, i) => ({
    id: i + 1,
    digest: digest(s.name),
    tags: (s.tags ?? []).map((t) => fill(t, hex)),
    createdAt: NOW - s.ageHours * HOUR,
  }));
  // What read-links.ts reads: tagged versions and untagged ones nothing lists (ref-A is listed: not read).
  const listed = new Set(specs.flatMap((s) => (s.lists ?? []).map((l) => l.replace(/^att:/, ''))));
  const links = new Map<string, ManifestLinks>();
  for (const s of specs) {
    if (!s.tags && listed.has(s.name)) continue;
    links.set(digest(s.name), {
      listed: (s.lists ?? []).map((l) => ({
        mediaType: MANIFEST,
        digest: digest(l.replace(/^att:/, '')),
        size: 1,
        ...(l.startsWith('att:') ? { annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } } : {}),
      })),
      ...(s.subject ? { subject: digest(s.subject) } : {}),
    });
  }
  return { versions, links };
}

interface Case {
  strategy: Strategy;
  staged?: [string, string[]][];
  protected?: [string, string][];
  keepLast?: number;
  maxAgeDays?: number;
  /** The retention strategy's rules, beyond deleting nothing. */
  retention?: Partial<RetentionRules>;
  /** Changes to the package for this case. */
  edit?: (specs: Spec[]) => Spec[];
  waves: string[][];
  kept: [string, string][];
  /** Kept images that lose tags delete-tags matches; none when absent. */
  untag?: [string, string[]][];
}

function plan(c: Case) {
  const { versions, links } = build(c.edit ? c.edit(structuredClone(PACKAGE)) : PACKAGE);
  const input: PlanInput = {
    strategy: c.strategy,
    reason: 'tests failed: staging images kept for investigation',
    versions,
    dependents: dependentsOf(versions, links),
    staged: new Map((c.staged ?? []).map(([name, tags]) => [digest(name), tags])),
    protected: new Map((c.protected ?? []).map(([name, why]) => [digest(name), why])),
    keepLast: c.keepLast ?? 5,
    maxAgeDays: c.maxAgeDays ?? 14,
    graceHours: 6,
    now: NOW,
    ...(c.strategy === 'retention' ? { retention: { rules: { ...NO_RETENTION, ...c.retention }, broken: findBrokenImages(versions, links) } } : {}),
  };
  return planCleanup(input);
}

const NO_RETENTION: RetentionRules = { deleteUntagged: false, deleteGhostImages: false, deletePartialImages: false, deleteOrphanedImages: false };
const glob = (text: string) => patternMatcher(text, false)!;
const without =
  (...gone: string[]) =>
  (specs: Spec[]) =>
    specs.filter((s) => !gone.includes(s.name));
const short = (name: string) => shortDigest(digest(name));
const retag = (name: string, tags: string[]) => (specs: Spec[]) => specs.map((s) => (s.name === name ? { ...s, tags } : s));
const ALL_OF_A = ['A-arm', 'A-att-amd', 'A-att-arm', 'sig-A', 'refs-A'];
const UNSELECTED_TAGS: [string, string][] = [
  ['A', 'tagged pr-1; neither delete-tags nor keep-n-tagged selects tagged images'],
  ['B', 'tagged pr-2; neither delete-tags nor keep-n-tagged selects tagged images'],
  ['C', 'tagged main-3; neither delete-tags nor keep-n-tagged selects tagged images'],
  ['D', 'tagged latest; neither delete-tags nor keep-n-tagged selects tagged images'],
];

describe('planCleanup', () => {
  test.each<[string, Case]>([
    [
      'immediate: an index goes with its platform, attestation and referrer manifests; a child another index lists stays',
      {
        strategy: 'immediate-cleanup',
        staged: [['A', ['pr-1']]],
        waves: [['A'], ALL_OF_A, ['ref-A']],
        kept: [['A-amd', 'platform manifest of kept {B} (pr-2)']],
      },
    ],
    [
      "immediate, staged by digest alone but tagged: kept whole, the tag may be another pipeline's",
      {
        strategy: 'immediate-cleanup',
        staged: [['A', []]],
        waves: [],
        kept: [['A', 'tagged pr-1, which this run did not name (staged by digest alone; stage it as repository:tag@digest)']],
      },
    ],
    [
      'immediate by tag: the same',
      {
        strategy: 'immediate-cleanup',
        staged: [['A', ['pr-1']]],
        waves: [['A'], ALL_OF_A, ['ref-A']],
        kept: [['A-amd', 'platform manifest of kept {B} (pr-2)']],
      },
    ],
    [
      'immediate, both indexes that share a child staged: the shared child goes too, after both',
      {
        strategy: 'immediate-cleanup',
        staged: [
          ['A', ['pr-1']],
          ['B', ['pr-2']],
        ],
        waves: [['A', 'B'], [...ALL_OF_A, 'A-amd', 'B-arm', 'B-att-arm'], ['ref-A']],
        kept: [],
      },
    ],
    [
      'immediate, the package holding no other tagged image: GitHub would refuse its last tagged version, so the image stays whole',
      {
        strategy: 'immediate-cleanup',
        staged: [['A', ['pr-1']]],
        edit: without('B', 'B-arm', 'B-att-arm', 'C', 'D', 'D-amd'),
        waves: [],
        kept: [
          ['A', `${LAST_TAGGED_VERSION}, and this cleanup would delete every other tagged version (planned: staged by this run)`],
          ...['A-amd', 'A-arm'].map((n): [string, string] => [n, 'platform manifest of {A} (pr-1), kept whole with it as the last tagged image']),
          ...['A-att-amd', 'A-att-arm'].map((n): [string, string] => [n, 'attestation of {A} (pr-1), kept whole with it as the last tagged image']),
          ...['sig-A', 'refs-A'].map((n): [string, string] => [n, 'referrer of {A} (pr-1), kept whole with it as the last tagged image']),
          ['ref-A', `referrer of {refs-A} (sha256-${hex('A')}), kept whole with it as the last tagged image`],
        ],
      },
    ],
    [
      'a sweep that would take every tagged image keeps the newest whole; the older go',
      {
        strategy: 'scheduled-sweep',
        keepLast: 0,
        maxAgeDays: 0,
        waves: [['A', 'B', 'C', 'orphan'], ['A-amd', 'A-arm', 'A-att-amd', 'A-att-arm', 'B-arm', 'B-att-arm', 'refs-A', 'sig-A'], ['ref-A']],
        kept: [
          ['D', `${LAST_TAGGED_VERSION}, and this cleanup would delete every other tagged version (planned: older than 0 days)`],
          ['D-amd', 'platform manifest of {D} (latest), kept whole with it as the last tagged image'],
        ],
      },
    ],
    [
      "immediate, named by tag but carrying another run's tag: kept whole",
      {
        strategy: 'immediate-cleanup',
        staged: [['A', ['pr-1']]],
        edit: retag('A', ['pr-1', 'pr-7']),
        waves: [],
        kept: [['A', 'also tagged pr-7, which this run did not stage']],
      },
    ],
    [
      "immediate, named by tag@digest but carrying another run's tag: kept whole",
      {
        strategy: 'immediate-cleanup',
        staged: [['A', ['pr-1']]],
        edit: retag('A', ['pr-1', 'pr-7']),
        waves: [],
        kept: [['A', 'also tagged pr-7, which this run did not stage']],
      },
    ],
    [
      'immediate, an untagged image staged by digest goes whole',
      {
        strategy: 'immediate-cleanup',
        staged: [['A', []]],
        edit: retag('A', []),
        waves: [['A'], ALL_OF_A, ['ref-A']],
        kept: [['A-amd', 'platform manifest of kept {B} (pr-2)']],
      },
    ],
    [
      'immediate, a platform manifest with a tag of its own stays',
      {
        strategy: 'immediate-cleanup',
        staged: [['B', ['pr-2']]],
        edit: retag('B-arm', ['pr-2-arm64']),
        waves: [['B'], ['B-att-arm']],
        kept: [
          ['A-amd', 'platform manifest of kept {A} (pr-1)'],
          ['B-arm', 'tagged pr-2-arm64, not staged by this run'],
        ],
      },
    ],
    [
      'immediate, a protected child stays, the rest goes',
      {
        strategy: 'immediate-cleanup',
        staged: [['A', ['pr-1']]],
        protected: [['A-arm', 'listed in the protected input']],
        waves: [['A'], ['A-att-amd', 'A-att-arm', 'sig-A', 'refs-A'], ['ref-A']],
        kept: [
          ['A-amd', 'platform manifest of kept {B} (pr-2)'],
          ['A-arm', 'protected: listed in the protected input'],
        ],
      },
    ],
    [
      'immediate, a protected index stays with everything of it',
      {
        strategy: 'immediate-cleanup',
        staged: [['A', ['pr-1']]],
        protected: [['A', 'listed in the protected input']],
        waves: [],
        kept: [['A', 'protected: listed in the protected input']],
      },
    ],
    [
      'immediate, a staged child digest of kept indexes stays',
      { strategy: 'immediate-cleanup', staged: [['A-amd', []]], waves: [], kept: [['A-amd', 'platform manifest of kept {A} (pr-1)']] },
    ],
    [
      'post-production: a promotion production lacks is kept',
      {
        strategy: 'post-production-cleanup',
        staged: [
          ['C', ['main-3']],
          ['D', ['latest']],
        ],
        protected: [['D', 'not found in production docker.io/acme/app: its promotion is not verified']],
        waves: [['C']],
        kept: [['D', 'protected: not found in production docker.io/acme/app: its promotion is not verified']],
      },
    ],
    [
      "preserve-for-debug: nothing goes; this run's images are reported",
      {
        strategy: 'preserve-for-debug',
        staged: [
          ['A', []],
          ['C', []],
        ],
        waves: [],
        kept: [
          ['A', 'preserve-for-debug: tests failed: staging images kept for investigation'],
          ['C', 'preserve-for-debug: tests failed: staging images kept for investigation'],
        ],
      },
    ],
    [
      'conditional-preserve keeps the newest N images; older ones go whole, orphans too',
      {
        strategy: 'conditional-preserve',
        keepLast: 2,
        waves: [['A', 'B', 'orphan'], [...ALL_OF_A, 'A-amd', 'B-arm', 'B-att-arm'], ['ref-A']],
        kept: [
          ['C', 'one of the newest 2 images'],
          ['D', 'one of the newest 2 images'],
        ],
      },
    ],
    [
      'conditional-preserve keeps a child an index among the newest lists',
      {
        strategy: 'conditional-preserve',
        keepLast: 3,
        waves: [['A', 'orphan'], ALL_OF_A, ['ref-A']],
        kept: [
          ['A-amd', 'platform manifest of kept {B} (pr-2)'],
          ['B', 'one of the newest 3 images'],
          ['C', 'one of the newest 3 images'],
          ['D', 'one of the newest 3 images'],
        ],
      },
    ],
    [
      'conditional-preserve never deletes an image younger than the grace period',
      {
        strategy: 'conditional-preserve',
        keepLast: 0,
        protected: [['A', 'listed in the protected input']],
        waves: [
          ['B', 'C', 'orphan'],
          ['B-arm', 'B-att-arm'],
        ],
        kept: [
          ['A-amd', 'platform manifest of kept {A} (pr-1)'],
          ['D', 'younger than 6 h: it may belong to a pipeline still running'],
          ['A', 'protected: listed in the protected input'],
        ],
      },
    ],
    [
      'sweep: only images older than the maximum age go',
      {
        strategy: 'scheduled-sweep',
        keepLast: 1,
        waves: [['orphan']],
        kept: [
          ['A', 'younger than 14 days'],
          ['B', 'younger than 14 days'],
          ['C', 'younger than 14 days'],
          ['D', 'one of the newest 1 images'],
        ],
      },
    ],
    [
      'sweep with a short maximum age',
      {
        strategy: 'scheduled-sweep',
        keepLast: 0,
        maxAgeDays: 9,
        waves: [['A', 'B', 'orphan'], [...ALL_OF_A, 'A-amd', 'B-arm', 'B-att-arm'], ['ref-A']],
        kept: [
          ['C', 'younger than 9 days'],
          ['D', 'younger than 9 days'],
        ],
      },
    ],
    [
      'a signature whose image is gone is an image of its own, swept when old',
      {
        strategy: 'scheduled-sweep',
        keepLast: 0,
        edit: (specs) => specs.filter((s) => !['A', 'refs-A', 'ref-A'].includes(s.name)).map((s) => ({ ...s, ageHours: s.name === 'sig-A' ? 400 : 1 })),
        waves: [['sig-A']],
        // A's former children are orphans now: images of their own, young.
        kept: [
          ['A-arm', 'younger than 14 days'],
          ['A-att-amd', 'younger than 14 days'],
          ['A-att-arm', 'younger than 14 days'],
          ['B', 'younger than 14 days'],
          ['C', 'younger than 14 days'],
          ['D', 'younger than 14 days'],
          ['orphan', 'younger than 14 days'],
        ],
      },
    ],
    [
      "retention, delete-untagged (dataaxiom's default): untagged images go, tagged ones stay",
      { strategy: 'retention', retention: { deleteUntagged: true }, waves: [['orphan']], kept: UNSELECTED_TAGS },
    ],
    [
      'retention, keep-n-tagged: the newest N tagged images stay, older tagged ones go whole; untagged ones are not counted',
      {
        strategy: 'retention',
        retention: { keepNTagged: 2 },
        waves: [['A', 'B'], [...ALL_OF_A, 'A-amd', 'B-arm', 'B-att-arm'], ['ref-A']],
        kept: [
          ['C', 'one of the newest 2 tagged images (keep-n-tagged)'],
          ['D', 'one of the newest 2 tagged images (keep-n-tagged)'],
          ['orphan', 'untagged; delete-untagged is off'],
        ],
      },
    ],
    [
      'retention, keep-n-untagged: the newest N untagged images stay, the rest go',
      {
        strategy: 'retention',
        retention: { keepNUntagged: 1 },
        edit: (specs) => [...specs, { name: 'older-orphan', ageHours: 720 }, { name: 'oldest-orphan', ageHours: 900 }],
        waves: [['older-orphan', 'oldest-orphan']],
        kept: [...UNSELECTED_TAGS, ['orphan', 'one of the newest 1 untagged images (keep-n-untagged)']],
      },
    ],
    [
      'retention, delete-tags glob: images every tag of which matches go; others stay',
      {
        strategy: 'retention',
        retention: { deleteTags: glob('pr-*') },
        waves: [['A', 'B'], [...ALL_OF_A, 'A-amd', 'B-arm', 'B-att-arm'], ['ref-A']],
        kept: [
          ['C', 'tagged main-3, which delete-tags does not match'],
          ['D', 'tagged latest, which delete-tags does not match'],
          ['orphan', 'untagged; delete-untagged is off'],
        ],
      },
    ],
    [
      'retention, delete-tags on an image with another tag: the image kept, the tag removed (GitHub deletes versions, not tags)',
      {
        strategy: 'retention',
        retention: { deleteTags: glob('pr-1') },
        edit: retag('A', ['pr-1', 'v1.0']),
        waves: [],
        kept: [
          ['A', 'also tagged v1.0, which delete-tags does not match'],
          ['B', 'tagged pr-2, which delete-tags does not match'],
          ['C', 'tagged main-3, which delete-tags does not match'],
          ['D', 'tagged latest, which delete-tags does not match'],
          ['orphan', 'untagged; delete-untagged is off'],
        ],
        untag: [['A', ['pr-1']]],
      },
    ],
    [
      'retention, delete-tags on a protected image with another tag: every tag stays',
      {
        strategy: 'retention',
        retention: { deleteTags: glob('pr-1') },
        edit: retag('A', ['pr-1', 'v1.0']),
        protected: [['A', 'listed in the protected input']],
        waves: [],
        kept: [
          ['A', 'also tagged v1.0, which delete-tags does not match'],
          ['B', 'tagged pr-2, which delete-tags does not match'],
          ['C', 'tagged main-3, which delete-tags does not match'],
          ['D', 'tagged latest, which delete-tags does not match'],
          ['orphan', 'untagged; delete-untagged is off'],
        ],
      },
    ],
    [
      'retention, delete-tags on an image exclude-tags keeps: every tag stays',
      {
        strategy: 'retention',
        retention: { deleteTags: glob('pr-1'), excludeTags: glob('v1.0') },
        edit: retag('A', ['pr-1', 'v1.0']),
        waves: [],
        kept: [
          ['A', 'v1.0 matches exclude-tags'],
          ['B', 'tagged pr-2, which delete-tags does not match'],
          ['C', 'tagged main-3, which delete-tags does not match'],
          ['D', 'tagged latest, which delete-tags does not match'],
          ['orphan', 'untagged; delete-untagged is off'],
        ],
      },
    ],
    [
      'retention, delete-tags by digest',
      {
        strategy: 'retention',
        retention: { deleteTags: glob(digest('C')) },
        waves: [['C']],
        kept: [
          ['A', 'tagged pr-1, which delete-tags does not match'],
          ['B', 'tagged pr-2, which delete-tags does not match'],
          ['D', 'tagged latest, which delete-tags does not match'],
          ['orphan', 'untagged; delete-untagged is off'],
        ],
      },
    ],
    [
      'retention, exclude-tags wins over delete-tags, and the child it shares stays',
      {
        strategy: 'retention',
        retention: { deleteTags: glob('pr-*'), excludeTags: glob('pr-1') },
        waves: [['B'], ['B-arm', 'B-att-arm']],
        kept: [
          ['A', 'pr-1 matches exclude-tags'],
          ['A-amd', 'platform manifest of kept {A} (pr-1)'],
          ['C', 'tagged main-3, which delete-tags does not match'],
          ['D', 'tagged latest, which delete-tags does not match'],
          ['orphan', 'untagged; delete-untagged is off'],
        ],
      },
    ],
    [
      'retention, older-than narrows delete-tags and keep-n-tagged alike',
      {
        strategy: 'retention',
        retention: { deleteTags: glob('pr-*,main-*'), keepNTagged: 1, olderThanMs: 200 * HOUR, olderThan: '200 hours' },
        waves: [['A'], ALL_OF_A, ['ref-A']],
        kept: [
          ['A-amd', 'platform manifest of kept {B} (pr-2)'],
          ['B', 'one of the newest 1 tagged images (keep-n-tagged)'],
          ['C', 'younger than 200 hours (older-than)'],
          ['D', 'younger than 200 hours (older-than)'],
          ['orphan', 'untagged; delete-untagged is off'],
        ],
      },
    ],
    [
      'retention, delete-ghost-images: an index whose platform manifests are all gone goes, tag and all',
      {
        strategy: 'retention',
        retention: { deleteGhostImages: true },
        edit: without('D-amd'),
        waves: [['D']],
        kept: [...UNSELECTED_TAGS.slice(0, 3), ['orphan', 'untagged; delete-untagged is off']],
      },
    ],
    [
      'retention, a ghost without delete-ghost-images stays',
      { strategy: 'retention', edit: without('D-amd'), waves: [], kept: [...UNSELECTED_TAGS, ['orphan', 'untagged; delete-untagged is off']] },
    ],
    [
      'retention, delete-partial-images: an index missing some platform manifests goes with what is left of it, but not what another index lists',
      {
        strategy: 'retention',
        retention: { deletePartialImages: true },
        edit: without('B-arm'),
        waves: [['B'], ['B-att-arm']],
        kept: [
          ['A', UNSELECTED_TAGS[0][1]],
          ['A-amd', 'platform manifest of kept {A} (pr-1)'],
          ...UNSELECTED_TAGS.slice(2),
          ['orphan', 'untagged; delete-untagged is off'],
        ],
      },
    ],
    [
      'retention, delete-orphaned-images: a signature and a referrers index whose image is gone go, with what they list',
      {
        strategy: 'retention',
        retention: { deleteOrphanedImages: true },
        edit: without('A'),
        waves: [['sig-A', 'refs-A'], ['ref-A']],
        // A's former children are untagged images now, and delete-untagged is off.
        kept: [
          ...UNSELECTED_TAGS.slice(1),
          ...['A-arm', 'A-att-amd', 'A-att-arm', 'orphan'].map((n): [string, string] => [n, 'untagged; delete-untagged is off']),
        ],
      },
    ],
    [
      'retention, an orphaned signature without delete-orphaned-images stays, saying why',
      {
        strategy: 'retention',
        edit: (specs) => without('A', 'refs-A', 'ref-A')(specs),
        waves: [],
        kept: [
          ...UNSELECTED_TAGS.slice(1),
          ['sig-A', 'orphaned: what it refers to is gone ({A}); delete-orphaned-images is off'],
          ...['A-arm', 'A-att-amd', 'A-att-arm', 'orphan'].map((n): [string, string] => [n, 'untagged; delete-untagged is off']),
        ],
      },
    ],
  ])('%s', (_name, c) => {
    const result = plan(c);
    expect(result.waves.map((wave) => wave.map((d) => names.get(d.version.digest)!).sort())).toEqual(c.waves.map((w) => [...w].sort()));
    const kept = result.kept.map((k) => [names.get(k.version.digest)!, k.reason]).sort((a, b) => a[0].localeCompare(b[0]));
    expect(kept).toEqual(c.kept.map(([name, reason]) => [name, fill(reason, short)]).sort((a, b) => a[0].localeCompare(b[0])));
    expect(result.untag.map((u) => [names.get(u.version.digest)!, u.tags])).toEqual(c.untag ?? []);
  });

  test('each deletion says why: staged, or what it belongs to', () => {
    const result = plan({ strategy: 'immediate-cleanup', staged: [['A', ['pr-1']]], waves: [], kept: [] });
    const reasons = Object.fromEntries(result.waves.flat().map((d) => [names.get(d.version.digest), d.reason]));
    expect(reasons).toEqual({
      A: 'staged by this run',
      'A-arm': fill('platform manifest of {A} (pr-1)', short),
      'A-att-amd': fill('attestation of {A} (pr-1)', short),
      'A-att-arm': fill('attestation of {A} (pr-1)', short),
      'sig-A': fill('referrer of {A} (pr-1)', short),
      'refs-A': fill('referrer of {A} (pr-1)', short),
      'ref-A': fill(`referrer of {refs-A} (sha256-${hex('A')})`, short),
    });
  });
});

describe('relations', () => {
  test.each([
    [`sha256-${'a'.repeat(64)}`, `sha256:${'a'.repeat(64)}`, undefined],
    [`sha256-${'a'.repeat(64)}.sig`, `sha256:${'a'.repeat(64)}`, `sha256:${'a'.repeat(64)}`],
    [`sha256-${'a'.repeat(64)}.att`, `sha256:${'a'.repeat(64)}`, `sha256:${'a'.repeat(64)}`],
    [`sha256-${'a'.repeat(64)}.sbom`, `sha256:${'a'.repeat(64)}`, `sha256:${'a'.repeat(64)}`],
    [`sha256-${'a'.repeat(63)}`, undefined, undefined],
    [`sha256-${'a'.repeat(64)}.txt`, undefined, undefined],
    ['pr-42', undefined, undefined],
  ])('referrer tag %s is about %s (as a cosign tag: %s)', (tag, subject, cosignSubject) => {
    expect(referrerTagSubject(tag)).toBe(subject);
    expect(cosignTagSubject(tag)).toBe(cosignSubject);
  });

  test('an index lists its entries; an artifact names its subject; a plain manifest neither', () => {
    const raw = (json: unknown, mediaType: string) => ({ bytes: Buffer.from(JSON.stringify(json)), mediaType, digest: 'sha256:x' });
    const entry = { mediaType: MANIFEST, digest: digest('child'), size: 1 };
    expect(manifestLinks(raw({ schemaVersion: 2, mediaType: INDEX, manifests: [entry] }, INDEX))).toEqual({ listed: [entry] });
    expect(manifestLinks(raw({ schemaVersion: 2, config: {}, layers: [], subject: { digest: digest('A') } }, MANIFEST))).toEqual({
      listed: [],
      subject: digest('A'),
    });
    expect(manifestLinks(raw({ schemaVersion: 2, config: {}, layers: [] }, MANIFEST))).toEqual({ listed: [] });
  });

  test('relations to digests that are not versions of the package are ignored by the plan', () => {
    const { versions, links } = build([
      { name: 'X', tags: ['pr-1'], ageHours: 1, lists: ['gone-child'] },
      { name: 'Y', tags: ['pr-2'], ageHours: 1 },
    ]);
    const result = planCleanup({
      strategy: 'immediate-cleanup',
      reason: '',
      versions,
      dependents: dependentsOf(versions, links),
      staged: new Map([[digest('X'), ['pr-1']]]),
      protected: new Map(),
      keepLast: 5,
      maxAgeDays: 14,
      graceHours: 6,
      now: NOW,
    });
    expect(result.waves.map((w) => w.map((d) => d.version.digest))).toEqual([[digest('X')]]);
  });
});

describe('retention inputs', () => {
  test.each<[string, boolean, string, boolean]>([
    ['pr-*', false, 'pr-42', true],
    ['pr-*', false, 'xpr-42', false],
    ['pr-?', false, 'pr-4', true],
    ['pr-?', false, 'pr-42', false],
    ['dev, v1.*', false, 'v1.2', true],
    ['v1.*', false, 'v1x2', false],
    ['v1.**', false, 'v1.2.3', true],
    ['latest', false, 'latest-2', false],
    ['^pr-\\d+$', true, 'pr-42', true],
    ['^pr-\\d+$', true, 'pr-42a', false],
    ['pr-', true, 'build-pr-3', true],
  ])('pattern %s (regex: %s) matches %s: %s', (pattern, useRegex, tag, matches) => {
    expect(patternMatcher(pattern, useRegex)!(tag)).toBe(matches);
  });

  test('an empty pattern selects nothing; a broken regular expression is refused', () => {
    expect(patternMatcher('  ', true)).toBeUndefined();
    expect(() => patternMatcher('pr-(', true)).toThrow('"pr-(" is not a regular expression');
  });

  test.each<[string, number]>([
    ['30 days', 30 * 24 * HOUR],
    ['12 hours', 12 * HOUR],
    ['1 hour', HOUR],
    ['90 seconds', 90_000],
    ['2 weeks', 14 * 24 * HOUR],
    ['6 months', 180 * 24 * HOUR],
    ['1 year', 365 * 24 * HOUR],
    ['5Minutes', 300_000],
  ])('older-than %s', (text, ms) => {
    expect(parseInterval(text)).toBe(ms);
  });

  test.each(['30', 'days', '30 fortnights', '-1 day', '1.5 days'])('older-than %s is refused', (text) => {
    expect(() => parseInterval(text)).toThrow('is not an interval');
  });
});

describe('validate: images that no longer pull whole', () => {
  test.each<[string, (specs: Spec[]) => Spec[], [string, 'ghost' | 'partial' | 'orphaned', string[]][]]>([
    ['a whole package has none', (specs) => specs, []],
    ['an index whose platform manifests are all gone is a ghost', without('D-amd'), [['D', 'ghost', ['D-amd']]]],
    ['an index missing one of two is partial; a missing attestation does not count', without('A-arm', 'B-att-arm'), [['A', 'partial', ['A-arm']]]],
    [
      'a shared child gone breaks both indexes',
      without('A-amd'),
      [
        ['A', 'partial', ['A-amd']],
        ['B', 'partial', ['A-amd']],
      ],
    ],
    [
      'a signature and a referrers index whose image is gone are orphaned',
      without('A'),
      [
        ['sig-A', 'orphaned', ['A']],
        ['refs-A', 'orphaned', ['A']],
      ],
    ],
    [
      'an SBOM pushed by digest whose subject is gone is orphaned',
      (specs) => [...specs.filter((s) => s.name !== 'C'), { name: 'sbom-C', ageHours: 1, subject: 'C' }],
      [['sbom-C', 'orphaned', ['C']]],
    ],
  ])('%s', (_name, edit, expected) => {
    const { versions, links } = build(edit(structuredClone(PACKAGE)));
    const found = [...findBrokenImages(versions, links)].map(([d, b]) => [names.get(d)!, b.kind, b.missing.map((m) => names.get(m)!)]);
    expect(found.sort()).toEqual(expected.sort());
  });
});

describe('retention rules from the inputs', () => {
  const OFF = { deleteGhostImages: false, deletePartialImages: false, deleteOrphanedImages: false };
  test.each<[string, RetentionInputs, Partial<RetentionRules>]>([
    ["nothing selected: untagged images go (dataaxiom's default)", {}, { deleteUntagged: true, ...OFF }],
    [
      'exclude-tags and older-than only narrow: untagged images go',
      { olderThanMs: HOUR, olderThan: '1 hour' },
      { deleteUntagged: true, olderThanMs: HOUR, olderThan: '1 hour', ...OFF },
    ],
    ['keep-n-tagged selects: untagged images stay', { keepNTagged: 3 }, { keepNTagged: 3, deleteUntagged: false, ...OFF }],
    ['delete-ghost-images selects: untagged images stay', { deleteGhostImages: true }, { deleteUntagged: false, ...OFF, deleteGhostImages: true }],
    ['delete-untagged false: nothing goes but what else is selected', { deleteUntagged: false }, { deleteUntagged: false, ...OFF }],
  ])('%s', (_name, given, rules) => {
    expect(retentionRules(given)).toEqual(rules);
  });
});
