import type { Log } from '@ci-actions/publishing/log.js';

/** A Log that keeps every line, warnings and debug lines prefixed, for assertions. */
export function captureLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(m), warning: (m) => lines.push(`warning: ${m}`), debug: (m) => lines.push(`debug: ${m}`) };
}
