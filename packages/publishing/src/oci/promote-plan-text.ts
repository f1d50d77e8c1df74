// A promotion plan for people: one entry per blob, manifest and tag with its action, and
// the totals; as log lines (the step log, dry-run or not) and as job summary rows.
import { formatBytes, shortDigest } from '../util/format.js';
import { planTotals, type PromotionPlan } from './promote-plan.js';

export interface PlanEntry {
  /** What is carried out before what: each destination's content, then the image's tags; the totals. */
  stage: 'content' | 'tags' | 'total';
  /** registry/repository, or '' for the totals. */
  destination: string;
  item: string;
  action: string;
}

export function planEntries(plan: PromotionPlan): PlanEntry[] {
  const entries: PlanEntry[] = [];
  for (const dest of plan.destinations) {
    const destination = `${dest.registry}/${dest.repository}`;
    const add = (item: string, action: string) => entries.push({ stage: 'content', destination, item, action });
    for (const m of dest.present) add(`manifest ${shortDigest(m.manifest.digest)} (${m.what})`, 'already there, with everything it lists');
    for (const b of dest.blobs) {
      const action = b.action === 'skip' ? 'already there' : b.action === 'mount' ? `mount from ${b.from}` : 'copy';
      add(`blob ${shortDigest(b.digest)} (${formatBytes(b.size)})`, action);
    }
    for (const m of dest.manifestLevels.flat()) add(`manifest ${shortDigest(m.manifest.digest)} (${m.what})`, m.action === 'push' ? 'push' : 'already there');
    for (const r of dest.referrerIndexes) {
      const action =
        r.action === 'indexed'
          ? 'none: the registry lists referrers itself (referrers API)'
          : r.action === 'push'
            ? `tag ${r.tag}, listing ${r.listed}`
            : r.action === 'unless-indexed'
              ? `tag ${r.tag}, listing ${r.listed}, unless the registry lists referrers itself (referrers API)`
              : `already there, listing all ${r.listed}`;
      add(`referrers of ${shortDigest(r.subject)}`, action);
    }
    for (const t of dest.cosignTags) {
      const action =
        t.action === 'push'
          ? 'tag'
          : t.action === 'skip'
            ? 'already there'
            : `left as it is: it holds other contents (${shortDigest(t.current ?? '')}), signed there too`;
      add(`tag ${t.tag} -> ${shortDigest(t.manifest.digest)}`, action);
    }
  }
  for (const t of plan.tags) {
    const action = t.action === 'skip' ? 'already there' : t.previous ? `tag (was ${shortDigest(t.previous)})` : 'tag (new)';
    entries.push({ stage: 'tags', destination: `${t.registry}/${t.repository}`, item: `tag ${t.tag} -> ${shortDigest(plan.root.digest)}`, action });
  }
  const n = planTotals(plan);
  entries.push({
    stage: 'total',
    destination: '',
    item: 'total',
    action:
      `blobs: ${n.blobsToCopy} to copy (${formatBytes(n.bytesToCopy)}), ${n.blobsToMount} to mount, ${n.blobsPresent} already there; ` +
      `manifests: ${n.manifestsToPush} to push, ${n.manifestsPresent} already there; tags: ${n.tagsToSet} to set, ${n.tagsUnchanged} already there`,
  });
  return entries;
}

/** The plan as log lines: a heading per destination, then the tags', an indented line per entry, the totals last. */
export function formatPlan(plan: PromotionPlan): string[] {
  const lines = [`plan: ${plan.source} (${shortDigest(plan.sourceDigest)}) promoted as ${plan.root.digest}, ${plan.platforms}`];
  let heading = '';
  for (const entry of planEntries(plan)) {
    if (entry.stage === 'total') {
      lines.push(`${entry.item}: ${entry.action}`);
      continue;
    }
    const next = entry.stage === 'tags' ? 'tags, set last:' : `${entry.destination}:`;
    if (next !== heading) lines.push((heading = next));
    lines.push(`  ${entry.stage === 'tags' ? `${entry.destination} ` : ''}${entry.item}: ${entry.action}`);
  }
  return lines;
}
