import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
import * as __WEBPACK_EXTERNAL_MODULE__http_client_left_out_js_cae0a8ec__ from "./http-client-left-out.js";
import * as __WEBPACK_EXTERNAL_MODULE__exec_left_out_js_ac5b518e__ from "./exec-left-out.js";
/******/ var __webpack_modules__ = ({

/***/ 7972:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   J: () => (/* binding */ DomainError)
/* harmony export */ });
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(754);
// The one error model. The core throws a DomainError for every failure it anticipates: a
// registry refusing credentials, a file that is not there, a deployment Central rejected. Its
// message says what failed, in the terms of the thing that failed; its subject, when the fix
// is in something the user gave, says what that was (which registry's credentials, which
// path), never under which action input it came, since only the action knows that: each
// action's inputs.ts maps subjects to its inputs. Any other error is a bug in the suite.

/**
 * A failure the suite anticipated, described for the person who runs it. The message is
 * redacted of every registered secret; `subject` is set when the fix is in what the user gave.
 */
class DomainError extends Error {
    subject;
    constructor(message, options = {}) {
        super((0,_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(message), options.cause === undefined ? undefined : { cause: options.cause });
        this.name = new.target.name;
        this.subject = options.subject;
    }
}


/***/ }),

/***/ 8714:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $: () => (/* binding */ proxyConfigured)
/* harmony export */ });
// Whether a request goes by the proxy-aware path: only when the environment names a proxy
// for its scheme. Without one, every request keeps the suite's own transport (node:http and
// the pumped GET), and undici, which honours the proxy variables, is never loaded: loaded
// for every request it cost promote-image a quarter of its cold-copy speed, half its warm
// re-run's and twice its memory (bench/README.md).
/**
 * Whether a proxy is set for `protocol` ('http:' or 'https:'), as undici's EnvHttpProxyAgent
 * chooses one: lower-case names first, HTTPS falling back to HTTP_PROXY. NO_PROXY is left to
 * undici, which applies it per request.
 */
function proxyConfigured(protocol, env = process.env) {
    const http = env.http_proxy ?? env.HTTP_PROXY;
    // An empty HTTPS proxy falls back to the HTTP one, as undici's does.
    return Boolean(http) || (protocol === 'https:' && Boolean(env.https_proxy ?? env.HTTPS_PROXY));
}


/***/ }),

/***/ 7643:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  $F: () => (/* binding */ getInto),
  yA: () => (/* binding */ openIdleConnections)
});

// UNUSED EXPORTS: READ_BUFFERS, READ_BUFFER_BYTES, readBufferBytes

// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __nccwpck_require__(7030);
var external_node_net_default = /*#__PURE__*/__nccwpck_require__.n(external_node_net_);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __nccwpck_require__(7075);
// EXTERNAL MODULE: ./packages/publishing/src/errors.ts
var errors = __nccwpck_require__(7972);
;// CONCATENATED MODULE: ./packages/publishing/src/http/http1.ts

/** A response this client cannot read as HTTP/1.1: a failure of the server, described, not a bug of the suite. */
class HttpProtocolError extends errors/* DomainError */.J {
}
/** A head larger than this is refused (Node's own limit is 16 KB). */
const MAX_HEAD_BYTES = 64 * 1024;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Offset just past the blank line that ends the head, or -1 while more bytes are needed. */
function headEnd(bytes) {
    const at = bytes.indexOf('\r\n\r\n');
    return at < 0 ? -1 : at + 4;
}
/** Parses a response head (without its closing blank line) to a request of `method`. */
function parseResponseHead(head, method) {
    const lines = head.split('\r\n');
    const statusLine = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/.exec(lines[0] ?? '');
    if (!statusLine)
        throw new HttpProtocolError(`malformed status line ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`);
    const minor = Number(statusLine[1]);
    const status = Number(statusLine[2]);
    const headers = {};
    for (const line of lines.slice(1)) {
        if (line === '')
            continue;
        const colon = line.indexOf(':');
        const name = line.slice(0, Math.max(colon, 0)).toLowerCase();
        // A line starting with white space continues the previous one (obsolete folding): refused, as RFC 9112 allows.
        // A bare CR or LF would end the line for another parser (a header smuggled past this
        // one), and NUL is never valid in a field (RFC 9110 section 5.5).
        if (colon <= 0 || !TOKEN.test(name) || /[\r\n\0]/.test(line))
            throw new HttpProtocolError(`malformed header line ${JSON.stringify(line.slice(0, 80))}`);
        addHeader(headers, name, line.slice(colon + 1).trim());
    }
    const framing = bodyFraming(status, method, headers);
    const connection = tokens(headers.connection);
    const keepAlive = framing.kind !== 'close' && (minor === 1 ? !connection.includes('close') : connection.includes('keep-alive'));
    return { status, headers, framing, keepAlive };
}
function addHeader(headers, name, value) {
    const existing = headers[name];
    if (name === 'set-cookie')
        headers[name] = [...(existing ?? []), value];
    else
        headers[name] = existing === undefined ? value : `${String(existing)}, ${value}`;
}
function tokens(value) {
    return String(value ?? '')
        .split(',')
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean);
}
function bodyFraming(status, method, headers) {
    if (method === 'HEAD' || (status >= 100 && status < 200) || status === 204 || status === 304)
        return { kind: 'length', length: 0 };
    const codings = tokens(headers['transfer-encoding']);
    if (codings.length > 0)
        return codings.at(-1) === 'chunked' ? { kind: 'chunked' } : { kind: 'close' };
    if (headers['content-length'] === undefined)
        return { kind: 'close' };
    // Repeated fields arrive joined; they must agree (RFC 9112 section 6.3).
    const lengths = new Set(tokens(headers['content-length']));
    const [only] = lengths;
    if (lengths.size !== 1 || !/^\d+$/.test(only) || !Number.isSafeInteger(Number(only))) {
        throw new HttpProtocolError(`invalid Content-Length ${JSON.stringify(headers['content-length'])}`);
    }
    return { kind: 'length', length: Number(only) };
}
function bodyDecoder(framing) {
    if (framing.kind === 'length')
        return new LengthDecoder(framing.length);
    if (framing.kind === 'chunked')
        return new ChunkedDecoder();
    return new CloseDelimitedDecoder();
}
class LengthDecoder {
    remaining;
    constructor(remaining) {
        this.remaining = remaining;
    }
    get complete() {
        return this.remaining === 0;
    }
    feed(bytes, piece) {
        const taken = Math.min(bytes.length, this.remaining);
        if (taken > 0) {
            this.remaining -= taken;
            piece(bytes.subarray(0, taken));
        }
        return taken;
    }
    end() {
        if (this.remaining > 0)
            throw truncated(`${this.remaining} byte(s) of the body missing`);
    }
}
class CloseDelimitedDecoder {
    complete = false;
    feed(bytes, piece) {
        if (bytes.length > 0)
            piece(bytes);
        return bytes.length;
    }
    end() {
        this.complete = true;
    }
}
/** Chunk size lines and trailer lines longer than this are refused. */
const MAX_LINE = 4096;
class ChunkedDecoder {
    state = 'size';
    line = '';
    remaining = 0;
    get complete() {
        return this.state === 'done';
    }
    feed(bytes, piece) {
        let at = 0;
        while (at < bytes.length && this.state !== 'done') {
            if (this.state === 'data') {
                const taken = Math.min(bytes.length - at, this.remaining);
                piece(bytes.subarray(at, at + taken));
                at += taken;
                this.remaining -= taken;
                if (this.remaining === 0)
                    this.state = 'data-end';
                continue;
            }
            // Line-oriented states: the size line, the CRLF after the data, the trailers.
            const newline = bytes.indexOf(0x0a, at);
            const end = newline < 0 ? bytes.length : newline + 1;
            this.line += bytes.toString('latin1', at, end);
            at = end;
            if (this.line.length > MAX_LINE)
                throw new HttpProtocolError('chunked body: line too long');
            if (newline < 0)
                continue;
            if (!this.line.endsWith('\r\n'))
                throw new HttpProtocolError('chunked body: a line does not end with CRLF');
            const text = this.line.slice(0, -2);
            this.line = '';
            this.onLine(text);
        }
        return at;
    }
    onLine(text) {
        if (this.state === 'data-end') {
            if (text !== '')
                throw new HttpProtocolError('chunked body: chunk data longer than its size');
            this.state = 'size';
        }
        else if (this.state === 'size') {
            const size = /^([0-9A-Fa-f]{1,12})[ \t]*(?:;.*)?$/.exec(text);
            if (!size)
                throw new HttpProtocolError(`chunked body: malformed chunk size ${JSON.stringify(text.slice(0, 40))}`);
            this.remaining = parseInt(size[1], 16);
            this.state = this.remaining === 0 ? 'trailers' : 'data';
        }
        else if (text === '') {
            this.state = 'done';
        }
    }
    end() {
        if (this.state !== 'done')
            throw truncated('the chunked body has no last chunk');
    }
}
/** A body cut short by the connection: the same code as a reset, so it is retried. */
function truncated(what) {
    return Object.assign(new Error(`connection closed before the response was complete: ${what}`), { code: 'ECONNRESET' });
}

// EXTERNAL MODULE: ./packages/publishing/src/http/proxy-env.ts
var proxy_env = __nccwpck_require__(8714);
// EXTERNAL MODULE: ./packages/publishing/src/http/tls-sessions.ts
var tls_sessions = __nccwpck_require__(7771);
// EXTERNAL MODULE: ./packages/publishing/src/http/request-error.ts
var request_error = __nccwpck_require__(5510);
;// CONCATENATED MODULE: ./packages/publishing/src/http/pumped-get.ts
// A GET whose body goes from the socket's read buffers straight to a sink. Node's HTTP
// client copies every body chunk it parses (node_http_parser's on_body) on top of the
// buffer each socket read allocates: streaming a 200 MB image that is 400 MB of
// short-lived memory, measured as a third of promote-image's CPU time and most of its peak
// memory. Here reads land in a few buffers per connection, reused once the sink releases
// them; when none is free the socket stops reading, so a slow destination holds the source
// back through TCP instead of filling memory. Connections are kept alive per origin, as
// node:http's agent does. It covers what blob downloads need: GET over HTTP/1.1 (plain on
// loopback, TLS elsewhere), any body framing, redirects and errors answered as `send` does.






/** Large reads mean fewer system calls on both sockets (a cold copy measured 1.4 % faster than with 64 KB). */
const READ_BUFFER_BYTES = 256 * 1024;
/**
 * Read buffers per connection, so at most about 1 MB of a body waits in the sink. With 8, the
 * loopback cold copy took as long and its peak memory was 4 to 8 MB more (small blobs now move
 * beside the large ones, each on a connection of its own).
 */
const READ_BUFFERS = 4;
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
const idleConnections = new Map();
/**
 * GETs `url`. A 2xx body goes through `sink` piece by piece, and the promise resolves once
 * all of it has (the response's own body is then empty). Any other answer is small (a
 * redirect, an authentication challenge, an error) and comes back whole, as `send` returns it.
 */
async function getInto(request, sink) {
    const url = new URL(request.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw new TypeError(`cannot GET ${url.protocol} URLs`);
    // This client speaks to no proxy: with one set, the GET goes by undici, which does.
    if ((0,proxy_env/* proxyConfigured */.$)(url.protocol))
        return (await Promise.all(/* import() */[__nccwpck_require__.e(280), __nccwpck_require__.e(940)]).then(__nccwpck_require__.bind(__nccwpck_require__, 2940))).dispatchedGetInto(request, sink);
    const head = requestHead(url, request.headers ?? {});
    if (request.signal?.aborted)
        throw abortError(request.signal);
    // TLS is loaded on first use, as in transport.ts.
    const secure = url.protocol === 'https:' ? (await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 1692, 23))).default : undefined;
    for (;;) {
        const connection = takeIdle(url.origin) ?? new Connection(url, secure);
        try {
            return await connection.exchange(request, head, sink);
        }
        catch (err) {
            // A kept-alive connection the server had closed: nothing was received, so another is safe.
            if (err instanceof StaleConnectionError)
                continue;
            throw (0,request_error/* requestError */.Un)('GET', request.url, err);
        }
    }
}
class StaleConnectionError extends Error {
}
class Connection {
    socket;
    origin;
    free = [];
    /** The current request's read buffers (`allocated` of them, `free` and lent), of `bufferBytes` each. */
    pooled = new WeakSet();
    allocated = 0;
    bufferBytes = READ_BUFFER_BYTES;
    /** How many of them it keeps: READ_BUFFERS_BYTES worth. */
    maxBuffers = READ_BUFFERS;
    secure;
    /** Body pieces handed to sinks and not yet released. */
    lent = 0;
    paused = false;
    current;
    /** Has served a response before, so the server may have closed it meanwhile. */
    reused = false;
    parkWhenReleased = false;
    idleTimer;
    idleTimeoutMs = 60_000;
    constructor(url, secure) {
        this.origin = url.origin;
        this.secure = secure !== undefined;
        const host = url.hostname.replace(/^\[|\]$/g, '');
        const onread = { buffer: () => this.nextReadBuffer(), callback: (n, buffer) => this.onRead(n, buffer) };
        if (secure) {
            const port = Number(url.port) || 443;
            const session = (0,tls_sessions/* sessionFor */.w)(host, port);
            const options = { host, port, onread, ALPNProtocols: ['http/1.1'], ...(external_node_net_default().isIP(host) ? {} : { servername: host }), ...(session ? { session } : {}) };
            const socket = secure.connect(options);
            (0,tls_sessions/* rememberSession */._)(socket, host, port);
            this.socket = socket;
        }
        else {
            this.socket = external_node_net_default().connect({ host, port: Number(url.port) || 80, onread });
        }
        this.socket.setNoDelay(true);
        this.socket.on('timeout', () => this.socket.destroy((0,request_error/* idleTimeout */.QG)(this.idleTimeoutMs)));
        this.socket.on('end', () => this.ended());
        this.socket.on('error', (err) => this.ended(err));
        this.socket.on('close', () => this.ended());
    }
    exchange(request, head, sink) {
        return new Promise((resolve, reject) => {
            const signal = request.signal;
            const onAbort = () => this.fail(abortError(signal));
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
    nextReadBuffer() {
        if (!this.current)
            return Buffer.allocUnsafeSlow(IDLE_READ_BUFFER_BYTES);
        const buffer = this.free.pop();
        if (buffer)
            return buffer;
        this.allocated++;
        const allocated = Buffer.allocUnsafeSlow(this.bufferBytes);
        this.pooled.add(allocated);
        return allocated;
    }
    /** Called for every read; returning false stops reading until buffers come back. */
    onRead(n, buffer) {
        const exchange = this.current;
        if (!exchange) {
            // Bytes nobody asked for: the connection cannot be trusted with another request.
            this.fail(new HttpProtocolError(`${this.origin} sent data without a request`));
            return false;
        }
        // The buffer returns to the pool once every piece cut from it is released.
        let holders = 1;
        const drop = () => {
            if (--holders > 0 || !this.pooled.has(buffer))
                return;
            // Reads that came in after reading stopped (over TLS) made more: those go.
            if (this.allocated > this.maxBuffers) {
                this.pooled.delete(buffer);
                this.allocated--;
            }
            else
                this.free.push(buffer);
        };
        const lend = () => {
            holders++;
            this.lent++;
            let released = false;
            return () => {
                if (released)
                    return;
                released = true;
                this.lent--;
                drop();
                this.released();
            };
        };
        try {
            this.consume(exchange, buffer.subarray(0, n), lend);
        }
        catch (err) {
            this.fail(err);
        }
        drop();
        // The buffer for the next read is taken right after this returns: stop while one is left.
        if (this.allocated >= this.maxBuffers && this.free.length <= 1) {
            this.paused = true;
            return false;
        }
        return true;
    }
    consume(exchange, data, lend) {
        exchange.received = true;
        let body = data;
        while (!exchange.head) {
            // The head is copied: the read buffer is reused.
            exchange.headBytes = Buffer.concat([exchange.headBytes, body]);
            const end = headEnd(exchange.headBytes);
            if (end < 0) {
                if (exchange.headBytes.length > MAX_HEAD_BYTES)
                    throw new HttpProtocolError(`${this.origin} sent a response head over ${MAX_HEAD_BYTES} bytes`);
                return;
            }
            const head = parseResponseHead(exchange.headBytes.toString('latin1', 0, end - 4), 'GET');
            body = exchange.headBytes.subarray(end);
            if (head.status >= 200) {
                exchange.head = head;
                exchange.decoder = bodyDecoder(head.framing);
            }
            else
                exchange.headBytes = Buffer.alloc(0); // 1xx: informational, the real answer follows
        }
        const success = exchange.head.status < 300;
        const used = exchange.decoder.feed(body, (piece) => {
            if (success)
                exchange.sink.write(piece, lend());
            else
                this.keep(exchange, piece);
        });
        if (exchange.decoder.complete)
            this.finish(exchange, used === body.length);
    }
    keep(exchange, piece) {
        const room = MAX_KEPT_BODY - exchange.keptBytes;
        if (room <= 0)
            return;
        const kept = Buffer.from(piece.subarray(0, room));
        exchange.kept.push(kept);
        exchange.keptBytes += kept.length;
    }
    finish(exchange, nothingAfter) {
        const head = exchange.head;
        this.current = undefined;
        exchange.done();
        exchange.resolve({ status: head.status, headers: head.headers, url: exchange.url, body: external_node_stream_.Readable.from(exchange.kept) });
        // Between requests the connection does not hold the process open, parked or not.
        this.socket.setTimeout(0);
        this.socket.unref();
        if (head.keepAlive && nothingAfter) {
            this.parkWhenReleased = true;
            this.released();
        }
        else
            this.close();
    }
    released() {
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
    openIdle() {
        this.socket.unref();
        this.park();
    }
    /** Into the idle pool, for the next GET to the same origin. */
    park() {
        if (this.socket.destroyed)
            return;
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
    get open() {
        return !this.socket.destroyed;
    }
    ended(err) {
        this.unpark();
        const exchange = this.current;
        if (!exchange)
            return;
        if (!err && exchange.decoder && !exchange.decoder.complete) {
            // The server closed: the end of a close-delimited body, or one cut short.
            try {
                exchange.decoder.end();
                this.finish(exchange, true);
                return;
            }
            catch (cut) {
                err = cut;
            }
        }
        if (!exchange.received && this.reused)
            this.fail(new StaleConnectionError(`${this.origin} closed an idle connection`));
        else
            this.fail(err ?? Object.assign(new Error(`${this.origin} closed the connection before answering`), { code: 'ECONNRESET' }));
    }
    fail(err) {
        const exchange = this.current;
        this.current = undefined;
        if (exchange) {
            exchange.done();
            exchange.reject(err);
        }
        this.close();
    }
    close() {
        this.unpark();
        clearTimeout(this.idleTimer);
        // Not from inside a read callback: Node finishes its bookkeeping on the handle first.
        process.nextTick(() => this.socket.destroy());
    }
    unpark() {
        const idle = idleConnections.get(this.origin);
        const at = idle?.indexOf(this) ?? -1;
        if (at >= 0)
            idle.splice(at, 1);
    }
}
/** Opens connections to `url`'s origin for blob reads to come, up to `count` idle ones. */
function openIdleConnections(url, count, secure) {
    const wanted = Math.min(count, IDLE_CONNECTIONS_PER_ORIGIN) - (idleConnections.get(url.origin)?.length ?? 0);
    for (let i = 0; i < wanted; i++)
        new Connection(url, secure).openIdle();
}
/**
 * Buffers as large as the body and its head need, between the idle size and the full one;
 * over TLS, a record's size.
 */
function readBufferBytes(expectedBytes, secure = false) {
    if (secure)
        return TLS_RECORD_BYTES;
    if (expectedBytes === undefined)
        return READ_BUFFER_BYTES;
    return Math.min(READ_BUFFER_BYTES, Math.max(IDLE_READ_BUFFER_BYTES, expectedBytes + HEAD_ROOM_BYTES));
}
function takeIdle(origin) {
    const idle = idleConnections.get(origin);
    for (let connection = idle?.pop(); connection; connection = idle?.pop()) {
        if (connection.open)
            return connection;
    }
    return undefined;
}
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
function requestHead(url, headers) {
    const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`];
    for (const [name, value] of Object.entries(headers)) {
        // Values come from registries (tokens, redirects): no line breaks may smuggle in a header.
        if (!HEADER_NAME.test(name) || /[\r\n\0]/.test(value))
            throw new TypeError(`invalid request header ${JSON.stringify(name)}`);
        lines.push(`${name}: ${value}`);
    }
    return `${lines.join('\r\n')}\r\n\r\n`;
}
function abortError(signal) {
    return signal.reason instanceof Error ? signal.reason : Object.assign(new Error('the request was aborted'), { name: 'AbortError' });
}


/***/ }),

/***/ 5510:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Ng: () => (/* binding */ describeRequest),
/* harmony export */   QG: () => (/* binding */ idleTimeout),
/* harmony export */   Un: () => (/* binding */ requestError),
/* harmony export */   qS: () => (/* binding */ undiciTimeout)
/* harmony export */ });
/* unused harmony export RequestError */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7972);

// How a request that got no answer is reported, by every client: the request named (a bare
// `connect ECONNREFUSED 127.0.0.1:46172` says neither what nor where), and the system
// error's code kept, by which retries recognise a dropped connection.
/** A request as errors name it: method, origin and path; never the query or userinfo, which may carry secrets. */
function describeRequest(method, url) {
    const { origin, pathname } = new URL(url);
    return `${method} ${origin}${pathname}`;
}
/**
 * A request that got no answer (refused, reset, timed out): names the request, which a bare
 * `connect ECONNREFUSED 127.0.0.1:46172` does not, and keeps the system error's code, by
 * which retries recognise a dropped connection.
 */
class RequestError extends _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DomainError */ .J {
    request;
    code;
    constructor(request, cause) {
        super(`${request}: ${cause.message}`, { cause });
        this.request = request;
        this.code = cause.code;
    }
}
/** `err` naming its request when it is a connection failure not named yet; anything else as it is. */
function requestError(method, url, err) {
    const code = err?.code;
    if (err instanceof RequestError || typeof code !== 'string')
        return err;
    return new RequestError(describeRequest(method, url), err);
}
/** No byte moved for too long: a timeout, retried as a dropped connection is. */
function idleTimeout(ms) {
    return Object.assign(new Error(`no data for ${ms / 1000}s`), { code: 'ETIMEDOUT' });
}
/** undici's header and body timeouts are the idle timeout of this layer, reported as such. */
function undiciTimeout(err, idleMs) {
    const code = err?.code;
    return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' ? idleTimeout(idleMs) : err;
}


/***/ }),

/***/ 7771:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   _: () => (/* binding */ rememberSession),
/* harmony export */   w: () => (/* binding */ sessionFor)
/* harmony export */ });
const sessions = new Map();
const key = (host, port) => `${host}:${port}`;
/** Keeps the newest session `socket` is given (TLS 1.3 sends its tickets after the handshake). */
function rememberSession(socket, host, port) {
    socket.on('session', (session) => sessions.set(key(host, port), session));
}
/** A session to resume with host:port, if a connection to it has been given one. */
function sessionFor(host, port) {
    return sessions.get(key(host, port));
}


/***/ }),

/***/ 1445:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   C9: () => (/* binding */ DEFAULT_IDLE_TIMEOUT_MS),
/* harmony export */   LL: () => (/* binding */ discardBody),
/* harmony export */   pc: () => (/* binding */ baseUrl),
/* harmony export */   qP: () => (/* binding */ openConnections),
/* harmony export */   tN: () => (/* binding */ send),
/* harmony export */   x8: () => (/* binding */ readBody)
/* harmony export */ });
/* unused harmony export isLoopbackHost */
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(7030);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_net__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _proxy_env_js__WEBPACK_IMPORTED_MODULE_5__ = __nccwpck_require__(8714);
/* harmony import */ var _pumped_get_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(7643);
/* harmony import */ var _tls_sessions_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(7771);
/* harmony import */ var _request_error_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(5510);
// HTTP over node:http/https with keep-alive, streaming bodies both ways; through undici
// (undici-pool.ts) when a proxy variable is set. Registries on
// loopback are spoken to over plain HTTP (as Docker, crane and skopeo do), other hosts
// only over HTTPS unless listed as insecure.






const httpAgent = new (node_http__WEBPACK_IMPORTED_MODULE_0___default().Agent)({ keepAlive: true, maxSockets: 32 });
// TLS is loaded on first use: it is a tenth of an action's start-up, and loopback needs none.
let httpsClient;
const loadHttps = () => (httpsClient ??= Promise.all([Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 4708, 23)), Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 1692, 23))]).then(([{ default: https }, { default: tls }]) => ({
    https,
    agent: withSpareConnections(https, tls),
})));
function withSpareConnections(https, tls) {
    const spares = new Map();
    /** Spares whose TLS handshake is done. */
    const ready = new WeakSet();
    const key = (host, port) => `${host}:${port}`;
    let caStoreLoaded = false;
    class SpareConnectionAgent extends https.Agent {
        createConnection(options, callback) {
            const socket = takeSpare(spares.get(key(String(options.host), Number(options.port))), ready);
            if (socket) {
                socket.ref();
                return socket;
            }
            if (!caStoreLoaded && callback) {
                this.connectWhileLoadingCaStore(options, callback);
                return undefined;
            }
            return this.tlsConnection(options);
        }
        tlsConnection(options) {
            const socket = super.createConnection(options);
            (0,_tls_sessions_js__WEBPACK_IMPORTED_MODULE_3__/* .rememberSession */ ._)(socket, String(options.host), Number(options.port));
            return socket;
        }
        /**
         * The run's first TLS connection loads the CA store (about 20 ms here, more with many
         * extra CAs), and tls.connect does that before the TCP connection even starts. Here the TCP
         * handshake goes first, and the store loads while it is on the wire: over a wide-area link
         * the load costs the first request nothing. Handed to the agent through its callback.
         */
        connectWhileLoadingCaStore(options, callback) {
            const host = String(options.host);
            const tcp = node_net__WEBPACK_IMPORTED_MODULE_1___default().connect({ host, port: Number(options.port) });
            let handed = false;
            const fail = (err) => {
                if (handed)
                    return;
                handed = true;
                tcp.destroy();
                callback(err, tcp);
            };
            tcp.once('error', fail);
            const handshake = () => setImmediate(() => {
                if (handed)
                    return;
                // Loads and caches the store: every context made after this one shares it.
                if (!caStoreLoaded)
                    tls.createSecureContext();
                caStoreLoaded = true;
                handed = true;
                tcp.removeListener('error', fail);
                callback(null, this.tlsConnection({ ...options, socket: tcp }));
            });
            // The connect system call follows the name lookup at once: load the store right after it.
            if ((0,node_net__WEBPACK_IMPORTED_MODULE_1__.isIP)(host))
                handshake();
            else
                tcp.once('lookup', (err) => (err ? fail(err) : handshake()));
        }
        openSpares(host, port, count) {
            const list = spares.get(key(host, port)) ?? [];
            spares.set(key(host, port), list);
            for (let i = list.filter((s) => !s.destroyed).length; i < count; i++) {
                const session = (0,_tls_sessions_js__WEBPACK_IMPORTED_MODULE_3__/* .sessionFor */ .w)(host, port);
                const socket = super.createConnection({
                    host,
                    port,
                    ...((0,node_net__WEBPACK_IMPORTED_MODULE_1__.isIP)(host) ? {} : { servername: host }),
                    ...(session ? { session } : {}),
                });
                (0,_tls_sessions_js__WEBPACK_IMPORTED_MODULE_3__/* .rememberSession */ ._)(socket, host, port);
                socket.once('secureConnect', () => ready.add(socket));
                // A spare never used must not hold the process open, nor fail it.
                socket.unref();
                socket.on('error', () => socket.destroy());
                list.push(socket);
            }
        }
    }
    return new SpareConnectionAgent({ keepAlive: true, maxSockets: 32 });
}
/**
 * The spare a request should take: one whose handshake is done, else the one opened first.
 * Spares open in bursts (the first round's at the ping, a copy's once resolving finds it
 * needed), and a burst's newest is the furthest from ready: taking it made a request wait two
 * round trips for its handshake beside a spare that was ready.
 */
function takeSpare(list, ready) {
    if (!list)
        return undefined;
    for (let i = list.length - 1; i >= 0; i--)
        if (list[i].destroyed)
            list.splice(i, 1);
    if (list.length === 0)
        return undefined;
    const at = list.findIndex((socket) => ready.has(socket));
    return list.splice(at >= 0 ? at : 0, 1)[0];
}
/**
 * Opens connections to `origin` ahead of a burst, so that none of its requests waits for a
 * handshake. Only over TLS: a TCP connection to loopback or a plain-HTTP host costs next to
 * nothing. Nothing when a proxy is set.
 */
async function openConnections(origin, counts) {
    const url = new URL(origin);
    if (url.protocol !== 'https:' || (0,_proxy_env_js__WEBPACK_IMPORTED_MODULE_5__/* .proxyConfigured */ .$)(url.protocol))
        return;
    const port = Number(url.port) || 443;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (counts.requests > 0)
        (await loadHttps()).agent.openSpares(host, port, counts.requests);
    if (counts.blobReads > 0)
        (0,_pumped_get_js__WEBPACK_IMPORTED_MODULE_2__/* .openIdleConnections */ .yA)(url, counts.blobReads, (await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 1692, 23))).default);
}
const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
function isLoopbackHost(host) {
    const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    return name === 'localhost' || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name);
}
function baseUrl(host, insecureHosts = []) {
    return `${isLoopbackHost(host) || insecureHosts.includes(host) ? 'http' : 'https'}://${host}`;
}
async function send(request) {
    const url = new URL(request.url);
    // undici, which honours HTTP(S)_PROXY and NO_PROXY, is loaded only when a proxy is set.
    if ((0,_proxy_env_js__WEBPACK_IMPORTED_MODULE_5__/* .proxyConfigured */ .$)(url.protocol))
        return (await Promise.all(/* import() */[__nccwpck_require__.e(280), __nccwpck_require__.e(141)]).then(__nccwpck_require__.bind(__nccwpck_require__, 4141))).sendThroughPool(request);
    const { request: open, agent } = url.protocol === 'https:' ? await loadHttps().then((c) => ({ request: c.https.request, agent: c.agent })) : { request: (node_http__WEBPACK_IMPORTED_MODULE_0___default().request), agent: httpAgent };
    return new Promise((resolve, reject) => {
        const req = open(url, { method: request.method, headers: request.headers, agent }, (res) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res, url: request.url }));
        req.setTimeout(request.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, () => req.destroy((0,_request_error_js__WEBPACK_IMPORTED_MODULE_4__/* .idleTimeout */ .QG)(request.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS)));
        req.on('error', (err) => reject((0,_request_error_js__WEBPACK_IMPORTED_MODULE_4__/* .requestError */ .Un)(request.method, request.url, err)));
        const body = request.body;
        if (body === undefined)
            req.end();
        else if (Buffer.isBuffer(body))
            req.end(body);
        else
            body(req);
    });
}
async function readBody(res, limit = 16 * 1024 * 1024) {
    const chunks = [];
    let size = 0;
    for await (const chunk of res.body) {
        size += chunk.length;
        if (size > limit) {
            res.body.destroy();
            throw new Error(`response from ${res.url} is larger than ${limit} bytes`);
        }
        chunks.push(chunk);
    }
    return Buffer.concat(chunks);
}
/** Reads and drops a body so the keep-alive socket can be reused. */
async function discardBody(res) {
    res.body.resume();
    await new Promise((resolve) => {
        if (res.body.readableEnded)
            resolve();
        else
            res.body
                .once('end', resolve)
                .once('error', () => resolve())
                .once('close', resolve);
    });
}


/***/ }),

/***/ 754:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Ck: () => (/* binding */ addSecret),
/* harmony export */   E$: () => (/* binding */ redact),
/* harmony export */   _8: () => (/* binding */ addBasicCredentials),
/* harmony export */   hT: () => (/* binding */ setSecretMask)
/* harmony export */ });
// Every credential the suite handles is registered here once. Registration masks it in
// the Actions log (the action installs core.setSecret as the mask) and every error
// message that leaves the core is passed through redact(), so a secret never shows even
// if a registry or token server echoes it back.
const known = new Set();
let mask = () => { };
function setSecretMask(fn) {
    mask = fn;
    for (const s of known)
        fn(s);
}
function addSecret(value) {
    if (!value || known.has(value))
        return;
    known.add(value);
    mask(value);
}
/** Basic auth puts base64(user:password) on the wire; servers may echo it back. */
function addBasicCredentials(username, password) {
    addSecret(password);
    addSecret(Buffer.from(`${username}:${password}`).toString('base64'));
}
function redact(text) {
    let out = text;
    // Longest first, so a secret containing another is replaced whole.
    for (const s of [...known].sort((a, b) => b.length - a.length))
        out = out.split(s).join('***');
    return out;
}


