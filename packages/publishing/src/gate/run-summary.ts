// The stage gate's one summary of a run, built from what its jobs report (the `needs` context
// of its last job): for each staged image, where it went in production and what cleanup did
// with its staging copy and why; the client versions published; each stage's result and
// duration. Pure: test/unit/run-summary.test.ts gives it table by table; the workflow only
// feeds it toJSON(needs) and prints it (load-config, run-report: true).
import { formatReference, parseReference } from '../oci/reference.js';
import { formatBytes, shortDigest } from '../util/format.js';
import { parsePromotionRecords, type PromotionRecord } from './promotion-record.js';

/** One job as the `needs` context has it. */
export interface JobState {
  result: string;
  outputs?: Record<string, string>;
}

/** The stage gate's jobs by id, as toJSON(needs) gives them; a job absent from it did not run before the summary. */
export type GateJobs = Partial<Record<GateJob, JobState>>;
export const GATE_JOBS = ['prepare', 'tag', 'promote', 'promotions', 'publish-clients', 'attest', 'cleanup'] as const;
export type GateJob = (typeof GATE_JOBS)[number];

export interface ImageOutcome {
  /** The staging repository. */
  staging: string;
  /** The staged digest, or the reference as staged when it named no digest. */
  staged: string;
  /** Production references written (or, in a dry run, that would be), and the digest behind them. */
  production: string[];
  productionDigest: string;
  /** Promoted in a dry run: production was not written. */
  dryRun: boolean;
  bytesMoved: number;
  blobsCopied: number;
  /** What cleanup did with the staging copy: deleted, would delete, kept. */
  cleanup: string;
  cleanupReason: string;
}

export interface StageOutcome {
  job: GateJob;
  result: string;
  /** Seconds from the stage's first action to its last; null when the stage reported no times. */
  seconds: number | null;
}

export interface RunSummary {
  version: string;
  publish: boolean;
  publishReason: string;
  /** Shadow mode: promote, publish and cleanup ran as dry runs. */
  dryRun: boolean;
  images: ImageOutcome[];
  clients: { published: string[]; skipped: string[]; wouldPublish: string[] };
  cleanup: { strategy: string; reason: string; deleted: number; kept: number };
  stages: StageOutcome[];
}

interface KeptEntry {
  package: string;
  digest: string;
  reason: string;
}

export function summarizeRun(jobs: GateJobs, dryRun: boolean): RunSummary {
  const out = (job: GateJob, name: string) => jobs[job]?.outputs?.[name] ?? '';
  const lines = (text: string) =>
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  const promotions = parsePromotionRecords(out('promotions', 'promoted-images'), 'needs.promotions.outputs.promoted-images');
  const cleanupResult = jobs.cleanup?.result ?? 'skipped';
  const deleted = new Set(lines(out('cleanup', 'deleted')));
  const kept = parseKept(out('cleanup', 'kept'));
  const cleanupDryRun = out('cleanup', 'dry-run') === 'true';

  const images = lines(out('prepare', 'staged-refs')).map((text): ImageOutcome => {
    const { staging, digest } = stagedImage(text);
    const promotion = promotions.find((p) => p.staging === staging && (digest === undefined || p.stagedDigest === digest));
    const stagedDigest = digest ?? promotion?.stagedDigest;
    const keptEntry = stagedDigest ? kept.find((k) => k.digest === stagedDigest) : undefined;
    const [action, why] =
      cleanupResult !== 'success'
        ? ['kept', `cleanup ${cleanupResult === 'skipped' ? 'did not run' : cleanupResult}`]
        : stagedDigest && deleted.has(stagedDigest)
          ? [cleanupDryRun ? 'would delete' : 'deleted', out('cleanup', 'reason')]
          : keptEntry
            ? ['kept', keptEntry.reason]
            : ['kept', out('cleanup', 'reason')];
    return {
      staging,
      staged: stagedDigest ?? text,
      production: promotion?.references ?? [],
      productionDigest: promotion?.digest ?? '',
      dryRun: promotion?.dryRun ?? false,
      bytesMoved: promotion?.bytesCopied ?? 0,
      blobsCopied: promotion?.blobsCopied ?? 0,
      cleanup: action,
      cleanupReason: why,
    };
  });

  return {
    version: out('prepare', 'version'),
    publish: out('prepare', 'publish') === 'true',
    publishReason: out('prepare', 'publish-reason'),
    dryRun,
    images,
    clients: {
      published: [...lines(out('publish-clients', 'npm-published')), ...lines(out('publish-clients', 'maven-published'))],
      skipped: [...lines(out('publish-clients', 'npm-skipped')), ...lines(out('publish-clients', 'maven-skipped'))],
      wouldPublish: lines(out('publish-clients', 'would-publish')),
    },
    cleanup: { strategy: out('cleanup', 'strategy'), reason: out('cleanup', 'reason'), deleted: deleted.size, kept: kept.length },
    stages: GATE_JOBS.filter((job) => jobs[job] !== undefined).map((job) => ({
      job,
      result: jobs[job]!.result,
      seconds: job === 'promote' ? promotionSeconds(promotions) : seconds(out(job, 'started-at'), out(job, 'finished-at')),
    })),
  };
}

