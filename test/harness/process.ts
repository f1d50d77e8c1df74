// Long-running service processes for integration tests (docker-registry, ...).
//
// Why this is more than `spawn`:
// - a service that cannot start must make the test FAIL with its own output in the
//   message, so stdout/stderr are captured into a bounded buffer;
// - a crashed or SIGKILLed test runner must not leave registries listening on ports,
//   so every service runs in its own process group watched by a tiny `sh` watchdog
//   whose stdin is a pipe from us: when this Node process dies for any reason the
//   pipe closes, `read` returns, and the watchdog kills the whole group. An
//   `exit` hook alone would not cover SIGKILL or Jest tearing down workers.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { httpRequest } from './http.js';

export interface ServiceOptions {
  /** Name used in error messages, e.g. "registry staging". */
  name: string;
  /** Binary name (looked up on PATH) or path. */
  command: string;
  args: string[];
  /** Appended to the "not found on PATH" error, e.g. "install the Debian package docker-registry". */
  installHint?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Resolves true once the service answers; polled until readyTimeoutMs. */
  ready?: () => Promise<boolean>;
  readyTimeoutMs?: number;
  /** Time between SIGTERM and SIGKILL on stop(). */
  stopGraceMs?: number;
  /** Output kept for error messages (oldest bytes are dropped past this). */
  maxOutputBytes?: number;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const live = new Set<ServiceProcess>();
let exitHookInstalled = false;

/** Absolute path of an executable, or undefined. */
export function findExecutable(command: string): string | undefined {
  const candidates = command.includes('/')
    ? [command]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, command));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/** Like findExecutable, but throws the error a developer needs to fix their machine. */
export function requireExecutable(command: string, installHint?: string): string {
  const found = findExecutable(command);
  if (found === undefined) {
    throw new Error(`${command} not found on PATH${installHint ? `: ${installHint}` : ''}`);
  }
  return found;
}

export class ServiceProcess {
  readonly name: string;
  readonly pid: number;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ExitStatus>;
  private exitStatus: ExitStatus | undefined;
  private chunks: Buffer[] = [];
  private bufferedBytes = 0;
  private droppedBytes = 0;
  private stopping: Promise<void> | undefined;

  private constructor(
    child: ChildProcess,
    private readonly watchdog: ChildProcess,
    private readonly options: ServiceOptions,
  ) {
    this.name = options.name;
    this.pid = child.pid as number;
    const capture = (chunk: Buffer): void => this.capture(chunk);
    child.stdout?.on('data', capture);
    child.stderr?.on('data', capture);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitStatus = { code, signal };
        live.delete(this);
        this.disarmWatchdog();
        resolve(this.exitStatus);
      });
    });
  }

  /** Spawns the service and waits until `ready` says yes; throws with the service output otherwise. */
  static async start(options: ServiceOptions): Promise<ServiceProcess> {
    const executable = requireExecutable(options.command, options.installHint);
    const child = spawn(executable, options.args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group, so stop() and the watchdog reach any grandchildren too.
      detached: true,
    });
    const spawned = await new Promise<Error | undefined>((resolve) => {
      child.once('spawn', () => resolve(undefined));
      child.once('error', (err) => resolve(err));
    });
    if (spawned !== undefined || child.pid === undefined) {
      throw new Error(`${options.name}: could not spawn ${executable}: ${spawned?.message ?? 'no pid'}`);
    }
    const service = new ServiceProcess(child, startWatchdog(child.pid), options);
    live.add(service);
    installExitHook();
    if (options.ready) {
      try {
        await service.waitUntilReady(options.ready, options.readyTimeoutMs ?? 15_000);
      } catch (err) {
        await service.stop();
        throw err;
      }
    }
    return service;
  }

  get running(): boolean {
    return this.exitStatus === undefined;
  }

  /** Captured stdout+stderr (interleaved, possibly truncated at the front). */
  output(): string {
    const text = Buffer.concat(this.chunks).toString('utf8');
    return this.droppedBytes > 0 ? `[... ${this.droppedBytes} bytes dropped ...]\n${text}` : text;
  }

  /** Last `maxChars` characters of output, for error messages. */
  outputTail(maxChars = 4000): string {
    const text = this.output();
    return text.length > maxChars ? `...${text.slice(-maxChars)}` : text;
  }

  /** SIGTERM the process group, SIGKILL after the grace period. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    if (!this.running) return;
    signalGroup(this.pid, 'SIGTERM');
    const grace = this.options.stopGraceMs ?? 5_000;
    const exitedInTime = await Promise.race([this.exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), grace).unref())]);
    if (!exitedInTime) signalGroup(this.pid, 'SIGKILL');
    await this.exited;
  }

  private async waitUntilReady(ready: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      if (!this.running) {
        throw new Error(`${this.name} exited before it was ready (${describeExit(this.exitStatus)}). Output:\n${this.outputTail()}`);
      }
      try {
        if (await ready()) return;
        lastError = undefined;
      } catch (err) {
        lastError = err;
      }
      if (Date.now() > deadline) {
        const why = lastError instanceof Error ? ` Last probe error: ${lastError.message}.` : '';
        throw new Error(`${this.name} was not ready after ${timeoutMs} ms.${why} Output:\n${this.outputTail()}`);
      }
      await sleep(50);
    }
  }

  private capture(chunk: Buffer): void {
    const max = this.options.maxOutputBytes ?? 1024 * 1024;
    this.chunks.push(chunk);
    this.bufferedBytes += chunk.length;
    while (this.bufferedBytes > max && this.chunks.length > 1) {
      const dropped = this.chunks.shift() as Buffer;
      this.bufferedBytes -= dropped.length;
      this.droppedBytes += dropped.length;
    }
  }

  private disarmWatchdog(): void {
    if (this.watchdog.exitCode === null && this.watchdog.signalCode === null) this.watchdog.kill('SIGKILL');
  }

  /** Used by the exit hook: synchronous, last resort. */
  killNow(): void {
    signalGroup(this.pid, 'SIGKILL');
    this.disarmWatchdog();
  }
}

/** A readiness probe: GET url and hand status + headers to `accept`. */
export function httpProbe(url: string, accept: (status: number, headers: Record<string, string | string[] | undefined>) => boolean): () => Promise<boolean> {
  return async () => {
    const res = await httpRequest(url, { timeoutMs: 2_000 });
    return accept(res.status, res.headers);
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function startWatchdog(pgid: number): ChildProcess {
  // `read` returns only at EOF on its stdin, i.e. when our end of the pipe closes
  // because this process exited. kill -9 -PGID then takes down the service group.
  const watchdog = spawn('sh', ['-c', 'read -r _; kill -9 -"$1" 2>/dev/null', 'ci-actions-watchdog', String(pgid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  // Neither the watchdog nor its pipe may keep the test runner's event loop alive.
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  watchdog.on('error', () => undefined);
  return watchdog;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Belt and braces next to the watchdog: on an orderly exit kill synchronously.
  process.on('exit', () => {
    for (const service of live) service.killNow();
  });
}

function describeExit(status: ExitStatus | undefined): string {
  if (status === undefined) return 'still running';
  return status.signal ? `signal ${status.signal}` : `exit code ${status.code}`;
}
