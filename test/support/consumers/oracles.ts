// Each consumer's own judgement of a name, for property tests: npm's semver (the copy npm
// itself runs), Maven's ComparableVersion (maven-artifact, fetched by scripts/setup), and
// git check-ref-format. Maven and git answer through one long-lived process each, a line
// per question, so a property test with hundreds of cases starts one JVM, not hundreds.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '../paths.js';

/** The subset of semver that npm's checks use. */
export interface Semver {
  valid(version: string): string | null;
  validRange(range: string): string | null;
  compare(a: string, b: string): -1 | 0 | 1;
}

/** npm's own semver: the one `npm publish` and `npm dist-tag` check versions and tags with. */
export function npmSemver(): Semver {
  const npmRoot = execFileSync('npm', ['root', '--global'], { encoding: 'utf8' }).trim();
  return createRequire(import.meta.url)(path.join(npmRoot, 'npm', 'node_modules', 'semver')) as Semver;
}

/** Where scripts/setup puts Maven's maven-artifact jar (ComparableVersion). */
export const MAVEN_ARTIFACT_JAR = path.join(repoRoot, '.tools', 'maven-artifact', 'maven-artifact-3.9.9.jar');

/** A process that answers each line written to it with one line. */
class LineOracle {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  private stderr = '';

  constructor(command: string, args: string[]) {
    this.child = spawn(command, args, { stdio: 'pipe' });
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    createInterface({ input: this.child.stdout }).on('line', (line) => this.pending.shift()?.resolve(line));
    this.child.on('exit', (code) => {
      for (const { reject } of this.pending.splice(0)) reject(new Error(`${command} exited with ${code}: ${this.stderr}`));
    });
  }

  /** Asks one question; questions are answered in order. */
  ask(question: string, terminator = '\n'): Promise<string> {
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.child.stdin.write(question + terminator);
    });
  }

  close(): void {
    this.child.stdin.end();
  }
}

export class MavenOrder {
  private readonly oracle: LineOracle;

  constructor() {
    if (!existsSync(MAVEN_ARTIFACT_JAR)) throw new Error(`${MAVEN_ARTIFACT_JAR} is missing: run scripts/setup`);
    this.oracle = new LineOracle('java', ['-cp', MAVEN_ARTIFACT_JAR, path.join(repoRoot, 'test/support/consumers/MavenCompare.java')]);
  }

  /** The sign of Maven's comparison of `a` with `b`. */
  async compare(a: string, b: string): Promise<number> {
    return Number(await this.oracle.ask(`${a} ${b}`));
  }

  close(): void {
    this.oracle.close();
  }
}

export class GitRefFormat {
  // NUL-separated questions, since a name to judge may hold a newline.
  private readonly oracle = new LineOracle('bash', ['-c', 'while IFS= read -r -d "" ref; do git check-ref-format "$ref" && echo ok || echo refused; done']);

  /** Whether git check-ref-format accepts `ref`. */
  async accepts(ref: string): Promise<boolean> {
    return (await this.oracle.ask(ref, '\0')) === 'ok';
  }

  close(): void {
    this.oracle.close();
  }
}
