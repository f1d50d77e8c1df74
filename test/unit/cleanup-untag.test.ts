// The empty manifest a tag is moved to before its version is deleted (untag.ts): nothing to
// pull, no subject, the original's media type, and a digest of its own for each tag.
import { placeholderManifest, UNTAG_ANNOTATION } from '@ci-actions/publishing/cleanup/untag.js';
import type { RawManifest } from '@ci-actions/publishing/oci/types.js';

const INDEX = 'application/vnd.oci.image.index.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const AT = new Date('2026-12-01T20:00:00Z');
const raw = (json: unknown, mediaType: string): RawManifest => ({ bytes: Buffer.from(JSON.stringify(json)), mediaType, digest: 'sha256:unused' });
const blob = { mediaType: 'application/octet-stream', digest: `sha256:${'b'.repeat(64)}`, size: 1 };

// [case, original, what the placeholder holds besides the annotations]
const CASES: [string, RawManifest, Record<string, unknown>][] = [
  [
    'an index lists nothing',
    raw({ schemaVersion: 2, mediaType: INDEX, manifests: [blob], annotations: { 'org.example': 'kept' } }, INDEX),
    { schemaVersion: 2, mediaType: INDEX, manifests: [] },
  ],
  [
    'an image has no layers, its config kept',
    raw({ schemaVersion: 2, mediaType: MANIFEST, config: blob, layers: [blob, blob] }, MANIFEST),
    { schemaVersion: 2, mediaType: MANIFEST, config: blob, layers: [] },
  ],
  [
    'a referrer is no longer one (no subject)',
    raw({ schemaVersion: 2, mediaType: MANIFEST, config: blob, layers: [blob], subject: blob }, MANIFEST),
    { schemaVersion: 2, mediaType: MANIFEST, config: blob, layers: [] },
  ],
];

test.each(CASES)('%s', (_, original, expected) => {
  const placeholder = placeholderManifest(original, 'pr-1', AT);
  const { annotations, ...rest } = JSON.parse(placeholder.bytes.toString()) as { annotations: Record<string, string> };
  expect(rest).toEqual(expected);
  expect(annotations).toMatchObject({ 'org.opencontainers.image.created': AT.toISOString(), [UNTAG_ANNOTATION]: 'pr-1' });
  expect(placeholder.mediaType).toBe(original.mediaType);
  expect(placeholder.digest).not.toBe(placeholderManifest(original, 'pr-2', AT).digest);
});
