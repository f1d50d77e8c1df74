// How many connections a copy opens at a destination for its checks, before the source's tree
// is read: an image's config and layers exactly, an index's children and what they list by a
// guess, never more than the checks sent at once.
import { checksAhead } from '@ci-actions/publishing/oci/promote.js';
import { MediaType, type RawManifest } from '@ci-actions/publishing/oci/types.js';

const descriptor = (i: number) => ({ mediaType: 'application/octet-stream', digest: `sha256:${String(i).padStart(64, '0')}`, size: 1 });

function raw(mediaType: string, body: object): RawManifest {
  return { mediaType, digest: descriptor(0).digest, bytes: Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, ...body })) };
}
const image = (layers: number) => raw(MediaType.OciManifest, { config: descriptor(0), layers: Array.from({ length: layers }, (_, i) => descriptor(i + 1)) });
const index = (children: number, mediaType: string = MediaType.OciIndex) =>
  raw(mediaType, { manifests: Array.from({ length: children }, (_, i) => ({ ...descriptor(i), mediaType: MediaType.OciManifest })) });

test.each([
  ['an image: its config and each layer', image(4), 5],
  ['an image of no layers: its config', image(0), 1],
  ['two platforms with their buildx attestations: 4 children, 5 checks each', index(4), 20],
  ['a Docker manifest list counts as an index', index(2, MediaType.DockerManifestList), 10],
  ['an index of 12 platforms: no more than the checks sent at once', index(12), 32],
  ['an image of 100 layers: the same bound', image(100), 32],
])('%s', (_name, top, expected) => {
  expect(checksAhead(top)).toBe(expected);
});
