// A GET whose body goes from the socket's read buffers straight to a sink. Node's HTTP
// client copies every body chunk it parses (node_http_parser's on_body) on top of the
// buffer each socket read allocates: streaming a 200 MB image that is 400 MB of
// short-lived memory, measured as a third of promote-image's CPU time and most of its peak
// memory. Here reads land in a few buffers per connection, reused once the sink releases
// them; when none is free the socket stops reading, so a slow destination holds the source
// back through TCP instead of filling memory. Connections are kept alive per origin, as
// node:http's agent does. It covers what blob downloads need: GET over HTTP/1.1 (plain on
// loopback, TLS elsewhere), any body framing, redirects and errors answered as `send` does.
import net from 'node:net';
import { Readable } from 'node:stream';
import type tls from 'node:tls';
import { bodyDecoder, headEnd, HttpProtocolError, MAX_HEAD_BYTES, parseResponseHead, type BodyDecoder, type ResponseHead } from './http1.js';
import { proxyConfigured } from './proxy-env.js';
import { rememberSession, sessionFor } from './tls-sessions.js';
import { idleTimeout, requestError } from './request-error.js';
import type { HttpResponse } from './transport.js';

export interface BodySink {
  /** Takes the next piece of a 2xx body; `release` gives its memory back once it has been used. Throwing aborts the GET. */
  write(piece: Buffer, release: () => void): void;
}

export interface PumpedGet {
  url: string;
  headers?: Record<string, string>;
  /** Abort when no byte moves for this long. */
  idleTimeoutMs?: number;
  /** The body's length when it is known ahead (a blob's size): reads are sized to it. */
  expectedBytes?: number;
  signal?: AbortSignal;
}

/** Large reads mean fewer system calls on both sockets (a cold copy measured 1.4 % faster than with 64 KB). */
export const READ_BUFFER_BYTES = 256 * 1024;
/**
 * Read buffers per connection, so at most about 1 MB of a body waits in the sink. With 8, the
 * loopback cold copy took as long and its peak memory was 4 to 8 MB more (small blobs now move
 * beside the large ones, each on a connection of its own).
 */
export const READ_BUFFERS = 4;
/** What a connection's read buffers hold at most, in full and lent: READ_BUFFERS full-size ones. */
const READ_BUFFERS_BYTES = READ_BUFFERS * READ_BUFFER_BYTES;
/**
 * Node's TLS hands each decrypted record on by itself, copied into the next read buffer: a
 * read over TLS never brings more than a record's 16 KB. Buffers of the full size each held
 * 16 KB there, and since TLS goes on handing over what it has already decrypted after reading
 * stops, a connection of the wide-area benchmark's 200 MB copy held some 30 of them (7.5 MB).
 */
const TLS_RECORD_BYTES = 16 * 1024;
/**
 * The read buffer of a connection between requests, and of a request's first read: enough for
 * a response head and a small body. Each open connection holds one (Node asks for the next
 * read's buffer as soon as a read is done), so a full-size one each cost the loopback cold copy
 * about 3 MB of its peak ArrayBuffers (2 MB of RSS), with its small blobs on connections of
 * their own and connections opened ahead.
 */
const IDLE_READ_BUFFER_BYTES = 16 * 1024;
/** Room for a response head and chunk framing beside a body of known length. */
const HEAD_ROOM_BYTES = 4 * 1024;
const IDLE_CONNECTIONS_PER_ORIGIN = 8;
/** Idle connections close before servers commonly drop them (nginx 75 s, load balancers 60 s). */
const IDLE_CLOSE_MS = 15_000;
/** A non-2xx body (redirect, error) is kept up to this size; the rest is read and dropped. */
const MAX_KEPT_BODY = 1024 * 1024;

const idleConnections = new Map<string, Connection[]>();

/**
 * GETs `url`. A 2xx body goes through `sink` piece by piece, and the promise resolves once
 * all of it has (the response's own body is then empty). Any other answer is small (a
 * redirect, an authentication challenge, an error) and comes back whole, as `send` returns it.
 */
