// The promotion plan from what was resolved: which blobs are skipped, mounted or copied,
// which manifests pushed in which level, what happens to the referrers' fallback tags,
// cosign's tags and the image's tags, for each kind of destination.
import { sha256Digest } from '@ci-actions/publishing/oci/digest.js';
import type { ImageTree } from '@ci-actions/publishing/oci/image-graph.js';
import { planPromotion, type DestinationState, type PromotionPlan, type ResolvedPromotion, type SourceState } from '@ci-actions/publishing/oci/promote-plan.js';
import { formatPlan } from '@ci-actions/publishing/oci/promote-plan-text.js';
import { referrerIndex, referrerDescriptor } from '@ci-actions/publishing/oci/referrer-index.js';
import { MediaType, type Descriptor, type Platform, type RawManifest } from '@ci-actions/publishing/oci/types.js';

const STAGING = 'ghcr.io';
const PRODUCTION = 'docker.io';

/** Fixture names by digest, so expectations read as names. */
const names = new Map<string, string>();
const named = <T extends { digest: string }>(name: string, item: T): T => (names.set(item.digest, name), item);
const nameOf = (digest: string) => names.get(digest) ?? digest;

function blob(name: string, size: number): Descriptor {
  return named(name, { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256Digest(Buffer.from(name)), size });
}

function manifest(name: string, body: object): RawManifest {
  const bytes = Buffer.from(JSON.stringify(body));
  const mediaType = (body as { mediaType: string }).mediaType;
  return named(name, { bytes, digest: sha256Digest(bytes), mediaType });
}

function image(name: string, blobs: Descriptor[], subject?: RawManifest): RawManifest {
  const [config, ...layers] = blobs;
  return manifest(name, {
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    config,
    layers,
    ...(subject ? { subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.bytes.length } } : {}),
  });
}