/***/ }),

/***/ 181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 4589:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:assert");

/***/ }),

/***/ 6698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");

/***/ }),

/***/ 1421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 7540:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:console");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 3053:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:diagnostics_channel");

/***/ }),

/***/ 610:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns");

/***/ }),

/***/ 8474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 1455:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 4708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");

/***/ }),

/***/ 7030:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 6760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:perf_hooks");

/***/ }),

/***/ 1792:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:querystring");

/***/ }),

/***/ 99:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:sqlite");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 7997:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:timers");

/***/ }),

/***/ 1692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 3136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 3429:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util/types");

/***/ }),

/***/ 5919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 932:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("process");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		id: moduleId,
/******/ 		loaded: false,
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Flag the module as loaded
/******/ 	module.loaded = true;
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/node module decorator */
/******/ (() => {
/******/ 	__nccwpck_require__.nmd = (module) => {
/******/ 		module.paths = [];
/******/ 		if (!module.children) module.children = [];
/******/ 		return module;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "os"
const external_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/utils.js
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Sanitizes an input into a string so it can be passed into issueCommand safely
 * @param input input to sanitize into a string
 */
function utils_toCommandValue(input) {
    if (input === null || input === undefined) {
        return '';
    }
    else if (typeof input === 'string' || input instanceof String) {
        return input;
    }
    return JSON.stringify(input);
}
/**
 *
 * @param annotationProperties
 * @returns The command properties to send with the actual annotation command
 * See IssueCommandProperties: https://github.com/actions/runner/blob/main/src/Runner.Worker/ActionCommandManager.cs#L646
 */
function utils_toCommandProperties(annotationProperties) {
    if (!Object.keys(annotationProperties).length) {
        return {};
    }
    return {
        title: annotationProperties.title,
        file: annotationProperties.file,
        line: annotationProperties.startLine,
        endLine: annotationProperties.endLine,
        col: annotationProperties.startColumn,
        endColumn: annotationProperties.endColumn
    };
}
//# sourceMappingURL=utils.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/command.js


/**
 * Issues a command to the GitHub Actions runner
 *
 * @param command - The command name to issue
 * @param properties - Additional properties for the command (key-value pairs)
 * @param message - The message to include with the command
 * @remarks
 * This function outputs a specially formatted string to stdout that the Actions
 * runner interprets as a command. These commands can control workflow behavior,
 * set outputs, create annotations, mask values, and more.
 *
 * Command Format:
 *   ::name key=value,key=value::message
 *
 * @example
 * ```typescript
 * // Issue a warning annotation
 * issueCommand('warning', {}, 'This is a warning message');
 * // Output: ::warning::This is a warning message
 *
 * // Set an environment variable
 * issueCommand('set-env', { name: 'MY_VAR' }, 'some value');
 * // Output: ::set-env name=MY_VAR::some value
 *
 * // Add a secret mask
 * issueCommand('add-mask', {}, 'secretValue123');
 * // Output: ::add-mask::secretValue123
 * ```
 *
 * @internal
 * This is an internal utility function that powers the public API functions
 * such as setSecret, warning, error, and exportVariable.
 */
function command_issueCommand(command, properties, message) {
    const cmd = new Command(command, properties, message);
    process.stdout.write(cmd.toString() + external_os_namespaceObject.EOL);
}
function command_issue(name, message = '') {
    command_issueCommand(name, {}, message);
}
const CMD_STRING = '::';
class Command {
    constructor(command, properties, message) {
        if (!command) {
            command = 'missing.command';
        }
        this.command = command;
        this.properties = properties;
        this.message = message;
    }
    toString() {
        let cmdStr = CMD_STRING + this.command;
        if (this.properties && Object.keys(this.properties).length > 0) {
            cmdStr += ' ';
            let first = true;
            for (const key in this.properties) {
                if (this.properties.hasOwnProperty(key)) {
                    const val = this.properties[key];
                    if (val) {
                        if (first) {
                            first = false;
                        }
                        else {
                            cmdStr += ',';
                        }
                        cmdStr += `${key}=${escapeProperty(val)}`;
                    }
                }
            }
        }
        cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
        return cmdStr;
    }
}
function escapeData(s) {
    return utils_toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return utils_toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A')
        .replace(/:/g, '%3A')
        .replace(/,/g, '%2C');
}
//# sourceMappingURL=command.js.map
;// CONCATENATED MODULE: external "crypto"
const external_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");
;// CONCATENATED MODULE: external "fs"
const external_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/file-command.js
// For internal use, subject to change.
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */




function file_command_issueFileCommand(command, message) {
    const filePath = process.env[`GITHUB_${command}`];
    if (!filePath) {
        throw new Error(`Unable to find environment variable for file command ${command}`);
    }
    if (!external_fs_namespaceObject.existsSync(filePath)) {
        throw new Error(`Missing file at path: ${filePath}`);
    }
    external_fs_namespaceObject.appendFileSync(filePath, `${utils_toCommandValue(message)}${external_os_namespaceObject.EOL}`, {
        encoding: 'utf8'
    });
}
function file_command_prepareKeyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${external_crypto_namespaceObject.randomUUID()}`;
    const convertedValue = utils_toCommandValue(value);
    // These should realistically never happen, but just in case someone finds a
    // way to exploit uuid generation let's not allow keys or values that contain
    // the delimiter.
    if (key.includes(delimiter)) {
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    }
    if (convertedValue.includes(delimiter)) {
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    }
    return `${key}<<${delimiter}${external_os_namespaceObject.EOL}${convertedValue}${external_os_namespaceObject.EOL}${delimiter}`;
}
//# sourceMappingURL=file-command.js.map
;// CONCATENATED MODULE: external "path"
const external_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");
;// CONCATENATED MODULE: external "./http-client-left-out.js"
var x = (y) => {
	var x = {}; __nccwpck_require__.d(x, y); return x
} 
var y = (x) => (() => (x))
const external_http_client_left_out_js_namespaceObject = x({  });
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/oidc-utils.js
var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};



class oidc_utils_OidcClient {
    static createHttpClient(allowRetry = true, maxRetry = 10) {
        const requestOptions = {
            allowRetries: allowRetry,
            maxRetries: maxRetry
        };
        return new HttpClient('actions/oidc-client', [new BearerCredentialHandler(oidc_utils_OidcClient.getRequestToken())], requestOptions);
    }
    static getRequestToken() {
        const token = process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
        if (!token) {
            throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_TOKEN env variable');
        }
        return token;
    }
    static getIDTokenUrl() {
        const runtimeUrl = process.env['ACTIONS_ID_TOKEN_REQUEST_URL'];
        if (!runtimeUrl) {
            throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable');
        }
        return runtimeUrl;
    }
    static getCall(id_token_url) {
        return __awaiter(this, void 0, void 0, function* () {
            var _a;
            const httpclient = oidc_utils_OidcClient.createHttpClient();
            const res = yield httpclient
                .getJson(id_token_url)
                .catch(error => {
                throw new Error(`Failed to get ID Token. \n 
        Error Code : ${error.statusCode}\n 
        Error Message: ${error.message}`);
            });
            const id_token = (_a = res.result) === null || _a === void 0 ? void 0 : _a.value;
            if (!id_token) {
                throw new Error('Response json body do not have ID Token field');
            }
            return id_token;
        });
    }
    static getIDToken(audience) {
        return __awaiter(this, void 0, void 0, function* () {
            try {
                // New ID Token is requested from action service
                let id_token_url = oidc_utils_OidcClient.getIDTokenUrl();
                if (audience) {
                    const encodedAudience = encodeURIComponent(audience);
                    id_token_url = `${id_token_url}&audience=${encodedAudience}`;
                }
                debug(`ID token url is ${id_token_url}`);
                const id_token = yield oidc_utils_OidcClient.getCall(id_token_url);
                setSecret(id_token);
                return id_token;
            }
            catch (error) {
                throw new Error(`Error message: ${error.message}`);
            }
        });
    }
}
//# sourceMappingURL=oidc-utils.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/summary.js
var summary_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const { access, appendFile, writeFile } = external_fs_namespaceObject.promises;
const SUMMARY_ENV_VAR = 'GITHUB_STEP_SUMMARY';
const SUMMARY_DOCS_URL = 'https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-job-summary';
class Summary {
    constructor() {
        this._buffer = '';
    }
    /**
     * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
     * Also checks r/w permissions.
     *
     * @returns step summary file path
     */
    filePath() {
        return summary_awaiter(this, void 0, void 0, function* () {
            if (this._filePath) {
                return this._filePath;
            }
            const pathFromEnv = process.env[SUMMARY_ENV_VAR];
            if (!pathFromEnv) {
                throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
            }
            try {
                yield access(pathFromEnv, external_fs_namespaceObject.constants.R_OK | external_fs_namespaceObject.constants.W_OK);
            }
            catch (_a) {
                throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
            }
            this._filePath = pathFromEnv;
            return this._filePath;
        });
    }
    /**
     * Wraps content in an HTML tag, adding any HTML attributes
     *
     * @param {string} tag HTML tag to wrap
     * @param {string | null} content content within the tag
     * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
     *
     * @returns {string} content wrapped in HTML element
     */
    wrap(tag, content, attrs = {}) {
        const htmlAttrs = Object.entries(attrs)
            .map(([key, value]) => ` ${key}="${value}"`)
            .join('');
        if (!content) {
            return `<${tag}${htmlAttrs}>`;
        }
        return `<${tag}${htmlAttrs}>${content}</${tag}>`;
    }
    /**
     * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
     *
     * @param {SummaryWriteOptions} [options] (optional) options for write operation
     *
     * @returns {Promise<Summary>} summary instance
     */
    write(options) {
        return summary_awaiter(this, void 0, void 0, function* () {
            const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
            const filePath = yield this.filePath();
            const writeFunc = overwrite ? writeFile : appendFile;
            yield writeFunc(filePath, this._buffer, { encoding: 'utf8' });
            return this.emptyBuffer();
        });
    }
    /**
     * Clears the summary buffer and wipes the summary file
     *
     * @returns {Summary} summary instance
     */
    clear() {
        return summary_awaiter(this, void 0, void 0, function* () {
            return this.emptyBuffer().write({ overwrite: true });
        });
    }
    /**
     * Returns the current summary buffer as a string
     *
     * @returns {string} string of summary buffer
     */
    stringify() {
        return this._buffer;
    }
    /**
     * If the summary buffer is empty
     *
     * @returns {boolen} true if the buffer is empty
     */
    isEmptyBuffer() {
        return this._buffer.length === 0;
    }
    /**
     * Resets the summary buffer without writing to summary file
     *
     * @returns {Summary} summary instance
     */
    emptyBuffer() {
        this._buffer = '';
        return this;
    }
    /**
     * Adds raw text to the summary buffer
     *
     * @param {string} text content to add
     * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
     *
     * @returns {Summary} summary instance
     */
    addRaw(text, addEOL = false) {
        this._buffer += text;
        return addEOL ? this.addEOL() : this;
    }
    /**
     * Adds the operating system-specific end-of-line marker to the buffer
     *
     * @returns {Summary} summary instance
     */
    addEOL() {
        return this.addRaw(external_os_namespaceObject.EOL);
    }
    /**
     * Adds an HTML codeblock to the summary buffer
     *
     * @param {string} code content to render within fenced code block
     * @param {string} lang (optional) language to syntax highlight code
     *
     * @returns {Summary} summary instance
     */
    addCodeBlock(code, lang) {
        const attrs = Object.assign({}, (lang && { lang }));
        const element = this.wrap('pre', this.wrap('code', code), attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML list to the summary buffer
     *
     * @param {string[]} items list of items to render
     * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
     *
     * @returns {Summary} summary instance
     */
    addList(items, ordered = false) {
        const tag = ordered ? 'ol' : 'ul';
        const listItems = items.map(item => this.wrap('li', item)).join('');
        const element = this.wrap(tag, listItems);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML table to the summary buffer
     *
     * @param {SummaryTableCell[]} rows table rows
     *
     * @returns {Summary} summary instance
     */
    addTable(rows) {
        const tableBody = rows
            .map(row => {
            const cells = row
                .map(cell => {
                if (typeof cell === 'string') {
                    return this.wrap('td', cell);
                }
                const { header, data, colspan, rowspan } = cell;
                const tag = header ? 'th' : 'td';
                const attrs = Object.assign(Object.assign({}, (colspan && { colspan })), (rowspan && { rowspan }));
                return this.wrap(tag, data, attrs);
            })
                .join('');
            return this.wrap('tr', cells);
        })
            .join('');
        const element = this.wrap('table', tableBody);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds a collapsable HTML details element to the summary buffer
     *
     * @param {string} label text for the closed state
     * @param {string} content collapsable content
     *
     * @returns {Summary} summary instance
     */
    addDetails(label, content) {
        const element = this.wrap('details', this.wrap('summary', label) + content);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML image tag to the summary buffer
     *
     * @param {string} src path to the image you to embed
     * @param {string} alt text description of the image
     * @param {SummaryImageOptions} options (optional) addition image attributes
     *
     * @returns {Summary} summary instance
     */
    addImage(src, alt, options) {
        const { width, height } = options || {};
        const attrs = Object.assign(Object.assign({}, (width && { width })), (height && { height }));
        const element = this.wrap('img', null, Object.assign({ src, alt }, attrs));
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML section heading element
     *
     * @param {string} text heading text
     * @param {number | string} [level=1] (optional) the heading level, default: 1
     *
     * @returns {Summary} summary instance
     */
    addHeading(text, level) {
        const tag = `h${level}`;
        const allowedTag = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].includes(tag)
            ? tag
            : 'h1';
        const element = this.wrap(allowedTag, text);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML thematic break (<hr>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addSeparator() {
        const element = this.wrap('hr', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML line break (<br>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addBreak() {
        const element = this.wrap('br', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML blockquote to the summary buffer
     *
     * @param {string} text quote text
     * @param {string} cite (optional) citation url
     *
     * @returns {Summary} summary instance
     */
    addQuote(text, cite) {
        const attrs = Object.assign({}, (cite && { cite }));
        const element = this.wrap('blockquote', text, attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML anchor tag to the summary buffer
     *
     * @param {string} text link text/content
     * @param {string} href hyperlink
     *
     * @returns {Summary} summary instance
     */
    addLink(text, href) {
        const element = this.wrap('a', text, { href });
        return this.addRaw(element).addEOL();
    }
}
const _summary = new Summary();
/**
 * @deprecated use `core.summary`
 */
const markdownSummary = (/* unused pure expression or super */ null && (_summary));
const summary = _summary;
//# sourceMappingURL=summary.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/path-utils.js

/**
 * toPosixPath converts the given path to the posix form. On Windows, \\ will be
 * replaced with /.
 *
 * @param pth. Path to transform.
 * @return string Posix path.
 */
function toPosixPath(pth) {
    return pth.replace(/[\\]/g, '/');
}
/**
 * toWin32Path converts the given path to the win32 form. On Linux, / will be
 * replaced with \\.
 *
 * @param pth. Path to transform.
 * @return string Win32 path.
 */
function toWin32Path(pth) {
    return pth.replace(/[/]/g, '\\');
}
/**
 * toPlatformPath converts the given path to a platform-specific path. It does
 * this by replacing instances of / and \ with the platform-specific path
 * separator.
 *
 * @param pth The path to platformize.
 * @return string The platform-specific path.
 */
function toPlatformPath(pth) {
    return pth.replace(/[/\\]/g, path.sep);
}
//# sourceMappingURL=path-utils.js.map
;// CONCATENATED MODULE: external "./exec-left-out.js"
var external_exec_left_out_js_x = (y) => {
	var x = {}; __nccwpck_require__.d(x, y); return x
} 
var external_exec_left_out_js_y = (x) => (() => (x))
const external_exec_left_out_js_namespaceObject = external_exec_left_out_js_x({  });
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/platform.js
var platform_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const getWindowsInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    const { stdout: version } = yield exec.getExecOutput('powershell -command "(Get-CimInstance -ClassName Win32_OperatingSystem).Version"', undefined, {
        silent: true
    });
    const { stdout: name } = yield exec.getExecOutput('powershell -command "(Get-CimInstance -ClassName Win32_OperatingSystem).Caption"', undefined, {
        silent: true
    });
    return {
        name: name.trim(),
        version: version.trim()
    };
});
const getMacOsInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    var _a, _b, _c, _d;
    const { stdout } = yield exec.getExecOutput('sw_vers', undefined, {
        silent: true
    });
    const version = (_b = (_a = stdout.match(/ProductVersion:\s*(.+)/)) === null || _a === void 0 ? void 0 : _a[1]) !== null && _b !== void 0 ? _b : '';
    const name = (_d = (_c = stdout.match(/ProductName:\s*(.+)/)) === null || _c === void 0 ? void 0 : _c[1]) !== null && _d !== void 0 ? _d : '';
    return {
        name,
        version
    };
});
const getLinuxInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    const { stdout } = yield exec.getExecOutput('lsb_release', ['-i', '-r', '-s'], {
        silent: true
    });
    const [name, version] = stdout.trim().split('\n');
    return {
        name,
        version
    };
});
const platform = external_os_namespaceObject.platform();
const arch = external_os_namespaceObject.arch();
const isWindows = platform === 'win32';
const isMacOS = platform === 'darwin';
const isLinux = platform === 'linux';
function getDetails() {
    return platform_awaiter(this, void 0, void 0, function* () {
        return Object.assign(Object.assign({}, (yield (isWindows
            ? getWindowsInfo()
            : isMacOS
                ? getMacOsInfo()
                : getLinuxInfo()))), { platform,
            arch,
            isWindows,
            isMacOS,
            isLinux });
    });
}
//# sourceMappingURL=platform.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/core.js
var core_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};






/**
 * The code to exit an action
 */
var ExitCode;
(function (ExitCode) {
    /**
     * A code indicating that the action was successful
     */
    ExitCode[ExitCode["Success"] = 0] = "Success";
    /**
     * A code indicating that the action was a failure
     */
    ExitCode[ExitCode["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
//-----------------------------------------------------------------------
// Variables
//-----------------------------------------------------------------------
/**
 * Sets env variable for this action and future actions in the job
 * @param name the name of the variable to set
 * @param val the value of the variable. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function exportVariable(name, val) {
    const convertedVal = toCommandValue(val);
    process.env[name] = convertedVal;
    const filePath = process.env['GITHUB_ENV'] || '';
    if (filePath) {
        return issueFileCommand('ENV', prepareKeyValueMessage(name, val));
    }
    issueCommand('set-env', { name }, convertedVal);
}
/**
 * Registers a secret which will get masked from logs
 *
 * @param secret - Value of the secret to be masked
 * @remarks
 * This function instructs the Actions runner to mask the specified value in any
 * logs produced during the workflow run. Once registered, the secret value will
 * be replaced with asterisks (***) whenever it appears in console output, logs,
 * or error messages.
 *
 * This is useful for protecting sensitive information such as:
 * - API keys
 * - Access tokens
 * - Authentication credentials
 * - URL parameters containing signatures (SAS tokens)
 *
 * Note that masking only affects future logs; any previous appearances of the
 * secret in logs before calling this function will remain unmasked.
 *
 * @example
 * ```typescript
 * // Register an API token as a secret
 * const apiToken = "abc123xyz456";
 * setSecret(apiToken);
 *
 * // Now any logs containing this value will show *** instead
 * console.log(`Using token: ${apiToken}`); // Outputs: "Using token: ***"
 * ```
 */
function core_setSecret(secret) {
    command_issueCommand('add-mask', {}, secret);
}
/**
 * Prepends inputPath to the PATH (for this action and future actions)
 * @param inputPath
 */
function addPath(inputPath) {
    const filePath = process.env['GITHUB_PATH'] || '';
    if (filePath) {
        issueFileCommand('PATH', inputPath);
    }
    else {
        issueCommand('add-path', {}, inputPath);
    }
    process.env['PATH'] = `${inputPath}${path.delimiter}${process.env['PATH']}`;
}
/**
 * Gets the value of an input.
 * Unless trimWhitespace is set to false in InputOptions, the value is also trimmed.
 * Returns an empty string if the value is not defined.
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   string
 */
function getInput(name, options) {
    const val = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
    if (options && options.required && !val) {
        throw new Error(`Input required and not supplied: ${name}`);
    }
    if (options && options.trimWhitespace === false) {
        return val;
    }
    return val.trim();
}
/**
 * Gets the values of an multiline input.  Each value is also trimmed.
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   string[]
 *
 */
function getMultilineInput(name, options) {
    const inputs = getInput(name, options)
        .split('\n')
        .filter(x => x !== '');
    if (options && options.trimWhitespace === false) {
        return inputs;
    }
    return inputs.map(input => input.trim());
}
/**
 * Gets the input value of the boolean type in the YAML 1.2 "core schema" specification.
 * Support boolean input list: `true | True | TRUE | false | False | FALSE` .
 * The return value is also in boolean type.
 * ref: https://yaml.org/spec/1.2/spec.html#id2804923
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   boolean
 */
function getBooleanInput(name, options) {
    const trueValue = ['true', 'True', 'TRUE'];
    const falseValue = ['false', 'False', 'FALSE'];
    const val = getInput(name, options);
    if (trueValue.includes(val))
        return true;
    if (falseValue.includes(val))
        return false;
    throw new TypeError(`Input does not meet YAML 1.2 "Core Schema" specification: ${name}\n` +
        `Support boolean input list: \`true | True | TRUE | false | False | FALSE\``);
}
/**
 * Sets the value of an output.
 *
 * @param     name     name of the output to set
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function setOutput(name, value) {
    const filePath = process.env['GITHUB_OUTPUT'] || '';
    if (filePath) {
        return file_command_issueFileCommand('OUTPUT', file_command_prepareKeyValueMessage(name, value));
    }
    process.stdout.write(external_os_namespaceObject.EOL);
    command_issueCommand('set-output', { name }, utils_toCommandValue(value));
}
/**
 * Enables or disables the echoing of commands into stdout for the rest of the step.
 * Echoing is disabled by default if ACTIONS_STEP_DEBUG is not set.
 *
 */
function setCommandEcho(enabled) {
    issue('echo', enabled ? 'on' : 'off');
}
//-----------------------------------------------------------------------
// Results
//-----------------------------------------------------------------------
/**
 * Sets the action status to failed.
 * When the action exits it will be with an exit code of 1
 * @param message add error issue message
 */
function setFailed(message) {
    process.exitCode = ExitCode.Failure;
    error(message);
}
//-----------------------------------------------------------------------
// Logging Commands
//-----------------------------------------------------------------------
/**
 * Gets whether Actions Step Debug is on or not
 */
function isDebug() {
    return process.env['RUNNER_DEBUG'] === '1';
}
/**
 * Writes debug message to user log
 * @param message debug message
 */
function core_debug(message) {
    command_issueCommand('debug', {}, message);
}
/**
 * Adds an error issue
 * @param message error issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function error(message, properties = {}) {
    command_issueCommand('error', utils_toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a warning issue
 * @param message warning issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function warning(message, properties = {}) {
    command_issueCommand('warning', utils_toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a notice issue
 * @param message notice issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function notice(message, properties = {}) {
    issueCommand('notice', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Writes info to log with console.log.
 * @param message info message
 */
function info(message) {
    process.stdout.write(message + external_os_namespaceObject.EOL);
}
/**
 * Begin an output group.
 *
 * Output until the next `groupEnd` will be foldable in this group
 *
 * @param name The name of the output group
 */
function startGroup(name) {
    command_issue('group', name);
}
/**
 * End an output group.
 */
function endGroup() {
    command_issue('endgroup');
}
/**
 * Wrap an asynchronous function call in a group.
 *
 * Returns the same type as the function itself.
 *
 * @param name The name of the group
 * @param fn The function to wrap in the group
 */
function group(name, fn) {
    return core_awaiter(this, void 0, void 0, function* () {
        startGroup(name);
        let result;
        try {
            result = yield fn();
        }
        finally {
            endGroup();
        }
        return result;
    });
}
//-----------------------------------------------------------------------
// Wrapper action state
//-----------------------------------------------------------------------
/**
 * Saves state for current action, the state can only be retrieved by this action's post job execution.
 *
 * @param     name     name of the state to store
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function saveState(name, value) {
    const filePath = process.env['GITHUB_STATE'] || '';
    if (filePath) {
        return issueFileCommand('STATE', prepareKeyValueMessage(name, value));
    }
    issueCommand('save-state', { name }, toCommandValue(value));
}
/**
 * Gets the value of an state set by this action's main execution.
 *
 * @param     name     name of the state to get
 * @returns   string
 */
function getState(name) {
    return process.env[`STATE_${name}`] || '';
}
function getIDToken(aud) {
    return core_awaiter(this, void 0, void 0, function* () {
        return yield OidcClient.getIDToken(aud);
    });
}
/**
 * Summary exports
 */

/**
 * @deprecated use core.summary
 */

/**
 * Path exports
 */

/**
 * Platform utilities exports
 */

//# sourceMappingURL=core.js.map
// EXTERNAL MODULE: ./packages/publishing/src/errors.ts
var errors = __nccwpck_require__(7972);
;// CONCATENATED MODULE: ./packages/publishing/src/config/problems.ts
// A configuration problem carries everything a person needs to fix it without
// opening the schema: the file, where in it, which key, and what was expected.

function formatProblem(p) {
    const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
    return p.keyPath ? `${where}: ${p.keyPath}: ${p.message}` : `${where}: ${p.message}`;
}
class ConfigError extends errors/* DomainError */.J {
    problems;
    constructor(problems) {
        const n = problems.length;
        super(`${n === 1 ? 'a problem' : `${n} problems`} in ${problems[0]?.file ?? 'the configuration'}:\n` + problems.map((p) => `  ${formatProblem(p)}`).join('\n'));
        this.problems = problems;
    }
}

// EXTERNAL MODULE: ./packages/publishing/src/secrets.ts
var secrets = __nccwpck_require__(754);
;// CONCATENATED MODULE: ./packages/publishing/src/action/run.ts
// The one way an action entry runs, and the one place a failure becomes a failed step. Two
// kinds of failure, told apart by class: a DomainError (an input to fix, a registry that
// refused, a deployment Central rejected) fails the step with its message, one line a person
// acts on; anything else is a bug in the suite, and says so, with its stack in the debug log.
// Configuration problems also become file annotations in the Actions UI. Outputs are written
// by the entry only after its work succeeded, and then the step's start and end times too
// (the stage gate's run summary times its stages by them).




async function runAction(work) {
    // Credentials the core learns (tokens from token services) are masked as they appear.
    (0,secrets/* setSecretMask */.hT)((secret) => core_setSecret(secret));
    const startedAt = new Date().toISOString();
    try {
        await work();
        setOutputs({ 'started-at': startedAt, 'finished-at': new Date().toISOString() });
    }
    catch (err) {
        if (err instanceof ConfigError) {
            // One annotation per problem, pinned to its line in the file's view of the run.
            for (const p of err.problems) {
                const place = p.line > 0 ? { startLine: p.line, startColumn: p.column } : {};
                error(formatProblem(p), { title: 'Invalid configuration', file: p.file, ...place });
            }
            setFailed(`${err.problems.length} problem(s) in ${err.problems[0]?.file}, each reported above`);
            return;
        }
        setFailed(failureMessage(err, (stack) => core_debug((0,secrets/* redact */.E$)(stack))));
    }
}
/** The step's failure message for `err`; a bug's stack goes to `debug`, for a run with debug logging. */
function failureMessage(err, debug) {
    const message = err instanceof Error ? err.message : String(err);
    if (isAnticipated(err))
        return (0,secrets/* redact */.E$)(message);
    if (err instanceof Error && err.stack)
        debug(err.stack);
    return (0,secrets/* redact */.E$)(`${message} (this is a bug in ci-actions, not in your workflow: please report it ${whereToReport()} with this step's log; re-run with debug logging for the stack)`);
}
/**
 * A failure the suite expects and describes: its domain errors, the HTTP layer's among them
 * (a status turned into an error, a request that got no answer, retries given up, a malformed
 * response), and the system's (a file that cannot be read, a connection refused), none of
 * which a change to the suite would fix.
 */
function isAnticipated(err) {
    if (err instanceof errors/* DomainError */.J)
        return true;
    return typeof err?.syscall === 'string';
}
/** Where the running action's issues are: the runner names the action's repository (not for a local `uses: ./`). */
function whereToReport() {
    const repository = process.env.GITHUB_ACTION_REPOSITORY;
    const server = process.env.GITHUB_SERVER_URL || 'https://github.com';
    return repository ? `at ${server}/${repository}/issues` : "to the ci-actions repository your workflow's uses: names";
}
function setOutputs(outputs) {
    for (const [name, value] of Object.entries(outputs))
        setOutput(name, value);
}

;// CONCATENATED MODULE: ./packages/publishing/src/action/summary.ts
// Job summary tables: what an action did, readable on the run's page.

async function writeSummaryTable(heading, header, rows) {
    // Outside a runner (a local demo) there is no summary file: the log already has it all.
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    await summary
        .addHeading(heading, 3)
        .addTable([header.map((data) => ({ data, header: true })), ...rows])
        .write();
}

;// CONCATENATED MODULE: ./packages/publishing/src/address-credentials.ts
// Credentials written into an address (https://user:token@registry.example/,
// user:token@ghcr.io/acme/app) would be printed wherever the address is: the step log,
// error messages, the job summary. The suite takes credentials only through its credential
// inputs; an address carrying some is refused, after they were registered as secrets, so
// that not even the refusal shows them. Text that merely shows addresses (a configuration
// file's values in an error) has their userinfo replaced, without masking: it was committed.

/**
 * When `value` carries userinfo (`user:password@` or `token@`), masks it and returns the
 * address with it replaced by `***`; undefined when it carries none.
 */
function maskAddressCredentials(value, kind) {
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(value)?.[0] ?? '';
    const rest = value.slice(scheme.length);
    const at = userinfoEnd(rest, kind);
    if (at <= 0)
        return undefined;
    const userinfo = rest.slice(0, at);
    (0,secrets/* addSecret */.Ck)(userinfo);
    const colon = userinfo.indexOf(':');
    // With a user name, the password alone may be printed too (a URL parser splits them); without, it is a token.
    const password = colon >= 0 ? userinfo.slice(colon + 1) : userinfo;
    (0,secrets/* addSecret */.Ck)(password);
    (0,secrets/* addSecret */.Ck)(decoded(password));
    return `${scheme}***${rest.slice(at)}`;
}
/** Offset of the `@` that ends the userinfo, or -1. */
function userinfoEnd(rest, kind) {
    if (kind === 'url') {
        // RFC 3986: the authority ends at the first / ? or #, and the userinfo at its last @.
        const end = rest.search(/[/?#]/);
        return rest.lastIndexOf('@', end < 0 ? rest.length : end);
    }
    // A digest has no /, so an @ followed by a / ends userinfo (passwords may hold @ and /).
    const slash = rest.lastIndexOf('/');
    return slash < 0 ? -1 : rest.lastIndexOf('@', slash);
}
function decoded(text) {
    try {
        return decodeURIComponent(text);
    }
    catch {
        return text;
    }
}
// scheme://userinfo@, with \ for / as URL parsers take it; userinfo runs to the last @
// before the host ends, as it does for the WHATWG parser.
const USERINFO = /([a-z][a-z0-9+.-]*:[/\\]{2})[^/\\?#]*@/gi;
/**
 * `text` with the user information of its URLs replaced by ***, e.g. https://***@host/.
 * Text that is one URL is read as fetch() would read it (so https:user:pass@host counts too);
 * other text has each scheme://...@ replaced. Text without credentials comes back unchanged.
 */
function redactUrlCredentials(text) {
    const url = URL.canParse(text) ? new URL(text) : undefined;
    if (url && (url.username || url.password)) {
        url.username = '***';
        url.password = '';
        return url.href;
    }
    return text.replace(USERINFO, '$1***@');
}

;// CONCATENATED MODULE: ./packages/publishing/src/http/retry.ts
// The one retry policy of every client: what check-response.ts finds retryable (429 and rate
// limits wait as asked, 408 and 5xx) and dropped connections are tried again, waiting as the
// server asked or backing off exponentially with full jitter, a bounded number of times. Two
// limits on waiting are kept apart: the backoff cap bounds the waits we choose ourselves,
// and the longest wait a server may ask for (Retry-After, rate limits; Docker Hub asks for
// minutes) bounds the waits we agree to. A longer request fails the run at once, saying so,
// rather than sleeping through the job's time limit.

/** The longest server-requested wait's default, in seconds, and its bounds. */
const MAX_RETRY_WAIT = { defaultSeconds: 300, minSeconds: 0, maxSeconds: 3600 };
const DEFAULT_MAX_RETRY_WAIT_MS = MAX_RETRY_WAIT.defaultSeconds * 1000;
const DEFAULT_RETRY = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryWaitMs: DEFAULT_MAX_RETRY_WAIT_MS };
/**
 * A failure that knows whether another attempt may help, and how long the server asked to
 * wait before it: RetryableError, and HttpStatusError (check-response.ts) for every answer
 * a client did not want. withRetry goes by these two fields and by nothing else of a status.
 */
class AttemptError extends errors/* DomainError */.J {
    /** Whether retryAfterMs is our own fallback for a rate limit that named no wait, not the server's. */
    waitIsFallback;
}
/**
 * An error worth another attempt; `retryAfterMs` when the server said how long to wait. Its
 * message says what happened to which request; withRetry puts the operation in front.
 */
class RetryableError extends AttemptError {
    retryAfterMs;
    retryable = true;
    constructor(message, retryAfterMs, cause) {
        super(message, cause === undefined ? {} : { cause });
        this.retryAfterMs = retryAfterMs;
    }
}
/**
 * The end of retrying: attempts used up, or a server asking for a longer wait than we
 * honour (subject `retry-wait`: the longest wait allowed is what to raise). Never retried
 * again by an enclosing withRetry (a token request inside a blob copy), so attempts do not
 * multiply.
 */
class GaveUpError extends errors/* DomainError */.J {
    attempts;
    constructor(message, attempts, cause, subject) {
        super(message, { cause, ...(subject ? { subject } : {}) });
        this.attempts = attempts;
    }
}
const RETRYABLE_CODES = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'EPIPE',
    'ETIMEDOUT',
    'ENOTFOUND',
    'EAI_AGAIN',
    'ECONNABORTED',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
]);
function isRetryableStatus(status) {
    return status === 429 || status === 408 || (status >= 500 && status !== 501 && status !== 505);
}
function isRetryableNetworkError(err) {
    if (err instanceof GaveUpError)
        return false;
    const code = err?.code;
    return (code !== undefined && RETRYABLE_CODES.has(code)) || /socket hang up|no data for/.test(String(err?.message));
}
/** Retry-After is either seconds or an HTTP date. */
function parseRetryAfter(value, now = Date.now()) {
    if (!value)
        return undefined;
    if (/^\d+$/.test(value.trim()))
        return Number(value.trim()) * 1000;
    const at = Date.parse(value);
    return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
function maxRetryWaitMs(policy) {
    return policy.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
}
/**
 * Delay before attempt `attempt + 1` (attempt counts from 1): the server's wait in full
 * when it asked for one within maxRetryWaitMs, undefined when it asked for longer; else
 * exponential backoff with full jitter, capped at maxDelayMs.
 */
function retryDelay(policy, attempt, retryAfterMs, random = Math.random) {
    if (retryAfterMs !== undefined)
        return retryAfterMs <= maxRetryWaitMs(policy) ? retryAfterMs : undefined;
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(random() * ceiling);
}
async function withRetry(what, operation, options = {}) {
    const policy = options.policy ?? DEFAULT_RETRY;
    const sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    for (let attempt = 1;; attempt++) {
        try {
            return await operation(attempt);
        }
        catch (err) {
            const retryable = err instanceof AttemptError ? err.retryable : isRetryableNetworkError(err);
            if (!retryable)
                throw err;
            const failure = `${what}: ${err.message}`;
            if (attempt >= policy.attempts)
                throw new GaveUpError(`${failure}; gave up after ${attempts(attempt)}`, attempt, err);
            const asked = err instanceof AttemptError ? err.retryAfterMs : undefined;
            const delay = retryDelay(policy, attempt, asked);
            if (delay === undefined) {
                const fallback = err instanceof AttemptError && err.waitIsFallback === true;
                throw new GaveUpError(`${failure}; ${tooLongWait(asked, maxRetryWaitMs(policy), fallback)}; gave up after ${attempts(attempt)}`, attempt, err, {
                    kind: 'retry-wait',
                });
            }
            options.onRetry?.(`${failure}; attempt ${attempt + 1} of ${policy.attempts} in ${(delay / 1000).toFixed(1)}s`);
            await sleep(delay);
        }
    }
}
/** Why a wait of `waitMs` is not waited, in terms of what asked for it; `fallback`: the server named no wait, ours is used. */
function tooLongWait(waitMs, allowedMs, fallback) {
    const allowed = `the longest wait allowed (${seconds(allowedMs)})`;
    return fallback
        ? `rate-limited without a Retry-After; waiting the ${seconds(waitMs)} fallback exceeds ${allowed}`
        : `the server asked to wait ${seconds(waitMs)} before another attempt, longer than ${allowed}`;
}
function attempts(n) {
    return n === 1 ? '1 attempt' : `${n} attempts`;
}
function seconds(ms) {
    return `${Math.ceil(ms / 1000)}s`;
}

;// CONCATENATED MODULE: ./packages/publishing/src/action/inputs.ts
// Typed reading of action inputs. Every error names the input and says what was
// expected, so a person can fix the workflow file without reading our code.





/**
 * What the user must fix is an action input: the message starts with its name as `with:`
 * spells it. `input` may name several, e.g. "source-username/source-password".
 */
class InputError extends errors/* DomainError */.J {
    input;
    constructor(input, message, options = {}) {
        super(`input "${input}": ${message}`, options);
        this.input = input;
    }
}
/** A domain error whose subject came from an input, as an InputError naming it; any other error as it is. */
function attributeToInput(err, inputFor) {
    if (!(err instanceof errors/* DomainError */.J) || err instanceof InputError || !err.subject)
        return err;
    const input = inputFor(err.subject);
    return input ? new InputError(input, err.message, { cause: err }) : err;
}
/**
 * The `<prefix>-username/<prefix>-password` input pairs whose registries include `registry`,
 * e.g. "source-username/source-password" for the registry an action's source is on; undefined when none.
 */
function credentialInputsOf(registry, registriesByPrefix) {
    const prefixes = Object.keys(registriesByPrefix).filter((prefix) => registriesByPrefix[prefix].includes(registry));
    return prefixes.length > 0 ? prefixes.map((p) => `${p}-username/${p}-password`).join(', ') : undefined;
}
/** Runs `work`, attributing the domain errors it throws to the inputs `inputFor` names. */
async function namingInputs(inputFor, work) {
    try {
        return await work();
    }
    catch (err) {
        throw attributeToInput(err, inputFor);
    }
}
function stringInput(name, options = {}) {
    const value = getInput(name).trim();
    if (options.required && !value)
        throw new InputError(name, 'is required and was empty');
    return value;
}
/** Items separated by newlines or commas, blanks dropped (how YAML block scalars arrive). */
function listInput(name, options = {}) {
    const items = getInput(name)
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter(Boolean);
    if (options.required && items.length === 0)
        throw new InputError(name, 'is required and lists nothing');
    return items;
}
function booleanInput(name, fallback) {
    const value = getInput(name).trim().toLowerCase();
    if (!value)
        return fallback;
    if (value === 'true')
        return true;
    if (value === 'false')
        return false;
    throw new InputError(name, `expected true or false, got "${value}"`);
}
function integerInput(name, fallback, range = {}) {
    const value = getInput(name).trim();
    if (!value)
        return fallback;
    if (!/^-?\d+$/.test(value))
        throw new InputError(name, `expected an integer, got "${value}"`);
    const n = Number(value);
    if (range.min !== undefined && n < range.min)
        throw new InputError(name, `expected at least ${range.min}, got ${n}`);
    if (range.max !== undefined && n > range.max)
        throw new InputError(name, `expected at most ${range.max}, got ${n}`);
    return n;
}
/** A secret input: masked in the log and redacted from errors as soon as it is read. */
function secretInput(name) {
    const value = getInput(name);
    (0,secrets/* addSecret */.Ck)(value);
    return value;
}
/**
 * An address (URL, host or image reference) read from an input: one with credentials in it
 * is refused, naming the input and showing the address with them masked.
 */
function addressInput(name, kind, options = {}) {
    return noCredentialsIn(name, stringInput(name, options), kind);
}
/** A list of addresses, each checked as addressInput checks one. */
function addressListInput(name, kind, options = {}) {
    return listInput(name, options).map((value) => noCredentialsIn(name, value, kind));
}
function noCredentialsIn(name, value, kind) {
    const shown = maskAddressCredentials(value, kind);
    if (shown !== undefined) {
        throw new InputError(name, `"${shown}" has credentials in it (user:password@ or token@), which would show in logs; remove them and pass them through the action's username and password inputs`);
    }
    return value;
}
/**
 * Runs a parser over an input's value, naming the input in the domain error it throws (what
 * the value is refused for); any other error is a bug, and goes on as it is.
 */
function parsedInput(name, value, parse) {
    try {
        return parse(value);
    }
    catch (err) {
        throw namingInput(name, err);
    }
}
/** parsedInput for a parser that loads what it needs first. */
async function parsedInputAsync(name, value, parse) {
    try {
        return await parse(value);
    }
    catch (err) {
        throw namingInput(name, err);
    }
}
function namingInput(name, err) {
    if (!(err instanceof errors/* DomainError */.J) || err instanceof InputError)
        return err;
    return new InputError(name, err.message, { cause: err });
}
/**
 * A user name and password pair read from `<prefix>-username` and `<prefix>-password`:
 * both or neither, the password masked. Undefined when neither is given.
 */
function credentialsInput(prefix) {
    const username = stringInput(`${prefix}-username`);
    const password = secretInput(`${prefix}-password`);
    if (!username && !password)
        return undefined;
    if (!username)
        throw new InputError(`${prefix}-username`, `is empty while ${prefix}-password is set; give both or neither`);
    if (!password)
        throw new InputError(`${prefix}-password`, `is empty while ${prefix}-username is set; give both or neither (a secret that is not defined arrives empty)`);
    return { username, password };
}
/** The retry policy of an action that makes HTTP requests, with the longest server-requested wait from max-retry-wait. */
function retryPolicyInput() {
    const seconds = integerInput('max-retry-wait', MAX_RETRY_WAIT.defaultSeconds, { min: MAX_RETRY_WAIT.minSeconds, max: MAX_RETRY_WAIT.maxSeconds });
    return { ...DEFAULT_RETRY, maxRetryWaitMs: seconds * 1000 };
}

;// CONCATENATED MODULE: ./packages/publishing/src/action/log.ts

/** The core's log, written to the step's log. */
const actionLog = {
    info: (m) => info(m),
    warning: (m) => warning(m),
    debug: (m) => core_debug(m),
};
/** dataaxiom/ghcr-cleanup-action's log-level values, least shown first. */
const LOG_LEVELS = (/* unused pure expression or super */ null && (['error', 'warn', 'info', 'debug']));
/**
 * The step's log at a log level: error shows only the failure (thrown, not logged), warn
 * adds warnings, info adds progress (the default), debug adds the detail that otherwise
 * shows only when the run is re-run with step debug logging.
 */
function leveledLog(level) {
    const shown = LOG_LEVELS.indexOf(level);
    return {
        info: (m) => shown >= LOG_LEVELS.indexOf('info') && core.info(m),
        warning: (m) => shown >= LOG_LEVELS.indexOf('warn') && core.warning(m),
        debug: (m) => (shown >= LOG_LEVELS.indexOf('debug') ? core.info(`debug: ${m}`) : core.debug(m)),
    };
}

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: ./packages/publishing/src/action/event.ts
// The event that started the run, as the runner describes it. Read from the runner's files and
// variables directly: @actions/github's context would load its HTTP client with it.

/** The webhook payload of the event that started the run (GITHUB_EVENT_PATH); undefined outside a runner. */
function eventPayload() {
    const file = process.env.GITHUB_EVENT_PATH;
    return file ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

;// CONCATENATED MODULE: ./packages/publishing/src/action/index.ts






;// CONCATENATED MODULE: ./packages/publishing/src/util/concurrency.ts
/** Runs `fn` over `items` with at most `limit` in flight; rejects on the first failure. */
async function mapLimit(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    let failed = false;
    const worker = async () => {
        while (!failed && next < items.length) {
            const index = next++;
            try {
                results[index] = await fn(items[index], index);
            }
            catch (err) {
                failed = true;
                throw err;
            }
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
    return results;
}
/**
 * Runs the tasks given to it at most `limit` at a time, in the order they come. A task may
 * give its place to the next before it ends (`leave`), once what the limit shares is no
 * longer in its use. Once one has failed, those not started yet never start: they reject
 * with that failure.
 */
function limiter(limit) {
    let running = 0;
    let failure;
    const queue = [];
    const startNext = () => {
        while (running < limit && queue.length > 0)
            queue.shift()();
    };
    return (task) => new Promise((resolve, reject) => {
        queue.push(() => {
            if (failure) {
                reject(failure.error);
                return;
            }
            running++;
            let left = false;
            const leave = () => {
                if (left)
                    return;
                left = true;
                running--;
                startNext();
            };
            task(leave)
                .then(resolve, (err) => {
                failure ??= { error: err };
                reject(err);
            })
                .finally(leave);
        });
        startNext();
    });
}
/**
 * Work started now and awaited later: until then its failure counts as handled, so Node
 * does not end the process over it; it still rejects where it is awaited.
 */
function awaitedLater(work) {
    work.catch(() => { });
    return work;
}
/** Waits for every one of `pending`; when any failed, rejects with the first failure, once none is left running. */
async function settleAll(pending) {
    const settled = await Promise.allSettled(pending);
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed)
        throw failed.reason;
    return settled.map((s) => s.value);
}

;// CONCATENATED MODULE: ./packages/publishing/src/util/format.ts
function formatBytes(bytes) {
    if (bytes < 1024)
        return `${Math.round(bytes)} B`;
    const units = ['KB', 'MB', 'GB', 'TB'];
    let value = bytes / 1024;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    return `${value.toFixed(1)} ${units[unit]}`;
}
function shortDigest(digest) {
    return digest.replace(/^(sha\d+:)([a-f0-9]{12})[a-f0-9]*$/, '$1$2');
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __nccwpck_require__(7598);
;// CONCATENATED MODULE: ./packages/publishing/src/oci/digest.ts


function sha256Digest(bytes) {
    return `sha256:${(0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex')}`;
}
class DigestMismatchError extends errors/* DomainError */.J {
    constructor(message) {
        super(message);
    }
}
/**
 * Carries a blob from the source's GET to the destination's upload (`out`), hashing and
 * counting the bytes on the way. The piece that completes the declared size is written
 * only once the digest is verified, so a corrupt blob never reaches its declared length
 * at the destination and its upload is never completed.
 */
class VerifyingWriter {
    expectedDigest;
    expectedSize;
    out;
    onBytes;
    hash;
    bytes = 0;
    constructor(expectedDigest, expectedSize, out, onBytes = () => { }) {
        this.expectedDigest = expectedDigest;
        this.expectedSize = expectedSize;
        this.out = out;
        this.onBytes = onBytes;
        const [algorithm] = expectedDigest.split(':');
        this.hash = (0,external_node_crypto_.createHash)(algorithm === 'sha512' ? 'sha512' : 'sha256');
    }
    write(piece, release) {
        this.bytes += piece.length;
        if (this.bytes > this.expectedSize) {
            throw new DigestMismatchError(`blob ${this.expectedDigest}: more than the ${this.expectedSize} bytes its descriptor declares`);
        }
        this.hash.update(piece);
        if (this.bytes === this.expectedSize)
            this.verify();
        this.onBytes(piece.length);
        this.out.write(piece, () => release());
    }
    /** The source has sent everything: ends the upload, unless that was less than declared. */
    end() {
        if (this.bytes !== this.expectedSize) {
            throw new DigestMismatchError(`blob ${this.expectedDigest}: got ${this.bytes} bytes, its descriptor declares ${this.expectedSize}`);
        }
        if (this.expectedSize === 0)
            this.verify();
        this.out.end();
    }
    verify() {
        const actual = `${this.expectedDigest.split(':')[0]}:${this.hash.digest('hex')}`;
        if (actual !== this.expectedDigest) {
            throw new DigestMismatchError(`blob ${this.expectedDigest}: the bytes received hash to ${actual}; the source blob is corrupt`);
        }
    }
}

;// CONCATENATED MODULE: ./packages/publishing/src/oci/types.ts
// The OCI image and distribution specs as plain types (and Docker's v2 schema 2, which
// registries still serve for images built by older tooling).
const MediaType = {
    OciIndex: 'application/vnd.oci.image.index.v1+json',
    OciManifest: 'application/vnd.oci.image.manifest.v1+json',
    DockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
    DockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
    OciEmpty: 'application/vnd.oci.empty.v1+json',
};
const INDEX_MEDIA_TYPES = [MediaType.OciIndex, MediaType.DockerManifestList];
const MANIFEST_MEDIA_TYPES = [MediaType.OciManifest, MediaType.DockerManifest];
/** What we accept when fetching a manifest: every kind we know how to copy. */
const ACCEPT_MANIFESTS = [...INDEX_MEDIA_TYPES, ...MANIFEST_MEDIA_TYPES].join(', ');
/** buildx marks attestation manifests inside an index with these annotations. */
const ATTESTATION_REFERENCE_TYPE = 'vnd.docker.reference.type';
const ATTESTATION_REFERENCE_DIGEST = 'vnd.docker.reference.digest';
const ATTESTATION_MANIFEST = 'attestation-manifest';
function isIndexMediaType(mediaType) {
    return INDEX_MEDIA_TYPES.includes(mediaType);
}
function platformString(p) {
    if (!p)
        return 'unknown';
    return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

;// CONCATENATED MODULE: ./packages/publishing/src/oci/platforms.ts
// Which entries of an index a promotion keeps. Pure: table-driven tests cover it.

function isAttestationManifest(d) {
    return d.annotations?.[ATTESTATION_REFERENCE_TYPE] === ATTESTATION_MANIFEST;
}
/** `linux/arm64/v8` matches a filter entry `linux/arm64`; `linux/arm/v7` needs its variant. */
function platformMatches(d, filter) {
    if (!d.platform)
        return false;
    const [os, architecture, variant] = filter.split('/');
    if (d.platform.os !== os || d.platform.architecture !== architecture)
        return false;
    return variant === undefined || d.platform.variant === variant;
}
/**
 * Keeps the platform manifests the filter names (all when it is empty) and, when asked,
 * the attestation manifests that describe a kept platform manifest. Order is preserved.
 */
function selectManifests(manifests, platforms, includeAttestations) {
    const images = manifests.filter((d) => !isAttestationManifest(d));
    const keptImages = new Set(images.filter((d) => platforms.length === 0 || platforms.some((p) => platformMatches(d, p))).map((d) => d.digest));
    const keep = manifests.filter((d) => isAttestationManifest(d) ? includeAttestations && keptImages.has(d.annotations?.[ATTESTATION_REFERENCE_DIGEST] ?? '') : keptImages.has(d.digest));
    const kept = new Set(keep);
    return {
        keep,
        dropped: manifests.filter((d) => !kept.has(d)),
        unmatched: platforms.filter((p) => !images.some((d) => platformMatches(d, p))),
    };
}
function describePlatforms(manifests) {
    return manifests
        .filter((d) => !isAttestationManifest(d))
        .map((d) => platformString(d.platform))
        .join(', ');
}

;// CONCATENATED MODULE: ./packages/publishing/src/oci/referrer-index.ts
// The referrers tag schema (OCI distribution 1.1 fallback): a `sha256-<hex>` tag holding
// an index of the artifacts that refer to that digest. Pure: the index made from a
// referrers API answer, and the merge of what the destination already lists with what
// the source lists.


/** The fallback index listing `referrers`, as the referrers API would answer for their subject. */
function referrerIndex(referrers) {
    const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: referrers }));
    return { bytes, digest: sha256Digest(bytes), mediaType: MediaType.OciIndex };
}
/**
 * A referrer's descriptor as the referrers API lists it (OCI distribution 1.1): its
 * artifactType, else its config's media type, and its annotations.
 */
function referrerDescriptor(manifest) {
    const json = JSON.parse(manifest.bytes.toString('utf8'));
    const artifactType = json.artifactType ?? json.config?.mediaType;
    return {
        mediaType: manifest.mediaType,
        digest: manifest.digest,
        size: manifest.bytes.length,
        ...(artifactType ? { artifactType } : {}),
        ...(json.annotations ? { annotations: json.annotations } : {}),
    };
}
/**
 * The index to store at the destination, or undefined when it already lists everything.
 * When the destination has none, the source's bytes are kept as they are.
 */
function mergeReferrerIndex(source, destination) {
    if (!destination)
        return source;
    const src = JSON.parse(source.bytes.toString('utf8'));
    const dst = JSON.parse(destination.bytes.toString('utf8'));
    const listed = new Set(dst.manifests.map((m) => m.digest));
    const missing = src.manifests.filter((m) => !listed.has(m.digest));
    if (missing.length === 0)
        return undefined;
    return referrerIndex([...dst.manifests, ...missing]);
}

;// CONCATENATED MODULE: ./packages/publishing/src/oci/referrer-tags.ts
// Tags that are about another manifest rather than names of an image: the OCI referrers
// fallback (`sha256-<hex>`, an index of the artifacts referring to sha256:<hex>) and
// cosign's tag scheme, where the signatures, attestations and SBOM of sha256:<hex> live
// under `sha256-<hex>.sig`, `.att` and `.sbom`.
const REFERRER_TAG = /^sha256-([a-f0-9]{64})(\.(?:sig|att|sbom))?$/;
/** The digest a referrer tag (`sha256-<hex>`, cosign's `sha256-<hex>.sig`) is about. */
function referrerTagSubject(tag) {
    const match = REFERRER_TAG.exec(tag);
    return match ? `sha256:${match[1]}` : undefined;
}
/** The digest a cosign tag (`sha256-<hex>.sig`, `.att`, `.sbom`) is about; undefined for any other tag. */
function cosignTagSubject(tag) {
    const match = REFERRER_TAG.exec(tag);
    return match?.[2] ? `sha256:${match[1]}` : undefined;
}

;// CONCATENATED MODULE: ./packages/publishing/src/oci/image-graph.ts
// What a promotion must move, found on the source by digest only, so a tag moved while
// we look cannot change what is promoted. An image is a tree: a top manifest (an index
// or an image manifest), the manifests it lists, and the blobs they reference. Artifacts
// that refer to the image (signatures, SBOMs) are trees of their own, found through the
// referrers API or its tag fallback.







class UnknownManifestError extends errors/* DomainError */.J {
}
/**
 * The root to promote. With a platform filter an index is rewritten to list only those
 * platforms (and their attestations): a new index, new digest; children stay as they are.
 */
function selectRoot(root, platforms, attestations) {
    if (!isIndexMediaType(root.mediaType) || (platforms.length === 0 && attestations))
        return { root, dropped: [] };
    const index = JSON.parse(root.bytes.toString('utf8'));
    const selection = selectManifests(index.manifests, platforms, attestations);
    if (selection.unmatched.length > 0) {
        const available = index.manifests.filter((m) => m.platform && m.platform.os !== 'unknown').map((m) => platformString(m.platform));
        throw new UnknownManifestError(`platform(s) ${selection.unmatched.join(', ')} not in the image; it has ${available.join(', ')}`);
    }
    if (selection.dropped.length === 0)
        return { root, dropped: [] };
    const bytes = Buffer.from(JSON.stringify({ ...index, manifests: selection.keep }));
    return { root: { bytes, digest: sha256Digest(bytes), mediaType: root.mediaType }, dropped: selection.dropped };
}
/** The manifests an index lists (none for an image manifest). */
function childDescriptors(manifest) {
    return isIndexMediaType(manifest.mediaType) ? JSON.parse(manifest.bytes.toString('utf8')).manifests : [];
}
/** The digest a referring artifact is about (its `subject`), if it has one. */
function subjectOf(manifest) {
    return JSON.parse(manifest.bytes.toString('utf8')).subject?.digest;
}
async function walkTree(client, repository, top, concurrency) {
    const manifests = [];
    const seen = new Set();
    const blobs = new Map();
    const visit = async (node) => {
        seen.add(node.digest);
        const children = childDescriptors(node).filter((d) => !seen.has(d.digest));
        const fetched = await mapLimit(children, concurrency, (d) => fetchManifest(client, repository, d.digest));
        for (const child of fetched)
            if (!seen.has(child.digest))
                await visit(child);
        if (!isIndexMediaType(node.mediaType)) {
            const manifest = JSON.parse(node.bytes.toString('utf8'));
            for (const blob of [manifest.config, ...(manifest.layers ?? [])])
                if (blob && isDistributable(blob))
                    blobs.set(blob.digest, blob);
        }
        manifests.push(node);
    };
    await visit(top);
    return { top, manifests, blobs: [...blobs.values()] };
}
/**
 * The tree's manifests in levels to push: each level lists only blobs and manifests of
 * earlier levels, so a level's manifests can go to a registry at once; the top is last.
 */
function manifestLevels(tree) {
    const levelOf = new Map();
    const levels = [];
    for (const manifest of tree.manifests) {
        const below = childDescriptors(manifest).map((d) => levelOf.get(d.digest) ?? -1);
        const level = Math.max(-1, ...below) + 1;
        levelOf.set(manifest.digest, level);
        (levels[level] ??= []).push(manifest);
    }
    return levels;
}
/**
 * Artifacts referring to any of `subjects`, and artifacts referring to those in turn.
 * `lookup` asks the registry about one subject (its referrers API, or its fallback tag).
 */
async function findReferrers(client, repository, subjects, concurrency, lookup) {
    const fetched = new Map();
    const fallbackIndexes = new Map();
    const seen = new Set(subjects);
    let pending = subjects;
    while (pending.length > 0) {
        const found = await mapLimit(pending, concurrency, async (subject) => ({ subject, ...(await lookup(subject)) }));
        const next = [];
        for (const { subject, manifests: refs, fallbackIndex } of found) {
            for (const ref of refs) {
                if (seen.has(ref.digest))
                    continue;
                seen.add(ref.digest);
                fetched.set(ref.digest, await fetchManifest(client, repository, ref.digest));
                next.push(ref.digest);
            }
            if (fallbackIndex)
                fallbackIndexes.set(subject, fallbackIndex);
            // Described from the manifests themselves, as the spec defines the API's answer: some
            // registries put the config's media type where the artifact's type belongs.
            else if (refs.length > 0)
                fallbackIndexes.set(subject, referrerIndex(refs.map((r) => referrerDescriptor(fetched.get(r.digest)))));
        }
        pending = next;
    }
    return { manifests: [...fetched.values()], fallbackIndexes };
}
async function fetchManifest(client, repository, digest) {
    const raw = await client.getManifest(repository, digest);
    if (!raw)
        throw new UnknownManifestError(`${client.registry}/${repository}@${digest} is listed by the image but missing from the registry`);
    return raw;
}
/** Foreign (non-distributable) layers live outside registries and are never copied. */
function isDistributable(d) {
    return !/nondistributable|foreign/.test(d.mediaType);
}
/**
 * cosign's signature, attestation and SBOM tags (`sha256-<hex>.sig`, ...) about any of
 * `subjects`, with what they hold, found among the repository's `tags`.
 */
async function findCosignTags(client, repository, subjects, repositoryTags, concurrency) {
    const wanted = new Set(subjects);
    const tags = repositoryTags.filter((tag) => wanted.has(cosignTagSubject(tag) ?? ''));
    const manifests = await mapLimit(tags, concurrency, (tag) => client.getManifest(repository, tag));
    // A tag removed between the listing and the read is left out.
    return tags.flatMap((tag, i) => (manifests[i] ? [{ tag, manifest: manifests[i] }] : []));
}

;// CONCATENATED MODULE: ./packages/publishing/src/util/progress.ts

class TransferProgress {
    label;
    log;
    intervalMs;
    perItem = new Map();
    totalBytes = 0;
    totalItems = 0;
    done = 0;
    started = Date.now();
    /** The first line comes one interval in: a short copy logs only its summary. */
    lastReport = this.started;
    constructor(label, log, intervalMs = 5000) {
        this.label = label;
        this.log = log;
        this.intervalMs = intervalMs;
    }
    /** `items` more to move, `bytes` more to stream (none for a blob that is mounted). */
    expect(bytes, items = 1) {
        this.totalBytes += bytes;
        this.totalItems += items;
    }
    /** Bytes of `item` moved so far in its current attempt (a retry starts it over). */
    update(item, bytes) {
        this.perItem.set(item, bytes);
        const now = Date.now();
        if (now - this.lastReport >= this.intervalMs) {
            this.lastReport = now;
            this.report();
        }
    }
    finished() {
        this.done++;
    }
    get bytes() {
        let sum = 0;
        for (const b of this.perItem.values())
            sum += b;
        return sum;
    }
    report() {
        const bytes = this.bytes;
        const seconds = Math.max(0.001, (Date.now() - this.started) / 1000);
        const pct = this.totalBytes > 0 ? Math.floor((bytes / this.totalBytes) * 100) : 100;
        this.log.info(`${this.label}: ${formatBytes(bytes)} of ${formatBytes(this.totalBytes)} (${pct}%), ${this.done} of ${this.totalItems} blobs, ${formatBytes(bytes / seconds)}/s`);
    }
}

;// CONCATENATED MODULE: ./packages/publishing/src/oci/blob-transfer.ts

/**
 * `sent` is called once the upload's body has gone out whole, before the registry answers
 * (which takes it a round trip and its own check of the digest).
 */
async function streamBlob(from, to, blob, progress, sent = () => undefined) {
    await to.client.retrying(`copy ${blob.digest} to ${to.client.registry}/${to.repository}`, async () => {
        progress.update(blob.digest, 0);
        let moved = 0;
        // Stops the source when the upload ends first (refused, failed).
        const source = new AbortController();
        const upload = new UploadBody(sent);
        const writer = new VerifyingWriter(blob.digest, blob.size, upload, (n) => progress.update(blob.digest, (moved += n)));
        // The source's GET goes out beside the upload session's POST, not after it: a round
        // trip less per blob. What it reads before the upload's body opens waits in its read
        // buffers, which stop the socket when they are full.
        from.client
            .readBlob(from.repository, blob, writer, source.signal)
            .then(() => writer.end())
            .catch((err) => upload.fail(err));
        try {
            await to.client.uploadBlob(to.repository, blob.digest, blob.size, (request) => upload.open(request));
        }
        finally {
            source.abort();
        }
    });
    progress.finished();
}
/** An upload's body before its request exists: pieces wait, in order, until `open`. */
class UploadBody {
    sent;
    request;
    waiting = [];
    ended = false;
    failure;
    /** `sent`: when the request has written the whole body. */
    constructor(sent = () => undefined) {
        this.sent = sent;
    }
    write(piece, written) {
        if (this.request)
            this.request.write(piece, () => written());
        else
            this.waiting.push({ piece, written });
    }
    end() {
        if (this.request)
            this.request.end(this.sent);
        else
            this.ended = true;
    }
    fail(err) {
        if (this.request)
            this.request.destroy(err);
        else
            this.failure = err;
    }
    open(request) {
        if (this.failure) {
            request.destroy(this.failure);
            return;
        }
        this.request = request;
        for (const { piece, written } of this.waiting)
            request.write(piece, () => written());
        this.waiting = [];
        if (this.ended)
            request.end(this.sent);
    }
}

;// CONCATENATED MODULE: ./packages/publishing/src/oci/promote-execute.ts





/** Manifest and tag PUTs in flight at once per destination: small, each a round trip. */
const PUTS_IN_FLIGHT = 16;
/**
 * Blobs up to this size (configs, attestation layers) move beside the large ones rather
 * than queued behind them: each is a round trip or two and next to no bytes, and
 * `concurrency` is there to share the link among the large ones.
 */
const SMALL_BLOB_BYTES = 256 * 1024;
async function executePlan(plan, options) {
    const counts = { blobsCopied: 0, blobsMounted: 0, bytesCopied: 0, manifestsPushed: 0 };
    const movingLarge = limiter(options.concurrency);
    const movingSmall = limiter(PUTS_IN_FLIGHT);
    const moving = (blob, task) => (blob.size <= SMALL_BLOB_BYTES ? movingSmall : movingLarge)(task);
    // When each blob is in each destination repository, for the mounts that take it from there.
    const arrivals = new Map();
    const arrivalKey = (registry, repository, digest) => `${registry}/${repository}|${digest}`;
    const carryOut = (dest) => {
        const client = options.clients.get(dest.registry);
        const where = `${dest.registry}/${dest.repository}`;
        const progress = new TransferProgress(`copying to ${where}`, options.log);
        const move = async (blob) => {
            if (blob.action === 'mount') {
                // The repository it is mounted from may be receiving it in this run.
                await arrivals.get(arrivalKey(dest.registry, blob.from, blob.digest));
                if (await moving(blob, () => client.mountBlob(dest.repository, blob.digest, blob.from))) {
                    counts.blobsMounted++;
                    progress.finished();
                    return;
                }
                options.log.info(`${dest.registry} declined to mount ${shortDigest(blob.digest)}; streaming it`);
                progress.expect(blob.size, 0);
            }
            // A blob whose bytes have all gone out moves no more: the next one starts while the
            // registry checks its digest and the answer travels back, a round trip earlier.
            await moving(blob, (leave) => streamBlob(options.source, { client, repository: dest.repository }, blob, progress, leave));
            counts.blobsCopied++;
            counts.bytesCopied += blob.size;
        };
        // Registered before anything is awaited: a later destination's mount finds them.
        const moves = dest.blobs
            .filter((b) => b.action !== 'skip')
            .map((blob) => {
            progress.expect(blob.action === 'copy' ? blob.size : 0);
            const moved = awaitedLater(move(blob));
            arrivals.set(arrivalKey(dest.registry, dest.repository, blob.digest), moved);
            return moved;
        });
        return (async () => {
            await settleAll(moves);
            // Subjects the registry said it indexed for its referrers API (OCI-Subject).
            const indexed = new Set();
            if (moves.length > 0)
                progress.report();
            // By digest, which moves no tag; a level lists only what earlier levels hold. The
            // image's own manifest waits for its tag when it gets one here: the tag's PUT stores
            // it (setTags), a round trip less than storing it first.
            const storedByTag = plan.tags.some((t) => t.registry === dest.registry && t.repository === dest.repository && t.action === 'set');
            for (const level of dest.manifestLevels) {
                const deferred = storedByTag ? level.filter((m) => m.action === 'push' && m.manifest.digest === plan.root.digest) : [];
                counts.manifestsPushed += deferred.length;
                await mapLimit(level.filter((m) => m.action === 'push' && !deferred.includes(m)), PUTS_IN_FLIGHT, async ({ manifest }) => {
                    const listedBySubject = await client.putManifest(dest.repository, manifest.digest, manifest);
                    const subject = subjectOf(manifest);
                    if (listedBySubject && subject)
                        indexed.add(subject);
                    counts.manifestsPushed++;
                });
            }
            // The fallback tags list artifacts pushed above; cosign's tags go before the image's
            // own, so whoever verifies finds the signatures as soon as the image is tagged.
            await mapLimit(dest.referrerIndexes.filter((r) => r.action === 'push' || (r.action === 'unless-indexed' && !indexed.has(r.subject))), PUTS_IN_FLIGHT, (r) => client.putManifest(dest.repository, r.tag, r.index));
            await mapLimit(dest.cosignTags.filter((t) => t.action === 'push'), PUTS_IN_FLIGHT, async ({ tag, manifest }) => {
                await client.putManifest(dest.repository, tag, manifest);
                options.log.info(`tagged ${where}:${tag} -> ${shortDigest(manifest.digest)}`);
            });
        })();
    };
    await settleAll(plan.destinations.map(carryOut));
    return counts;
}
/** The image's tags that are not at its digest yet, once executePlan has put everything they point at in place. */
async function setTags(plan, options) {
    await mapLimit(plan.tags.filter((t) => t.action === 'set'), PUTS_IN_FLIGHT, async (t) => {
        await options.clients.get(t.registry).putManifest(t.repository, t.tag, plan.root);
        options.log.info(`tagged ${t.ref} -> ${shortDigest(plan.root.digest)}${t.previous ? ` (was ${shortDigest(t.previous)})` : ''}`);
    });
}

// EXTERNAL MODULE: ./packages/publishing/src/http/pumped-get.ts + 1 modules
var pumped_get = __nccwpck_require__(7643);
// EXTERNAL MODULE: ./packages/publishing/src/http/request-error.ts
var request_error = __nccwpck_require__(5510);
;// CONCATENATED MODULE: ./packages/publishing/src/http/check-response.ts
// One reading of an HTTP answer a client did not want, for every client of the suite (the
// registries and their token services, Docker Hub, the Central Portal, GitHub): a typed
// error that knows whether another attempt may help and how long the server asked to wait,
// with the server's own words from its error body, whatever the vendor's shape. Clients
// turn what is not retryable into their own errors, which say what to change.



/** A rate limit that states no wait: GitHub's advice for its secondary rate limits is at least a minute. */
const RATE_LIMIT_FALLBACK_MS = 60_000;
/** An error body is read up to this size: a message, not a page. */
const MAX_ERROR_BODY = 64 * 1024;
/** Text that is no known shape is quoted up to this many characters. */
const MAX_QUOTED = 300;
/** An answer a client did not want: its request and status, what its body said, and whether to try again. */
class HttpStatusError extends AttemptError {
    request;
    status;
    body;
    headers;
    retryable;
    retryAfterMs;
    waitIsFallback;
    constructor(
    /** The request, as errors name it (describeRequest). */
    request, status, body, headers, advice) {
        super((0,secrets/* redact */.E$)(`${request}: HTTP ${status}${body.message ? `: ${body.message}` : ''}`));
        this.request = request;
        this.status = status;
        this.body = body;
        this.headers = headers;
        this.name = 'HttpStatusError';
        this.retryable = advice.retryable;
        this.retryAfterMs = advice.waitMs;
        this.waitIsFallback = advice.fallback === true;
    }
}
/**
 * undefined when `res.status` is one of `ok` (default: any 2xx), the body left for the caller;
 * else the HttpStatusError it comes to, its body read (up to 64 KB).
 */
async function checkResponse(res, method, ok) {
    if (ok ? ok.includes(res.status) : res.status >= 200 && res.status < 300)
        return undefined;
    return statusError(method, res.url, res.status, res.headers, await readErrorBody(res));
}
/** The HttpStatusError of an answer already read (Octokit reads it itself). */
function statusError(method, url, status, headers, body, now = Date.now()) {
    const parsed = parseErrorBody(body);
    return new HttpStatusError((0,request_error/* describeRequest */.Ng)(method, url), status, parsed, headers, retryAdvice(status, headers, parsed.message, now));
}
/**
 * The message (and code) of an error body, in each vendor's shape:
 * - OCI distribution and Docker's token services, `{"errors":[{"code","message","detail"}]}`
 *   (distribution-spec, "Error Codes"; distribution's token auth specification);
 * - Docker Hub's token service (auth.docker.io), `{"details":"..."}`;
 * - Docker Hub's API, `{"message":"...","errinfo":{...}}`, and `{"detail":"..."}` on some
 *   refusals (Docker Hub API reference, "ErrorResponse");
 * - the Central Portal, `{"error":{"message":"..."}}` or `{"error":"..."}`
 *   (https://central.sonatype.com/api-doc);
 * - GitHub, `{"message":"...","documentation_url":"...","errors":[{"resource","field","code","message"?}]}`
 *   ("Troubleshooting the REST API", "Client errors");
 * - OAuth2 token endpoints, `{"error":"invalid_grant","error_description":"..."}` (RFC 6749 5.2).
 * Anything else (an HTML page from a proxy, plain text) is quoted, shortened.
 */
function parseErrorBody(text) {
    const trimmed = text.trim();
    if (!trimmed)
        return { message: '' };
    let json;
    try {
        json = JSON.parse(trimmed);
    }
    catch {
        return { message: quote(trimmed) };
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json))
        return { message: quote(trimmed) };
    const body = json;
    // OAuth2 token endpoints (RFC 6749 5.2), as Docker's for identity tokens: {"error","error_description"}.
    if (typeof body.error === 'string' && typeof body.error_description === 'string') {
        return { code: body.error, message: `${body.error}: ${body.error_description}` };
    }
    const items = Array.isArray(body.errors) ? body.errors.filter((e) => typeof e === 'object' && e !== null) : [];
    const itemText = items.map(itemMessage).filter(Boolean).join('; ');
    const top = textOf(body.message) ?? errorField(body.error) ?? textOf(body.details) ?? textOf(body.detail);
    // A token service may say the same twice (errors[].message and details): once is enough.
    if (top !== undefined)
        return { ...codeOf(items), message: itemText && itemText !== top ? `${top} (${itemText})` : top };
    if (itemText)
        return { ...codeOf(items), message: itemText };
    return { message: quote(trimmed) };
}
function itemMessage(item) {
    // OCI: message and a detail string; GitHub: message, or what is wrong with which field.
    const message = [textOf(item.message), textOf(item.detail)].filter(Boolean).join(' ');
    if (message)
        return message;
    const field = [textOf(item.resource), textOf(item.field)].filter(Boolean).join('.');
    const code = textOf(item.code);
    return field && code ? `${field}: ${code}` : '';
}
function codeOf(items) {
    const code = items.length > 0 ? textOf(items[0].code) : undefined;
    return code ? { code } : {};
}
function errorField(error) {
    return typeof error === 'object' && error !== null ? textOf(error.message) : textOf(error);
}
function textOf(value) {
    return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}
function quote(text) {
    return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}...` : text;
}
/**
 * Whether an answer is worth another attempt, and after how long, by one rule for every
 * vendor:
 * - a rate limit (429; a 403 with Retry-After, `x-ratelimit-remaining: 0` or saying "rate
 *   limit", as GitHub answers both ways) waits as Retry-After says, else until
 *   `x-ratelimit-reset`, else a minute ("Rate limits for the REST API", GitHub);
 * - 408 and 5xx but 501 and 505 wait as Retry-After says, else back off;
 * - anything else is an answer: another attempt would get the same.
 */
function retryAdvice(status, headers, message, now = Date.now()) {
    const header = (name) => {
        const value = headers[name];
        return value === undefined ? undefined : String(Array.isArray(value) ? value[0] : value);
    };
    const retryAfter = parseRetryAfter(header('retry-after'), now);
    const reset = Number(header('x-ratelimit-reset'));
    const exhausted = header('x-ratelimit-remaining') === '0' && Number.isFinite(reset);
    const rateLimited = status === 429 || (status === 403 && (retryAfter !== undefined || exhausted || /rate limit/i.test(message)));
    if (rateLimited) {
        if (retryAfter !== undefined)
            return { retryable: true, waitMs: retryAfter };
        if (exhausted)
            return { retryable: true, waitMs: Math.max(0, reset * 1000 - now) };
        return { retryable: true, waitMs: RATE_LIMIT_FALLBACK_MS, fallback: true };
    }
    if (isRetryableStatus(status))
        return { retryable: true, ...(retryAfter !== undefined ? { waitMs: retryAfter } : {}) };
    return { retryable: false };
}
/** The first bytes of an error body, the rest read and dropped so the connection can be reused. */
async function readErrorBody(res) {
    const chunks = [];
    let size = 0;
    try {
        for await (const chunk of res.body) {
            const piece = chunk;
            if (size < MAX_ERROR_BODY)
                chunks.push(piece.subarray(0, MAX_ERROR_BODY - size));
            size += piece.length;
        }
    }
    catch {
        // A body cut short: what arrived is all the message there is.
    }
    return Buffer.concat(chunks).toString('utf8');
}

// EXTERNAL MODULE: ./packages/publishing/src/http/transport.ts
var transport = __nccwpck_require__(1445);
;// CONCATENATED MODULE: ./packages/publishing/src/oci/challenge.ts
// Parsing of `WWW-Authenticate` challenges, e.g.
//   Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull"
function parseChallenge(header) {
    const value = Array.isArray(header) ? header[0] : header;
    if (!value)
        return undefined;
    const match = /^\s*(\w+)\s*(.*)$/s.exec(value);
    if (!match)
        return undefined;
    const scheme = match[1].toLowerCase();
    if (scheme !== 'bearer' && scheme !== 'basic')
        return undefined;
    const params = {};
    const param = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?/g;
    for (let m = param.exec(match[2]); m; m = param.exec(match[2])) {
        params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
    }
    return { scheme, params };
}

;// CONCATENATED MODULE: ./packages/publishing/src/oci/errors.ts

/** A registry's answer that ends an operation: status, the registry's error code and message. */
class RegistryError extends errors/* DomainError */.J {
    operation;
    status;
    code;
    constructor(operation, status, code, detail, subject) {
        super(`${operation}: HTTP ${status}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`, subject ? { subject } : {});
        this.operation = operation;
        this.status = status;
        this.code = code;
    }
}
/** The registry refused an operation to these credentials (401/403 after authenticating). */
class PermissionError extends RegistryError {
    registry;
    constructor(registry, operation, status, code, detail) {
        super(operation, status, code, detail, { kind: 'credentials', service: 'registry', address: registry });
        this.registry = registry;
    }
}
/** The registry, or its token service, refused the credentials given for it (or their absence). */
class AuthenticationError extends errors/* DomainError */.J {
    registry;
    constructor(registry, message) {
        super(message, { subject: { kind: 'credentials', service: 'registry', address: registry } });
        this.registry = registry;
    }
}

;// CONCATENATED MODULE: ./packages/publishing/src/oci/auth.ts
// Registry authentication as Docker does it: an unauthenticated request gets 401 with a
// challenge; for Bearer, a token for the needed scopes comes from the realm (with Basic
// credentials, or anonymously); for Basic, the credentials go on every request. One
// token covers every scope a client declared up front (pull on the source, pull,push on
// the destination, pull on a mount source), so a promotion costs one token request per
// registry. Tokens are cached and refreshed shortly before they expire.
//
// The token service is retried like any other request: a 5xx, a 429 or a dropped
// connection says nothing about the credentials, and only its 401 or 403 blames them.







/** The client_id an OAuth2 token request must name; any string, so the Docker client's. */
const OAUTH_CLIENT_ID = 'docker';
/** Renew a token this long before it expires (a quarter of its life for short-lived ones). */
const REFRESH_MARGIN_MS = 10_000;
class RegistryAuth {
    registry;
    credentials;
    scopes;
    retry;
    now;
    challenge;
    token;
    pending;
    constructor(registry, credentials, scopes, retry = {}, now = Date.now) {
        this.registry = registry;
        this.credentials = credentials;
        this.scopes = scopes;
        this.retry = retry;
        this.now = now;
        if (credentials.username && credentials.password)
            (0,secrets/* addBasicCredentials */._8)(credentials.username, credentials.password);
        else
            (0,secrets/* addSecret */.Ck)(credentials.password);
        (0,secrets/* addSecret */.Ck)(credentials.identityToken);
    }
    /** The Authorization header for the next request, if any is known to be needed. */
    async header() {
        if (this.challenge?.scheme === 'basic')
            return this.basic();
        if (this.challenge?.scheme === 'bearer') {
            if (!this.token || this.token.renewAt <= this.now())
                await this.fetchTokenOnce();
            return this.token ? `Bearer ${this.token.value}` : undefined;
        }
        return undefined;
    }
    /**
     * Called with a 401's challenge: learns the scheme and renews the token. The caller
     * retries the request once; a second 401 means the credentials lack the permission.
     */
    async unauthorized(wwwAuthenticate, hadAuthorization) {
        const challenge = parseChallenge(wwwAuthenticate);
        if (!challenge)
            return false;
        this.challenge = challenge;
        if (challenge.scheme === 'basic') {
            if (!this.credentials.username || !this.credentials.password) {
                const why = this.credentials.identityToken ? 'an identity token works only with Bearer token auth' : 'none were given';
                throw new AuthenticationError(this.registry, `${this.registry} requires credentials (Basic auth) and ${why}`);
            }
            if (hadAuthorization) {
                throw new AuthenticationError(this.registry, `${this.registry} rejected the credentials of user "${this.credentials.username}"`);
            }
            return true;
        }
        this.token = undefined;
        await this.fetchTokenOnce();
        return true;
    }
    basic() {
        return `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
    }
    fetchTokenOnce() {
        this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
        return this.pending;
    }
    async fetchToken() {
        const { realm, service } = this.challenge.params;
        if (!realm)
            throw new AuthenticationError(this.registry, `${this.registry} sent a Bearer challenge without a realm`);
        const url = new URL(realm);
        const headers = { Accept: 'application/json' };
        const { username, password, identityToken } = this.credentials;
        // An identity token goes in Docker's OAuth2 form (distribution's docs/spec/auth/oauth.md):
        // a POST body with the scopes space-separated; credentials go as Basic on a GET.
        const form = identityToken
            ? Buffer.from(new URLSearchParams({
                grant_type: 'refresh_token',
                refresh_token: identityToken,
                client_id: OAUTH_CLIENT_ID,
                ...(service ? { service } : {}),
                scope: this.scopes.join(' '),
            }).toString())
            : undefined;
        if (form) {
            headers['Content-Type'] = 'application/x-www-form-urlencoded';
            headers['Content-Length'] = String(form.length);
        }
        else {
            if (service)
                url.searchParams.set('service', service);
            for (const scope of this.scopes)
                url.searchParams.append('scope', scope);
            if (username && password) {
                headers.Authorization = this.basic();
                url.searchParams.set('account', username);
            }
        }
        const method = form ? 'POST' : 'GET';
        const request = (0,request_error/* describeRequest */.Ng)(method, url.toString());
        // Answers that are not a token and not a refusal: the token service's fault, not the credentials'.
        const serviceFault = (status, detail) => new RegistryError(`${this.registry}: the token service (${request})`, status, undefined, detail);
        const body = await withRetry(`${this.registry}: the token service`, async () => {
            const res = await (0,transport/* send */.tN)({ method, url: url.toString(), headers, ...(form ? { body: form } : {}) });
            const failure = await checkResponse(res, method, [200]);
            if (failure?.retryable)
                throw failure;
            // RFC 6749 5.2: an OAuth2 token endpoint refuses a refresh token with 400 invalid_grant.
            if (failure && (failure.status === 401 || failure.status === 403 || (form && failure.status === 400 && failure.body.code === 'invalid_grant'))) {
                const who = identityToken ? 'the identity token' : username ? `the credentials of user "${username}"` : 'anonymous access';
                throw new AuthenticationError(this.registry, `${this.registry}: the token service (${request}) rejected ${who} (HTTP ${failure.status}${prefixed(failure.body.message)})`);
            }
            if (failure)
                throw serviceFault(failure.status, failure.body.message);
            return (0,transport/* readBody */.x8)(res, 1024 * 1024);
        }, { policy: this.retry.policy ?? DEFAULT_RETRY, ...(this.retry.onRetry ? { onRetry: this.retry.onRetry } : {}) });
        let parsed;
        try {
            parsed = JSON.parse(body.toString('utf8'));
        }
        catch {
            throw serviceFault(200, 'the answer is not JSON');
        }
        const value = parsed.token ?? parsed.access_token;
        if (!value)
            throw serviceFault(200, 'the answer holds no token');
        (0,secrets/* addSecret */.Ck)(value);
        // The spec's default lifetime is 60 s when expires_in is absent.
        const issuedAt = parsed.issued_at ? Date.parse(parsed.issued_at) : NaN;
        const start = Number.isNaN(issuedAt) ? this.now() : Math.min(issuedAt, this.now());
        const lifetimeMs = (parsed.expires_in ?? 60) * 1000;
        this.token = { value, expiresAt: start + lifetimeMs, renewAt: start + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 4) };
    }
}
function prefixed(detail) {
    return detail ? `: ${detail}` : '';
}

