// Progress of a long transfer in the log: a line at most every `intervalMs`, so a
// person watching the step sees it move without the log drowning in lines.
import type { Log } from '../log.js';
import { formatBytes } from './format.js';

export class TransferProgress {
  private readonly perItem = new Map<string, number>();
  private totalBytes = 0;
  private totalItems = 0;
  private done = 0;
  private readonly started = Date.now();
  /** The first line comes one interval in: a short copy logs only its summary. */
  private lastReport = this.started;

  constructor(
    private readonly label: string,
    private readonly log: Log,
    private readonly intervalMs = 5000,
  ) {}

  /** `items` more to move, `bytes` more to stream (none for a blob that is mounted). */
  expect(bytes: number, items = 1): void {
    this.totalBytes += bytes;
    this.totalItems += items;
  }

  /** Bytes of `item` moved so far in its current attempt (a retry starts it over). */
  update(item: string, bytes: number): void {
    this.perItem.set(item, bytes);
    const now = Date.now();
    if (now - this.lastReport >= this.intervalMs) {
      this.lastReport = now;
      this.report();
    }
  }

  finished(): void {
    this.done++;
  }

  get bytes(): number {
    let sum = 0;
    for (const b of this.perItem.values()) sum += b;
    return sum;
  }

  report(): void {
    const bytes = this.bytes;
    const seconds = Math.max(0.001, (Date.now() - this.started) / 1000);
    const pct = this.totalBytes > 0 ? Math.floor((bytes / this.totalBytes) * 100) : 100;
    this.log.info(
      `${this.label}: ${formatBytes(bytes)} of ${formatBytes(this.totalBytes)} (${pct}%), ${this.done} of ${this.totalItems} blobs, ${formatBytes(bytes / seconds)}/s`,
    );
  }
}