export async function getInto(request: PumpedGet, sink: BodySink): Promise<HttpResponse> {
  const url = new URL(request.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`cannot GET ${url.protocol} URLs`);
  // This client speaks to no proxy: with one set, the GET goes by undici, which does.
  if (proxyConfigured(url.protocol)) return (await import('./dispatched-get.js')).dispatchedGetInto(request, sink);
  const head = requestHead(url, request.headers ?? {});
  if (request.signal?.aborted) throw abortError(request.signal);
  // TLS is loaded on first use, as in transport.ts.
  const secure = url.protocol === 'https:' ? (await import('node:tls')).default : undefined;
  for (;;) {
    const connection = takeIdle(url.origin) ?? new Connection(url, secure);
    try {
      return await connection.exchange(request, head, sink);
    } catch (err) {
      // A kept-alive connection the server had closed: nothing was received, so another is safe.
      if (err instanceof StaleConnectionError) continue;
      throw requestError('GET', request.url, err);
    }
  }
}

class StaleConnectionError extends Error {}

interface Exchange {
  url: string;
  sink: BodySink;
  resolve: (response: HttpResponse) => void;
  reject: (err: Error) => void;
  done: () => void;
  received: boolean;
  headBytes: Buffer;
  head?: ResponseHead;
  decoder?: BodyDecoder;
  kept: Buffer[];
  keptBytes: number;
}

class Connection {
  private readonly socket: net.Socket;
  private readonly origin: string;
  private readonly free: Buffer[] = [];
  /** The current request's read buffers (`allocated` of them, `free` and lent), of `bufferBytes` each. */
  private pooled = new WeakSet<Buffer>();
  private allocated = 0;
  private bufferBytes = READ_BUFFER_BYTES;
  /** How many of them it keeps: READ_BUFFERS_BYTES worth. */
  private maxBuffers = READ_BUFFERS;
  private readonly secure: boolean;
  /** Body pieces handed to sinks and not yet released. */
  private lent = 0;
  private paused = false;
  private current?: Exchange;
  /** Has served a response before, so the server may have closed it meanwhile. */
  private reused = false;
  private parkWhenReleased = false;
  private idleTimer?: NodeJS.Timeout;
  private idleTimeoutMs = 60_000;

  constructor(url: URL, secure: typeof tls | undefined) {
    this.origin = url.origin;
    this.secure = secure !== undefined;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const onread = { buffer: () => this.nextReadBuffer(), callback: (n: number, buffer: Uint8Array) => this.onRead(n, buffer as Buffer) };
    if (secure) {
      const port = Number(url.port) || 443;
      const session = sessionFor(host, port);
      const options = { host, port, onread, ALPNProtocols: ['http/1.1'], ...(net.isIP(host) ? {} : { servername: host }), ...(session ? { session } : {}) };
      const socket = secure.connect(options as tls.ConnectionOptions);
      rememberSession(socket, host, port);
      this.socket = socket;
    } else {
      this.socket = net.connect({ host, port: Number(url.port) || 80, onread });
    }
    this.socket.setNoDelay(true);
    this.socket.on('timeout', () => this.socket.destroy(idleTimeout(this.idleTimeoutMs)));
    this.socket.on('end', () => this.ended());
    this.socket.on('error', (err) => this.ended(err));
    this.socket.on('close', () => this.ended());
  }