;// CONCATENATED MODULE: ./packages/publishing/src/oci/reference.ts
// Image references as Docker, crane and skopeo read them: [registry/]repository[:tag][@digest].
// Grammar from distribution/reference; docker.io rules (library/ for official images,
// registry-1.docker.io as the API host) as the Docker CLI applies them.

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$|^sha512:[a-f0-9]{128}$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?$|^\[[0-9a-fA-F:]+\](?::[0-9]+)?$/;
const DOCKER_HUB = 'docker.io';
// Other host names Docker Hub answers to, which mean docker.io in a reference.
const DOCKER_HUB_ALIASES = new Set(['index.docker.io', 'registry-1.docker.io']);
class ReferenceError extends errors/* DomainError */.J {
    reason;
    constructor(reference, reason) {
        super(`"${reference}" is not a valid image reference: ${reason}`);
        this.reason = reason;
    }
}
function parseReference(input) {
    const text = input.trim();
    if (!text)
        throw new ReferenceError(input, 'it is empty');
    let rest = text;
    let digest;
    const at = rest.indexOf('@');
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!DIGEST.test(digest))
            throw new ReferenceError(input, `"${digest}" is not a digest (expected sha256: and 64 lowercase hex digits)`);
    }
    let tag;
    const lastSlash = rest.lastIndexOf('/');
    const colon = rest.lastIndexOf(':');
    if (colon > lastSlash) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG.test(tag))
            throw new ReferenceError(input, `"${tag}" is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)`);
    }
    const parts = rest.split('/');
    let registry = DOCKER_HUB;
    const first = parts[0];
    if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['))) {
        registry = parts.shift();
        if (!DOMAIN.test(registry))
            throw new ReferenceError(input, `"${registry}" is not a valid registry host`);
    }
    if (DOCKER_HUB_ALIASES.has(registry))
        registry = DOCKER_HUB;
    if (parts.length === 0 || parts.some((p) => !p))
        throw new ReferenceError(input, 'the repository path is empty');
    for (const part of parts) {
        if (!COMPONENT.test(part)) {
            const hint = part !== part.toLowerCase() ? 'repository names must be lowercase' : 'use lowercase letters, digits and single separators (. _ __ -)';
            throw new ReferenceError(input, `"${part}" is not a valid path component: ${hint}`);
        }
    }
    if (registry === DOCKER_HUB && parts.length === 1)
        parts.unshift('library');
    const repository = parts.join('/');
    if (repository.length > 255)
        throw new ReferenceError(input, 'the repository path is longer than 255 characters');
    return { registry, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}
