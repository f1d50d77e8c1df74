// The pumped GET (getInto in pumped-get.ts) through a proxy, loaded only when one is set
// (proxy-env.ts): undici's Dispatcher API over the proxy-aware pool (undici-pool.ts), where
// each 2xx body chunk
// is a view of what the socket read, handed to the sink as it comes, and when the sink holds
// more than a bound of unreleased bytes the connection pauses, so a slow destination holds
// the source back through TCP instead of filling memory. Any other answer comes back whole.
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici-7';
import { dispatcher } from './undici-pool.js';
import { requestError, undiciTimeout } from './request-error.js';
import type { BodySink, PumpedGet } from './pumped-get.js';
import { DEFAULT_IDLE_TIMEOUT_MS, type HttpResponse } from './transport.js';

/** Body bytes a sink may hold unreleased before the connection pauses: about 2 MB waits per copy. */
export const MAX_UNRELEASED_BYTES = 2 * 1024 * 1024;
/** A non-2xx body (redirect, error) is kept up to this size; the rest is read and dropped. */
const MAX_KEPT_BODY = 1024 * 1024;

/** getInto over the suite's undici pool. */
export function dispatchedGetInto(request: PumpedGet, sink: BodySink): Promise<HttpResponse> {
  const url = new URL(request.url);
  if (request.signal?.aborted) return Promise.reject(abortError(request.signal));
  const idleMs = request.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const handler = new PumpHandler(request, sink, resolve, (err) => reject(requestError('GET', request.url, undiciTimeout(err, idleMs))));
    dispatcher().dispatch(
      { origin: url.origin, path: `${url.pathname}${url.search}`, method: 'GET', headers: request.headers ?? {}, headersTimeout: idleMs, bodyTimeout: idleMs },
      handler,
    );
  });
}

class PumpHandler implements Dispatcher.DispatchHandler {
  private controller?: Dispatcher.DispatchController;
  private status = 0;
  private headers: IncomingHttpHeaders = {};
  private unreleased = 0;
  private readonly kept: Buffer[] = [];
  private keptBytes = 0;
  private settled = false;
  private readonly onAbort = () => this.controller?.abort(abortError(this.request.signal!));

  constructor(
    private readonly request: PumpedGet,
    private readonly sink: BodySink,
    private readonly resolve: (response: HttpResponse) => void,
    private readonly reject: (err: Error) => void,
  ) {
    request.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.request.signal?.aborted) this.onAbort();
  }

  onResponseStart(_controller: Dispatcher.DispatchController, status: number, headers: IncomingHttpHeaders): void {
    this.status = status;
    this.headers = headers;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    if (this.status >= 300) {
      this.keep(chunk);
      return;
    }
    this.unreleased += chunk.length;
    try {
      this.sink.write(chunk, this.releaser(chunk.length));
    } catch (err) {
      controller.abort(err as Error);
      return;
    }
    if (this.unreleased > MAX_UNRELEASED_BYTES && !controller.paused) controller.pause();
  }

  onResponseEnd(): void {
    this.settle();
    this.resolve({ status: this.status, headers: this.headers, url: this.request.url, body: Readable.from(this.kept) });
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.settle();
    this.reject(err);
  }

  private releaser(bytes: number): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.unreleased -= bytes;
      // Resumes at half the bound, so the connection does not flap between paused and reading.
      if (this.controller?.paused && this.unreleased <= MAX_UNRELEASED_BYTES / 2) this.controller.resume();
    };
  }

  private keep(chunk: Buffer): void {
    const room = MAX_KEPT_BODY - this.keptBytes;
    if (room <= 0) return;
    const kept = Buffer.from(chunk.subarray(0, room));
    this.kept.push(kept);
    this.keptBytes += kept.length;
  }

  private settle(): void {
    this.settled = true;
    this.request.signal?.removeEventListener('abort', this.onAbort);
  }
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : Object.assign(new Error('the request was aborted'), { name: 'AbortError' });
}