  exchange(request: PumpedGet, head: string, sink: BodySink): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const signal = request.signal;
      const onAbort = () => this.fail(abortError(signal!));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.current = {
        url: request.url,
        sink,
        resolve,
        reject,
        done: () => signal?.removeEventListener('abort', onAbort),
        received: false,
        headBytes: Buffer.alloc(0),
        kept: [],
        keptBytes: 0,
      };
      this.bufferBytes = readBufferBytes(request.expectedBytes, this.secure);
      this.maxBuffers = Math.max(READ_BUFFERS, Math.floor(READ_BUFFERS_BYTES / this.bufferBytes));
      clearTimeout(this.idleTimer);
      this.socket.ref();
      this.idleTimeoutMs = request.idleTimeoutMs ?? 60_000;
      this.socket.setTimeout(this.idleTimeoutMs);
      this.socket.write(head);
    });
  }

  private nextReadBuffer(): Buffer {
    if (!this.current) return Buffer.allocUnsafeSlow(IDLE_READ_BUFFER_BYTES);
    const buffer = this.free.pop();
    if (buffer) return buffer;
    this.allocated++;
    const allocated = Buffer.allocUnsafeSlow(this.bufferBytes);
    this.pooled.add(allocated);
    return allocated;
  }

  /** Called for every read; returning false stops reading until buffers come back. */
  private onRead(n: number, buffer: Buffer): boolean {
    const exchange = this.current;
    if (!exchange) {
      // Bytes nobody asked for: the connection cannot be trusted with another request.
      this.fail(new HttpProtocolError(`${this.origin} sent data without a request`));
      return false;
    }
    // The buffer returns to the pool once every piece cut from it is released.
    let holders = 1;
    const drop = () => {
      if (--holders > 0 || !this.pooled.has(buffer)) return;
      // Reads that came in after reading stopped (over TLS) made more: those go.
      if (this.allocated > this.maxBuffers) {
        this.pooled.delete(buffer);
        this.allocated--;
      } else this.free.push(buffer);
    };
    const lend = () => {
      holders++;
      this.lent++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        this.lent--;
        drop();
        this.released();
      };
    };
    try {
      this.consume(exchange, buffer.subarray(0, n), lend);
    } catch (err) {
      this.fail(err as Error);
    }
    drop();
    // The buffer for the next read is taken right after this returns: stop while one is left.
    if (this.allocated >= this.maxBuffers && this.free.length <= 1) {
      this.paused = true;
      return false;
    }
    return true;
  }

  private consume(exchange: Exchange, data: Buffer, lend: () => () => void): void {
    exchange.received = true;
    let body = data;
    while (!exchange.head) {
      // The head is copied: the read buffer is reused.
      exchange.headBytes = Buffer.concat([exchange.headBytes, body]);
      const end = headEnd(exchange.headBytes);
      if (end < 0) {
        if (exchange.headBytes.length > MAX_HEAD_BYTES) throw new HttpProtocolError(`${this.origin} sent a response head over ${MAX_HEAD_BYTES} bytes`);
        return;
      }
      const head = parseResponseHead(exchange.headBytes.toString('latin1', 0, end - 4), 'GET');
      body = exchange.headBytes.subarray(end);
      if (head.status >= 200) {
        exchange.head = head;
        exchange.decoder = bodyDecoder(head.framing);
      } else exchange.headBytes = Buffer.alloc(0); // 1xx: informational, the real answer follows
    }
    const success = exchange.head.status < 300;
    const used = exchange.decoder!.feed(body, (piece) => {
      if (success) exchange.sink.write(piece, lend());
      else this.keep(exchange, piece);
    });
    if (exchange.decoder!.complete) this.finish(exchange, used === body.length);
  }

  private keep(exchange: Exchange, piece: Buffer): void {
    const room = MAX_KEPT_BODY - exchange.keptBytes;
    if (room <= 0) return;
    const kept = Buffer.from(piece.subarray(0, room));
    exchange.kept.push(kept);
    exchange.keptBytes += kept.length;
  }

  private finish(exchange: Exchange, nothingAfter: boolean): void {
    const head = exchange.head!;
    this.current = undefined;
    exchange.done();
    exchange.resolve({ status: head.status, headers: head.headers, url: exchange.url, body: Readable.from(exchange.kept) });
    // Between requests the connection does not hold the process open, parked or not.
    this.socket.setTimeout(0);
    this.socket.unref();
    if (head.keepAlive && nothingAfter) {
      this.parkWhenReleased = true;
      this.released();
    } else this.close();
  }

  private released(): void {
    if (this.paused && this.free.length >= 2) {
      this.paused = false;
      this.socket.resume();
    }
    if (this.parkWhenReleased && this.lent === 0) {
      this.parkWhenReleased = false;
      this.park();
    }
  }

  /** A new connection straight into the idle pool, for a GET to come; it holds nothing open. */
  openIdle(): void {
    this.socket.unref();
    this.park();
  }

  /** Into the idle pool, for the next GET to the same origin. */
  private park(): void {
    if (this.socket.destroyed) return;
    const idle = idleConnections.get(this.origin) ?? [];
    if (idle.length >= IDLE_CONNECTIONS_PER_ORIGIN) {
      this.close();
      return;
    }
    this.reused = true;
    // An idle connection holds no read buffers but a small one: the next GET on it allocates what it needs.
    this.free.length = 0;
    this.allocated = 0;
    this.pooled = new WeakSet();
    this.idleTimer = setTimeout(() => this.close(), IDLE_CLOSE_MS).unref();
    idle.push(this);
    idleConnections.set(this.origin, idle);
  }

  /** Still connected; `exchange` stops its idle timer. */
  get open(): boolean {
    return !this.socket.destroyed;
  }

  private ended(err?: Error): void {
    this.unpark();
    const exchange = this.current;
    if (!exchange) return;
    if (!err && exchange.decoder && !exchange.decoder.complete) {
      // The server closed: the end of a close-delimited body, or one cut short.
      try {
        exchange.decoder.end();
        this.finish(exchange, true);
        return;
      } catch (cut) {
        err = cut as Error;
      }
    }
    if (!exchange.received && this.reused) this.fail(new StaleConnectionError(`${this.origin} closed an idle connection`));
    else this.fail(err ?? Object.assign(new Error(`${this.origin} closed the connection before answering`), { code: 'ECONNRESET' }));
  }

  private fail(err: Error): void {
    const exchange = this.current;
    this.current = undefined;
    if (exchange) {
      exchange.done();
      exchange.reject(err);
    }
    this.close();
  }

  private close(): void {
    this.unpark();
    clearTimeout(this.idleTimer);
    // Not from inside a read callback: Node finishes its bookkeeping on the handle first.
    process.nextTick(() => this.socket.destroy());
  }

  private unpark(): void {
    const idle = idleConnections.get(this.origin);
    const at = idle?.indexOf(this) ?? -1;
    if (at >= 0) idle!.splice(at, 1);
  }
}