/** The registry a host name means: host names ignore case, and Docker Hub has several. */
function canonicalRegistry(host) {
    const lower = host.toLowerCase();
    return DOCKER_HUB_ALIASES.has(lower) ? DOCKER_HUB : lower;
}
/** The host the registry API is served from (Docker Hub serves docker.io elsewhere). */
function apiHost(registry) {
    return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}
function formatReference(ref) {
    const base = `${ref.registry}/${ref.repository}`;
    return `${base}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}
function isTag(value) {
    return TAG.test(value);
}

;// CONCATENATED MODULE: ./packages/publishing/src/oci/registry-client.ts
// The OCI distribution API of one registry: manifests, blobs (HEAD, cross-repository
// mount, streamed upload), tags, referrers, deletes. Every operation retries transient
// failures (429 with Retry-After, 5xx, dropped connections) as a whole, re-opening its
// streams, so a registry hiccup mid-copy does not fail a promotion.










const MAX_REDIRECTS = 5;
class RegistryClient {
    registry;
    base;
    auth;
    log;
    retry;
    /** Docker Hub's pull allowance, from the last response that carried it. */
    rateLimitRemaining;
    /** Whether the registry serves the OCI referrers API; learned on first use. */
    referrersApi;
    pinged;
    connections;
    constructor(options) {
        this.registry = options.registry;
        this.base = (0,transport/* baseUrl */.pc)(apiHost(options.registry), options.insecureRegistries);
        this.log = options.log;
        this.retry = options.retry ?? DEFAULT_RETRY;
        if (options.connections)
            this.connections = options.connections;
        this.auth = new RegistryAuth(options.registry, options.credentials ?? {}, options.scopes, { policy: this.retry, onRetry: (m) => this.log.warning(m) });
    }
    /** The manifest's exact bytes, or undefined when the registry does not have it. */
    getManifest(repository, reference) {
        const operation = `GET ${this.registry}/${repository} manifest ${reference}`;
        return this.retrying(operation, async () => {
            const res = await this.request('GET', `/v2/${repository}/manifests/${reference}`, { headers: { Accept: ACCEPT_MANIFESTS }, ok: [200, 404], operation });
            if (res.status === 404) {
                await (0,transport/* discardBody */.LL)(res);
                return undefined;
            }
            const bytes = await (0,transport/* readBody */.x8)(res, 4 * 1024 * 1024);
            const digest = sha256Digest(bytes);
            if (reference.includes(':') && reference !== digest) {
                throw new DigestMismatchError(`${operation}: the registry served a manifest whose digest is ${digest}`);
            }
            return { bytes, digest, mediaType: manifestMediaType(bytes, res.headers['content-type']) };
        });
    }
    /** Digest a tag (or digest) currently resolves to, without downloading the manifest. */
    resolveDigest(repository, reference) {
        const operation = `HEAD ${this.registry}/${repository} manifest ${reference}`;
        return this.retrying(operation, async () => {
            const res = await this.request('HEAD', `/v2/${repository}/manifests/${reference}`, { headers: { Accept: ACCEPT_MANIFESTS }, ok: [200, 404], operation });
            await (0,transport/* discardBody */.LL)(res);
            if (res.status === 404)
                return undefined;
            const digest = res.headers['docker-content-digest'];
            if (typeof digest === 'string' && digest)
                return digest;
            // Some registries omit the header on HEAD: fall back to the manifest itself.
            return (await this.getManifest(repository, reference))?.digest;
        });
    }
    /** Whether the repository has the manifest with this digest. */
    async hasManifest(repository, digest) {
        return (await this.resolveDigest(repository, digest)) === digest;
    }
    /**
     * Stores a manifest. True when the registry answered with `OCI-Subject`: it indexed the
     * manifest's subject for its referrers API, so no fallback tag is needed (OCI distribution 1.1).
     */
    putManifest(repository, reference, manifest) {
        const operation = `PUT ${this.registry}/${repository} manifest ${reference}`;
        return this.retrying(operation, async () => {
            const res = await this.request('PUT', `/v2/${repository}/manifests/${reference}`, {
                headers: { 'Content-Type': manifest.mediaType, 'Content-Length': String(manifest.bytes.length) },
                body: manifest.bytes,
                ok: [201, 200],
                operation,
            });
            await (0,transport/* discardBody */.LL)(res);
            const stored = res.headers['docker-content-digest'];
            if (typeof stored === 'string' && stored && stored !== manifest.digest) {
                throw new DigestMismatchError(`${operation}: the registry stored the manifest as ${stored}, expected ${manifest.digest}`);
            }
            return typeof res.headers['oci-subject'] === 'string';
        });
    }
    deleteManifest(repository, digest) {
        const operation = `DELETE ${this.registry}/${repository} manifest ${digest}`;
        return this.retrying(operation, async () => {
            const res = await this.request('DELETE', `/v2/${repository}/manifests/${digest}`, { ok: [202, 200, 404], operation });
            await (0,transport/* discardBody */.LL)(res);
            return res.status !== 404;
        });
    }
    hasBlob(repository, digest) {
        const operation = `HEAD ${this.registry}/${repository} blob ${digest}`;
        return this.retrying(operation, async () => {
            const res = await this.request('HEAD', `/v2/${repository}/blobs/${digest}`, { ok: [200, 404], operation });
            await (0,transport/* discardBody */.LL)(res);
            return res.status === 200;
        });
    }
    /**
     * Cross-repository mount inside this registry. Returns true when mounted; false when
     * the registry declined (it then opened an upload session, which is cancelled).
     */
    mountBlob(repository, digest, fromRepository) {
        const operation = `mount ${digest} from ${this.registry}/${fromRepository} into ${repository}`;
        return this.retrying(operation, async () => {
            const query = `mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(fromRepository)}`;
            const res = await this.request('POST', `/v2/${repository}/blobs/uploads/?${query}`, { headers: { 'Content-Length': '0' }, ok: [201, 202], operation });
            await (0,transport/* discardBody */.LL)(res);
            if (res.status === 201)
                return true;
            const location = res.headers.location;
            if (location)
                await this.request('DELETE', location, { ok: [204, 200, 404], operation: `cancel upload ${digest}` }).then(transport/* discardBody */.LL, () => { });
            return false;
        });
    }
    /** Reads a blob into `sink`, following the registry's redirect to its storage; resolves once all of it went through. */
    async readBlob(repository, blob, sink, signal) {
        const operation = `GET ${this.registry}/${repository} blob ${blob.digest}`;
        await this.request('GET', `/v2/${repository}/blobs/${blob.digest}`, {
            ok: [200],
            operation,
            into: { sink, expectedBytes: blob.size, ...(signal ? { signal } : {}) },
        });
    }
    /** Uploads a blob of known digest and size: POST an upload session, PUT the bytes. */
    async uploadBlob(repository, digest, size, body) {
        const operation = `upload ${digest} to ${this.registry}/${repository}`;
        const start = await this.request('POST', `/v2/${repository}/blobs/uploads/`, { headers: { 'Content-Length': '0' }, ok: [202], operation });
        await (0,transport/* discardBody */.LL)(start);
        const location = start.headers.location;
        if (!location)
            throw new RegistryError(operation, start.status, undefined, 'no Location for the upload session');
        const url = new URL(location, this.base);
        url.searchParams.set('digest', digest);
        const res = await this.request('PUT', url.toString(), {
            headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) },
            body,
            ok: [201, 204],
            operation,
        });
        await (0,transport/* discardBody */.LL)(res);
    }
    /** Uploads a small blob held in memory (configs, empty descriptors), with retries. */
    pushBlob(repository, digest, bytes) {
        return this.retrying(`push ${digest} to ${this.registry}/${repository}`, () => this.uploadBlob(repository, digest, bytes.length, bytes));
    }
    async listTags(repository) {
        const tags = [];
        let path = `/v2/${repository}/tags/list?n=1000`;
        while (path) {
            const operation = `list tags of ${this.registry}/${repository}`;
            const current = path;
            const { page, next } = await this.retrying(operation, async () => {
                const res = await this.request('GET', current, { ok: [200, 404], operation });
                if (res.status === 404) {
                    await (0,transport/* discardBody */.LL)(res);
                    return { page: [], next: undefined };
                }
                const body = JSON.parse((await (0,transport/* readBody */.x8)(res)).toString('utf8'));
                return { page: body.tags ?? [], next: nextLink(headerValue(res.headers.link)) };
            });
            tags.push(...page);
            path = next;
        }
        return tags;
    }
    /**
     * What the OCI referrers API lists for `digest`. A registry with the API answers 200 for
     * any digest, also one nothing refers to; 'no api' when the registry does not serve it
     * (learned once, and not asked again); 'no repository' when it answers that the
     * repository does not exist, which leaves open whether it serves the API.
     */
    referrersByApi(repository, digest) {
        if (this.referrersApi === false)
            return Promise.resolve('no api');
        const operation = `referrers of ${this.registry}/${repository}@${digest}`;
        return this.retrying(operation, async () => {
            const res = await this.request('GET', `/v2/${repository}/referrers/${digest}`, {
                headers: { Accept: MediaType.OciIndex },
                ok: [200, 404, 400, 405],
                operation,
            });
            const contentType = String(res.headers['content-type'] ?? '');
            if (res.status === 200 && contentType.startsWith(MediaType.OciIndex)) {
                this.referrersApi = true;
                return JSON.parse((await (0,transport/* readBody */.x8)(res)).toString('utf8')).manifests ?? [];
            }
            const body = await (0,transport/* readBody */.x8)(res, 64 * 1024).catch(() => Buffer.alloc(0));
            if (res.status === 404 && parseErrorBody(body.toString('utf8')).code === 'NAME_UNKNOWN')
                return 'no repository';
            this.referrersApi = false;
            return 'no api';
        });
    }
    /** Opens connections now for a burst of requests and blob reads to come (see ConnectionsAhead). */
    openConnections(counts) {
        void awaitedLater((0,transport/* openConnections */.qP)(this.base, counts));
    }
    retrying(operation, work) {
        return withRetry(operation, work, { policy: this.retry, onRetry: (m) => this.log.warning(m) });
    }
    /**
     * Learns the registry's auth scheme once, with GET /v2/ as Docker and skopeo do, and gets
     * its token, so that the first burst of concurrent requests does not draw one 401 each.
     * Requests await it; calling it early overlaps it with other work.
     */
    authenticate() {
        this.pinged ??= (async () => {
            const res = await (0,transport/* send */.tN)({ method: 'GET', url: `${this.base}/v2/` });
            await (0,transport/* discardBody */.LL)(res);
            // Beside the ping's connection, back in the pool now: a handshake takes a round trip,
            // the token at least two (its own connection, then its answer), so they are ready first.
            if (this.connections)
                this.openConnections(this.connections);
            if (res.status === 401)
                await this.auth.unauthorized(res.headers['www-authenticate'], false);
        })().catch((err) => {
            this.pinged = undefined;
            throw err;
        });
        return this.pinged;
    }
    async request(method, pathOrUrl, options) {
        await this.authenticate();
        let url = new URL(pathOrUrl, this.base).toString();
        for (let attempt = 0, redirects = 0;;) {
            const authorization = sameOrigin(url, this.base) ? await this.auth.header() : undefined;
            const headers = { ...options.headers, ...(authorization ? { Authorization: authorization } : {}) };
            const res = options.into
                ? await (0,pumped_get/* getInto */.$F)({ url, headers, expectedBytes: options.into.expectedBytes, ...(options.into.signal ? { signal: options.into.signal } : {}) }, options.into.sink)
                : await (0,transport/* send */.tN)({ method, url, headers, ...(options.body ? { body: options.body } : {}) });
            this.noteRateLimit(res);
            if (res.status === 401 && attempt === 0) {
                await (0,transport/* discardBody */.LL)(res);
                attempt++;
                const renewed = await this.auth.unauthorized(res.headers['www-authenticate'], authorization !== undefined);
                // A streamed body is spent: the whole operation starts over with the new token.
                if (renewed && typeof options.body === 'function')
                    throw new RetryableError('token renewed', 0);
                if (renewed)
                    continue;
            }
            if ((res.status === 307 || res.status === 302 || res.status === 301 || res.status === 303) &&
                method !== 'PUT' &&
                res.headers.location &&
                redirects < MAX_REDIRECTS) {
                await (0,transport/* discardBody */.LL)(res);
                // Blob storage behind a redirect gets no registry credentials (sameOrigin above).
                url = new URL(res.headers.location, url).toString();
                redirects++;
                continue;
            }
            const failure = await checkResponse(res, method, options.ok);
            if (!failure)
                return res;
            if (failure.retryable)
                throw failure;
            const { code, message } = failure.body;
            if (res.status === 401 || res.status === 403) {
                throw new PermissionError(this.registry, options.operation, res.status, code ?? 'DENIED', `${message || 'access denied'} (the credentials for ${this.registry} lack the permission for this)`);
            }
            throw new RegistryError(options.operation, res.status, code, message);
        }
    }
    noteRateLimit(res) {
        const remaining = headerValue(res.headers['ratelimit-remaining']);
        if (remaining && remaining !== this.rateLimitRemaining) {
            this.rateLimitRemaining = remaining;
            this.log.debug(`${this.registry} rate limit remaining: ${remaining}`);
        }
    }
}
function referrersTag(digest) {
    return digest.replace(':', '-');
}
function manifestMediaType(bytes, contentType) {
    try {
        const declared = JSON.parse(bytes.toString('utf8')).mediaType;
        if (declared)
            return declared;
    }
    catch {
        // Not JSON: the Content-Type header is all we have.
    }
    return (contentType ?? MediaType.OciManifest).split(';')[0].trim();
}
function nextLink(link) {
    const match = link ? /<([^>]+)>;\s*rel="?next"?/.exec(link) : null;
    return match?.[1];
}
function headerValue(value) {
    return Array.isArray(value) ? value[0] : value;
}
function sameOrigin(a, b) {
    return new URL(a).origin === new URL(b).origin;
}

;// CONCATENATED MODULE: ./packages/publishing/src/oci/promote-plan.ts
// The plan of a promotion: a pure function from what was found on the source and at each
// destination (promote-resolve.ts) to what must be done there, item by item. Nothing
// here touches a registry: table-driven tests check it, dry-run prints it, and
// promote-execute.ts carries it out.





function planPromotion(resolved) {
    const { source } = resolved;
    const whats = describeManifests(source);
    const tops = [...new Map([source.root, ...source.referrers, ...source.cosignTags.map((t) => t.manifest)].map((m) => [m.digest, m])).values()];
    // Where each blob is, or will be once the destinations before have been carried out, per
    // registry: a later repository of that registry mounts it from there.
    const holders = new Map();
    const holderKey = (registry, digest) => `${registry}|${digest}`;
    const destinations = resolved.destinations.map((dest) => {
        const where = `${dest.registry}/${dest.repository}`;
        const planned = (manifest, action) => ({
            manifest,
            what: whats.get(manifest.digest) ?? 'manifest',
            action,
        });
        const absent = tops.filter((top) => !dest.manifests.get(top.digest));
        const trees = absent.map((top) => {
            const tree = source.trees.get(top.digest);
            if (!tree)
                throw new Error(`the plan needs the tree of ${top.digest}, which was not walked`);
            return tree;
        });
        const levels = [];
        const placed = new Set();
        for (const tree of trees) {
            manifestLevels(tree).forEach((level, i) => {
                for (const manifest of level) {
                    if (placed.has(manifest.digest))
                        continue;
                    placed.add(manifest.digest);
                    const held = manifest.digest !== tree.top.digest && dest.manifests.get(manifest.digest) === true;
                    (levels[i] ??= []).push(planned(manifest, held ? 'skip' : 'push'));
                }
            });
        }
        const needed = [...new Map(trees.flatMap((t) => t.blobs).map((b) => [b.digest, b])).values()].sort((a, b) => b.size - a.size);
        const blobs = needed.map((blob) => {
            const base = { destination: where, digest: blob.digest, size: blob.size };
            if (dest.blobs.get(blob.digest))
                return { ...base, action: 'skip' };
            const holder = dest.registry === source.registry ? source.repository : holders.get(holderKey(dest.registry, blob.digest));
            return holder && holder !== dest.repository ? { ...base, action: 'mount', from: holder } : { ...base, action: 'copy' };
        });
        for (const blob of needed)
            if (!holders.has(holderKey(dest.registry, blob.digest)))
                holders.set(holderKey(dest.registry, blob.digest), dest.repository);
        return {
            registry: dest.registry,
            repository: dest.repository,
            blobs,
            present: tops.filter((top) => dest.manifests.get(top.digest)).map((top) => planned(top, 'skip')),
            manifestLevels: levels.filter(Boolean),
            referrerIndexes: [...source.referrerIndexes].map(([subject, index]) => planReferrerIndex(subject, index, dest)),
            cosignTags: source.cosignTags.map(({ tag, manifest }) => {
                const current = dest.cosignTags.get(tag);
                const action = current === manifest.digest ? 'skip' : current ? 'keep' : 'push';
                return { tag, manifest, action, ...(current ? { current } : {}) };
            }),
        };
    });
    const tags = resolved.tags.flatMap((t) => {
        if (!t.tag)
            return [];
        const previous = t.current ?? '';
        const ref = `${t.registry}/${t.repository}:${t.tag}`;
        return [{ registry: t.registry, repository: t.repository, tag: t.tag, ref, previous, action: previous === source.root.digest ? 'skip' : 'set' }];
    });
    return {
        source: source.reference,
        sourceDigest: source.digest,
        root: source.root,
        platforms: source.platforms,
        destinations,
        tags,
        refs: resolved.tags.map((t) => (t.tag ? `${t.registry}/${t.repository}:${t.tag}` : `${t.registry}/${t.repository}@${source.root.digest}`)),
    };
}
/**
 * A destination with the referrers API indexes each artifact it is given (OCI distribution
 * 1.1); one without finds them through the fallback tag, which keeps whatever it listed
 * already.
 */
function planReferrerIndex(subject, index, dest) {
    const tag = referrersTag(subject);
    const listed = (m) => JSON.parse(m.bytes.toString('utf8')).manifests.length;
    if (dest.referrersApi)
        return { subject, tag, action: 'indexed', index, listed: listed(index) };
    const current = dest.referrerIndexes.get(subject);
    const merged = mergeReferrerIndex(index, current);
    if (!merged)
        return { subject, tag, action: 'skip', index: current, listed: listed(current) };
    return { subject, tag, action: dest.referrersApi === undefined ? 'unless-indexed' : 'push', index: merged, listed: listed(merged) };
}
/** What each manifest of the promotion is, for people, by digest. */
function describeManifests(source) {
    const whats = new Map();
    for (const tree of source.trees.values()) {
        for (const manifest of tree.manifests) {
            if (!isIndexMediaType(manifest.mediaType))
                continue;
            for (const child of JSON.parse(manifest.bytes.toString('utf8')).manifests)
                whats.set(child.digest, describeChild(child));
        }
    }
    for (const referrer of source.referrers)
        whats.set(referrer.digest, 'referrer');
    for (const { tag, manifest } of source.cosignTags)
        whats.set(manifest.digest, `cosign ${tag.slice(tag.lastIndexOf('.') + 1)}`);
    whats.set(source.root.digest, isIndexMediaType(source.root.mediaType) ? 'index' : 'image');
    return whats;
}
function describeChild(d) {
    if (isAttestationManifest(d))
        return 'attestation';
    return d.platform ? platformString(d.platform) : 'manifest';
}
function planTotals(plan) {
    const blobs = plan.destinations.flatMap((d) => d.blobs);
    const manifests = plan.destinations.flatMap((d) => [...d.present, ...d.manifestLevels.flat()]);
    const copies = blobs.filter((b) => b.action === 'copy');
    return {
        blobsToCopy: copies.length,
        bytesToCopy: copies.reduce((n, b) => n + b.size, 0),
        blobsToMount: blobs.filter((b) => b.action === 'mount').length,
        blobsPresent: blobs.filter((b) => b.action === 'skip').length,
        manifestsToPush: manifests.filter((m) => m.action === 'push').length,
        manifestsPresent: manifests.filter((m) => m.action === 'skip').length,
        tagsToSet: plan.tags.filter((t) => t.action === 'set').length,
        tagsUnchanged: plan.tags.filter((t) => t.action === 'skip').length,
    };
}

;// CONCATENATED MODULE: ./packages/publishing/src/oci/promote-plan-text.ts
// A promotion plan for people: one entry per blob, manifest and tag with its action, and
// the totals; as log lines (the step log, dry-run or not) and as job summary rows.


function planEntries(plan) {
    const entries = [];
    for (const dest of plan.destinations) {
        const destination = `${dest.registry}/${dest.repository}`;
        const add = (item, action) => entries.push({ stage: 'content', destination, item, action });
        for (const m of dest.present)
            add(`manifest ${shortDigest(m.manifest.digest)} (${m.what})`, 'already there, with everything it lists');
        for (const b of dest.blobs) {
            const action = b.action === 'skip' ? 'already there' : b.action === 'mount' ? `mount from ${b.from}` : 'copy';
            add(`blob ${shortDigest(b.digest)} (${formatBytes(b.size)})`, action);
        }
        for (const m of dest.manifestLevels.flat())
            add(`manifest ${shortDigest(m.manifest.digest)} (${m.what})`, m.action === 'push' ? 'push' : 'already there');
        for (const r of dest.referrerIndexes) {
            const action = r.action === 'indexed'
                ? 'none: the registry lists referrers itself (referrers API)'
                : r.action === 'push'
                    ? `tag ${r.tag}, listing ${r.listed}`
                    : r.action === 'unless-indexed'
                        ? `tag ${r.tag}, listing ${r.listed}, unless the registry lists referrers itself (referrers API)`
                        : `already there, listing all ${r.listed}`;
            add(`referrers of ${shortDigest(r.subject)}`, action);
        }
        for (const t of dest.cosignTags) {
            const action = t.action === 'push'
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
        action: `blobs: ${n.blobsToCopy} to copy (${formatBytes(n.bytesToCopy)}), ${n.blobsToMount} to mount, ${n.blobsPresent} already there; ` +
            `manifests: ${n.manifestsToPush} to push, ${n.manifestsPresent} already there; tags: ${n.tagsToSet} to set, ${n.tagsUnchanged} already there`,
    });
    return entries;
}
/** The plan as log lines: a heading per destination, then the tags', an indented line per entry, the totals last. */
function formatPlan(plan) {
    const lines = [`plan: ${plan.source} (${shortDigest(plan.sourceDigest)}) promoted as ${plan.root.digest}, ${plan.platforms}`];
    let heading = '';
    for (const entry of planEntries(plan)) {
        if (entry.stage === 'total') {
            lines.push(`${entry.item}: ${entry.action}`);
            continue;
        }
        const next = entry.stage === 'tags' ? 'tags, set last:' : `${entry.destination}:`;
        if (next !== heading)
            lines.push((heading = next));
        lines.push(`  ${entry.stage === 'tags' ? `${entry.destination} ` : ''}${entry.item}: ${entry.action}`);
    }
    return lines;
}

;// CONCATENATED MODULE: ./packages/publishing/src/oci/promote-resolve.ts
// Resolving a promotion: reading the source (its manifest, the image's tree, what refers
// to it) and what each destination holds of it. What a round trip answers decides what
// is asked next, so every question is asked as soon as what it depends on is known, and
// never later: the source's manifest, the destinations' tags and the source's referrer
// bookkeeping go at once; a destination whose tag already points at the image is asked
// nothing more about it; a tree is walked only when some destination lacks its top.







class PromoteError extends errors/* DomainError */.J {
}
/**
 * Small requests (HEAD checks, manifests, referrer lookups) in flight at once per
 * registry, up to the connection pool's size: each is a round trip, and waiting for them
 * is what a promotion of an image that is mostly there spends its time on.
 */
const CHECKS_IN_FLIGHT = 32;
/**
 * A digest to ask the referrers API about before the image's own is known (a source named
 * by tag): a registry with the API answers 200 for any valid digest, so the answer says
 * only whether it serves the API. The digest of no bytes.
 */
const ANY_DIGEST = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
async function resolvePromotion(options) {
    const { source, clients, log } = options;
    const src = clients.get(source.registry);
    const checks = new Map([...clients.keys()].map((registry) => [registry, limiter(CHECKS_IN_FLIGHT)]));
    const check = (registry, work) => awaitedLater(checks.get(registry)(work));
    // First round trip: the source's manifest, every destination tag, and what the source
    // needs for its referrers (its tags, whether it serves the referrers API), all at once.
    const fetching = src.getManifest(source.repository, source.digest ?? source.tag ?? 'latest');
    const tagsNow = options.destinations.map((d) => d.tag ? check(d.registry, () => clients.get(d.registry).resolveDigest(d.repository, d.tag)) : Promise.resolve(undefined));
    const sourceTags = options.referrers ? awaitedLater(src.listTags(source.repository)) : undefined;
    // A source named by digest and promoted whole is that digest at every destination: whether
    // each has it is asked now too, not once its tag has answered (a round trip less when
    // the tag is not there yet; one HEAD spent when it is).
    const knownRoot = source.digest && options.platforms.length === 0 && options.attestations ? source.digest : undefined;
    const rootHeld = new Map(knownRoot
        ? options.destinations.map((d) => [
            `${d.registry}/${d.repository}`,
            check(d.registry, () => clients.get(d.registry).hasManifest(d.repository, knownRoot)),
        ])
        : []);
    const probedDigest = source.digest ?? ANY_DIGEST;
    const probe = options.referrers ? awaitedLater(src.referrersByApi(source.repository, probedDigest)) : undefined;
    const fetched = await fetching;
    if (!fetched)
        throw new PromoteError(`source ${formatReference(source)} not found in ${source.registry}`);
    log.info(`source ${formatReference(source)} is ${fetched.digest}${source.digest ? '' : ' (resolved once; everything below is fetched by digest)'}`);
    const { root, dropped } = selectRoot(fetched, options.platforms, options.attestations);
    const children = childDescriptors(root);
    if (dropped.length > 0)
        log.info(`platform filter leaves out ${dropped.length} manifest(s); the destination index is new: ${root.digest}`);
    // Each tree is walked once, and only when some destination lacks its top manifest: a
    // registry accepts a manifest only once everything it lists is there, so a top manifest
    // present means its whole tree is.
    const walks = new Map();
    const treeOf = (top) => walks.get(top.digest) ?? walks.set(top.digest, awaitedLater(walkTree(src, source.repository, top, options.concurrency))).get(top.digest);
    // The referrer lookups wait for the probe, sent with the manifest: without the API, the
    // fallback tags the source has are among its tags, and only those are read.
    const lookup = async (subject) => {
        const probed = await probe;
        if (Array.isArray(probed)) {
            const listed = subject === probedDigest ? probed : await src.referrersByApi(source.repository, subject);
            return { manifests: Array.isArray(listed) ? listed : [] };
        }
        if (!(await sourceTags).includes(referrersTag(subject)))
            return { manifests: [] };
        const fallbackIndex = await src.getManifest(source.repository, referrersTag(subject));
        return fallbackIndex ? { manifests: JSON.parse(fallbackIndex.bytes.toString('utf8')).manifests ?? [], fallbackIndex } : { manifests: [] };
    };
    // Signatures and SBOMs: OCI referrers, and cosign's tags. A cosign tag about the source
    // index is left out when a platform filter makes a new one.
    const referrers = options.referrers
        ? awaitedLater(findReferrers(src, source.repository, [fetched.digest, ...children.map((c) => c.digest)], CHECKS_IN_FLIGHT, lookup))
        : Promise.resolve({ manifests: [], fallbackIndexes: new Map() });
    const cosignTags = options.referrers
        ? awaitedLater(sourceTags.then((tags) => findCosignTags(src, source.repository, [root.digest, ...children.map((c) => c.digest)], tags, CHECKS_IN_FLIGHT)))
        : Promise.resolve([]);
    const repositories = [...new Map(options.destinations.map((d) => [`${d.registry}/${d.repository}`, d])).values()];
    const destinations = await settleAll(repositories.map(async (dest) => {
        const client = clients.get(dest.registry);
        const manifests = new Map();
        const held = rootHeld.get(`${dest.registry}/${dest.repository}`);
        if (held)
            manifests.set(root.digest, held);
        const blobs = new Map();
        // Each question once per repository, however many trees share the answer.
        const askOnce = (known, digest, question) => {
            if (!known.has(digest))
                known.set(digest, check(dest.registry, question));
            return known.get(digest);
        };
        const hasManifest = (digest) => askOnce(manifests, digest, () => client.hasManifest(dest.repository, digest));
        // What the repository lacks under a top manifest it lacks: every manifest and blob of
        // the tree is asked about at once.
        const lacks = async (top) => {
            options.onCopyNeeded?.(dest.registry, top);
            manifests.set(top.digest, Promise.resolve(false));
            const tree = await treeOf(top);
            for (const m of tree.manifests)
                if (m !== tree.top)
                    void hasManifest(m.digest);
            for (const b of tree.blobs)
                void askOnce(blobs, b.digest, () => client.hasBlob(dest.repository, b.digest));
        };
        const examine = async (top, present) => {
            if (await present)
                manifests.set(top.digest, Promise.resolve(true));
            else
                await lacks(top);
        };
        // The image: a tag of this repository at its digest says it is here.
        const tags = await Promise.all(options.destinations.flatMap((d, i) => (d.registry === dest.registry && d.repository === dest.repository ? [tagsNow[i]] : [])));
        const image = examine(root, tags.includes(root.digest) || hasManifest(root.digest));
        // What refers to it: known here by the referrers API or the fallback tags, and by
        // cosign's tags; an artifact listed or tagged here is here.
        const artifacts = (async () => {
            const [{ manifests: referring, fallbackIndexes }, cosign] = await Promise.all([referrers, cosignTags]);
            const listings = await Promise.all([...fallbackIndexes.keys()].map((subject) => destinationReferrers(client, dest.repository, subject)));
            const listed = new Set(listings.flatMap((l) => l.listed));
            const cosignNow = await Promise.all(cosign.map((t) => check(dest.registry, () => client.resolveDigest(dest.repository, t.tag))));
            const tagged = new Set(cosign.filter((t, i) => cosignNow[i] === t.manifest.digest).map((t) => t.manifest.digest));
            const tops = [...new Map([...referring, ...cosign.map((t) => t.manifest)].map((m) => [m.digest, m])).values()];
            await Promise.all(tops.map((top) => examine(top, listed.has(top.digest) || tagged.has(top.digest) || hasManifest(top.digest))));
            return {
                ...referrersApi(listings),
                referrerIndexes: new Map([...fallbackIndexes.keys()].map((subject, i) => [subject, listings[i].index])),
                cosignTags: new Map(cosign.map((t, i) => [t.tag, cosignNow[i]])),
            };
        })();
        await settleAll([image, artifacts]);
        const found = await artifacts;
        return {
            registry: dest.registry,
            repository: dest.repository,
            manifests: await settledMap(manifests),
            blobs: await settledMap(blobs),
            ...found,
        };
    }));
    const { manifests: referring, fallbackIndexes } = await referrers;
    const cosign = await cosignTags;
    if (referring.length > 0)
        log.info(`${referring.length} artifact(s) refer to the image (signatures, SBOMs): they are promoted too`);
    if (cosign.length > 0)
        log.info(`${cosign.length} cosign tag(s) hold the image's signatures, attestations or SBOM: ${cosign.map((t) => t.tag).join(', ')}; they are promoted too`);
    const tags = await Promise.all(options.destinations.map(async (d, i) => {
        const current = await tagsNow[i];
        return { registry: d.registry, repository: d.repository, ...(d.tag ? { tag: d.tag } : {}), ...(current ? { current } : {}) };
    }));
    const trees = new Map();
    for (const [digest, walk] of walks)
        trees.set(digest, await walk);
    return {
        source: {
            registry: source.registry,
            repository: source.repository,
            reference: formatReference(source),
            digest: fetched.digest,
            root,
            platforms: isIndexMediaType(root.mediaType) ? describePlatforms(children) : 'single platform',
            referrers: referring,
            referrerIndexes: fallbackIndexes,
            cosignTags: cosign,
            trees,
        },
        destinations,
        tags,
    };
}
/** What a destination lists as referring to `subject`: by its referrers API, or else its fallback tag. */
async function destinationReferrers(client, repository, subject) {
    const listed = await client.referrersByApi(repository, subject);
    if (Array.isArray(listed))
        return { api: true, listed: listed.map((d) => d.digest) };
    const index = await client.getManifest(repository, referrersTag(subject));
    const found = index ? { listed: (JSON.parse(index.bytes.toString('utf8')).manifests ?? []).map((d) => d.digest), index } : { listed: [] };
    // 'no repository' leaves open whether the registry serves the API.
    return listed === 'no api' ? { api: false, ...found } : found;
}
function referrersApi(listings) {
    if (listings.length === 0 || listings.some((l) => l.api === undefined))
        return {};
    return { referrersApi: listings.every((l) => l.api) };
}
/** Waits for every answer; a failed one fails the whole, once none is left running. */
async function settledMap(pending) {
    const entries = [...pending];
    const values = await settleAll(entries.map(([, p]) => p));
    return new Map(entries.map(([key], i) => [key, values[i]]));
}

