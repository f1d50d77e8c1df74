// What one promotion produced, as promote-image writes it (record-file) for the jobs after
// it: a matrix job cannot expose one output per leg (the legs' outputs overwrite each other),
// so each leg of the stage gate's promote job uploads its record as an artifact, and the
// gate's promotions job reads them all back. Cleanup then verifies in production the digest
// the promotion produced, which a platform filter makes a new index digest, not the staged one.
import { DomainError } from '../errors.js';
import { DIGEST, parseReference } from '../oci/reference.js';

export interface PromotionRecord {
  /** The staging repository, registry/namespace/name (no tag or digest). */
  staging: string;
  /** The digest promoted from staging. */
  stagedDigest: string;
  /** The digest production now serves under every reference below (a new index with a platform filter). */
  digest: string;
  /** The production repositories, registry/namespace/name: an attestation's subject name. */
  repositories: string[];
  /** registry/repository:tag written (or, in a dry run, that would be). */
  references: string[];
  /** The platforms promoted, as promote-image reports them. */
  platforms: string;
  blobsCopied: number;
  blobsMounted: number;
  blobsSkipped: number;
  bytesCopied: number;
  /** Nothing was written: the references above are what a real run would write. */
  dryRun: boolean;
  /** ISO 8601 times the promotion started and ended. */
  startedAt: string;
  finishedAt: string;
}

/** A promotion record (promote-image's record-file, the gate's promoted-images) that is not one. */
export class PromotionRecordError extends DomainError {
  constructor(origin: string, why: string) {
    super(`${origin}: ${why}`);
  }
}

const COUNTS = ['blobsCopied', 'blobsMounted', 'blobsSkipped', 'bytesCopied'] as const;
const TIMES = ['startedAt', 'finishedAt'] as const;

/** One record, or a JSON array of records (the gate's promoted-images output), checked field by field. */
export function parsePromotionRecords(text: string, origin: string): PromotionRecord[] {
  if (text.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new PromotionRecordError(origin, `not JSON${jsonFaultAt(err as Error)}; expected promote-image's record-file, or an array of them`);
  }
  const list = Array.isArray(value) ? value : [value];
  return list.map((item, i) => checkRecord(item, list.length > 1 || Array.isArray(value) ? `${origin}[${i}]` : origin));
}

/**
 * Where JSON.parse stopped, from its message, without the text it quotes: that is the file's
 * start, and a file that is not a record (a token, an environment) must not reach the log.
 */
function jsonFaultAt(err: Error): string {
  const at = /at position (\d+)/.exec(err.message);
  if (at) return ` (at position ${at[1]})`;
  return /end of JSON input/.test(err.message) ? ' (it ends early)' : '';
}

function checkRecord(item: unknown, origin: string): PromotionRecord {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new PromotionRecordError(origin, 'expected an object');
  const r = item as Record<string, unknown>;
  const fail = (field: string, expected: string) => {
    throw new PromotionRecordError(origin, `${field} is ${JSON.stringify(r[field])}; expected ${expected}`);
  };
  if (typeof r.staging !== 'string') return fail('staging', 'a staging repository (registry/namespace/name)');
  try {
    const ref = parseReference(r.staging);
    if (ref.tag || ref.digest) fail('staging', 'a repository without tag or digest');
  } catch (err) {
    if (err instanceof PromotionRecordError) throw err;
    fail('staging', 'a staging repository (registry/namespace/name)');
  }
  for (const field of ['stagedDigest', 'digest']) if (typeof r[field] !== 'string' || !DIGEST.test(r[field])) fail(field, 'a digest (sha256:<64 hex>)');
  for (const field of ['repositories', 'references'])
    if (!Array.isArray(r[field]) || r[field].length === 0 || r[field].some((x) => typeof x !== 'string')) fail(field, 'a non-empty array of image references');
  if (typeof r.platforms !== 'string') fail('platforms', 'a string');
  for (const field of COUNTS) if (!Number.isSafeInteger(r[field]) || (r[field] as number) < 0) fail(field, 'a count (an integer, 0 or more)');
  if (typeof r.dryRun !== 'boolean') fail('dryRun', 'true or false');
  for (const field of TIMES) if (typeof r[field] !== 'string' || Number.isNaN(Date.parse(r[field]))) fail(field, 'an ISO 8601 time');
  return {
    staging: r.staging,
    stagedDigest: r.stagedDigest as string,
    digest: r.digest as string,
    repositories: r.repositories as string[],
    references: r.references as string[],
    platforms: r.platforms as string,
    blobsCopied: r.blobsCopied as number,
    blobsMounted: r.blobsMounted as number,
    blobsSkipped: r.blobsSkipped as number,
    bytesCopied: r.bytesCopied as number,
    dryRun: r.dryRun as boolean,
    startedAt: r.startedAt as string,
    finishedAt: r.finishedAt as string,
  };
}

/**
 * Every promote leg's record, in one list ordered by staging repository: the stage gate's
 * promoted-images. Two records for one staged image (a re-run's leg uploaded it again)
 * must agree, or the run cannot say what production got.
 */
export function collectPromotionRecords(files: readonly { origin: string; text: string }[]): PromotionRecord[] {
  const byImage = new Map<string, PromotionRecord>();
  for (const file of files) {
    for (const record of parsePromotionRecords(file.text, file.origin)) {
      const key = `${record.staging}@${record.stagedDigest}`;
      const earlier = byImage.get(key);
      if (earlier && earlier.digest !== record.digest)
        throw new PromotionRecordError(file.origin, `${key} was promoted as ${earlier.digest} and as ${record.digest}`);
      byImage.set(key, record);
    }
  }
  return [...byImage.values()].sort((a, b) => a.staging.localeCompare(b.staging) || a.stagedDigest.localeCompare(b.stagedDigest));
}
