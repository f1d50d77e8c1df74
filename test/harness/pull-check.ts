// Whether an image pulls, checked with skopeo (not with the code under test): `pulls`
// copies every manifest and blob an image reference leads to (all platforms,
// attestations) into a throwaway OCI layout, so a missing child fails it; `isGone` is
// true when the registry no longer resolves the reference at all.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copy, inspectRaw, SkopeoError, type Credentials } from './skopeo.js';

export async function pullsCompletely(ref: string, creds: Credentials): Promise<boolean> {
  const dir = await mkdtemp(join(tmpdir(), 'ci-actions-pull-'));
  try {
    await copy(`docker://${ref}`, `oci:${dir}:pulled`, { srcCreds: creds });
    return true;
  } catch (err) {
    if (err instanceof SkopeoError) return false;
    throw err;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function isGone(ref: string, creds: Credentials): Promise<boolean> {
  try {
    await inspectRaw(`docker://${ref}`, creds);
    return false;
  } catch (err) {
    if (err instanceof SkopeoError && /manifest unknown|not found|MANIFEST_UNKNOWN/i.test(err.stderr)) return true;
    throw err;
  }
}
