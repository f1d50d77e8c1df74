// Progress of a long transfer in the log: a line at most every `intervalMs`, so a
// person watching the step sees it move without the log drowning in lines.
import type { Log } from '../log.js';
import { formatBytes } from './format.js';

export class TransferProgress {
  private readonly perItem = new Map<string, number>();
  private done = 0;
  private lastReport = 0;
  private readonly started = Date.now();

  constructor(
    private readonly label: string,
    private readonly totalBytes: number,
    private readonly totalItems: number,
    private readonly log: Log,
    private readonly intervalMs = 5000,
  ) {}

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
    this.log.info(`${this.label}: ${formatBytes(bytes)} of ${formatBytes(this.totalBytes)} (${pct}%), ${this.done} of ${this.totalItems} blobs, ${formatBytes(bytes / seconds)}/s`);
  }
}
