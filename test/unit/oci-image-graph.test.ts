import { manifestLevels } from '@ci-actions/publishing/oci/image-graph.js';
import { MediaType, type RawManifest } from '@ci-actions/publishing/oci/types.js';

/** A manifest named `name`; an index when it lists `children`. */
function manifest(name: string, children: RawManifest[] = []): RawManifest {
  const isIndex = children.length > 0;
  const body = isIndex
    ? { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: children.map((c) => ({ mediaType: c.mediaType, digest: c.digest, size: c.bytes.length })) }
    : {
        schemaVersion: 2,
        mediaType: MediaType.OciManifest,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${name}`, size: 2 },
        layers: [],
      };
  return { bytes: Buffer.from(JSON.stringify(body)), digest: `sha256:${name}`, mediaType: body.mediaType };
}

const names = (levels: RawManifest[][]) => levels.map((level) => level.map((m) => m.digest.slice(7)));

describe('manifestLevels', () => {
  const amd64 = manifest('amd64');
  const arm64 = manifest('arm64');
  const attestation = manifest('attestation');

  it.each([
    ['a single-platform image: the manifest alone', [amd64], [['amd64']]],
    [
      'a multi-arch index: its manifests at once, then the index',
      [amd64, arm64, attestation, manifest('index', [amd64, arm64, attestation])],
      [['amd64', 'arm64', 'attestation'], ['index']],
    ],
    [
      'a nested index: the inner index after its manifests, the top after it',
      [amd64, arm64, manifest('inner', [arm64]), manifest('top', [amd64, manifest('inner', [arm64])])],
      [['amd64', 'arm64'], ['inner'], ['top']],
    ],
  ] as [string, RawManifest[], string[][]][])('%s', (_name, manifests, expected) => {
    expect(names(manifestLevels({ manifests }))).toEqual(expected);
  });
});