;// CONCATENATED MODULE: ./packages/publishing/src/oci/promote.ts











async function promoteImage(options) {
    const { source, destinations, log } = options;
    if (destinations.length === 0)
        throw new PromoteError('no destination given');
    for (const d of destinations) {
        if (d.digest)
            throw new PromoteError(`destination ${formatReference(d)} has a digest; a destination names a repository and optionally a tag`);
    }
    const concurrency = Math.max(1, options.concurrency ?? 4);
    const dryRun = options.dryRun ?? false;
    const clients = createClients(options);
    // Every registry's authentication starts now, side by side; a failure surfaces at that
    // registry's first request, which awaits the same attempt (so nothing awaits it here).
    for (const client of clients.values())
        void awaitedLater(client.authenticate());
    const resolved = await resolvePromotion({
        source,
        destinations,
        clients,
        platforms: options.platforms ?? [],
        attestations: options.attestations ?? true,
        referrers: options.referrers ?? true,
        concurrency,
        onCopyNeeded: copyConnections(options, clients, concurrency),
        log,
    });
    const plan = planPromotion(resolved);
    for (const line of formatPlan(plan))
        log.info(line);
    for (const dest of plan.destinations) {
        for (const t of dest.cosignTags.filter((c) => c.action === 'keep')) {
            // cosign keeps every signature in that one manifest: theirs is not replaced.
            log.warning(`${dest.registry}/${dest.repository}:${t.tag} already holds other contents (${shortDigest(t.current)}); it is left as it is, without the source's ${shortDigest(t.manifest.digest)}`);
        }
    }
    let done = { blobsCopied: 0, blobsMounted: 0, bytesCopied: 0, manifestsPushed: 0 };
    if (!dryRun) {
        done = await executePlan(plan, { clients, source: { client: clients.get(source.registry), repository: source.repository }, concurrency, log });
        await setTags(plan, { clients, log });
    }
    const blobs = plan.destinations.flatMap((d) => d.blobs);
    const manifests = plan.destinations.flatMap((d) => [...d.present, ...d.manifestLevels.flat()]);
    const limits = [...clients.values()].map((c) => c.rateLimitRemaining).filter(Boolean);
    return {
        sourceDigest: plan.sourceDigest,
        digest: plan.root.digest,
        mediaType: plan.root.mediaType,
        platforms: plan.platforms,
        refs: plan.refs,
        previousDigests: Object.fromEntries(plan.tags.map((t) => [t.ref, t.previous])),
        unchangedTags: plan.tags.filter((t) => t.action === 'skip').map((t) => t.ref),
        blobs,
        ...done,
        blobsSkipped: blobs.filter((b) => b.action === 'skip').length,
        manifestsSkipped: manifests.filter((m) => m.action === 'skip').length,
        dryRun,
        plan,
        ...(limits.length > 0 ? { rateLimitRemaining: limits.join(', ') } : {}),
    };
}
/**
 * Connections opened ahead, per registry, for the requests that come in bursts (beside the
 * one the registry's ping opened). The first round, opened while the token is fetched: the
 * source's manifest, tags and referrers; a destination's tag and the image by digest. Once
 * a destination lacks the image (a copy, not a re-run): the source's tree, read a level at
 * a time, and its blobs; the destination's checks of every manifest and blob (checksAhead),
 * then an upload for each blob that moves (`concurrency` large ones, small ones beside them).
 */
