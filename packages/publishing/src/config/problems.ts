// A configuration problem carries everything a person needs to fix it without
// opening the schema: the file, where in it, which key, and what was expected.
import { DomainError } from '../errors.js';

export interface ConfigProblem {
  file: string;
  /** 1-based; 0 when the problem has no place in the file (it could not be read). */
  line: number;
  column: number;
  /** Key path in the file, e.g. `docker.images[1].name`; empty for the document itself. */
  keyPath: string;
  message: string;
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
  return p.keyPath ? `${where}: ${p.keyPath}: ${p.message}` : `${where}: ${p.message}`;
}

export class ConfigError extends DomainError {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    const n = problems.length;
    super(
      `${n === 1 ? 'a problem' : `${n} problems`} in ${problems[0]?.file ?? 'the configuration'}:\n` + problems.map((p) => `  ${formatProblem(p)}`).join('\n'),
    );
    this.problems = problems;
  }
}