/** Opens connections to `url`'s origin for blob reads to come, up to `count` idle ones. */
export function openIdleConnections(url: URL, count: number, secure: typeof tls | undefined): void {
  const wanted = Math.min(count, IDLE_CONNECTIONS_PER_ORIGIN) - (idleConnections.get(url.origin)?.length ?? 0);
  for (let i = 0; i < wanted; i++) new Connection(url, secure).openIdle();
}

/**
 * Buffers as large as the body and its head need, between the idle size and the full one;
 * over TLS, a record's size.
 */
export function readBufferBytes(expectedBytes: number | undefined, secure = false): number {
  if (secure) return TLS_RECORD_BYTES;
  if (expectedBytes === undefined) return READ_BUFFER_BYTES;
  return Math.min(READ_BUFFER_BYTES, Math.max(IDLE_READ_BUFFER_BYTES, expectedBytes + HEAD_ROOM_BYTES));
}

function takeIdle(origin: string): Connection | undefined {
  const idle = idleConnections.get(origin);
  for (let connection = idle?.pop(); connection; connection = idle?.pop()) {
    if (connection.open) return connection;
  }
  return undefined;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function requestHead(url: URL, headers: Record<string, string>): string {
  const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`];
  for (const [name, value] of Object.entries(headers)) {
    // Values come from registries (tokens, redirects): no line breaks may smuggle in a header.
    if (!HEADER_NAME.test(name) || /[\r\n\0]/.test(value)) throw new TypeError(`invalid request header ${JSON.stringify(name)}`);
    lines.push(`${name}: ${value}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : Object.assign(new Error('the request was aborted'), { name: 'AbortError' });
}