const AHEAD = {
    sourceFirstRound: 3,
    destinationFirstRound: 1,
    sourceTree: 3,
    smallBlobs: 4,
};
/**
 * A child of an index and what it lists, as checks: a platform's manifest, its config and a
 * few layers; buildx's attestation manifest, its config and one or two.
 */
const CHECKS_PER_CHILD = 5;
/**
 * How many checks a destination that lacks `top` makes at once, known before the tree is
 * read: an image's config and layers; an index's children and what they list, guessed. The
 * checks go out together and the copy waits for the last: one that finds no connection
 * waits two round trips (TCP and TLS) for a new one.
 */
function checksAhead(top) {
    const checks = isIndexMediaType(top.mediaType)
        ? childDescriptors(top).length * CHECKS_PER_CHILD
        : 1 + (JSON.parse(top.bytes.toString('utf8')).layers?.length ?? 0);
    return Math.min(CHECKS_IN_FLIGHT, checks);
}
/**
 * What opens the connections a copy needs, once, when resolving finds a destination that
 * lacks the image: a warm re-run opens none of them.
 */
function copyConnections(options, clients, concurrency) {
    // Only a real run moves blobs: uploads to a destination, reads from the source.
    const moving = options.dryRun ? 0 : concurrency;
    const opened = new Set();
    const source = options.source.registry;
    return (destination, top) => {
        if (!opened.has(source)) {
            opened.add(source);
            clients.get(source).openConnections({ requests: AHEAD.sourceTree, blobReads: moving > 0 ? moving + AHEAD.smallBlobs : 0 });
        }
        if (!opened.has(`to ${destination}`)) {
            opened.add(`to ${destination}`);
            clients.get(destination).openConnections({ requests: checksAhead(top) + moving, blobReads: 0 });
        }
    };
}
/** One client per registry; a registry that is both source and destination gets one token for all scopes. */
function createClients(options) {
    const scopes = new Map();
    const add = (registry, scope) => (scopes.get(registry) ?? scopes.set(registry, new Set()).get(registry)).add(scope);
    add(options.source.registry, `repository:${options.source.repository}:pull`);
    for (const d of options.destinations)
        add(d.registry, `repository:${d.repository}:pull,push`);
    const clients = new Map();
    for (const [registry, set] of scopes) {
        const credentials = credentialsFor(options, registry)?.credentials;
        const isSource = registry === options.source.registry;
        const isDestination = options.destinations.some((d) => d.registry === registry);
        const connections = { requests: (isSource ? AHEAD.sourceFirstRound : 0) + (isDestination ? AHEAD.destinationFirstRound : 0), blobReads: 0 };
        clients.set(registry, new RegistryClient({
            registry,
            scopes: [...set],
            connections,
            log: options.log,
            ...(credentials ? { credentials } : {}),
            ...(options.insecureRegistries ? { insecureRegistries: options.insecureRegistries } : {}),
            ...(options.retry ? { retry: options.retry } : {}),
        }));
    }
    return clients;
}
/** The credentials a registry of the promotion is spoken to with, and which option gave them. */
function credentialsFor(options, registry) {
    const own = options.registryCredentials?.get(registry);
    if (own)
        return { origin: 'registry', credentials: own };
    if (options.destinationCredentials && options.destinations.some((d) => d.registry === registry))
        return { origin: 'destination', credentials: options.destinationCredentials };
    // The source's credentials never go to another registry.
    if (options.sourceCredentials && registry === options.source.registry)
        return { origin: 'source', credentials: options.sourceCredentials };
    return undefined;
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
var external_node_path_default = /*#__PURE__*/__nccwpck_require__.n(external_node_path_);
;// CONCATENATED MODULE: ./packages/publishing/src/util/workspace-path.ts
// Paths an input or the configuration names are read only inside the workspace, and only as
// regular files and directories: `/proc/self/environ` as a README would publish the step's
// secrets, `/dev/zero` would fill the memory, a FIFO would block the step for ever. Each path
// is resolved with its symlinks first, so a link in the checkout cannot point the read
// elsewhere, and a file is read with a size bound, from the very file that was checked.




/** A path refused, with what was given, what it resolved to and what was expected; the caller names the input or key. */
class WorkspacePathError extends errors/* DomainError */.J {
    given;
    constructor(given, message) {
        super(message);
        this.given = given;
    }
}
const KIND = { file: 'a regular file', directory: 'a directory' };
/** The workspace a runner checks out into: GITHUB_WORKSPACE, or the working directory outside a runner. */
function actionWorkspace() {
    return process.env.GITHUB_WORKSPACE || process.cwd();
}
/**
 * What `given` (relative to `workspace`, or absolute) is once its symlinks are resolved;
 * undefined when nothing is there. Refused when it leads outside the workspace or to
 * anything but a regular file or a directory.
 */
function workspaceEntry(workspace, given) {
    const root = external_node_fs_namespaceObject.realpathSync.native(workspace);
    let real;
    try {
        real = external_node_fs_namespaceObject.realpathSync.native(external_node_path_default().resolve(workspace, given));
    }
    catch (err) {
        // A dangling symlink is missing too: there is nothing to read behind it.
        if (err.code === 'ENOENT')
            return undefined;
        throw new WorkspacePathError(given, `"${given}" cannot be resolved: ${err.message}`);
    }
    if (!isInside(root, real)) {
        throw new WorkspacePathError(given, `"${given}" resolves to ${real}, outside the workspace ${root}; expected a path inside the workspace`);
    }
    const stats = (0,external_node_fs_namespaceObject.statSync)(real);
    if (stats.isFile())
        return { real, kind: 'file', stats };
    if (stats.isDirectory())
        return { real, kind: 'directory', stats };
    throw new WorkspacePathError(given, `"${given}" (${real}) is ${kindOf(stats)}; expected a regular file or a directory`);
}
/** The real path of the directory `given`; refused when it is missing or not a directory inside the workspace. */
function workspaceDirectory(workspace, given) {
    return existing(workspace, given, 'directory').real;
}
/**
 * The contents of the regular file `given` inside the workspace, at most `maxBytes`. The file
 * is opened once and read from that descriptor after checking it is the file resolved, so a
 * path swapped for a link or a device between the check and the read is refused, not read;
 * no more than the checked size plus one byte is ever read, so a file that grows is noticed.
 */
function readWorkspaceFile(workspace, given, maxBytes) {
    const entry = existing(workspace, given, 'file');
    const checked = entry.stats;
    refuseOver(given, entry.real, checked.size, maxBytes);
    // O_NONBLOCK: should a FIFO take the file's place, opening it must not wait for a writer.
    const fd = (0,external_node_fs_namespaceObject.openSync)(entry.real, external_node_fs_namespaceObject.constants.O_RDONLY | (external_node_fs_namespaceObject.constants.O_NOFOLLOW ?? 0) | (external_node_fs_namespaceObject.constants.O_NONBLOCK ?? 0));
    try {
        const opened = (0,external_node_fs_namespaceObject.fstatSync)(fd);
        if (!opened.isFile() || opened.dev !== checked.dev || opened.ino !== checked.ino) {
            throw new WorkspacePathError(given, `"${given}" (${entry.real}) was replaced while it was opened; expected a regular file that stays in place`);
        }
        refuseOver(given, entry.real, opened.size, maxBytes);
        const buffer = Buffer.alloc(opened.size + 1);
        let length = 0;
        while (length < buffer.length) {
            const n = (0,external_node_fs_namespaceObject.readSync)(fd, buffer, length, buffer.length - length, length);
            if (n === 0)
                break;
            length += n;
        }
        if (length > opened.size)
            throw new WorkspacePathError(given, `"${given}" (${entry.real}) grew while it was read; expected a file the build has finished writing`);
        return buffer.subarray(0, length);
    }
    finally {
        (0,external_node_fs_namespaceObject.closeSync)(fd);
    }
}
/** The entry `given` names, refused unless it is `expected`. */
function existing(workspace, given, expected) {
    const entry = workspaceEntry(workspace, given);
    if (!entry) {
        const absolute = external_node_path_default().resolve(workspace, given);
        throw new WorkspacePathError(given, `"${given}" does not exist${absolute === given ? '' : ` (looked for ${absolute})`}; expected ${KIND[expected]} inside the workspace`);
    }
    if (entry.kind !== expected)
        throw new WorkspacePathError(given, `"${given}" (${entry.real}) is ${KIND[entry.kind]}; expected ${KIND[expected]}`);
    return entry;
}
/** Whether `real` is `root` or below it: compared by path segments, so /ws-evil is not inside /ws. */
function isInside(root, real) {
    const relative = external_node_path_default().relative(root, real);
    return relative === '' || (relative !== '..' && !relative.startsWith(`..${(external_node_path_default()).sep}`) && !external_node_path_default().isAbsolute(relative));
}
function refuseOver(given, real, size, maxBytes) {
    if (size > maxBytes)
        throw new WorkspacePathError(given, `"${given}" (${real}) has ${formatBytes(size)}; expected at most ${formatBytes(maxBytes)}`);
}
function kindOf(stats) {
    if (stats.isFIFO())
        return 'a FIFO (named pipe)';
    if (stats.isCharacterDevice())
        return 'a character device';
    if (stats.isBlockDevice())
        return 'a block device';
    if (stats.isSocket())
        return 'a socket';
    return 'neither a regular file nor a directory';
}

;// CONCATENATED MODULE: ./packages/publishing/src/util/step-files.ts
// The files one step writes for a later one (promote-image's record-file, the records the
// stage gate's promotions job reads back) live in the workspace or in the runner's temporary
// directory, where the stage gate keeps them (runner.temp). Nowhere else: a record path is an
// input, and a step that writes or reads anywhere an input says can overwrite the runner's
// files or print a secret's start in a parse error.



/** The directories a step's files may be in: the workspace, then the runner's temporary directory when there is one. */
function stepRoots() {
    const temp = process.env.RUNNER_TEMP;
    return temp ? [actionWorkspace(), temp] : [actionWorkspace()];
}
/**
 * Where `given` (relative to the first root, or absolute) is once the symlinks of its longest
 * existing part are resolved, and which root holds it; refused when none does.
 */
function stepPath(roots, given) {
    let real;
    try {
        real = resolveExisting(external_node_path_default().resolve(roots[0], given));
    }
    catch (err) {
        throw new WorkspacePathError(given, `"${given}" cannot be resolved: ${err.message}`);
    }
    const reals = roots.flatMap((root) => {
        try {
            return [external_node_fs_namespaceObject.realpathSync.native(root)];
        }
        catch {
            return []; // a root that is not there holds nothing
        }
    });
    const root = reals.find((r) => isInside(r, real));
    if (root === undefined)
        throw new WorkspacePathError(given, `"${given}" resolves to ${real}, outside ${reals.map((r, i) => `${i === 0 ? 'the workspace' : "the runner's temporary directory"} ${r}`).join(' and ')}; expected a path inside ${reals.length > 1 ? 'one of them' : 'it'}`);
    return { root, real };
}
/**
 * Writes `text` to the file `given` inside one of `roots`, created or replaced. Opened without
 * following a symlink in its place, and only written when what was opened is a regular file.
 */
function writeStepFile(roots, given, text) {
    const { real } = stepPath(roots, given);
    let fd;
    try {
        // O_NONBLOCK: a FIFO in the file's place fails at once instead of waiting for a reader.
        fd = (0,external_node_fs_namespaceObject.openSync)(real, external_node_fs_namespaceObject.constants.O_WRONLY | external_node_fs_namespaceObject.constants.O_CREAT | (external_node_fs_namespaceObject.constants.O_NOFOLLOW ?? 0) | (external_node_fs_namespaceObject.constants.O_NONBLOCK ?? 0), 0o644);
    }
    catch (err) {
        throw new WorkspacePathError(given, `"${given}" (${real}) cannot be written: ${err.message}; expected a regular file, or a new one in an existing directory`);
    }
    try {
        if (!(0,external_node_fs_namespaceObject.fstatSync)(fd).isFile())
            throw new WorkspacePathError(given, `"${given}" (${real}) is not a regular file; expected a regular file, or a new one`);
        (0,external_node_fs_namespaceObject.ftruncateSync)(fd);
        const bytes = Buffer.from(text, 'utf8');
        for (let written = 0; written < bytes.length;)
            written += (0,external_node_fs_namespaceObject.writeSync)(fd, bytes, written, bytes.length - written);
    }
    finally {
        (0,external_node_fs_namespaceObject.closeSync)(fd);
    }
}
/** `absolute` with the symlinks of its longest existing prefix resolved, the rest as given. */
function resolveExisting(absolute) {
    const missing = [];
    for (let existing = absolute;; existing = external_node_path_default().dirname(existing)) {
        try {
            return external_node_path_default().join(external_node_fs_namespaceObject.realpathSync.native(existing), ...missing);
        }
        catch (err) {
            // A dangling symlink is missing too; writing refuses it, since it opens without following one.
            if (err.code !== 'ENOENT' || external_node_path_default().dirname(existing) === existing)
                throw err;
            missing.unshift(external_node_path_default().basename(existing));
        }
    }
}

;// CONCATENATED MODULE: ./packages/publishing/src/dockerhub/description.ts
// Docker Hub repository descriptions: the short description (at most 100 bytes) and the
// full description (the README, at most 25,000 bytes), as Docker Hub's API takes them. Both
// limits count UTF-8 bytes, not characters, whatever the maxLength of Docker's description
// says: 26 emoji (104 bytes) in a short description get a 400
// (peter-evans/dockerhub-description#142), and a README trimmed to 25,000 characters with
// a few multi-byte glyphs is refused (docker-library/docs#2465). Token from POST /v2/auth/token ({identifier, secret} -> {access_token}, Docker
// Hub API reference, "Create access token"); update with PATCH
// /v2/repositories/{namespace}/{name}/ ({description, full_description}), the endpoint
// the Hub web UI and the established description actions use.





const DOCKER_HUB_API = 'https://hub.docker.com';
const MAX_SHORT_DESCRIPTION_BYTES = 100;
const MAX_FULL_DESCRIPTION_BYTES = 25_000;
/** Docker Hub's answer that ends an operation; about the credentials when it refused them or what they may do. */
class DockerHubError extends errors/* DomainError */.J {
    constructor(message, subject) {
        super(message, subject ? { subject } : {});
    }
}
/** Problems with the texts themselves, found before anything is sent. */
function descriptionProblems(update) {
    const problems = [];
    if (update.description !== undefined && Buffer.byteLength(update.description) > MAX_SHORT_DESCRIPTION_BYTES) {
        problems.push(`the short description has ${sizeOf(update.description)}; Docker Hub takes at most ${MAX_SHORT_DESCRIPTION_BYTES} bytes`);
    }
    if (update.fullDescription !== undefined && Buffer.byteLength(update.fullDescription) > MAX_FULL_DESCRIPTION_BYTES) {
        problems.push(`the full description has ${sizeOf(update.fullDescription)}; Docker Hub takes at most ${MAX_FULL_DESCRIPTION_BYTES} bytes`);
    }
    if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*\/[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(update.repository)) {
        problems.push(`"${update.repository}" is not a Docker Hub repository (namespace/name)`);
    }
    return problems;
}
/** Bytes, and characters too when they differ, so a text that looks short enough says why it is not. */
function sizeOf(text) {
    const bytes = Buffer.byteLength(text);
    const characters = [...text].length;
    return characters === bytes ? `${bytes} bytes` : `${bytes} bytes in UTF-8 (${characters} characters)`;
}
class DockerHubClient {
    apiUrl;
    username;
    password;
    log;
    retry;
    token;
    constructor(apiUrl, username, password, log, retry = DEFAULT_RETRY) {
        this.apiUrl = apiUrl;
        this.username = username;
        this.password = password;
        this.log = log;
        this.retry = retry;
        (0,secrets/* addSecret */.Ck)(password);
    }
    /** What a refusal of the credentials, or of what they may do, is about. */
    get credentials() {
        return { kind: 'credentials', service: 'docker-hub', address: new URL(this.apiUrl).host };
    }
    /** Logs in; done before a promotion so bad credentials fail before anything moves. */
    async login() {
        const res = await this.call('POST', '/v2/auth/token', { identifier: this.username, secret: this.password }, false);
        const token = res.json.access_token;
        if (!token)
            throw new DockerHubError(`${this.apiUrl}: the token response has no access_token`);
        (0,secrets/* addSecret */.Ck)(token);
        this.token = token;
    }
    async updateDescription(update) {
        const problems = descriptionProblems(update);
        if (problems.length > 0)
            throw new DockerHubError(problems.join('; '));
        if (!this.token)
            await this.login();
        const body = {};
        if (update.description !== undefined)
            body.description = update.description;
        if (update.fullDescription !== undefined)
            body.full_description = update.fullDescription;
        await this.call('PATCH', `/v2/repositories/${update.repository}/`, body, true);
        this.log.info(`Docker Hub: updated the description of ${update.repository}`);
    }
    call(method, path, body, authenticated) {
        return withRetry('Docker Hub API', async () => {
            const bytes = Buffer.from(JSON.stringify(body));
            const headers = { 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': String(bytes.length) };
            if (authenticated)
                headers.Authorization = `Bearer ${this.token}`;
            const res = await (0,transport/* send */.tN)({ method, url: `${this.apiUrl}${path}`, headers, body: bytes });
            const failure = await checkResponse(res, method);
            if (failure?.retryable)
                throw failure;
            if (failure?.status === 401 && !authenticated)
                throw new DockerHubError(`Docker Hub rejected the credentials of user "${this.username}" (HTTP 401${description_prefixed(failure.body.message)})`, this.credentials);
            if (failure?.status === 401 || failure?.status === 403) {
                throw new DockerHubError(`${failure.message}; the user "${this.username}" needs admin rights on the repository and a password or an access token with read/write/delete scope`, this.credentials);
            }
            if (failure?.status === 404)
                throw new DockerHubError(`${failure.request}: HTTP 404; the repository does not exist on Docker Hub`);
            if (failure)
                throw new DockerHubError(failure.message);
            const text = (await (0,transport/* readBody */.x8)(res, 1024 * 1024)).toString('utf8');
            return { status: res.status, json: text ? JSON.parse(text) : {} };
        }, { policy: this.retry, onRetry: (m) => this.log.warning(m) });
    }
}
function description_prefixed(message) {
    return message ? `: ${message}` : '';
}

;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./packages/publishing/src/oci/docker-config.ts
// The Docker client's config file (config.json) as `docker login` and docker/login-action
// write it: `auths` maps a registry to base64 "user:password" (or username/password
// fields, or an identity token), `credHelpers` names a credential helper per registry and
// `credsStore` one for every registry. Parsing and lookup are pure; reading the file and
// running helpers is docker-credentials.ts.


/** What `docker login` stores Docker Hub under, and what a helper is asked about for it. */
const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const EXPECTED = 'expected a JSON object such as {"auths": {"ghcr.io": {"auth": "<base64 of user:password>"}}}';
/** A Docker config file the user's login step wrote, and what is wrong in it. */
class DockerConfigError extends errors/* DomainError */.J {
    constructor(file, problem) {
        super(`Docker config ${file}: ${problem}`);
    }
}
/** A config.json's content; every problem names the file and the key, never a secret. */
function parseDockerConfig(file, text) {
    let json;
    try {
        json = JSON.parse(text);
    }
    catch {
        // JSON.parse's message quotes the text around the fault, which may be a password.
        throw new DockerConfigError(file, `is not valid JSON; ${EXPECTED}`);
    }
    if (!isObject(json))
        throw new DockerConfigError(file, `holds ${describe(json)}; ${EXPECTED}`);
    const config = { file, auths: new Map(), credHelpers: new Map() };
    const { auths, credsStore, credHelpers } = json;
    if (auths !== undefined) {
        if (!isObject(auths))
            throw new DockerConfigError(file, `"auths" holds ${describe(auths)}; expected an object mapping registries to {"auth": ...} entries`);
        for (const [key, value] of Object.entries(auths)) {
            const credentials = parseEntry(file, key, value);
            if (credentials)
                config.auths.set(registryOf(key), { key, credentials });
        }
    }
    if (credsStore !== undefined && credsStore !== '')
        config.credsStore = helperName(file, '"credsStore"', credsStore);
    if (credHelpers !== undefined) {
        if (!isObject(credHelpers))
            throw new DockerConfigError(file, `"credHelpers" holds ${describe(credHelpers)}; expected an object mapping registries to helper names`);
        for (const [key, value] of Object.entries(credHelpers))
            config.credHelpers.set(registryOf(key), helperName(file, `"credHelpers"."${key}"`, value));
    }
    return config;
}
/** Where the config keeps `registry`'s credentials (a canonical registry, as in image references). */
function lookupDockerConfig(config, registry) {
    const entry = config.auths.get(registry);
    const serverUrl = registry === DOCKER_HUB ? DOCKER_HUB_SERVER : registry;
    const own = config.credHelpers.get(registry);
    if (own)
        return { helper: { name: own, serverUrl, setting: 'credHelpers' } };
    if (config.credsStore)
        return { helper: { name: config.credsStore, serverUrl, setting: 'credsStore' }, ...(entry ? { entry } : {}) };
    return entry ? { entry } : {};
}
/**
 * The registry a key names, as Docker reads it: scheme and path dropped
 * (https://index.docker.io/v1/ is docker.io, http://localhost:5000 is localhost:5000).
 */
function registryOf(key) {
    return canonicalRegistry(key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('/')[0]);
}
/** An auths entry's credentials; undefined for an empty entry (a credsStore placeholder). */
function parseEntry(file, key, value) {
    const where = `"auths"."${key}"`;
    if (!isObject(value))
        throw new DockerConfigError(file, `${where} holds ${describe(value)}; expected an object with "auth" (base64 of user:password)`);
    const field = (name) => {
        const v = value[name];
        if (v === undefined || v === '')
            return undefined;
        if (typeof v !== 'string')
            throw new DockerConfigError(file, `${where}."${name}" holds ${describe(v)}; expected a string`);
        return v;
    };
    const auth = field('auth');
    const identityToken = field('identitytoken');
    let username = field('username');
    let password = field('password');
    if (auth) {
        // Docker reads "auth" before the separate fields; its decoded user:password wins.
        const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(auth) ? Buffer.from(auth, 'base64').toString('utf8') : '';
        const colon = decoded.indexOf(':');
        if (colon <= 0)
            throw new DockerConfigError(file, `${where}."auth" is not base64 of user:password (as docker login writes it)`);
        username = decoded.slice(0, colon);
        password = decoded.slice(colon + 1);
    }
    if (identityToken)
        return { ...(username ? { username } : {}), identityToken };
    if (!username && !password)
        return undefined;
    if (!username || !password)
        throw new DockerConfigError(file, `${where} has a ${username ? 'username without a password' : 'password without a username'}; expected both, or "auth"`);
    return { username, password };
}
function helperName(file, where, value) {
    if (typeof value !== 'string' || !HELPER_NAME.test(value))
        throw new DockerConfigError(file, `${where} holds ${describe(value)}; expected a credential helper name (docker-credential-<name>), e.g. "pass"`);
    return value;
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** What a value is, without showing it (it may be a secret). */
function describe(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'an array';
    if (typeof value === 'string')
        return 'a string';
    return `a ${typeof value}`;
}

;// CONCATENATED MODULE: ./packages/publishing/src/oci/docker-credentials.ts
// Registry credentials from the Docker client's configuration, for registries no input
// gives any: $DOCKER_CONFIG/config.json (else ~/.docker/config.json), where `docker login`
// and docker/login-action leave them, and the credential helpers it names
// (docker-credential-<name> get, the server URL on stdin, {"Username","Secret"} on stdout).





/** What Docker's helpers print when they hold nothing for the server. */
const NOT_FOUND = /credentials not found/i;
/** Docker's helpers answer at once; a hung one (a keychain prompt nobody sees) must not hold the step. */
const HELPER_TIMEOUT_MS = 30_000;
function dockerConfigPath(env = process.env) {
    return external_node_path_default().join(env.DOCKER_CONFIG || external_node_path_default().join((0,external_node_os_namespaceObject.homedir)(), '.docker'), 'config.json');
}
/** The config at `file`, every secret in it masked; undefined when there is no such file. */
function readDockerConfig(file) {
    let text;
    try {
        text = (0,external_node_fs_namespaceObject.readFileSync)(file, 'utf8');
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return undefined;
        throw err;
    }
    const config = parseDockerConfig(file, text);
    for (const { credentials } of config.auths.values())
        mask(credentials);
    return config;
}
/** Credentials for each of `registries` the Docker config knows; the others are left out, with a warning where a helper failed. */
async function dockerConfigCredentials(registries, options) {
    const found = new Map();
    if (registries.length === 0)
        return found;
    const config = readDockerConfig(dockerConfigPath(options.env));
    if (!config)
        return found;
    const runHelper = options.helper ?? runCredentialHelper;
    for (const registry of registries) {
        const { helper, entry } = lookupDockerConfig(config, registry);
        const fromEntry = entry ? { credentials: entry.credentials, source: `${config.file} (auths "${entry.key}")` } : undefined;
        if (!helper) {
            if (fromEntry)
                found.set(registry, fromEntry);
            continue;
        }
        const named = `docker-credential-${helper.name} (${helper.setting} in ${config.file})`;
        try {
            const credentials = await runHelper(helper.name, helper.serverUrl);
            if (credentials) {
                mask(credentials);
                found.set(registry, { credentials, source: named });
                continue;
            }
        }
        catch (err) {
            options.log.warning(`${registry}: ${named} gave no credentials: ${err.message}; ${fromEntry ? `using ${fromEntry.source}` : 'going on without credentials for it'}`);
        }
        if (fromEntry)
            found.set(registry, fromEntry);
    }
    return found;
}
async function runCredentialHelper(name, serverUrl) {
    const program = `docker-credential-${name}`;
    // Loaded here, not at start: most runs name no helper (see scripts/build.mjs).
    const { spawn } = await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 1421, 23));
    return new Promise((resolve, reject) => {
        const child = spawn(program, ['get'], { stdio: ['pipe', 'pipe', 'pipe'], env: process.env });
        // Not spawn's own `timeout`: Node clears it only on 'exit', which a helper that is not
        // installed never emits, and its timer held the action's process open for 30 s.
        const timer = setTimeout(() => child.kill('SIGTERM'), HELPER_TIMEOUT_MS);
        child.once('error', () => clearTimeout(timer));
        child.once('close', () => clearTimeout(timer));
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk) => (stdout += chunk.toString('utf8')));
        child.stderr.on('data', (chunk) => (stderr += chunk.toString('utf8')));
        child.on('error', (err) => reject(err.code === 'ENOENT' ? new Error(`${program} is not installed (not on PATH)`) : new Error(`${program}: ${err.message}`)));
        child.on('close', (code, signal) => {
            if (code === 0) {
                try {
                    resolve(helperAnswer(stdout));
                }
                catch (err) {
                    reject(new Error(`${program} get: ${err.message}`));
                }
                return;
            }
            if (NOT_FOUND.test(stdout) || NOT_FOUND.test(stderr))
                return resolve(undefined);
            const detail = (stderr || stdout).trim().split('\n')[0]?.slice(0, 200) ?? '';
            reject(new Error(`${program} get ${signal ? `was killed (${signal})` : `exited with ${code}`}${detail ? `: ${(0,secrets/* redact */.E$)(detail)}` : ''}`));
        });
        child.stdin.on('error', () => { }); // a helper that exits without reading; its exit status says why
        child.stdin.end(serverUrl);
    });
}
/** A helper's {"ServerURL","Username","Secret"}; Username "<token>" marks an identity token. */
function helperAnswer(stdout) {
    let answer;
    try {
        answer = JSON.parse(stdout);
    }
    catch {
        throw new Error('the answer is not JSON ({"Username": ..., "Secret": ...} was expected)');
    }
    if (typeof answer.Secret !== 'string' || !answer.Secret)
        throw new Error('the answer has no "Secret"');
    (0,secrets/* addSecret */.Ck)(answer.Secret);
    const username = typeof answer.Username === 'string' ? answer.Username : '';
    if (username === '<token>' || !username)
        return { identityToken: answer.Secret };
    return { username, password: answer.Secret };
}
function mask(credentials) {
    if (credentials.username && credentials.password)
        (0,secrets/* addBasicCredentials */._8)(credentials.username, credentials.password);
    (0,secrets/* addSecret */.Ck)(credentials.password);
    (0,secrets/* addSecret */.Ck)(credentials.identityToken);
}