/** The summary as job summary tables: heading, header and rows of each. */
export function runSummaryTables(summary: RunSummary): { heading: string; header: string[]; rows: string[][] }[] {
  const mode = summary.dryRun ? 'shadow mode (dry run): nothing was written' : summary.publish ? 'published' : 'not published';
  return [
    {
      heading: `Stage gate ${summary.version || '(no version)'}: ${mode}`,
      header: ['decision'],
      rows: [[summary.publishReason || 'the gate made no decision (prepare did not finish)']],
    },
    {
      heading: 'Images',
      header: ['staged', 'production', 'moved', 'staging copy'],
      rows: summary.images.map((i) => [
        `${i.staging}@${shortDigest(i.staged)}`,
        i.production.length > 0 ? `${i.production.join(', ')} (${i.dryRun ? 'would be ' : ''}${shortDigest(i.productionDigest)})` : 'not promoted',
        i.production.length > 0 ? `${formatBytes(i.bytesMoved)} in ${i.blobsCopied} blob(s)` : '',
        `${i.cleanup}: ${i.cleanupReason}`,
      ]),
    },
    {
      heading: 'Client libraries',
      header: ['version', 'result'],
      rows: [
        ...summary.clients.published.map((c) => [c, 'published']),
        ...summary.clients.skipped.map((c) => [c, 'already published']),
        ...summary.clients.wouldPublish.map((c) => [c, 'would be published (dry run)']),
      ],
    },
    {
      heading: 'Stages',
      header: ['stage', 'result', 'duration'],
      rows: summary.stages.map((s) => [s.job, s.result, s.seconds === null ? '' : `${s.seconds.toFixed(1)} s`]),
    },
  ];
}

function stagedImage(text: string): { staging: string; digest?: string } {
  const ref = parseReference(text);
  return { staging: formatReference({ registry: ref.registry, repository: ref.repository }), ...(ref.digest ? { digest: ref.digest } : {}) };
}

function parseKept(text: string): KeptEntry[] {
  if (text.trim() === '') return [];
  const value = JSON.parse(text) as unknown;
  if (!Array.isArray(value)) throw new Error(`needs.cleanup.outputs.kept is not a JSON array: ${text.slice(0, 80)}`);
  return value as KeptEntry[];
}

function seconds(start: string, end: string): number | null {
  const ms = Date.parse(end) - Date.parse(start);
  return Number.isNaN(ms) ? null : ms / 1000;
}

/** The promote matrix's span: its first leg's start to its last leg's end. */
function promotionSeconds(promotions: PromotionRecord[]): number | null {
  if (promotions.length === 0) return null;
  const starts = promotions.map((p) => Date.parse(p.startedAt));
  const ends = promotions.map((p) => Date.parse(p.finishedAt));
  return (Math.max(...ends) - Math.min(...starts)) / 1000;
}
