import { selectManifests } from '@ci-actions/publishing/oci/platforms.js';
import type { Descriptor } from '@ci-actions/publishing/oci/types.js';

const m = (digest: string, platform?: string): Descriptor => {
  const [os, architecture, variant] = (platform ?? 'unknown/unknown').split('/');
  return {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest,
    size: 1,
    platform: { os: os, architecture: architecture, ...(variant ? { variant } : {}) },
  };
};
const att = (digest: string, of: string): Descriptor => ({
  ...m(digest),
  annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': of },
});
const INDEX = [m('amd', 'linux/amd64'), m('arm', 'linux/arm64/v8'), m('armv7', 'linux/arm/v7'), att('att-amd', 'amd'), att('att-arm', 'arm')];

describe('selectManifests', () => {
  test.each([
    ['no filter keeps all', [], true, ['amd', 'arm', 'armv7', 'att-amd', 'att-arm'], []],
    ['no filter without attestations', [], false, ['amd', 'arm', 'armv7'], []],
    ['one platform keeps its attestation only', ['linux/amd64'], true, ['amd', 'att-amd'], []],
    ['variant-less filter matches a variant', ['linux/arm64'], true, ['arm', 'att-arm'], []],
    ['variant filter is exact', ['linux/arm/v6'], true, [], ['linux/arm/v6']],
    ['two platforms', ['linux/arm/v7', 'linux/arm64'], true, ['arm', 'armv7', 'att-arm'], []],
    ['unknown platform reported', ['windows/amd64', 'linux/amd64'], false, ['amd'], ['windows/amd64']],
  ])('%s', (_name, filter, attestations, kept, unmatched) => {
    const s = selectManifests(INDEX, filter, attestations);
    expect(s.keep.map((d) => d.digest)).toEqual(kept);
    expect(s.unmatched).toEqual(unmatched);
    expect(s.keep.length + s.dropped.length).toBe(INDEX.length);
  });
});