;// CONCATENATED MODULE: ./actions/promote-image/credentials.ts
// Which credentials each registry of the promotion gets, and where they came from: the
// inputs first (registry-auth, then the source-/destination- pairs), then, for a registry
// no input covers, the Docker config a login step left (docker/login-action, docker login).
// A refusal then names where the refused credentials came from.





const INPUTS = {
    registry: 'registry-auth',
    destination: 'destination-username/destination-password',
    source: 'source-username/source-password',
};
/** For each registry of the promotion whose credentials an input gives, that input. */
function credentialInputSources(inputs) {
    const sources = new Map();
    for (const registry of registriesOf(inputs)) {
        const given = credentialsFor(inputs, registry);
        if (given)
            sources.set(registry, { input: INPUTS[given.origin], description: `input "${INPUTS[given.origin]}"` });
    }
    return sources;
}
function registriesOf(inputs) {
    return [...new Set([inputs.source.registry, ...inputs.destinations.map((d) => d.registry)])];
}
/** The inputs with the Docker config's credentials added for registries no input covers, and each registry's source. */
async function resolveCredentials(inputs) {
    const registries = registriesOf(inputs);
    const sources = credentialInputSources(inputs);
    const uncovered = registries.filter((r) => !sources.has(r));
    const found = await dockerConfigCredentials(uncovered, { log: actionLog });
    const registryCredentials = new Map(inputs.registryCredentials);
    for (const [registry, { credentials, source }] of found) {
        registryCredentials.set(registry, credentials);
        sources.set(registry, { description: source });
    }
    for (const registry of registries)
        actionLog.info(`${registry}: ${sources.has(registry) ? `credentials from ${sources.get(registry).description}` : 'no credentials (anonymous)'}`);
    return { inputs: { ...inputs, registryCredentials }, sources };
}
/**
 * A refused login or permission that no input gave the credentials for (promoteInputFor names
 * those): the Docker config file and key or the helper they came from, or how to give some.
 */