function index(name: string, children: { manifest: RawManifest; platform?: Platform; attests?: RawManifest }[]): RawManifest {
  return manifest(name, {
    schemaVersion: 2,
    mediaType: MediaType.OciIndex,
    manifests: children.map((c) => ({
      mediaType: c.manifest.mediaType,
      digest: c.manifest.digest,
      size: c.manifest.bytes.length,
      ...(c.platform ? { platform: c.platform } : { platform: { os: 'unknown', architecture: 'unknown' } }),
      ...(c.attests ? { annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': c.attests.digest } } : {}),
    })),
  });
}

function tree(top: RawManifest, children: RawManifest[], blobs: Descriptor[]): ImageTree {
  return { top, manifests: [...children, top], blobs };
}

// A two-platform image with an attestation, as buildx pushes it.
const amdConfig = blob('amd-config', 100);
const amdLayer = blob('amd-layer', 3000);
const armConfig = blob('arm-config', 100);
const armLayer = blob('arm-layer', 2000);
const attConfig = blob('att-config', 10);
const attLayer = blob('att-layer', 50);
const amd = image('amd64', [amdConfig, amdLayer]);
const arm = image('arm64', [armConfig, armLayer]);
const att = image('attestation', [attConfig, attLayer]);
const root = index('index', [
  { manifest: amd, platform: { os: 'linux', architecture: 'amd64' } },
  { manifest: arm, platform: { os: 'linux', architecture: 'arm64' } },
  { manifest: att, attests: amd },
]);
const imageTree = tree(root, [amd, arm, att], [amdConfig, amdLayer, armConfig, armLayer, attConfig, attLayer]);
// The same image filtered to linux/arm64: a new index over unchanged children.
const armOnly = index('arm-only index', [{ manifest: arm, platform: { os: 'linux', architecture: 'arm64' } }]);
const armTree = tree(armOnly, [arm], [armConfig, armLayer]);
// An SBOM about the index, and cosign's signature of it.
const sbomBlob = blob('sbom-payload', 40);
const sbom = image('sbom', [blob('empty-config', 2), sbomBlob], root);
const sbomTree = tree(sbom, [], [blob('empty-config', 2), sbomBlob]);
const sbomIndex = named('sbom fallback index', referrerIndex([referrerDescriptor(sbom)]));
const signature = image('signature', [blob('sig-config', 5), blob('sig-payload', 30)]);
const signatureTree = tree(signature, [], [blob('sig-config', 5), blob('sig-payload', 30)]);
const signatureTag = `${root.digest.replace(':', '-')}.sig`;
const otherSignature = named('their signature', { digest: sha256Digest(Buffer.from('theirs')) });

function source(overrides: Partial<SourceState> = {}): SourceState {
  return {
    registry: STAGING,
    repository: 'acme/app',
    reference: `${STAGING}/acme/app:build-1`,
    digest: root.digest,
    root,
    platforms: 'linux/amd64, linux/arm64',
    referrers: [],
    referrerIndexes: new Map(),
    cosignTags: [],
    trees: new Map([[root.digest, imageTree]]),
    ...overrides,
  };
}

function destination(
  registry: string,
  repository: string,
  holds: { manifests?: RawManifest[]; blobs?: Descriptor[] } = {},
  extra: Partial<DestinationState> = {},
) {
  return {
    registry,
    repository,
    manifests: new Map((holds.manifests ?? []).map((m) => [m.digest, true])),
    blobs: new Map((holds.blobs ?? []).map((b) => [b.digest, true])),
    referrerIndexes: new Map(),
    cosignTags: new Map(),
    ...extra,
  } satisfies DestinationState;
}

function resolved(src: SourceState, destinations: DestinationState[], tags: { at: DestinationState; tag: string; current?: RawManifest }[]): ResolvedPromotion {
  return {
    source: src,
    destinations,
    tags: tags.map((t) => ({ registry: t.at.registry, repository: t.at.repository, tag: t.tag, ...(t.current ? { current: t.current.digest } : {}) })),
  };
}

/** The plan in names: per destination what happens to each blob, manifest (by level), fallback tag and cosign tag; then the tags. */
function readable(plan: PromotionPlan) {
  return {
    destinations: plan.destinations.map((d) => ({
      at: `${d.registry}/${d.repository}`,
      present: d.present.map((m) => nameOf(m.manifest.digest)),
      blobs: d.blobs.map((b) => `${nameOf(b.digest)}: ${b.action}${b.from ? ` from ${b.from}` : ''}`),
      levels: d.manifestLevels.map((level) => level.map((m) => `${nameOf(m.manifest.digest)} (${m.what}): ${m.action}`)),
      referrerIndexes: d.referrerIndexes.map((r) => `${nameOf(r.subject)}: ${r.action}, listing ${r.listed}`),
      cosignTags: d.cosignTags.map((t) => `${nameOf(t.manifest.digest)}: ${t.action}`),
    })),
    tags: plan.tags.map((t) => `${t.ref}: ${t.action}${t.previous ? ` (was ${nameOf(t.previous)})` : ''}`),
  };
}

const prod = destination(PRODUCTION, 'acme/app');
const FRESH_LEVELS = [['amd64 (linux/amd64): push', 'arm64 (linux/arm64): push', 'attestation (attestation): push'], ['index (index): push']];
const ALL_COPIED = ['amd-layer', 'arm-layer', 'amd-config', 'arm-config', 'att-layer', 'att-config'];

describe('planPromotion', () => {
  it.each([
    [
      'a fresh destination: every blob copied, largest first; the platform manifests, then the index; the tag new',
      resolved(source(), [prod], [{ at: prod, tag: '1.0.0' }]),
      {
        destinations: [
          {
            at: 'docker.io/acme/app',
            present: [],
            blobs: ALL_COPIED.map((b) => `${b}: copy`),
            levels: FRESH_LEVELS,
            referrerIndexes: [],
            cosignTags: [],
          },
        ],
        tags: ['docker.io/acme/app:1.0.0: set'],
      },
    ],
    [
      'a warm re-run, the tag at the digest: nothing under the index is looked at, nothing moves',
      resolved(source({ trees: new Map() }), [destination(PRODUCTION, 'acme/app', { manifests: [root] })], [{ at: prod, tag: '1.0.0', current: root }]),
      {
        destinations: [{ at: 'docker.io/acme/app', present: ['index'], blobs: [], levels: [], referrerIndexes: [], cosignTags: [] }],
        tags: ['docker.io/acme/app:1.0.0: skip (was index)'],
      },
    ],
    [
      'a partial destination (an earlier run failed mid-copy): what is there is skipped, the rest copied and pushed; the tag moves',
      resolved(
        source(),
        [destination(PRODUCTION, 'acme/app', { manifests: [amd], blobs: [amdConfig, amdLayer, armConfig] })],
        [{ at: prod, tag: 'latest', current: arm }],
      ),
      {
        destinations: [
          {
            at: 'docker.io/acme/app',
            present: [],
            blobs: ['amd-layer: skip', 'arm-layer: copy', 'amd-config: skip', 'arm-config: skip', 'att-layer: copy', 'att-config: copy'],
            levels: [['amd64 (linux/amd64): skip', 'arm64 (linux/arm64): push', 'attestation (attestation): push'], ['index (index): push']],
            referrerIndexes: [],
            cosignTags: [],
          },
        ],
        tags: ['docker.io/acme/app:latest: set (was arm64)'],
      },
    ],
    [
      "within the source's registry every missing blob is mounted from the source repository",
      resolved(source(), [destination(STAGING, 'acme/app-release', { blobs: [amdLayer] })], [{ at: destination(STAGING, 'acme/app-release'), tag: '1.0.0' }]),
      {
        destinations: [
          {
            at: 'ghcr.io/acme/app-release',
            present: [],
            blobs: [
              'amd-layer: skip',
              'arm-layer: mount from acme/app',
              'amd-config: mount from acme/app',
              'arm-config: mount from acme/app',
              'att-layer: mount from acme/app',
              'att-config: mount from acme/app',
            ],
            levels: FRESH_LEVELS,
            referrerIndexes: [],
            cosignTags: [],
          },
        ],
        tags: ['ghcr.io/acme/app-release:1.0.0: set'],
      },
    ],
    [
      'two repositories of another registry: the first gets copies, the second mounts from the first; no mount across registries',
      resolved(
        source(),
        [prod, destination(PRODUCTION, 'acme/mirror', { blobs: [armLayer] })],
        [
          { at: prod, tag: '1.0.0' },
          { at: destination(PRODUCTION, 'acme/mirror'), tag: '1.0.0' },
        ],
      ),
      {
        destinations: [
          { at: 'docker.io/acme/app', present: [], blobs: ALL_COPIED.map((b) => `${b}: copy`), levels: FRESH_LEVELS, referrerIndexes: [], cosignTags: [] },
          {
            at: 'docker.io/acme/mirror',
            present: [],
            blobs: [
              'amd-layer: mount from acme/app',
              'arm-layer: skip',
              'amd-config: mount from acme/app',
              'arm-config: mount from acme/app',
              'att-layer: mount from acme/app',
              'att-config: mount from acme/app',
            ],
            levels: FRESH_LEVELS,
            referrerIndexes: [],
            cosignTags: [],
          },
        ],
        tags: ['docker.io/acme/app:1.0.0: set', 'docker.io/acme/mirror:1.0.0: set'],
      },
    ],
    [
      'a platform filter where the platform is promoted already: only the new index is pushed',
      resolved(
        source({ root: armOnly, trees: new Map([[armOnly.digest, armTree]]) }),
        [destination(PRODUCTION, 'acme/app', { manifests: [arm], blobs: [armConfig, armLayer] })],
        [{ at: prod, tag: 'arm', current: root }],
      ),
      {
        destinations: [
          {
            at: 'docker.io/acme/app',
            present: [],
            blobs: ['arm-layer: skip', 'arm-config: skip'],
            levels: [['arm64 (linux/arm64): skip'], ['arm-only index (index): push']],
            referrerIndexes: [],
            cosignTags: [],
          },
        ],
        tags: ['docker.io/acme/app:arm: set (was index)'],
      },
    ],
  ] as [string, ResolvedPromotion, ReturnType<typeof readable>][])('%s', (_name, input, expected) => {
    expect(readable(planPromotion(input))).toEqual(expected);
  });

  describe('referrers', () => {
    // The image is there already; the SBOM about it is new at the source.
    const withSbom = source({
      referrers: [sbom],
      referrerIndexes: new Map([[root.digest, sbomIndex]]),
      trees: new Map([[sbom.digest, sbomTree]]),
    });
    const holding = (extra: Partial<DestinationState>, manifests: RawManifest[] = [root]) => destination(PRODUCTION, 'acme/app', { manifests }, extra);
    const theirs = named('their artifact', image('their artifact', [blob('their-config', 2)], root));
    const theirIndex = named('their fallback index', referrerIndex([referrerDescriptor(theirs)]));

    it.each([
      ['a destination with the referrers API indexes the SBOM itself: no fallback tag', holding({ referrersApi: true }), 'index: indexed, listing 1'],
      [
        'a destination without it and no fallback tag yet: the source index goes as it is',
        holding({ referrersApi: false, referrerIndexes: new Map([[root.digest, undefined]]) }),
        'index: push, listing 1',
      ],
      [
        'a destination whose fallback tag lists other artifacts: they are kept, the SBOM added',
        holding({ referrersApi: false, referrerIndexes: new Map([[root.digest, theirIndex]]) }),
        'index: push, listing 2',
      ],
      [
        'a new repository, which cannot say whether it serves the API: the tag is written unless it answers OCI-Subject',
        holding({}),
        'index: unless-indexed, listing 1',
      ],
      [
        'a registry that cannot say, with a fallback tag listing other artifacts: unless it answers OCI-Subject, they are kept and the SBOM added',
        holding({ referrerIndexes: new Map([[root.digest, theirIndex]]) }),
        'index: unless-indexed, listing 2',
      ],
    ] as [string, DestinationState, string][])('%s', (_name, dest, expected) => {
      const plan = readable(planPromotion(resolved(withSbom, [dest], [])));
      expect(plan.destinations[0].referrerIndexes).toEqual([expected]);
      expect(plan.destinations[0].levels).toEqual([['sbom (referrer): push']]);
      expect(plan.destinations[0].blobs).toEqual(['sbom-payload: copy', 'empty-config: copy']);
    });

    it('a fallback tag that lists the SBOM already, with the SBOM there: nothing to do', () => {
      const sbomThere = holding({ referrersApi: false, referrerIndexes: new Map([[root.digest, sbomIndex]]) }, [root, sbom]);
      const plan = readable(planPromotion(resolved(source({ ...withSbom, trees: new Map() }), [sbomThere], [])));
      expect(plan.destinations[0]).toEqual({
        at: 'docker.io/acme/app',
        present: ['index', 'sbom'],
        blobs: [],
        levels: [],
        referrerIndexes: ['index: skip, listing 1'],
        cosignTags: [],
      });
    });

    it.each([
      ['absent at the destination: pushed, then tagged', new Map<string, string | undefined>(), [root], 'signature: push', [['signature (cosign sig): push']]],
      ['tagged there already: left be', new Map([[signatureTag, signature.digest]]), [root, signature], 'signature: skip', []],
      [
        'the tag holds other contents there (signed there too): kept as it is, the artifact still pushed by digest',
        new Map([[signatureTag, otherSignature.digest]]),
        [root],
        'signature: keep',
        [['signature (cosign sig): push']],
      ],
    ] as [string, Map<string, string | undefined>, RawManifest[], string, string[][]][])(
      "cosign's signature tag %s",
      (_name, cosignTags, manifests, expected, levels) => {
        const signed = source({ cosignTags: [{ tag: signatureTag, manifest: signature }], trees: new Map([[signature.digest, signatureTree]]) });
        const plan = readable(planPromotion(resolved(signed, [destination(PRODUCTION, 'acme/app', { manifests }, { cosignTags })], [])));
        expect(plan.destinations[0].cosignTags).toEqual([expected]);
        expect(plan.destinations[0].levels).toEqual(levels);
      },
    );
  });

  it('an untagged destination is promoted by digest, with no tag to set', () => {
    const plan = planPromotion({ source: source(), destinations: [prod], tags: [{ registry: PRODUCTION, repository: 'acme/app' }] });
    expect(plan.tags).toEqual([]);
    expect(plan.refs).toEqual([`docker.io/acme/app@${root.digest}`]);
  });

  it('a top manifest some destination lacks must have been walked', () => {
    expect(() => planPromotion(resolved(source({ trees: new Map() }), [prod], []))).toThrow(`the plan needs the tree of ${root.digest}, which was not walked`);
  });
});

describe('formatPlan', () => {
  it('prints one line per blob, manifest and tag with its action, under its destination, and the totals', () => {
    const plan = planPromotion(resolved(source(), [destination(PRODUCTION, 'acme/app', { blobs: [amdLayer] })], [{ at: prod, tag: '1.0.0', current: arm }]));
    const short = (m: { digest: string }) => m.digest.slice(0, 19);
    expect(formatPlan(plan)).toEqual([
      `plan: ghcr.io/acme/app:build-1 (${short(root)}) promoted as ${root.digest}, linux/amd64, linux/arm64`,
      'docker.io/acme/app:',
      `  blob ${short(amdLayer)} (2.9 KB): already there`,
      `  blob ${short(armLayer)} (2.0 KB): copy`,
      `  blob ${short(amdConfig)} (100 B): copy`,
      `  blob ${short(armConfig)} (100 B): copy`,
      `  blob ${short(attLayer)} (50 B): copy`,
      `  blob ${short(attConfig)} (10 B): copy`,
      `  manifest ${short(amd)} (linux/amd64): push`,
      `  manifest ${short(arm)} (linux/arm64): push`,
      `  manifest ${short(att)} (attestation): push`,
      `  manifest ${short(root)} (index): push`,
      'tags, set last:',
      `  docker.io/acme/app tag 1.0.0 -> ${short(root)}: tag (was ${short(arm)})`,
      'total: blobs: 5 to copy (2.2 KB), 0 to mount, 1 already there; manifests: 4 to push, 0 already there; tags: 1 to set, 0 already there',
    ]);
  });
});
