import { parseChallenge } from '@ci-actions/publishing/oci/challenge.js';
import { mergeReferrerIndex } from '@ci-actions/publishing/oci/referrer-index.js';
import { sha256Digest } from '@ci-actions/publishing/oci/digest.js';

describe('parseChallenge', () => {
  test.each([
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull,push"',
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:a/b:pull,push' } },
    ],
    ['Basic realm="Registry Realm"', { scheme: 'basic', params: { realm: 'Registry Realm' } }],
    ['bearer realm=https://x/token, service=x', { scheme: 'bearer', params: { realm: 'https://x/token', service: 'x' } }],
    [
      'Bearer realm="r",error="insufficient_scope",scope="repository:a:push"',
      { scheme: 'bearer', params: { realm: 'r', error: 'insufficient_scope', scope: 'repository:a:push' } },
    ],
    ['Negotiate abc', undefined],
    [undefined, undefined],
  ])('%j', (header, expected) => {
    expect(parseChallenge(header)).toEqual(expected);
  });
});

describe('mergeReferrerIndex', () => {
  const raw = (digests: string[]) => {
    const bytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: digests.map((digest) => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: 1 })),
      }),
    );
    return { bytes, digest: sha256Digest(bytes), mediaType: 'application/vnd.oci.image.index.v1+json' };
  };

  test('no destination index: the source bytes are kept', () => {
    const src = raw(['a']);
    expect(mergeReferrerIndex(src, undefined)).toBe(src);
  });
  test('destination already lists everything: nothing to write', () => {
    expect(mergeReferrerIndex(raw(['a']), raw(['a', 'b']))).toBeUndefined();
  });
  test('destination lists others: union, destination entries first', () => {
    const merged = mergeReferrerIndex(raw(['a', 'c']), raw(['b']))!;
    expect((JSON.parse(merged.bytes.toString()) as { manifests: { digest: string }[] }).manifests.map((m) => m.digest)).toEqual(['b', 'a', 'c']);
    expect(merged.digest).toBe(sha256Digest(merged.bytes));
  });
});