function attributeToSource(err, sources) {
    if (!(err instanceof AuthenticationError) && !(err instanceof PermissionError))
        return err;
    const source = sources.get(err.registry);
    if (source?.input)
        return err;
    if (source)
        return new errors/* DomainError */.J(`${err.message} (credentials from ${source.description})`, { cause: err });
    return new errors/* DomainError */.J(`${err.message}; no credentials were given for ${err.registry}: name it in the input "registry-auth", or log in to it (docker/login-action) before this step`, { cause: err });
}

;// CONCATENATED MODULE: ./packages/publishing/src/action/registry-auth.ts
// Credentials for several registries in one input, in docker/login-action's `registry-auth`
// form, so a workflow that logs in with it can pass the same block here:
//
//   - registry: quay.io           (omitted: docker.io)
//     username: acme+robot
//     password: <secret>
//
// Every scalar is read as a string (YAML's failsafe schema), so a password such as 0123 or
// `yes` arrives as written. A problem names the entry and line, never a value.
//
// The YAML parser is loaded only when the input is given: most runs leave it empty, and
// loaded at start it cost promote-image 2 MB of memory and some 5 ms of every start.



const KEYS = new Set(['registry', 'username', 'password']);
const FORM = 'expected a YAML list of {registry, username, password} entries, as docker/login-action takes it';
/** Credentials by canonical registry; every password masked before anything can print it. */
async function parseRegistryAuth(text) {
    const found = new Map();
    if (!text.trim())
        return found;
    const { isMap, isScalar, isSeq, LineCounter, parseDocument } = await __nccwpck_require__.e(/* import() */ 815).then(__nccwpck_require__.t.bind(__nccwpck_require__, 8815, 19));
    const lines = new LineCounter();
    const doc = parseDocument(text, { schema: 'failsafe', lineCounter: lines, prettyErrors: false });
    if (doc.errors.length > 0) {
        // yaml's messages quote the offending line, which may hold a password: position and code only.
        const { code, pos } = doc.errors[0];
        throw new errors/* DomainError */.J(`is not valid YAML (${code} at line ${lines.linePos(pos[0]).line}); ${FORM}`);
    }
    const list = doc.contents;
    if (!isSeq(list))
        throw new errors/* DomainError */.J(`is not a list; ${FORM}`);
    const problems = [];
    list.items.forEach((item, index) => {
        const line = lines.linePos(isMap(item) || isScalar(item) ? (item.range?.[0] ?? 0) : 0).line;
        const where = `entry ${index + 1} (line ${line})`;
        if (!isMap(item))
            return void problems.push(`${where} is not a mapping of registry, username and password`);
        const values = {};
        for (const pair of item.items) {
            const key = isScalar(pair.key) ? String(pair.key.value) : '';
            if (!KEYS.has(key))
                return void problems.push(`${where} has "${key}"; only registry, username and password are read`);
            if (!isScalar(pair.value))
                return void problems.push(`${where}: ${key} is not a plain value`);
            values[key] = typeof pair.value.value === 'string' ? pair.value.value.trim() : '';
        }
        const { username = '', password = '' } = values;
        (0,secrets/* addSecret */.Ck)(password);
        if (username && password)
            (0,secrets/* addBasicCredentials */._8)(username, password);
        const registry = canonicalRegistry(values.registry?.replace(/^https?:\/\//, '').replace(/\/.*$/, '') || DOCKER_HUB);
        if (!username)
            return void problems.push(`${where} (${registry}) has no username`);
        if (!password)
            return void problems.push(`${where} (${registry}) has no password (a secret that is not defined arrives empty)`);
        if (found.has(registry))
            return void problems.push(`${where} names ${registry} again; give each registry once`);
        found.set(registry, { username, password });
    });
    if (problems.length > 0)
        throw new errors/* DomainError */.J(problems.join('; '));
    return found;
}

;// CONCATENATED MODULE: ./packages/publishing/src/dockerhub/readme-urls.ts
// Docker Hub shows the README away from its repository, where a relative link or image
// resolves against hub.docker.com and breaks. So each becomes absolute, into the repository
// at the commit being built, as peter-evans/dockerhub-description's URL completion does:
// links to the file's page (/blob/), images to its bytes (/raw/). Paths resolve against the
// README's directory, a leading `/` against the repository root, as GitHub resolves them.
// Absolute URLs (any scheme, mailto: too, or //host), anchors and code are left as written.

// [text](url "title") and ![alt](url): the text may hold one level of brackets, as a badge
// inside a link does; the URL is <...> or has no space.
const INLINE = /(!?)\[((?:[^[\]]|\[[^[\]]*\])*)\]\(\s*(<[^>\n]*>|[^\s()]+)([^)]*)\)/g;
// [label]: url — a reference definition, on a line of its own.
const DEFINITION = /^( {0,3}\[([^\]\n]+)\]:[ \t]*)(<[^>\n]*>|\S+)/gm;
// ![alt][label], ![label][] and ![label]: images that take their URL from a definition.
const IMAGE_REFERENCE = /!\[([^\]\n]*)\](?:\[([^\]\n]*)\])?/g;
const HTML_ATTRIBUTE = /(<(img|a)\b[^>]*?\s(src|href)\s*=\s*)("[^"]*"|'[^']*')/gi;
const FENCE = /^ {0,3}(```|~~~)/;
function completeReadmeUrls(markdown, location) {
    // Code is shown as written: only the text between fenced blocks is rewritten.
    const lines = markdown.split('\n');
    const out = [];
    let prose = [];
    let fence;
    const flush = () => {
        if (prose.length > 0)
            out.push(completeProse(prose.join('\n'), location));
        prose = [];
    };
    for (const line of lines) {
        const marker = FENCE.exec(line)?.[1];
        if (fence) {
            out.push(line);
            if (marker === fence)
                fence = undefined;
        }
        else if (marker) {
            flush();
            fence = marker;
            out.push(line);
        }
        else
            prose.push(line);
    }
    flush();
    return out.join('\n');
}
function completeProse(text, location) {
    const imageLabels = new Set([...text.matchAll(IMAGE_REFERENCE)].map((m) => normalizeLabel(m[2] || m[1])));
    return text
        .replace(DEFINITION, (_whole, start, label, url) => start + completeUrl(url, imageLabels.has(normalizeLabel(label)) ? 'raw' : 'blob', location))
        .replace(HTML_ATTRIBUTE, (_whole, start, tag, _attribute, quoted) => {
        const quote = quoted[0];
        return `${start}${quote}${completeUrl(quoted.slice(1, -1), tag.toLowerCase() === 'img' ? 'raw' : 'blob', location)}${quote}`;
    })
        .replace(INLINE, function inline(_whole, bang, label, url, rest) {
        return `${bang}[${label.replace(INLINE, inline)}](${completeUrl(url, bang ? 'raw' : 'blob', location)}${rest})`;
    });
}
/** Markdown matches reference labels case-insensitively, with runs of white space as one. */
function normalizeLabel(label) {
    return label.trim().replace(/\s+/g, ' ').toLowerCase();
}
/** The URL made absolute into the repository; as it is when it is absolute, an anchor, or leaves the repository. */
function completeUrl(url, kind, location) {
    if (url.startsWith('<') && url.endsWith('>'))
        return `<${completeUrl(url.slice(1, -1), kind, location)}>`;
    if (url === '' || url.startsWith('#') || url.startsWith('//') || /^[a-z][a-z0-9+.-]*:/i.test(url))
        return url;
    const split = /^([^?#]*)(.*)$/.exec(url);
    const target = external_node_path_default().posix.normalize(url.startsWith('/') ? split[1].slice(1) : external_node_path_default().posix.join(location.directory || '.', split[1]));
    if (target === '..' || target.startsWith('../'))
        return url;
    const file = target === '.' ? '' : target;
    return `${location.serverUrl.replace(/\/+$/, '')}/${location.repository}/${kind}/${location.sha}/${file}${split[2]}`;
}

;// CONCATENATED MODULE: ./actions/promote-image/inputs.ts
// promote-image's inputs, parsed and checked before anything touches a registry.









/** A little above what Docker Hub takes, so a README just over it is reported with Docker Hub's exact limit. */
const README_READ_LIMIT = MAX_FULL_DESCRIPTION_BYTES + 8 * 1024;
/** Every input is read before the first await; registry-auth is parsed last, once its parser is loaded. */
async function readPromoteInputs() {
    const source = parsedInput('source', addressInput('source', 'image-reference', { required: true }), parseReference);
    const tags = listInput('tags');
    for (const tag of tags)
        if (!isTag(tag))
            throw new InputError('tags', `"${tag}" is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)`);
    const destinations = addressListInput('destination', 'image-reference', { required: true }).flatMap((value) => {
        const ref = parsedInput('destination', value, parseReference);
        if (ref.digest)
            throw new InputError('destination', `"${value}" has a digest; name a repository, optionally with a tag`);
        if (ref.tag)
            return [ref];
        if (tags.length === 0)
            throw new InputError('destination', `"${value}" has no tag and the input "tags" is empty; give tags, or a tag in the destination`);
        return tags.map((tag) => ({ ...ref, tag }));
    });
    const platforms = listInput('platforms');
    for (const p of platforms) {
        if (!/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(p))
            throw new InputError('platforms', `"${p}" is not os/arch[/variant], e.g. linux/arm64`);
    }
    const sourceCredentials = credentialsInput('source');
    const registryAuth = stringInput('registry-auth');
    const inputs = {
        source,
        destinations,
        sourceCredentials,
        destinationCredentials: credentialsInput('destination'),
        platforms,
        attestations: booleanInput('attestations', true),
        referrers: booleanInput('referrers', true),
        concurrency: integerInput('concurrency', 4, { min: 1, max: 32 }),
        dryRun: booleanInput('dry-run', false),
        insecureRegistries: addressListInput('insecure-registries', 'url'),
        retry: retryPolicyInput(),
        recordFile: recordFileInput(),
    };
    const registryCredentials = await parsedInputAsync('registry-auth', registryAuth, parseRegistryAuth);
    if (sourceCredentials && registryCredentials.has(source.registry))
        throw new InputError('registry-auth', `names ${source.registry}, the source's registry, whose credentials source-username/source-password give too; give them once`);
    return { ...inputs, registryCredentials };
}
/** The record file's path, refused before anything is promoted unless it is in the workspace or the runner's temporary directory. */
function recordFileInput() {
    const file = stringInput('record-file');
    if (file)
        parsedInput('record-file', file, (given) => stepPath(stepRoots(), given));
    return file;
}
/**
 * The optional Docker Hub description update; undefined when neither text is asked for.
 * `promote` with its credentials resolved; `hubCredentialInput` is the input docker.io's came from, if one did.
 */
function readDescriptionInputs(promote, hubCredentialInput) {
    const description = stringInput('dockerhub-description');
    const readmeFile = stringInput('dockerhub-readme-file');
    if (!description && !readmeFile)
        return undefined;
    const fullDescription = readmeFile ? parsedInput('dockerhub-readme-file', readmeFile, readReadme) : undefined;
    const hubDestination = promote.destinations.find((d) => d.registry === DOCKER_HUB);
    const repository = stringInput('dockerhub-repository') || hubDestination?.repository;
    if (!repository)
        throw new InputError('dockerhub-repository', 'is required when no destination is on docker.io');
    const update = { repository, ...(description ? { description } : {}), ...(fullDescription !== undefined ? { fullDescription } : {}) };
    const problems = descriptionProblems(update);
    if (problems.length > 0) {
        const input = problems[0].startsWith('the short')
            ? 'dockerhub-description'
            : problems[0].startsWith('the full')
                ? 'dockerhub-readme-file'
                : 'dockerhub-repository';
        throw new InputError(input, problems.join('; '));
    }
    // An organization access token that may push often may not edit descriptions: Docker Hub
    // credentials of their own, when given, are used for the description only.
    const hubCredentials = credentialsInput('dockerhub');
    const forHub = credentialsFor(promote, DOCKER_HUB);
    const { username = '', password = '' } = hubCredentials ?? forHub?.credentials ?? promote.destinationCredentials ?? {};
    // Named when Docker Hub refuses them: the input they came from, or the one to give instead.
    const credentialInputs = !hubCredentials && forHub && hubCredentialInput
        ? hubCredentialInput
        : !hubCredentials && !forHub && promote.destinationCredentials
            ? 'destination-username/destination-password'
            : 'dockerhub-username/dockerhub-password';
    if (!username || !password)
        throw new InputError('dockerhub-username', 'is required to update the Docker Hub description (or docker.io credentials in registry-auth or destination-username, when those may edit it)');
    return {
        apiUrl: (addressInput('dockerhub-api-url', 'url') || DOCKER_HUB_API).replace(/\/+$/, ''),
        update,
        username,
        password,
        credentialInputs,
        required: booleanInput('dockerhub-description-required', false),
    };
}
/**
 * What the core's failures are about, as promote-image's inputs: the credentials of the
 * registry that refused them, by the input they came from (credentials from a Docker config
 * are named by attributeToSource), Docker Hub's for its description, or a server's wait
 * longer than max-retry-wait allows.
 */
function promoteInputFor(sources, description) {
    return (subject) => {
        if (subject.kind === 'retry-wait')
            return 'max-retry-wait';
        if (subject.kind !== 'credentials')
            return undefined;
        if (subject.service === 'docker-hub')
            return description?.credentialInputs;
        if (subject.service !== 'registry')
            return undefined;
        return sources.get(subject.address)?.input;
    };
}
/** The README as Docker Hub should show it: relative URLs completed when the run says where the file is in which repository. */
function readReadme(file) {
    const workspace = actionWorkspace();
    const text = readWorkspaceFile(workspace, file, README_READ_LIMIT).toString('utf8');
    const location = readmeLocation(workspace, file);
    return location ? completeReadmeUrls(text, location) : text;
}
/** Where the README is on the forge, from the runner's variables; undefined outside a workflow run. */
function readmeLocation(workspace, file) {
    const { GITHUB_SERVER_URL: serverUrl, GITHUB_REPOSITORY: repository, GITHUB_SHA: sha } = process.env;
    if (!serverUrl || !repository || !sha)
        return undefined;
    const directory = external_node_path_default().relative(workspace, external_node_path_default().dirname(external_node_path_default().resolve(workspace, file)))
        .split((external_node_path_default()).sep)
        .join('/');
    return { serverUrl, repository, sha, directory };
}

;// CONCATENATED MODULE: ./actions/promote-image/main.ts
// promote-image: copies a tested image by digest from staging to production.











function run() {
    return runAction(async () => {
        const { inputs, sources } = await resolveCredentials(await readPromoteInputs());
        const description = readDescriptionInputs(inputs, sources.get(DOCKER_HUB)?.input);
        const inputFor = promoteInputFor(sources, description);
        try {
            await namingInputs(inputFor, () => promote(inputs, description, inputFor));
        }
        catch (err) {
            throw attributeToSource(err, sources);
        }
    });
}
async function promote(inputs, description, inputFor) {
    let hub;
    if (description) {
        hub = new DockerHubClient(description.apiUrl, description.username, description.password, actionLog, inputs.retry);
        // Bad Docker Hub credentials fail the step before any blob moves.
        if (!inputs.dryRun)
            await hub.login();
    }
    const startedAt = new Date().toISOString();
    const title = `${inputs.dryRun ? 'Plan' : 'Promote'} ${formatReference(inputs.source)} -> ${inputs.destinations.map(formatReference).join(', ')}`;
    const result = await group(title, () => promoteImage({ ...inputs, log: actionLog }));
    if (result.rateLimitRemaining)
        info(`Docker Hub rate limit remaining: ${result.rateLimitRemaining}`);
    const described = hub && description && !inputs.dryRun
        ? await group(`Docker Hub description of ${description.update.repository}`, () => updateDescription(hub, description, inputFor))
        : undefined;
    setOutputs({ ...promoteOutputs(result), 'description-updated': String(described?.updated ?? false) });
    if (inputs.recordFile) {
        const record = `${JSON.stringify(promotionRecord(inputs, result, startedAt), null, 2)}\n`;
        parsedInput('record-file', inputs.recordFile, (given) => writeStepFile(stepRoots(), given, record));
    }
    await main_summary(result, description && described ? { repository: description.update.repository, ...described } : undefined);
}
/**
 * The images are promoted by now: a description Docker Hub refuses is cosmetic, and failing
 * the step would hold up what follows it (cleanup) for it. It warns, unless
 * dockerhub-description-required says the description matters as much as the images.
 */
async function updateDescription(hub, description, inputFor) {
    try {
        await hub.updateDescription(description.update);
        return { updated: true };
    }
    catch (err) {
        if (description.required)
            throw err;
        const problem = attributeToInput(err, inputFor).message;
        warning(`the images are promoted, but the Docker Hub description of ${description.update.repository} was not updated: ${problem} (dockerhub-description-required: true fails the step instead)`);
        return { updated: false, problem };
    }
}
/** What the jobs after this one need of the promotion (the stage gate's cleanup, attestation and run summary). */
function promotionRecord(inputs, result, startedAt) {
    return {
        staging: formatReference({ registry: inputs.source.registry, repository: inputs.source.repository }),
        stagedDigest: result.sourceDigest,
        digest: result.digest,
        repositories: [...new Set(inputs.destinations.map((d) => formatReference({ registry: d.registry, repository: d.repository })))],
        references: result.refs,
        platforms: result.platforms,
        blobsCopied: result.blobsCopied,
        blobsMounted: result.blobsMounted,
        blobsSkipped: result.blobsSkipped,
        bytesCopied: result.bytesCopied,
        dryRun: result.dryRun,
        startedAt,
        finishedAt: new Date().toISOString(),
    };
}
function promoteOutputs(result) {
    return {
        digest: result.digest,
        'source-digest': result.sourceDigest,
        'promoted-refs': result.refs.join('\n'),
        'previous-digests': JSON.stringify(result.previousDigests),
        'blobs-copied': String(result.blobsCopied),
        'blobs-mounted': String(result.blobsMounted),
        'blobs-skipped': String(result.blobsSkipped),
        'bytes-copied': String(result.bytesCopied),
        'dry-run': String(result.dryRun),
    };
}
async function main_summary(result, description) {
    const rows = result.refs.map((ref) => [
        ref,
        shortDigest(result.digest),
        result.previousDigests[ref] ? shortDigest(result.previousDigests[ref]) : 'new',
        result.dryRun ? 'would promote' : result.unchangedTags.includes(ref) ? 'unchanged' : 'promoted',
    ]);
    rows.push([
        `blobs: ${result.blobsCopied} copied (${formatBytes(result.bytesCopied)}), ${result.blobsMounted} mounted, ${result.blobsSkipped} already there`,
        result.platforms,
        '',
        '',
    ]);
    if (description)
        rows.push([`Docker Hub description of ${description.repository}`, '', '', description.updated ? 'updated' : `not updated: ${description.problem}`]);
    await writeSummaryTable(result.dryRun ? 'promote-image (dry run)' : 'promote-image', ['destination', 'digest', 'previous', 'result'], rows);
    if (result.dryRun) {
        const plan = planEntries(result.plan).map((e) => [e.destination, e.item, e.action]);
        await writeSummaryTable('promote-image plan', ['destination', 'item', 'action'], plan);
    }
}

;// CONCATENATED MODULE: ./actions/promote-image/index.ts
// Bundle entry (dist/promote-image/index.js).

void run();


//# sourceMappingURL=index.js.map