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
 * some 5 MB of peak memory, with its small blobs on connections of their own and connections
 * opened ahead.
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
const loadHttps = () => (httpsClient ??= Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 4708, 23)).then(({ default: https }) => ({ https, agent: withSpareConnections(https) })));
/**
 * An https agent that can open connections ahead of the requests that use them. Over a
 * wide-area link a new TLS connection costs a round trip before its request can go: a
 * burst of requests wider than the idle pool waits that long. The agent's documented
 * `createConnection` hands a spare to the request that needs a new connection.
 */
function withSpareConnections(https) {
    const spares = new Map();
    const key = (host, port) => `${host}:${port}`;
    class SpareConnectionAgent extends https.Agent {
        createConnection(options, callback) {
            const list = spares.get(key(String(options.host), Number(options.port)));
            for (let socket = list?.pop(); socket; socket = list?.pop()) {
                if (!socket.destroyed) {
                    socket.ref();
                    return socket;
                }
            }
            const socket = super.createConnection(options, callback);
            (0,_tls_sessions_js__WEBPACK_IMPORTED_MODULE_3__/* .rememberSession */ ._)(socket, String(options.host), Number(options.port));
            return socket;
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

/***/ }),

/***/ 7349:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var resolveBlockMap = __nccwpck_require__(7103);
var resolveBlockSeq = __nccwpck_require__(334);
var resolveFlowCollection = __nccwpck_require__(3142);

function resolveCollection(CN, ctx, token, onError, tagName, tag) {
    const coll = token.type === 'block-map'
        ? resolveBlockMap.resolveBlockMap(CN, ctx, token, onError, tag)
        : token.type === 'block-seq'
            ? resolveBlockSeq.resolveBlockSeq(CN, ctx, token, onError, tag)
            : resolveFlowCollection.resolveFlowCollection(CN, ctx, token, onError, tag);
    const Coll = coll.constructor;
    // If we got a tagName matching the class, or the tag name is '!',
    // then use the tagName from the node class used to create it.
    if (tagName === '!' || tagName === Coll.tagName) {
        coll.tag = Coll.tagName;
        return coll;
    }
    if (tagName)
        coll.tag = tagName;
    return coll;
}
function composeCollection(CN, ctx, token, props, onError) {
    const tagToken = props.tag;
    const tagName = !tagToken
        ? null
        : ctx.directives.tagName(tagToken.source, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg));
    if (token.type === 'block-seq') {
        const { anchor, newlineAfterProp: nl } = props;
        const lastProp = anchor && tagToken
            ? anchor.offset > tagToken.offset
                ? anchor
                : tagToken
            : (anchor ?? tagToken);
        if (lastProp && (!nl || nl.offset < lastProp.offset)) {
            const message = 'Missing newline after block sequence props';
            onError(lastProp, 'MISSING_CHAR', message);
        }
    }
    const expType = token.type === 'block-map'
        ? 'map'
        : token.type === 'block-seq'
            ? 'seq'
            : token.start.source === '{'
                ? 'map'
                : 'seq';
    // shortcut: check if it's a generic YAMLMap or YAMLSeq
    // before jumping into the custom tag logic.
    if (!tagToken ||
        !tagName ||
        tagName === '!' ||
        (tagName === YAMLMap.YAMLMap.tagName && expType === 'map') ||
        (tagName === YAMLSeq.YAMLSeq.tagName && expType === 'seq')) {
        return resolveCollection(CN, ctx, token, onError, tagName);
    }
    let tag = ctx.schema.tags.find(t => t.tag === tagName && t.collection === expType);
    if (!tag) {
        const kt = ctx.schema.knownTags[tagName];
        if (kt?.collection === expType) {
            ctx.schema.tags.push(Object.assign({}, kt, { default: false }));
            tag = kt;
        }
        else {
            if (kt) {
                onError(tagToken, 'BAD_COLLECTION_TYPE', `${kt.tag} used for ${expType} collection, but expects ${kt.collection ?? 'scalar'}`, true);
            }
            else {
                onError(tagToken, 'TAG_RESOLVE_FAILED', `Unresolved tag: ${tagName}`, true);
            }
            return resolveCollection(CN, ctx, token, onError, tagName);
        }
    }
    const coll = resolveCollection(CN, ctx, token, onError, tagName, tag);
    const res = tag.resolve?.(coll, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg), ctx.options) ?? coll;
    const node = identity.isNode(res)
        ? res
        : new Scalar.Scalar(res);
    node.range = coll.range;
    node.tag = tagName;
    if (tag?.format)
        node.format = tag.format;
    return node;
}

exports.composeCollection = composeCollection;


/***/ }),

/***/ 3683:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Document = __nccwpck_require__(3021);
var composeNode = __nccwpck_require__(5937);
var resolveEnd = __nccwpck_require__(7788);
var resolveProps = __nccwpck_require__(4631);

function composeDoc(options, directives, { offset, start, value, end }, onError) {
    const opts = Object.assign({ _directives: directives }, options);
    const doc = new Document.Document(undefined, opts);
    const ctx = {
        atKey: false,
        atRoot: true,
        directives: doc.directives,
        options: doc.options,
        schema: doc.schema
    };
    const props = resolveProps.resolveProps(start, {
        indicator: 'doc-start',
        next: value ?? end?.[0],
        offset,
        onError,
        parentIndent: 0,
        startOnNewline: true
    });
    if (props.found) {
        doc.directives.docStart = true;
        if (value &&
            (value.type === 'block-map' || value.type === 'block-seq') &&
            !props.hasNewline)
            onError(props.end, 'MISSING_CHAR', 'Block collection cannot start on same line with directives-end marker');
    }
    // @ts-expect-error If Contents is set, let's trust the user
    doc.contents = value
        ? composeNode.composeNode(ctx, value, props, onError)
        : composeNode.composeEmptyNode(ctx, props.end, start, null, props, onError);
    const contentEnd = doc.contents.range[2];
    const re = resolveEnd.resolveEnd(end, contentEnd, false, onError);
    if (re.comment)
        doc.comment = re.comment;
    doc.range = [offset, contentEnd, re.offset];
    return doc;
}

exports.composeDoc = composeDoc;


/***/ }),

/***/ 5937:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(1127);
var composeCollection = __nccwpck_require__(7349);
var composeScalar = __nccwpck_require__(5413);
var resolveEnd = __nccwpck_require__(7788);
var utilEmptyScalarPosition = __nccwpck_require__(2599);

const CN = { composeNode, composeEmptyNode };
function composeNode(ctx, token, props, onError) {
    const atKey = ctx.atKey;
    const { spaceBefore, comment, anchor, tag } = props;
    let node;
    let isSrcToken = true;
    switch (token.type) {
        case 'alias':
            node = composeAlias(ctx, token, onError);
            if (anchor || tag)
                onError(token, 'ALIAS_PROPS', 'An alias node must not specify any properties');
            break;
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar':
        case 'block-scalar':
            node = composeScalar.composeScalar(ctx, token, tag, onError);
            if (anchor)
                node.anchor = anchor.source.substring(1);
            break;
        case 'block-map':
        case 'block-seq':
        case 'flow-collection':
            try {
                node = composeCollection.composeCollection(CN, ctx, token, props, onError);
                if (anchor)
                    node.anchor = anchor.source.substring(1);
            }
            catch (error) {
                // Almost certainly here due to a stack overflow
                const message = error instanceof Error ? error.message : String(error);
                onError(token, 'RESOURCE_EXHAUSTION', message);
            }
            break;
        default: {
            const message = token.type === 'error'
                ? token.message
                : `Unsupported token (type: ${token.type})`;
            onError(token, 'UNEXPECTED_TOKEN', message);
            isSrcToken = false;
        }
    }
    node ?? (node = composeEmptyNode(ctx, token.offset, undefined, null, props, onError));
    if (anchor && node.anchor === '')
        onError(anchor, 'BAD_ALIAS', 'Anchor cannot be an empty string');
    if (atKey &&
        ctx.options.stringKeys &&
        (!identity.isScalar(node) ||
            typeof node.value !== 'string' ||
            (node.tag && node.tag !== 'tag:yaml.org,2002:str'))) {
        const msg = 'With stringKeys, all keys must be strings';
        onError(tag ?? token, 'NON_STRING_KEY', msg);
    }
    if (spaceBefore)
        node.spaceBefore = true;
    if (comment) {
        if (token.type === 'scalar' && token.source === '')
            node.comment = comment;
        else
            node.commentBefore = comment;
    }
    // @ts-expect-error Type checking misses meaning of isSrcToken
    if (ctx.options.keepSourceTokens && isSrcToken)
        node.srcToken = token;
    return node;
}
function composeEmptyNode(ctx, offset, before, pos, { spaceBefore, comment, anchor, tag, end }, onError) {
    const token = {
        type: 'scalar',
        offset: utilEmptyScalarPosition.emptyScalarPosition(offset, before, pos),
        indent: -1,
        source: ''
    };
    const node = composeScalar.composeScalar(ctx, token, tag, onError);
    if (anchor) {
        node.anchor = anchor.source.substring(1);
        if (node.anchor === '')
            onError(anchor, 'BAD_ALIAS', 'Anchor cannot be an empty string');
    }
    if (spaceBefore)
        node.spaceBefore = true;
    if (comment) {
        node.comment = comment;
        node.range[2] = end;
    }
    return node;
}
function composeAlias({ options }, { offset, source, end }, onError) {
    const alias = new Alias.Alias(source.substring(1));
    if (alias.source === '')
        onError(offset, 'BAD_ALIAS', 'Alias cannot be an empty string');
    if (alias.source.endsWith(':'))
        onError(offset + source.length - 1, 'BAD_ALIAS', 'Alias ending in : is ambiguous', true);
    const valueEnd = offset + source.length;
    const re = resolveEnd.resolveEnd(end, valueEnd, options.strict, onError);
    alias.range = [offset, valueEnd, re.offset];
    if (re.comment)
        alias.comment = re.comment;
    return alias;
}

exports.composeEmptyNode = composeEmptyNode;
exports.composeNode = composeNode;


/***/ }),

/***/ 5413:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var resolveBlockScalar = __nccwpck_require__(8913);
var resolveFlowScalar = __nccwpck_require__(6842);

function composeScalar(ctx, token, tagToken, onError) {
    const { value, type, comment, range } = token.type === 'block-scalar'
        ? resolveBlockScalar.resolveBlockScalar(ctx, token, onError)
        : resolveFlowScalar.resolveFlowScalar(token, ctx.options.strict, onError);
    const tagName = tagToken
        ? ctx.directives.tagName(tagToken.source, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg))
        : null;
    let tag;
    if (ctx.options.stringKeys && ctx.atKey) {
        tag = ctx.schema[identity.SCALAR];
    }
    else if (tagName)
        tag = findScalarTagByName(ctx.schema, value, tagName, tagToken, onError);
    else if (token.type === 'scalar')
        tag = findScalarTagByTest(ctx, value, token, onError);
    else
        tag = ctx.schema[identity.SCALAR];
    let scalar;
    try {
        const res = tag.resolve(value, msg => onError(tagToken ?? token, 'TAG_RESOLVE_FAILED', msg), ctx.options);
        scalar = identity.isScalar(res) ? res : new Scalar.Scalar(res);
    }
    catch (error) {
        const msg = error instanceof Error ? error.message : String(error);
        onError(tagToken ?? token, 'TAG_RESOLVE_FAILED', msg);
        scalar = new Scalar.Scalar(value);
    }
    scalar.range = range;
    scalar.source = value;
    if (type)
        scalar.type = type;
    if (tagName)
        scalar.tag = tagName;
    if (tag.format)
        scalar.format = tag.format;
    if (comment)
        scalar.comment = comment;
    return scalar;
}
function findScalarTagByName(schema, value, tagName, tagToken, onError) {
    if (tagName === '!')
        return schema[identity.SCALAR]; // non-specific tag
    const matchWithTest = [];
    for (const tag of schema.tags) {
        if (!tag.collection && tag.tag === tagName) {
            if (tag.default && tag.test)
                matchWithTest.push(tag);
            else
                return tag;
        }
    }
    for (const tag of matchWithTest)
        if (tag.test?.test(value))
            return tag;
    const kt = schema.knownTags[tagName];
    if (kt && !kt.collection) {
        // Ensure that the known tag is available for stringifying,
        // but does not get used by default.
        schema.tags.push(Object.assign({}, kt, { default: false, test: undefined }));
        return kt;
    }
    onError(tagToken, 'TAG_RESOLVE_FAILED', `Unresolved tag: ${tagName}`, tagName !== 'tag:yaml.org,2002:str');
    return schema[identity.SCALAR];
}
function findScalarTagByTest({ atKey, directives, schema }, value, token, onError) {
    const tag = schema.tags.find(tag => (tag.default === true || (atKey && tag.default === 'key')) &&
        tag.test?.test(value)) || schema[identity.SCALAR];
    if (schema.compat) {
        const compat = schema.compat.find(tag => tag.default && tag.test?.test(value)) ??
            schema[identity.SCALAR];
        if (tag.tag !== compat.tag) {
            const ts = directives.tagString(tag.tag);
            const cs = directives.tagString(compat.tag);
            const msg = `Value may be parsed as either ${ts} or ${cs}`;
            onError(token, 'TAG_RESOLVE_FAILED', msg, true);
        }
    }
    return tag;
}

exports.composeScalar = composeScalar;


/***/ }),

/***/ 9984:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);
var directives = __nccwpck_require__(1342);
var Document = __nccwpck_require__(3021);
var errors = __nccwpck_require__(1464);
var identity = __nccwpck_require__(1127);
var composeDoc = __nccwpck_require__(3683);
var resolveEnd = __nccwpck_require__(7788);

function getErrorPos(src) {
    if (typeof src === 'number')
        return [src, src + 1];
    if (Array.isArray(src))
        return src.length === 2 ? src : [src[0], src[1]];
    const { offset, source } = src;
    return [offset, offset + (typeof source === 'string' ? source.length : 1)];
}
function parsePrelude(prelude) {
    let comment = '';
    let atComment = false;
    let afterEmptyLine = false;
    for (let i = 0; i < prelude.length; ++i) {
        const source = prelude[i];
        switch (source[0]) {
            case '#':
                comment +=
                    (comment === '' ? '' : afterEmptyLine ? '\n\n' : '\n') +
                        (source.substring(1) || ' ');
                atComment = true;
                afterEmptyLine = false;
                break;
            case '%':
                if (prelude[i + 1]?.[0] !== '#')
                    i += 1;
                atComment = false;
                break;
            default:
                // This may be wrong after doc-end, but in that case it doesn't matter
                if (!atComment)
                    afterEmptyLine = true;
                atComment = false;
        }
    }
    return { comment, afterEmptyLine };
}
/**
 * Compose a stream of CST nodes into a stream of YAML Documents.
 *
 * ```ts
 * import { Composer, Parser } from 'yaml'
 *
 * const src: string = ...
 * const tokens = new Parser().parse(src)
 * const docs = new Composer().compose(tokens)
 * ```
 */
class Composer {
    constructor(options = {}) {
        this.doc = null;
        this.atDirectives = false;
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
        this.onError = (source, code, message, warning) => {
            const pos = getErrorPos(source);
            if (warning)
                this.warnings.push(new errors.YAMLWarning(pos, code, message));
            else
                this.errors.push(new errors.YAMLParseError(pos, code, message));
        };
        // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
        this.directives = new directives.Directives({ version: options.version || '1.2' });
        this.options = options;
    }
    decorate(doc, afterDoc) {
        const { comment, afterEmptyLine } = parsePrelude(this.prelude);
        //console.log({ dc: doc.comment, prelude, comment })
        if (comment) {
            const dc = doc.contents;
            if (afterDoc) {
                doc.comment = doc.comment ? `${doc.comment}\n${comment}` : comment;
            }
            else if (afterEmptyLine || doc.directives.docStart || !dc) {
                doc.commentBefore = comment;
            }
            else if (identity.isCollection(dc) && !dc.flow && dc.items.length > 0) {
                let it = dc.items[0];
                if (identity.isPair(it))
                    it = it.key;
                const cb = it.commentBefore;
                it.commentBefore = cb ? `${comment}\n${cb}` : comment;
            }
            else {
                const cb = dc.commentBefore;
                dc.commentBefore = cb ? `${comment}\n${cb}` : comment;
            }
        }
        if (afterDoc) {
            for (let i = 0; i < this.errors.length; ++i)
                doc.errors.push(this.errors[i]);
            for (let i = 0; i < this.warnings.length; ++i)
                doc.warnings.push(this.warnings[i]);
        }
        else {
            doc.errors = this.errors;
            doc.warnings = this.warnings;
        }
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
    }
    /**
     * Current stream status information.
     *
     * Mostly useful at the end of input for an empty stream.
     */
    streamInfo() {
        return {
            comment: parsePrelude(this.prelude).comment,
            directives: this.directives,
            errors: this.errors,
            warnings: this.warnings
        };
    }
    /**
     * Compose tokens into documents.
     *
     * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
     * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
     */
    *compose(tokens, forceDoc = false, endOffset = -1) {
        for (const token of tokens)
            yield* this.next(token);
        yield* this.end(forceDoc, endOffset);
    }
    /** Advance the composer by one CST token. */
    *next(token) {
        if (node_process.env.LOG_STREAM)
            console.dir(token, { depth: null });
        switch (token.type) {
            case 'directive':
                this.directives.add(token.source, (offset, message, warning) => {
                    const pos = getErrorPos(token);
                    pos[0] += offset;
                    this.onError(pos, 'BAD_DIRECTIVE', message, warning);
                });
                this.prelude.push(token.source);
                this.atDirectives = true;
                break;
            case 'document': {
                const doc = composeDoc.composeDoc(this.options, this.directives, token, this.onError);
                if (this.atDirectives && !doc.directives.docStart)
                    this.onError(token, 'MISSING_CHAR', 'Missing directives-end/doc-start indicator line');
                this.decorate(doc, false);
                if (this.doc)
                    yield this.doc;
                this.doc = doc;
                this.atDirectives = false;
                break;
            }
            case 'byte-order-mark':
            case 'space':
                break;
            case 'comment':
            case 'newline':
                this.prelude.push(token.source);
                break;
            case 'error': {
                const msg = token.source
                    ? `${token.message}: ${JSON.stringify(token.source)}`
                    : token.message;
                const error = new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', msg);
                if (this.atDirectives || !this.doc)
                    this.errors.push(error);
                else
                    this.doc.errors.push(error);
                break;
            }
            case 'doc-end': {
                if (!this.doc) {
                    const msg = 'Unexpected doc-end without preceding document';
                    this.errors.push(new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', msg));
                    break;
                }
                this.doc.directives.docEnd = true;
                const end = resolveEnd.resolveEnd(token.end, token.offset + token.source.length, this.doc.options.strict, this.onError);
                this.decorate(this.doc, true);
                if (end.comment) {
                    const dc = this.doc.comment;
                    this.doc.comment = dc ? `${dc}\n${end.comment}` : end.comment;
                }
                this.doc.range[2] = end.offset;
                break;
            }
            default:
                this.errors.push(new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', `Unsupported token ${token.type}`));
        }
    }
    /**
     * Call at end of input to yield any remaining document.
     *
     * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
     * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
     */
    *end(forceDoc = false, endOffset = -1) {
        if (this.doc) {
            this.decorate(this.doc, true);
            yield this.doc;
            this.doc = null;
        }
        else if (forceDoc) {
            const opts = Object.assign({ _directives: this.directives }, this.options);
            const doc = new Document.Document(undefined, opts);
            if (this.atDirectives)
                this.onError(endOffset, 'MISSING_CHAR', 'Missing directives-end indicator line');
            doc.range = [0, endOffset, endOffset];
            this.decorate(doc, false);
            yield doc;
        }
    }
}

exports.Composer = Composer;


/***/ }),

/***/ 7103:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Pair = __nccwpck_require__(7165);
var YAMLMap = __nccwpck_require__(4454);
var resolveProps = __nccwpck_require__(4631);
var utilContainsNewline = __nccwpck_require__(9499);
var utilFlowIndentCheck = __nccwpck_require__(4051);
var utilMapIncludes = __nccwpck_require__(1187);

const startColMsg = 'All mapping items must start at the same column';
function resolveBlockMap({ composeNode, composeEmptyNode }, ctx, bm, onError, tag) {
    const NodeClass = tag?.nodeClass ?? YAMLMap.YAMLMap;
    const map = new NodeClass(ctx.schema);
    if (ctx.atRoot)
        ctx.atRoot = false;
    let offset = bm.offset;
    let commentEnd = null;
    for (const collItem of bm.items) {
        const { start, key, sep, value } = collItem;
        // key properties
        const keyProps = resolveProps.resolveProps(start, {
            indicator: 'explicit-key-ind',
            next: key ?? sep?.[0],
            offset,
            onError,
            parentIndent: bm.indent,
            startOnNewline: true
        });
        const implicitKey = !keyProps.found;
        if (implicitKey) {
            if (key) {
                if (key.type === 'block-seq')
                    onError(offset, 'BLOCK_AS_IMPLICIT_KEY', 'A block sequence may not be used as an implicit map key');
                else if ('indent' in key && key.indent !== bm.indent)
                    onError(offset, 'BAD_INDENT', startColMsg);
            }
            if (!keyProps.anchor && !keyProps.tag && !sep) {
                commentEnd = keyProps.end;
                if (keyProps.comment) {
                    if (map.comment)
                        map.comment += '\n' + keyProps.comment;
                    else
                        map.comment = keyProps.comment;
                }
                continue;
            }
            if (keyProps.newlineAfterProp || utilContainsNewline.containsNewline(key)) {
                onError(key ?? start[start.length - 1], 'MULTILINE_IMPLICIT_KEY', 'Implicit keys need to be on a single line');
            }
        }
        else if (keyProps.found?.indent !== bm.indent) {
            onError(offset, 'BAD_INDENT', startColMsg);
        }
        // key value
        ctx.atKey = true;
        const keyStart = keyProps.end;
        const keyNode = key
            ? composeNode(ctx, key, keyProps, onError)
            : composeEmptyNode(ctx, keyStart, start, null, keyProps, onError);
        if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bm.indent, key, onError);
        ctx.atKey = false;
        if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
            onError(keyStart, 'DUPLICATE_KEY', 'Map keys must be unique');
        // value properties
        const valueProps = resolveProps.resolveProps(sep ?? [], {
            indicator: 'map-value-ind',
            next: value,
            offset: keyNode.range[2],
            onError,
            parentIndent: bm.indent,
            startOnNewline: !key || key.type === 'block-scalar'
        });
        offset = valueProps.end;
        if (valueProps.found) {
            if (implicitKey) {
                if (value?.type === 'block-map' && !valueProps.hasNewline)
                    onError(offset, 'BLOCK_AS_IMPLICIT_KEY', 'Nested mappings are not allowed in compact mappings');
                if (ctx.options.strict &&
                    keyProps.start < valueProps.found.offset - 1024)
                    onError(keyNode.range, 'KEY_OVER_1024_CHARS', 'The : indicator must be at most 1024 chars after the start of an implicit block mapping key');
            }
            // value value
            const valueNode = value
                ? composeNode(ctx, value, valueProps, onError)
                : composeEmptyNode(ctx, offset, sep, null, valueProps, onError);
            if (ctx.schema.compat)
                utilFlowIndentCheck.flowIndentCheck(bm.indent, value, onError);
            offset = valueNode.range[2];
            const pair = new Pair.Pair(keyNode, valueNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            map.items.push(pair);
        }
        else {
            // key with no value
            if (implicitKey)
                onError(keyNode.range, 'MISSING_CHAR', 'Implicit map keys need to be followed by map values');
            if (valueProps.comment) {
                if (keyNode.comment)
                    keyNode.comment += '\n' + valueProps.comment;
                else
                    keyNode.comment = valueProps.comment;
            }
            const pair = new Pair.Pair(keyNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            map.items.push(pair);
        }
    }
    if (commentEnd && commentEnd < offset)
        onError(commentEnd, 'IMPOSSIBLE', 'Map comment with trailing content');
    map.range = [bm.offset, offset, commentEnd ?? offset];
    return map;
}

exports.resolveBlockMap = resolveBlockMap;


/***/ }),

/***/ 8913:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

function resolveBlockScalar(ctx, scalar, onError) {
    const start = scalar.offset;
    const header = parseBlockScalarHeader(scalar, ctx.options.strict, onError);
    if (!header)
        return { value: '', type: null, comment: '', range: [start, start, start] };
    const type = header.mode === '>' ? Scalar.Scalar.BLOCK_FOLDED : Scalar.Scalar.BLOCK_LITERAL;
    const lines = scalar.source ? splitLines(scalar.source) : [];
    // determine the end of content & start of chomping
    let chompStart = lines.length;
    for (let i = lines.length - 1; i >= 0; --i) {
        const content = lines[i][1];
        if (content === '' || content === '\r')
            chompStart = i;
        else
            break;
    }
    // shortcut for empty contents
    if (chompStart === 0) {
        const value = header.chomp === '+' && lines.length > 0
            ? '\n'.repeat(Math.max(1, lines.length - 1))
            : '';
        let end = start + header.length;
        if (scalar.source)
            end += scalar.source.length;
        return { value, type, comment: header.comment, range: [start, end, end] };
    }
    // find the indentation level to trim from start
    let trimIndent = scalar.indent + header.indent;
    let offset = scalar.offset + header.length;
    let contentStart = 0;
    for (let i = 0; i < chompStart; ++i) {
        const [indent, content] = lines[i];
        if (content === '' || content === '\r') {
            if (header.indent === 0 && indent.length > trimIndent)
                trimIndent = indent.length;
        }
        else {
            if (indent.length < trimIndent) {
                const message = 'Block scalars with more-indented leading empty lines must use an explicit indentation indicator';
                onError(offset + indent.length, 'MISSING_CHAR', message);
            }
            if (header.indent === 0)
                trimIndent = indent.length;
            contentStart = i;
            if (trimIndent === 0 && !ctx.atRoot) {
                const message = 'Block scalar values in collections must be indented';
                onError(offset, 'BAD_INDENT', message);
            }
            break;
        }
        offset += indent.length + content.length + 1;
    }
    // include trailing more-indented empty lines in content
    for (let i = lines.length - 1; i >= chompStart; --i) {
        if (lines[i][0].length > trimIndent)
            chompStart = i + 1;
    }
    let value = '';
    let sep = '';
    let prevMoreIndented = false;
    // leading whitespace is kept intact
    for (let i = 0; i < contentStart; ++i)
        value += lines[i][0].slice(trimIndent) + '\n';
    for (let i = contentStart; i < chompStart; ++i) {
        let [indent, content] = lines[i];
        offset += indent.length + content.length + 1;
        const crlf = content[content.length - 1] === '\r';
        if (crlf)
            content = content.slice(0, -1);
        /* istanbul ignore if already caught in lexer */
        if (content && indent.length < trimIndent) {
            const src = header.indent
                ? 'explicit indentation indicator'
                : 'first line';
            const message = `Block scalar lines must not be less indented than their ${src}`;
            onError(offset - content.length - (crlf ? 2 : 1), 'BAD_INDENT', message);
            indent = '';
        }
        if (type === Scalar.Scalar.BLOCK_LITERAL) {
            value += sep + indent.slice(trimIndent) + content;
            sep = '\n';
        }
        else if (indent.length > trimIndent || content[0] === '\t') {
            // more-indented content within a folded block
            if (sep === ' ')
                sep = '\n';
            else if (!prevMoreIndented && sep === '\n')
                sep = '\n\n';
            value += sep + indent.slice(trimIndent) + content;
            sep = '\n';
            prevMoreIndented = true;
        }
        else if (content === '') {
            // empty line
            if (sep === '\n')
                value += '\n';
            else
                sep = '\n';
        }
        else {
            value += sep + content;
            sep = ' ';
            prevMoreIndented = false;
        }
    }
    switch (header.chomp) {
        case '-':
            break;
        case '+':
            for (let i = chompStart; i < lines.length; ++i)
                value += '\n' + lines[i][0].slice(trimIndent);
            if (value[value.length - 1] !== '\n')
                value += '\n';
            break;
        default:
            value += '\n';
    }
    const end = start + header.length + scalar.source.length;
    return { value, type, comment: header.comment, range: [start, end, end] };
}
function parseBlockScalarHeader({ offset, props }, strict, onError) {
    /* istanbul ignore if should not happen */
    if (props[0].type !== 'block-scalar-header') {
        onError(props[0], 'IMPOSSIBLE', 'Block scalar header not found');
        return null;
    }
    const { source } = props[0];
    const mode = source[0];
    let indent = 0;
    let chomp = '';
    let error = -1;
    for (let i = 1; i < source.length; ++i) {
        const ch = source[i];
        if (!chomp && (ch === '-' || ch === '+'))
            chomp = ch;
        else {
            const n = Number(ch);
            if (!indent && n)
                indent = n;
            else if (error === -1)
                error = offset + i;
        }
    }
    if (error !== -1)
        onError(error, 'UNEXPECTED_TOKEN', `Block scalar header includes extra characters: ${source}`);
    let hasSpace = false;
    let comment = '';
    let length = source.length;
    for (let i = 1; i < props.length; ++i) {
        const token = props[i];
        switch (token.type) {
            case 'space':
                hasSpace = true;
            // fallthrough
            case 'newline':
                length += token.source.length;
                break;
            case 'comment':
                if (strict && !hasSpace) {
                    const message = 'Comments must be separated from other tokens by white space characters';
                    onError(token, 'MISSING_CHAR', message);
                }
                length += token.source.length;
                comment = token.source.substring(1);
                break;
            case 'error':
                onError(token, 'UNEXPECTED_TOKEN', token.message);
                length += token.source.length;
                break;
            /* istanbul ignore next should not happen */
            default: {
                const message = `Unexpected token in block scalar header: ${token.type}`;
                onError(token, 'UNEXPECTED_TOKEN', message);
                const ts = token.source;
                if (ts && typeof ts === 'string')
                    length += ts.length;
            }
        }
    }
    return { mode, indent, chomp, comment, length };
}
/** @returns Array of lines split up as `[indent, content]` */
function splitLines(source) {
    const split = source.split(/\n( *)/);
    const first = split[0];
    const m = first.match(/^( *)/);
    const line0 = m?.[1]
        ? [m[1], first.slice(m[1].length)]
        : ['', first];
    const lines = [line0];
    for (let i = 1; i < split.length; i += 2)
        lines.push([split[i], split[i + 1]]);
    return lines;
}

exports.resolveBlockScalar = resolveBlockScalar;


/***/ }),

/***/ 334:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var YAMLSeq = __nccwpck_require__(2223);
var resolveProps = __nccwpck_require__(4631);
var utilFlowIndentCheck = __nccwpck_require__(4051);

function resolveBlockSeq({ composeNode, composeEmptyNode }, ctx, bs, onError, tag) {
    const NodeClass = tag?.nodeClass ?? YAMLSeq.YAMLSeq;
    const seq = new NodeClass(ctx.schema);
    if (ctx.atRoot)
        ctx.atRoot = false;
    if (ctx.atKey)
        ctx.atKey = false;
    let offset = bs.offset;
    let commentEnd = null;
    for (const { start, value } of bs.items) {
        const props = resolveProps.resolveProps(start, {
            indicator: 'seq-item-ind',
            next: value,
            offset,
            onError,
            parentIndent: bs.indent,
            startOnNewline: true
        });
        if (!props.found) {
            if (props.anchor || props.tag || value) {
                if (value?.type === 'block-seq')
                    onError(props.end, 'BAD_INDENT', 'All sequence items must start at the same column');
                else
                    onError(offset, 'MISSING_CHAR', 'Sequence item without - indicator');
            }
            else {
                commentEnd = props.end;
                if (props.comment)
                    seq.comment = props.comment;
                continue;
            }
        }
        const node = value
            ? composeNode(ctx, value, props, onError)
            : composeEmptyNode(ctx, props.end, start, null, props, onError);
        if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bs.indent, value, onError);
        offset = node.range[2];
        seq.items.push(node);
    }
    seq.range = [bs.offset, offset, commentEnd ?? offset];
    return seq;
}

exports.resolveBlockSeq = resolveBlockSeq;


/***/ }),

/***/ 7788:
/***/ ((__unused_webpack_module, exports) => {



function resolveEnd(end, offset, reqSpace, onError) {
    let comment = '';
    if (end) {
        let hasSpace = false;
        let sep = '';
        for (const token of end) {
            const { source, type } = token;
            switch (type) {
                case 'space':
                    hasSpace = true;
                    break;
                case 'comment': {
                    if (reqSpace && !hasSpace)
                        onError(token, 'MISSING_CHAR', 'Comments must be separated from other tokens by white space characters');
                    const cb = source.substring(1) || ' ';
                    if (!comment)
                        comment = cb;
                    else
                        comment += sep + cb;
                    sep = '';
                    break;
                }
                case 'newline':
                    if (comment)
                        sep += source;
                    hasSpace = true;
                    break;
                default:
                    onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${type} at node end`);
            }
            offset += source.length;
        }
    }
    return { comment, offset };
}

exports.resolveEnd = resolveEnd;


/***/ }),

/***/ 3142:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var resolveEnd = __nccwpck_require__(7788);
var resolveProps = __nccwpck_require__(4631);
var utilContainsNewline = __nccwpck_require__(9499);
var utilMapIncludes = __nccwpck_require__(1187);

const blockMsg = 'Block collections are not allowed within flow collections';
const isBlock = (token) => token && (token.type === 'block-map' || token.type === 'block-seq');
function resolveFlowCollection({ composeNode, composeEmptyNode }, ctx, fc, onError, tag) {
    const isMap = fc.start.source === '{';
    const fcName = isMap ? 'flow map' : 'flow sequence';
    const NodeClass = (tag?.nodeClass ?? (isMap ? YAMLMap.YAMLMap : YAMLSeq.YAMLSeq));
    const coll = new NodeClass(ctx.schema);
    coll.flow = true;
    const atRoot = ctx.atRoot;
    if (atRoot)
        ctx.atRoot = false;
    if (ctx.atKey)
        ctx.atKey = false;
    let offset = fc.offset + fc.start.source.length;
    for (let i = 0; i < fc.items.length; ++i) {
        const collItem = fc.items[i];
        const { start, key, sep, value } = collItem;
        const props = resolveProps.resolveProps(start, {
            flow: fcName,
            indicator: 'explicit-key-ind',
            next: key ?? sep?.[0],
            offset,
            onError,
            parentIndent: fc.indent,
            startOnNewline: false
        });
        if (!props.found) {
            if (!props.anchor && !props.tag && !sep && !value) {
                if (i === 0 && props.comma)
                    onError(props.comma, 'UNEXPECTED_TOKEN', `Unexpected , in ${fcName}`);
                else if (i < fc.items.length - 1)
                    onError(props.start, 'UNEXPECTED_TOKEN', `Unexpected empty item in ${fcName}`);
                if (props.comment) {
                    if (coll.comment)
                        coll.comment += '\n' + props.comment;
                    else
                        coll.comment = props.comment;
                }
                offset = props.end;
                continue;
            }
            if (!isMap && ctx.options.strict && utilContainsNewline.containsNewline(key))
                onError(key, // checked by containsNewline()
                'MULTILINE_IMPLICIT_KEY', 'Implicit keys of flow sequence pairs need to be on a single line');
        }
        if (i === 0) {
            if (props.comma)
                onError(props.comma, 'UNEXPECTED_TOKEN', `Unexpected , in ${fcName}`);
        }
        else {
            if (!props.comma)
                onError(props.start, 'MISSING_CHAR', `Missing , between ${fcName} items`);
            if (props.comment) {
                let prevItemComment = '';
                loop: for (const st of start) {
                    switch (st.type) {
                        case 'comma':
                        case 'space':
                            break;
                        case 'comment':
                            prevItemComment = st.source.substring(1);
                            break loop;
                        default:
                            break loop;
                    }
                }
                if (prevItemComment) {
                    let prev = coll.items[coll.items.length - 1];
                    if (identity.isPair(prev))
                        prev = prev.value ?? prev.key;
                    if (prev.comment)
                        prev.comment += '\n' + prevItemComment;
                    else
                        prev.comment = prevItemComment;
                    props.comment = props.comment.substring(prevItemComment.length + 1);
                }
            }
        }
        if (!isMap && !sep && !props.found) {
            // item is a value in a seq
            // → key & sep are empty, start does not include ? or :
            const valueNode = value
                ? composeNode(ctx, value, props, onError)
                : composeEmptyNode(ctx, props.end, sep, null, props, onError);
            coll.items.push(valueNode);
            offset = valueNode.range[2];
            if (isBlock(value))
                onError(valueNode.range, 'BLOCK_IN_FLOW', blockMsg);
        }
        else {
            // item is a key+value pair
            // key value
            ctx.atKey = true;
            const keyStart = props.end;
            const keyNode = key
                ? composeNode(ctx, key, props, onError)
                : composeEmptyNode(ctx, keyStart, start, null, props, onError);
            if (isBlock(key))
                onError(keyNode.range, 'BLOCK_IN_FLOW', blockMsg);
            ctx.atKey = false;
            // value properties
            const valueProps = resolveProps.resolveProps(sep ?? [], {
                flow: fcName,
                indicator: 'map-value-ind',
                next: value,
                offset: keyNode.range[2],
                onError,
                parentIndent: fc.indent,
                startOnNewline: false
            });
            if (valueProps.found) {
                if (!isMap && !props.found && ctx.options.strict) {
                    if (sep)
                        for (const st of sep) {
                            if (st === valueProps.found)
                                break;
                            if (st.type === 'newline') {
                                onError(st, 'MULTILINE_IMPLICIT_KEY', 'Implicit keys of flow sequence pairs need to be on a single line');
                                break;
                            }
                        }
                    if (props.start < valueProps.found.offset - 1024)
                        onError(valueProps.found, 'KEY_OVER_1024_CHARS', 'The : indicator must be at most 1024 chars after the start of an implicit flow sequence key');
                }
            }
            else if (value) {
                if ('source' in value && value.source?.[0] === ':')
                    onError(value, 'MISSING_CHAR', `Missing space after : in ${fcName}`);
                else
                    onError(valueProps.start, 'MISSING_CHAR', `Missing , or : between ${fcName} items`);
            }
            // value value
            const valueNode = value
                ? composeNode(ctx, value, valueProps, onError)
                : valueProps.found
                    ? composeEmptyNode(ctx, valueProps.end, sep, null, valueProps, onError)
                    : null;
            if (valueNode) {
                if (isBlock(value))
                    onError(valueNode.range, 'BLOCK_IN_FLOW', blockMsg);
            }
            else if (valueProps.comment) {
                if (keyNode.comment)
                    keyNode.comment += '\n' + valueProps.comment;
                else
                    keyNode.comment = valueProps.comment;
            }
            const pair = new Pair.Pair(keyNode, valueNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            if (isMap) {
                const map = coll;
                if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
                    onError(keyStart, 'DUPLICATE_KEY', 'Map keys must be unique');
                map.items.push(pair);
            }
            else {
                const map = new YAMLMap.YAMLMap(ctx.schema);
                map.flow = true;
                map.items.push(pair);
                const endRange = (valueNode ?? keyNode).range;
                map.range = [keyNode.range[0], endRange[1], endRange[2]];
                coll.items.push(map);
            }
            offset = valueNode ? valueNode.range[2] : valueProps.end;
        }
    }
    const expectedEnd = isMap ? '}' : ']';
    const [ce, ...ee] = fc.end;
    let cePos = offset;
    if (ce?.source === expectedEnd)
        cePos = ce.offset + ce.source.length;
    else {
        const name = fcName[0].toUpperCase() + fcName.substring(1);
        const msg = atRoot
            ? `${name} must end with a ${expectedEnd}`
            : `${name} in block collection must be sufficiently indented and end with a ${expectedEnd}`;
        onError(offset, atRoot ? 'MISSING_CHAR' : 'BAD_INDENT', msg);
        if (ce && ce.source.length !== 1)
            ee.unshift(ce);
    }
    if (ee.length > 0) {
        const end = resolveEnd.resolveEnd(ee, cePos, ctx.options.strict, onError);
        if (end.comment) {
            if (coll.comment)
                coll.comment += '\n' + end.comment;
            else
                coll.comment = end.comment;
        }
        coll.range = [fc.offset, cePos, end.offset];
    }
    else {
        coll.range = [fc.offset, cePos, cePos];
    }
    return coll;
}

exports.resolveFlowCollection = resolveFlowCollection;


/***/ }),

/***/ 6842:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var resolveEnd = __nccwpck_require__(7788);

function resolveFlowScalar(scalar, strict, onError) {
    const { offset, type, source, end } = scalar;
    let _type;
    let value;
    const _onError = (rel, code, msg) => onError(offset + rel, code, msg);
    switch (type) {
        case 'scalar':
            _type = Scalar.Scalar.PLAIN;
            value = plainValue(source, _onError);
            break;
        case 'single-quoted-scalar':
            _type = Scalar.Scalar.QUOTE_SINGLE;
            value = singleQuotedValue(source, _onError);
            break;
        case 'double-quoted-scalar':
            _type = Scalar.Scalar.QUOTE_DOUBLE;
            value = doubleQuotedValue(source, _onError);
            break;
        /* istanbul ignore next should not happen */
        default:
            onError(scalar, 'UNEXPECTED_TOKEN', `Expected a flow scalar value, but found: ${type}`);
            return {
                value: '',
                type: null,
                comment: '',
                range: [offset, offset + source.length, offset + source.length]
            };
    }
    const valueEnd = offset + source.length;
    const re = resolveEnd.resolveEnd(end, valueEnd, strict, onError);
    return {
        value,
        type: _type,
        comment: re.comment,
        range: [offset, valueEnd, re.offset]
    };
}
function plainValue(source, onError) {
    let badChar = '';
    switch (source[0]) {
        /* istanbul ignore next should not happen */
        case '\t':
            badChar = 'a tab character';
            break;
        case ',':
            badChar = 'flow indicator character ,';
            break;
        case '%':
            badChar = 'directive indicator character %';
            break;
        case '|':
        case '>': {
            badChar = `block scalar indicator ${source[0]}`;
            break;
        }
        case '@':
        case '`': {
            badChar = `reserved character ${source[0]}`;
            break;
        }
    }
    if (badChar)
        onError(0, 'BAD_SCALAR_START', `Plain value cannot start with ${badChar}`);
    return unfoldLines(source);
}
function singleQuotedValue(source, onError) {
    if (source[source.length - 1] !== "'" || source.length === 1)
        onError(source.length, 'MISSING_CHAR', "Missing closing 'quote");
    return unfoldLines(source.slice(1, -1)).replace(/''/g, "'");
}
function unfoldLines(source) {
    const line = /(.*?)\r?\n/sy;
    let match = line.exec(source);
    if (!match)
        return source;
    /**
     * The negative lookbehinds in these RegExps are to
     * prevent causing a polynomial search time in certain cases.
     *
     * The try-catch is for Safari < 16.4 and other old browsers:
     * https://caniuse.com/js-regexp-lookbehind
     */
    let trimEnd, trimBoth;
    try {
        trimEnd = new RegExp('(?<![ \t])[ \t]+$');
        trimBoth = new RegExp('^[ \t]+|(?<![ \t])[ \t]+$', 'g');
    }
    catch {
        trimEnd = /[ \t]+$/;
        trimBoth = /^[ \t]+|[ \t]+$/g;
    }
    let res = match[1].replace(trimEnd, '');
    let sep = ' ';
    let pos = line.lastIndex;
    while ((match = line.exec(source))) {
        const lm = match[1].replace(trimBoth, '');
        if (lm === '') {
            if (sep === '\n')
                res += sep;
            else
                sep = '\n';
        }
        else {
            res += sep + lm;
            sep = ' ';
        }
        pos = line.lastIndex;
    }
    const last = /[ \t]*(.*)/sy;
    last.lastIndex = pos;
    match = last.exec(source);
    return res + sep + (match?.[1] ?? '');
}
function doubleQuotedValue(source, onError) {
    let res = '';
    for (let i = 1; i < source.length - 1; ++i) {
        const ch = source[i];
        if (ch === '\r' && source[i + 1] === '\n')
            continue;
        if (ch === '\n') {
            const { fold, offset } = foldNewline(source, i);
            res += fold;
            i = offset;
        }
        else if (ch === '\\') {
            let next = source[++i];
            const cc = escapeCodes[next];
            if (cc)
                res += cc;
            else if (next === '\n') {
                // skip escaped newlines, but still trim the following line
                next = source[i + 1];
                while (next === ' ' || next === '\t')
                    next = source[++i + 1];
            }
            else if (next === '\r' && source[i + 1] === '\n') {
                // skip escaped CRLF newlines, but still trim the following line
                next = source[++i + 1];
                while (next === ' ' || next === '\t')
                    next = source[++i + 1];
            }
            else if (next === 'x' || next === 'u' || next === 'U') {
                const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
                res += parseCharCode(source, i + 1, length, onError);
                i += length;
            }
            else {
                const raw = source.substr(i - 1, 2);
                onError(i - 1, 'BAD_DQ_ESCAPE', `Invalid escape sequence ${raw}`);
                res += raw;
            }
        }
        else if (ch === ' ' || ch === '\t') {
            // trim trailing whitespace
            const wsStart = i;
            let next = source[i + 1];
            while (next === ' ' || next === '\t')
                next = source[++i + 1];
            if (next !== '\n' && !(next === '\r' && source[i + 2] === '\n'))
                res += i > wsStart ? source.slice(wsStart, i + 1) : ch;
        }
        else {
            res += ch;
        }
    }
    if (source[source.length - 1] !== '"' || source.length === 1)
        onError(source.length, 'MISSING_CHAR', 'Missing closing "quote');
    return res;
}
/**
 * Fold a single newline into a space, multiple newlines to N - 1 newlines.
 * Presumes `source[offset] === '\n'`
 */
function foldNewline(source, offset) {
    let fold = '';
    let ch = source[offset + 1];
    while (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
        if (ch === '\r' && source[offset + 2] !== '\n')
            break;
        if (ch === '\n')
            fold += '\n';
        offset += 1;
        ch = source[offset + 1];
    }
    if (!fold)
        fold = ' ';
    return { fold, offset };
}
const escapeCodes = {
    '0': '\0', // null character
    a: '\x07', // bell character
    b: '\b', // backspace
    e: '\x1b', // escape character
    f: '\f', // form feed
    n: '\n', // line feed
    r: '\r', // carriage return
    t: '\t', // horizontal tab
    v: '\v', // vertical tab
    N: '\u0085', // Unicode next line
    _: '\u00a0', // Unicode non-breaking space
    L: '\u2028', // Unicode line separator
    P: '\u2029', // Unicode paragraph separator
    ' ': ' ',
    '"': '"',
    '/': '/',
    '\\': '\\',
    '\t': '\t'
};
function parseCharCode(source, offset, length, onError) {
    const cc = source.substr(offset, length);
    const ok = cc.length === length && /^[0-9a-fA-F]+$/.test(cc);
    const code = ok ? parseInt(cc, 16) : NaN;
    try {
        return String.fromCodePoint(code);
    }
    catch {
        const raw = source.substr(offset - 2, length + 2);
        onError(offset - 2, 'BAD_DQ_ESCAPE', `Invalid escape sequence ${raw}`);
        return raw;
    }
}

exports.resolveFlowScalar = resolveFlowScalar;


/***/ }),

/***/ 4631:
/***/ ((__unused_webpack_module, exports) => {



function resolveProps(tokens, { flow, indicator, next, offset, onError, parentIndent, startOnNewline }) {
    let spaceBefore = false;
    let atNewline = startOnNewline;
    let hasSpace = startOnNewline;
    let comment = '';
    let commentSep = '';
    let hasNewline = false;
    let reqSpace = false;
    let tab = null;
    let anchor = null;
    let tag = null;
    let newlineAfterProp = null;
    let comma = null;
    let found = null;
    let start = null;
    for (const token of tokens) {
        if (reqSpace) {
            if (token.type !== 'space' &&
                token.type !== 'newline' &&
                token.type !== 'comma')
                onError(token.offset, 'MISSING_CHAR', 'Tags and anchors must be separated from the next token by white space');
            reqSpace = false;
        }
        if (tab) {
            if (atNewline && token.type !== 'comment' && token.type !== 'newline') {
                onError(tab, 'TAB_AS_INDENT', 'Tabs are not allowed as indentation');
            }
            tab = null;
        }
        switch (token.type) {
            case 'space':
                // At the doc level, tabs at line start may be parsed
                // as leading white space rather than indentation.
                // In a flow collection, only the parser handles indent.
                if (!flow &&
                    (indicator !== 'doc-start' || next?.type !== 'flow-collection') &&
                    token.source.includes('\t')) {
                    tab = token;
                }
                hasSpace = true;
                break;
            case 'comment': {
                if (!hasSpace)
                    onError(token, 'MISSING_CHAR', 'Comments must be separated from other tokens by white space characters');
                const cb = token.source.substring(1) || ' ';
                if (!comment)
                    comment = cb;
                else
                    comment += commentSep + cb;
                commentSep = '';
                atNewline = false;
                break;
            }
            case 'newline':
                if (atNewline) {
                    if (comment)
                        comment += token.source;
                    else if (!found || indicator !== 'seq-item-ind')
                        spaceBefore = true;
                }
                else
                    commentSep += token.source;
                atNewline = true;
                hasNewline = true;
                if (anchor || tag)
                    newlineAfterProp = token;
                hasSpace = true;
                break;
            case 'anchor':
                if (anchor)
                    onError(token, 'MULTIPLE_ANCHORS', 'A node can have at most one anchor');
                if (token.source.endsWith(':'))
                    onError(token.offset + token.source.length - 1, 'BAD_ALIAS', 'Anchor ending in : is ambiguous', true);
                anchor = token;
                start ?? (start = token.offset);
                atNewline = false;
                hasSpace = false;
                reqSpace = true;
                break;
            case 'tag': {
                if (tag)
                    onError(token, 'MULTIPLE_TAGS', 'A node can have at most one tag');
                tag = token;
                start ?? (start = token.offset);
                atNewline = false;
                hasSpace = false;
                reqSpace = true;
                break;
            }
            case indicator:
                // Could here handle preceding comments differently
                if (anchor || tag)
                    onError(token, 'BAD_PROP_ORDER', `Anchors and tags must be after the ${token.source} indicator`);
                if (found)
                    onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${token.source} in ${flow ?? 'collection'}`);
                found = token;
                atNewline =
                    indicator === 'seq-item-ind' || indicator === 'explicit-key-ind';
                hasSpace = false;
                break;
            case 'comma':
                if (flow) {
                    if (comma)
                        onError(token, 'UNEXPECTED_TOKEN', `Unexpected , in ${flow}`);
                    comma = token;
                    atNewline = false;
                    hasSpace = false;
                    break;
                }
            // else fallthrough
            default:
                onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${token.type} token`);
                atNewline = false;
                hasSpace = false;
        }
    }
    const last = tokens[tokens.length - 1];
    const end = last ? last.offset + last.source.length : offset;
    if (reqSpace &&
        next &&
        next.type !== 'space' &&
        next.type !== 'newline' &&
        next.type !== 'comma' &&
        (next.type !== 'scalar' || next.source !== '')) {
        onError(next.offset, 'MISSING_CHAR', 'Tags and anchors must be separated from the next token by white space');
    }
    if (tab &&
        ((atNewline && tab.indent <= parentIndent) ||
            next?.type === 'block-map' ||
            next?.type === 'block-seq'))
        onError(tab, 'TAB_AS_INDENT', 'Tabs are not allowed as indentation');
    return {
        comma,
        found,
        spaceBefore,
        comment,
        hasNewline,
        anchor,
        tag,
        newlineAfterProp,
        end,
        start: start ?? end
    };
}

exports.resolveProps = resolveProps;


/***/ }),

/***/ 9499:
/***/ ((__unused_webpack_module, exports) => {



function containsNewline(key) {
    if (!key)
        return null;
    switch (key.type) {
        case 'alias':
        case 'scalar':
        case 'double-quoted-scalar':
        case 'single-quoted-scalar':
            if (key.source.includes('\n'))
                return true;
            if (key.end)
                for (const st of key.end)
                    if (st.type === 'newline')
                        return true;
            return false;
        case 'flow-collection':
            for (const it of key.items) {
                for (const st of it.start)
                    if (st.type === 'newline')
                        return true;
                if (it.sep)
                    for (const st of it.sep)
                        if (st.type === 'newline')
                            return true;
                if (containsNewline(it.key) || containsNewline(it.value))
                    return true;
            }
            return false;
        default:
            return true;
    }
}

exports.containsNewline = containsNewline;


/***/ }),

/***/ 2599:
/***/ ((__unused_webpack_module, exports) => {



function emptyScalarPosition(offset, before, pos) {
    if (before) {
        pos ?? (pos = before.length);
        for (let i = pos - 1; i >= 0; --i) {
            let st = before[i];
            switch (st.type) {
                case 'space':
                case 'comment':
                case 'newline':
                    offset -= st.source.length;
                    continue;
            }
            // Technically, an empty scalar is immediately after the last non-empty
            // node, but it's more useful to place it after any whitespace.
            st = before[++i];
            while (st?.type === 'space') {
                offset += st.source.length;
                st = before[++i];
            }
            break;
        }
    }
    return offset;
}

exports.emptyScalarPosition = emptyScalarPosition;


/***/ }),

/***/ 4051:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var utilContainsNewline = __nccwpck_require__(9499);

function flowIndentCheck(indent, fc, onError) {
    if (fc?.type === 'flow-collection') {
        const end = fc.end[0];
        if (end.indent === indent &&
            (end.source === ']' || end.source === '}') &&
            utilContainsNewline.containsNewline(fc)) {
            const msg = 'Flow end indicator should be more indented than parent';
            onError(end, 'BAD_INDENT', msg, true);
        }
    }
}

exports.flowIndentCheck = flowIndentCheck;


/***/ }),

/***/ 1187:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);

function mapIncludes(ctx, items, search) {
    const { uniqueKeys } = ctx.options;
    if (uniqueKeys === false)
        return false;
    const isEqual = typeof uniqueKeys === 'function'
        ? uniqueKeys
        : (a, b) => a === b || (identity.isScalar(a) && identity.isScalar(b) && a.value === b.value);
    return items.some(pair => isEqual(pair.key, search));
}

exports.mapIncludes = mapIncludes;


/***/ }),

/***/ 3021:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var Collection = __nccwpck_require__(101);
var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var toJS = __nccwpck_require__(4043);
var Schema = __nccwpck_require__(5840);
var stringifyDocument = __nccwpck_require__(6829);
var anchors = __nccwpck_require__(1596);
var applyReviver = __nccwpck_require__(3661);
var createNode = __nccwpck_require__(2404);
var directives = __nccwpck_require__(1342);

class Document {
    constructor(value, replacer, options) {
        /** A comment before this Document */
        this.commentBefore = null;
        /** A comment immediately after this Document */
        this.comment = null;
        /** Errors encountered during parsing. */
        this.errors = [];
        /** Warnings encountered during parsing. */
        this.warnings = [];
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.DOC });
        let _replacer = null;
        if (typeof replacer === 'function' || Array.isArray(replacer)) {
            _replacer = replacer;
        }
        else if (options === undefined && replacer) {
            options = replacer;
            replacer = undefined;
        }
        const opt = Object.assign({
            intAsBigInt: false,
            keepSourceTokens: false,
            logLevel: 'warn',
            prettyErrors: true,
            strict: true,
            stringKeys: false,
            uniqueKeys: true,
            version: '1.2'
        }, options);
        this.options = opt;
        let { version } = opt;
        if (options?._directives) {
            this.directives = options._directives.atDocument();
            if (this.directives.yaml.explicit)
                version = this.directives.yaml.version;
        }
        else
            this.directives = new directives.Directives({ version });
        this.setSchema(version, options);
        // @ts-expect-error We can't really know that this matches Contents.
        this.contents =
            value === undefined ? null : this.createNode(value, _replacer, options);
    }
    /**
     * Create a deep copy of this Document and its contents.
     *
     * Custom Node values that inherit from `Object` still refer to their original instances.
     */
    clone() {
        const copy = Object.create(Document.prototype, {
            [identity.NODE_TYPE]: { value: identity.DOC }
        });
        copy.commentBefore = this.commentBefore;
        copy.comment = this.comment;
        copy.errors = this.errors.slice();
        copy.warnings = this.warnings.slice();
        copy.options = Object.assign({}, this.options);
        if (this.directives)
            copy.directives = this.directives.clone();
        copy.schema = this.schema.clone();
        // @ts-expect-error We can't really know that this matches Contents.
        copy.contents = identity.isNode(this.contents)
            ? this.contents.clone(copy.schema)
            : this.contents;
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /** Adds a value to the document. */
    add(value) {
        if (assertCollection(this.contents))
            this.contents.add(value);
    }
    /** Adds a value to the document. */
    addIn(path, value) {
        if (assertCollection(this.contents))
            this.contents.addIn(path, value);
    }
    /**
     * Create a new `Alias` node, ensuring that the target `node` has the required anchor.
     *
     * If `node` already has an anchor, `name` is ignored.
     * Otherwise, the `node.anchor` value will be set to `name`,
     * or if an anchor with that name is already present in the document,
     * `name` will be used as a prefix for a new unique anchor.
     * If `name` is undefined, the generated anchor will use 'a' as a prefix.
     */
    createAlias(node, name) {
        if (!node.anchor) {
            const prev = anchors.anchorNames(this);
            node.anchor =
                // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
                !name || prev.has(name) ? anchors.findNewAnchor(name || 'a', prev) : name;
        }
        return new Alias.Alias(node.anchor);
    }
    createNode(value, replacer, options) {
        let _replacer = undefined;
        if (typeof replacer === 'function') {
            value = replacer.call({ '': value }, '', value);
            _replacer = replacer;
        }
        else if (Array.isArray(replacer)) {
            const keyToStr = (v) => typeof v === 'number' || v instanceof String || v instanceof Number;
            const asStr = replacer.filter(keyToStr).map(String);
            if (asStr.length > 0)
                replacer = replacer.concat(asStr);
            _replacer = replacer;
        }
        else if (options === undefined && replacer) {
            options = replacer;
            replacer = undefined;
        }
        const { aliasDuplicateObjects, anchorPrefix, flow, keepUndefined, onTagObj, tag } = options ?? {};
        const { onAnchor, setAnchors, sourceObjects } = anchors.createNodeAnchors(this, 
        // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
        anchorPrefix || 'a');
        const ctx = {
            aliasDuplicateObjects: aliasDuplicateObjects ?? true,
            keepUndefined: keepUndefined ?? false,
            onAnchor,
            onTagObj,
            replacer: _replacer,
            schema: this.schema,
            sourceObjects
        };
        const node = createNode.createNode(value, tag, ctx);
        if (flow && identity.isCollection(node))
            node.flow = true;
        setAnchors();
        return node;
    }
    /**
     * Convert a key and a value into a `Pair` using the current schema,
     * recursively wrapping all values as `Scalar` or `Collection` nodes.
     */
    createPair(key, value, options = {}) {
        const k = this.createNode(key, null, options);
        const v = this.createNode(value, null, options);
        return new Pair.Pair(k, v);
    }
    /**
     * Removes a value from the document.
     * @returns `true` if the item was found and removed.
     */
    delete(key) {
        return assertCollection(this.contents) ? this.contents.delete(key) : false;
    }
    /**
     * Removes a value from the document.
     * @returns `true` if the item was found and removed.
     */
    deleteIn(path) {
        if (Collection.isEmptyPath(path)) {
            if (this.contents == null)
                return false;
            // @ts-expect-error Presumed impossible if Strict extends false
            this.contents = null;
            return true;
        }
        return assertCollection(this.contents)
            ? this.contents.deleteIn(path)
            : false;
    }
    /**
     * Returns item at `key`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    get(key, keepScalar) {
        return identity.isCollection(this.contents)
            ? this.contents.get(key, keepScalar)
            : undefined;
    }
    /**
     * Returns item at `path`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    getIn(path, keepScalar) {
        if (Collection.isEmptyPath(path))
            return !keepScalar && identity.isScalar(this.contents)
                ? this.contents.value
                : this.contents;
        return identity.isCollection(this.contents)
            ? this.contents.getIn(path, keepScalar)
            : undefined;
    }
    /**
     * Checks if the document includes a value with the key `key`.
     */
    has(key) {
        return identity.isCollection(this.contents) ? this.contents.has(key) : false;
    }
    /**
     * Checks if the document includes a value at `path`.
     */
    hasIn(path) {
        if (Collection.isEmptyPath(path))
            return this.contents !== undefined;
        return identity.isCollection(this.contents) ? this.contents.hasIn(path) : false;
    }
    /**
     * Sets a value in this document. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    set(key, value) {
        if (this.contents == null) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = Collection.collectionFromPath(this.schema, [key], value);
        }
        else if (assertCollection(this.contents)) {
            this.contents.set(key, value);
        }
    }
    /**
     * Sets a value in this document. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    setIn(path, value) {
        if (Collection.isEmptyPath(path)) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = value;
        }
        else if (this.contents == null) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = Collection.collectionFromPath(this.schema, Array.from(path), value);
        }
        else if (assertCollection(this.contents)) {
            this.contents.setIn(path, value);
        }
    }
    /**
     * Change the YAML version and schema used by the document.
     * A `null` version disables support for directives, explicit tags, anchors, and aliases.
     * It also requires the `schema` option to be given as a `Schema` instance value.
     *
     * Overrides all previously set schema options.
     */
    setSchema(version, options = {}) {
        if (typeof version === 'number')
            version = String(version);
        let opt;
        switch (version) {
            case '1.1':
                if (this.directives)
                    this.directives.yaml.version = '1.1';
                else
                    this.directives = new directives.Directives({ version: '1.1' });
                opt = { resolveKnownTags: false, schema: 'yaml-1.1' };
                break;
            case '1.2':
            case 'next':
                if (this.directives)
                    this.directives.yaml.version = version;
                else
                    this.directives = new directives.Directives({ version });
                opt = { resolveKnownTags: true, schema: 'core' };
                break;
            case null:
                if (this.directives)
                    delete this.directives;
                opt = null;
                break;
            default: {
                const sv = JSON.stringify(version);
                throw new Error(`Expected '1.1', '1.2' or null as first argument, but found: ${sv}`);
            }
        }
        // Not using `instanceof Schema` to allow for duck typing
        if (options.schema instanceof Object)
            this.schema = options.schema;
        else if (opt)
            this.schema = new Schema.Schema(Object.assign(opt, options));
        else
            throw new Error(`With a null YAML version, the { schema: Schema } option is required`);
    }
    // json & jsonArg are only used from toJSON()
    toJS({ json, jsonArg, mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        const ctx = {
            anchors: new Map(),
            doc: this,
            keep: !json,
            mapAsMap: mapAsMap === true,
            mapKeyWarned: false,
            maxAliasCount: typeof maxAliasCount === 'number' ? maxAliasCount : 100
        };
        const res = toJS.toJS(this.contents, jsonArg ?? '', ctx);
        if (typeof onAnchor === 'function')
            for (const { count, res } of ctx.anchors.values())
                onAnchor(res, count);
        return typeof reviver === 'function'
            ? applyReviver.applyReviver(reviver, { '': res }, '', res)
            : res;
    }
    /**
     * A JSON representation of the document `contents`.
     *
     * @param jsonArg Used by `JSON.stringify` to indicate the array index or
     *   property name.
     */
    toJSON(jsonArg, onAnchor) {
        return this.toJS({ json: true, jsonArg, mapAsMap: false, onAnchor });
    }
    /** A YAML representation of the document. */
    toString(options = {}) {
        if (this.errors.length > 0)
            throw new Error('Document with errors cannot be stringified');
        if ('indent' in options &&
            (!Number.isInteger(options.indent) || Number(options.indent) <= 0)) {
            const s = JSON.stringify(options.indent);
            throw new Error(`"indent" option must be a positive integer, not ${s}`);
        }
        return stringifyDocument.stringifyDocument(this, options);
    }
}
function assertCollection(contents) {
    if (identity.isCollection(contents))
        return true;
    throw new Error('Expected a YAML collection as document contents');
}

exports.Document = Document;


/***/ }),

/***/ 1596:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var visit = __nccwpck_require__(204);

/**
 * Verify that the input string is a valid anchor.
 *
 * Will throw on errors.
 */
function anchorIsValid(anchor) {
    if (/[\x00-\x19\s,[\]{}]/.test(anchor)) {
        const sa = JSON.stringify(anchor);
        const msg = `Anchor must not contain whitespace or control characters: ${sa}`;
        throw new Error(msg);
    }
    return true;
}
function anchorNames(root) {
    const anchors = new Set();
    visit.visit(root, {
        Value(_key, node) {
            if (node.anchor)
                anchors.add(node.anchor);
        }
    });
    return anchors;
}
/** Find a new anchor name with the given `prefix` and a one-indexed suffix. */
function findNewAnchor(prefix, exclude) {
    for (let i = 1; true; ++i) {
        const name = `${prefix}${i}`;
        if (!exclude.has(name))
            return name;
    }
}
function createNodeAnchors(doc, prefix) {
    const aliasObjects = [];
    const sourceObjects = new Map();
    let prevAnchors = null;
    return {
        onAnchor: (source) => {
            aliasObjects.push(source);
            prevAnchors ?? (prevAnchors = anchorNames(doc));
            const anchor = findNewAnchor(prefix, prevAnchors);
            prevAnchors.add(anchor);
            return anchor;
        },
        /**
         * With circular references, the source node is only resolved after all
         * of its child nodes are. This is why anchors are set only after all of
         * the nodes have been created.
         */
        setAnchors: () => {
            for (const source of aliasObjects) {
                const ref = sourceObjects.get(source);
                if (typeof ref === 'object' &&
                    ref.anchor &&
                    (identity.isScalar(ref.node) || identity.isCollection(ref.node))) {
                    ref.node.anchor = ref.anchor;
                }
                else {
                    const error = new Error('Failed to resolve repeated object (this should not happen)');
                    error.source = source;
                    throw error;
                }
            }
        },
        sourceObjects
    };
}

exports.anchorIsValid = anchorIsValid;
exports.anchorNames = anchorNames;
exports.createNodeAnchors = createNodeAnchors;
exports.findNewAnchor = findNewAnchor;


/***/ }),

/***/ 3661:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Applies the JSON.parse reviver algorithm as defined in the ECMA-262 spec,
 * in section 24.5.1.1 "Runtime Semantics: InternalizeJSONProperty" of the
 * 2021 edition: https://tc39.es/ecma262/#sec-json.parse
 *
 * Includes extensions for handling Map and Set objects.
 */
function applyReviver(reviver, obj, key, val) {
    if (val && typeof val === 'object') {
        if (Array.isArray(val)) {
            for (let i = 0, len = val.length; i < len; ++i) {
                const v0 = val[i];
                const v1 = applyReviver(reviver, val, String(i), v0);
                // eslint-disable-next-line @typescript-eslint/no-array-delete
                if (v1 === undefined)
                    delete val[i];
                else if (v1 !== v0)
                    val[i] = v1;
            }
        }
        else if (val instanceof Map) {
            for (const k of Array.from(val.keys())) {
                const v0 = val.get(k);
                const v1 = applyReviver(reviver, val, k, v0);
                if (v1 === undefined)
                    val.delete(k);
                else if (v1 !== v0)
                    val.set(k, v1);
            }
        }
        else if (val instanceof Set) {
            for (const v0 of Array.from(val)) {
                const v1 = applyReviver(reviver, val, v0, v0);
                if (v1 === undefined)
                    val.delete(v0);
                else if (v1 !== v0) {
                    val.delete(v0);
                    val.add(v1);
                }
            }
        }
        else {
            for (const [k, v0] of Object.entries(val)) {
                const v1 = applyReviver(reviver, val, k, v0);
                if (v1 === undefined)
                    delete val[k];
                else if (v1 !== v0)
                    val[k] = v1;
            }
        }
    }
    return reviver.call(obj, key, val);
}

exports.applyReviver = applyReviver;


/***/ }),

/***/ 2404:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);

const defaultTagPrefix = 'tag:yaml.org,2002:';
function findTagObject(value, tagName, tags) {
    if (tagName) {
        const match = tags.filter(t => t.tag === tagName);
        const tagObj = match.find(t => !t.format) ?? match[0];
        if (!tagObj)
            throw new Error(`Tag ${tagName} not found`);
        return tagObj;
    }
    return tags.find(t => t.identify?.(value) && !t.format);
}
function createNode(value, tagName, ctx) {
    if (identity.isDocument(value))
        value = value.contents;
    if (identity.isNode(value))
        return value;
    if (identity.isPair(value)) {
        const map = ctx.schema[identity.MAP].createNode?.(ctx.schema, null, ctx);
        map.items.push(value);
        return map;
    }
    if (value instanceof String ||
        value instanceof Number ||
        value instanceof Boolean ||
        (typeof BigInt !== 'undefined' && value instanceof BigInt) // not supported everywhere
    ) {
        // https://tc39.es/ecma262/#sec-serializejsonproperty
        value = value.valueOf();
    }
    const { aliasDuplicateObjects, onAnchor, onTagObj, schema, sourceObjects } = ctx;
    // Detect duplicate references to the same object & use Alias nodes for all
    // after first. The `ref` wrapper allows for circular references to resolve.
    let ref = undefined;
    if (aliasDuplicateObjects && value && typeof value === 'object') {
        ref = sourceObjects.get(value);
        if (ref) {
            ref.anchor ?? (ref.anchor = onAnchor(value));
            return new Alias.Alias(ref.anchor);
        }
        else {
            ref = { anchor: null, node: null };
            sourceObjects.set(value, ref);
        }
    }
    if (tagName?.startsWith('!!'))
        tagName = defaultTagPrefix + tagName.slice(2);
    let tagObj = findTagObject(value, tagName, schema.tags);
    if (!tagObj) {
        if (value && typeof value.toJSON === 'function') {
            // eslint-disable-next-line @typescript-eslint/no-unsafe-call
            value = value.toJSON();
        }
        if (!value || typeof value !== 'object') {
            const node = new Scalar.Scalar(value);
            if (ref)
                ref.node = node;
            return node;
        }
        tagObj =
            value instanceof Map
                ? schema[identity.MAP]
                : Symbol.iterator in Object(value)
                    ? schema[identity.SEQ]
                    : schema[identity.MAP];
    }
    if (onTagObj) {
        onTagObj(tagObj);
        delete ctx.onTagObj;
    }
    const node = tagObj?.createNode
        ? tagObj.createNode(ctx.schema, value, ctx)
        : typeof tagObj?.nodeClass?.from === 'function'
            ? tagObj.nodeClass.from(ctx.schema, value, ctx)
            : new Scalar.Scalar(value);
    if (tagName)
        node.tag = tagName;
    else if (!tagObj.default)
        node.tag = tagObj.tag;
    if (ref)
        ref.node = node;
    return node;
}

exports.createNode = createNode;


/***/ }),

/***/ 1342:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var visit = __nccwpck_require__(204);

const escapeChars = {
    '!': '%21',
    ',': '%2C',
    '[': '%5B',
    ']': '%5D',
    '{': '%7B',
    '}': '%7D'
};
const escapeTagName = (tn) => tn.replace(/[!,[\]{}]/g, ch => escapeChars[ch]);
class Directives {
    constructor(yaml, tags) {
        /**
         * The directives-end/doc-start marker `---`. If `null`, a marker may still be
         * included in the document's stringified representation.
         */
        this.docStart = null;
        /** The doc-end marker `...`.  */
        this.docEnd = false;
        this.yaml = Object.assign({}, Directives.defaultYaml, yaml);
        this.tags = Object.assign({}, Directives.defaultTags, tags);
    }
    clone() {
        const copy = new Directives(this.yaml, this.tags);
        copy.docStart = this.docStart;
        return copy;
    }
    /**
     * During parsing, get a Directives instance for the current document and
     * update the stream state according to the current version's spec.
     */
    atDocument() {
        const res = new Directives(this.yaml, this.tags);
        switch (this.yaml.version) {
            case '1.1':
                this.atNextDocument = true;
                break;
            case '1.2':
                this.atNextDocument = false;
                this.yaml = {
                    explicit: Directives.defaultYaml.explicit,
                    version: '1.2'
                };
                this.tags = Object.assign({}, Directives.defaultTags);
                break;
        }
        return res;
    }
    /**
     * @param onError - May be called even if the action was successful
     * @returns `true` on success
     */
    add(line, onError) {
        if (this.atNextDocument) {
            this.yaml = { explicit: Directives.defaultYaml.explicit, version: '1.1' };
            this.tags = Object.assign({}, Directives.defaultTags);
            this.atNextDocument = false;
        }
        const parts = line.trim().split(/[ \t]+/);
        const name = parts.shift();
        switch (name) {
            case '%TAG': {
                if (parts.length !== 2) {
                    onError(0, '%TAG directive should contain exactly two parts');
                    if (parts.length < 2)
                        return false;
                }
                const [handle, prefix] = parts;
                this.tags[handle] = prefix;
                return true;
            }
            case '%YAML': {
                this.yaml.explicit = true;
                if (parts.length !== 1) {
                    onError(0, '%YAML directive should contain exactly one part');
                    return false;
                }
                const [version] = parts;
                if (version === '1.1' || version === '1.2') {
                    this.yaml.version = version;
                    return true;
                }
                else {
                    const isValid = /^\d+\.\d+$/.test(version);
                    onError(6, `Unsupported YAML version ${version}`, isValid);
                    return false;
                }
            }
            default:
                onError(0, `Unknown directive ${name}`, true);
                return false;
        }
    }
    /**
     * Resolves a tag, matching handles to those defined in %TAG directives.
     *
     * @returns Resolved tag, which may also be the non-specific tag `'!'` or a
     *   `'!local'` tag, or `null` if unresolvable.
     */
    tagName(source, onError) {
        if (source === '!')
            return '!'; // non-specific tag
        if (source[0] !== '!') {
            onError(`Not a valid tag: ${source}`);
            return null;
        }
        if (source[1] === '<') {
            const verbatim = source.slice(2, -1);
            if (verbatim === '!' || verbatim === '!!') {
                onError(`Verbatim tags aren't resolved, so ${source} is invalid.`);
                return null;
            }
            if (source[source.length - 1] !== '>')
                onError('Verbatim tags must end with a >');
            return verbatim;
        }
        const [, handle, suffix] = source.match(/^(.*!)([^!]*)$/s);
        if (!suffix)
            onError(`The ${source} tag has no suffix`);
        const prefix = this.tags[handle];
        if (prefix) {
            try {
                return prefix + decodeURIComponent(suffix);
            }
            catch (error) {
                onError(String(error));
                return null;
            }
        }
        if (handle === '!')
            return source; // local tag
        onError(`Could not resolve tag: ${source}`);
        return null;
    }
    /**
     * Given a fully resolved tag, returns its printable string form,
     * taking into account current tag prefixes and defaults.
     */
    tagString(tag) {
        for (const [handle, prefix] of Object.entries(this.tags)) {
            if (tag.startsWith(prefix))
                return handle + escapeTagName(tag.substring(prefix.length));
        }
        return tag[0] === '!' ? tag : `!<${tag}>`;
    }
    toString(doc) {
        const lines = this.yaml.explicit
            ? [`%YAML ${this.yaml.version || '1.2'}`]
            : [];
        const tagEntries = Object.entries(this.tags);
        let tagNames;
        if (doc && tagEntries.length > 0 && identity.isNode(doc.contents)) {
            const tags = {};
            visit.visit(doc.contents, (_key, node) => {
                if (identity.isNode(node) && node.tag)
                    tags[node.tag] = true;
            });
            tagNames = Object.keys(tags);
        }
        else
            tagNames = [];
        for (const [handle, prefix] of tagEntries) {
            if (handle === '!!' && prefix === 'tag:yaml.org,2002:')
                continue;
            if (!doc || tagNames.some(tn => tn.startsWith(prefix)))
                lines.push(`%TAG ${handle} ${prefix}`);
        }
        return lines.join('\n');
    }
}
Directives.defaultYaml = { explicit: false, version: '1.2' };
Directives.defaultTags = { '!!': 'tag:yaml.org,2002:' };

exports.Directives = Directives;


/***/ }),

/***/ 1464:
/***/ ((__unused_webpack_module, exports) => {



class YAMLError extends Error {
    constructor(name, pos, code, message) {
        super();
        this.name = name;
        this.code = code;
        this.message = message;
        this.pos = pos;
    }
}
class YAMLParseError extends YAMLError {
    constructor(pos, code, message) {
        super('YAMLParseError', pos, code, message);
    }
}
class YAMLWarning extends YAMLError {
    constructor(pos, code, message) {
        super('YAMLWarning', pos, code, message);
    }
}
const prettifyError = (src, lc) => (error) => {
    if (error.pos[0] === -1)
        return;
    error.linePos = error.pos.map(pos => lc.linePos(pos));
    const { line, col } = error.linePos[0];
    error.message += ` at line ${line}, column ${col}`;
    let ci = col - 1;
    let lineStr = src
        .substring(lc.lineStarts[line - 1], lc.lineStarts[line])
        .replace(/[\n\r]+$/, '');
    // Trim to max 80 chars, keeping col position near the middle
    if (ci >= 60 && lineStr.length > 80) {
        const trimStart = Math.min(ci - 39, lineStr.length - 79);
        lineStr = '…' + lineStr.substring(trimStart);
        ci -= trimStart - 1;
    }
    if (lineStr.length > 80)
        lineStr = lineStr.substring(0, 79) + '…';
    // Include previous line in context if pointing at line start
    if (line > 1 && /^ *$/.test(lineStr.substring(0, ci))) {
        // Regexp won't match if start is trimmed
        let prev = src.substring(lc.lineStarts[line - 2], lc.lineStarts[line - 1]);
        if (prev.length > 80)
            prev = prev.substring(0, 79) + '…\n';
        lineStr = prev + lineStr;
    }
    if (/[^ ]/.test(lineStr)) {
        let count = 1;
        const end = error.linePos[1];
        if (end?.line === line && end.col > col) {
            count = Math.max(1, Math.min(end.col - col, 80 - ci));
        }
        const pointer = ' '.repeat(ci) + '^'.repeat(count);
        error.message += `:\n\n${lineStr}\n${pointer}\n`;
    }
};

exports.YAMLError = YAMLError;
exports.YAMLParseError = YAMLParseError;
exports.YAMLWarning = YAMLWarning;
exports.prettifyError = prettifyError;


/***/ }),

/***/ 8815:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

var __webpack_unused_export__;


var composer = __nccwpck_require__(9984);
var Document = __nccwpck_require__(3021);
var Schema = __nccwpck_require__(5840);
var errors = __nccwpck_require__(1464);
var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var Scalar = __nccwpck_require__(3301);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var cst = __nccwpck_require__(3461);
var lexer = __nccwpck_require__(361);
var lineCounter = __nccwpck_require__(6628);
var parser = __nccwpck_require__(3456);
var publicApi = __nccwpck_require__(4047);
var visit = __nccwpck_require__(204);



__webpack_unused_export__ = composer.Composer;
__webpack_unused_export__ = Document.Document;
__webpack_unused_export__ = Schema.Schema;
__webpack_unused_export__ = errors.YAMLError;
__webpack_unused_export__ = errors.YAMLParseError;
__webpack_unused_export__ = errors.YAMLWarning;
__webpack_unused_export__ = Alias.Alias;
__webpack_unused_export__ = identity.isAlias;
__webpack_unused_export__ = identity.isCollection;
__webpack_unused_export__ = identity.isDocument;
exports.jh = identity.isMap;
__webpack_unused_export__ = identity.isNode;
__webpack_unused_export__ = identity.isPair;
exports.jn = identity.isScalar;
exports.oP = identity.isSeq;
__webpack_unused_export__ = Pair.Pair;
__webpack_unused_export__ = Scalar.Scalar;
__webpack_unused_export__ = YAMLMap.YAMLMap;
__webpack_unused_export__ = YAMLSeq.YAMLSeq;
__webpack_unused_export__ = cst;
__webpack_unused_export__ = lexer.Lexer;
exports.HN = lineCounter.LineCounter;
__webpack_unused_export__ = parser.Parser;
__webpack_unused_export__ = publicApi.parse;
__webpack_unused_export__ = publicApi.parseAllDocuments;
exports.Tp = publicApi.parseDocument;
__webpack_unused_export__ = publicApi.stringify;
__webpack_unused_export__ = visit.visit;
__webpack_unused_export__ = visit.visitAsync;


/***/ }),

/***/ 7249:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);

function debug(logLevel, ...messages) {
    if (logLevel === 'debug')
        console.log(...messages);
}
function warn(logLevel, warning) {
    if (logLevel === 'debug' || logLevel === 'warn') {
        if (typeof node_process.emitWarning === 'function')
            node_process.emitWarning(warning);
        else
            console.warn(warning);
    }
}

exports.debug = debug;
exports.warn = warn;


/***/ }),

/***/ 4065:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var anchors = __nccwpck_require__(1596);
var visit = __nccwpck_require__(204);
var identity = __nccwpck_require__(1127);
var Node = __nccwpck_require__(6673);
var toJS = __nccwpck_require__(4043);

class Alias extends Node.NodeBase {
    constructor(source) {
        super(identity.ALIAS);
        this.source = source;
        Object.defineProperty(this, 'tag', {
            set() {
                throw new Error('Alias nodes cannot have tags');
            }
        });
    }
    /**
     * Resolve the value of this alias within `doc`, finding the last
     * instance of the `source` anchor before this node.
     */
    resolve(doc, ctx) {
        if (ctx?.maxAliasCount === 0)
            throw new ReferenceError('Alias resolution is disabled');
        let nodes;
        if (ctx?.aliasResolveCache) {
            nodes = ctx.aliasResolveCache;
        }
        else {
            nodes = [];
            visit.visit(doc, {
                Node: (_key, node) => {
                    if (identity.isAlias(node) || identity.hasAnchor(node))
                        nodes.push(node);
                }
            });
            if (ctx)
                ctx.aliasResolveCache = nodes;
        }
        let found = undefined;
        for (const node of nodes) {
            if (node === this)
                break;
            if (node.anchor === this.source)
                found = node;
        }
        if (found && ctx) {
            const { anchors, doc, maxAliasCount } = ctx;
            let data = anchors.get(found);
            if (!data) {
                // Resolve anchors for Node.prototype.toJS()
                toJS.toJS(found, null, ctx);
                data = anchors.get(found);
            }
            /* istanbul ignore if */
            if (data?.res === undefined) {
                const msg = 'This should not happen: Alias anchor was not resolved?';
                throw new ReferenceError(msg);
            }
            if (maxAliasCount >= 0) {
                data.count += 1;
                if (data.aliasCount === 0)
                    data.aliasCount = getAliasCount(doc, found, anchors);
                if (data.count * data.aliasCount > maxAliasCount) {
                    const msg = 'Excessive alias count indicates a resource exhaustion attack';
                    throw new ReferenceError(msg);
                }
            }
        }
        return found;
    }
    toJSON(_arg, ctx) {
        if (!ctx)
            return { source: this.source };
        const source = this.resolve(ctx.doc, ctx);
        if (!source) {
            const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
            throw new ReferenceError(msg);
        }
        return ctx.anchors.get(source).res;
    }
    toString(ctx, _onComment, _onChompKeep) {
        const src = `*${this.source}`;
        if (ctx) {
            anchors.anchorIsValid(this.source);
            if (ctx.options.verifyAliasOrder && !ctx.anchors.has(this.source)) {
                const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
                throw new Error(msg);
            }
            if (ctx.implicitKey)
                return `${src} `;
        }
        return src;
    }
}
function getAliasCount(doc, node, anchors) {
    if (identity.isAlias(node)) {
        const source = node.resolve(doc);
        const anchor = anchors && source && anchors.get(source);
        return anchor ? anchor.count * anchor.aliasCount : 0;
    }
    else if (identity.isCollection(node)) {
        let count = 0;
        for (const item of node.items) {
            const c = getAliasCount(doc, item, anchors);
            if (c > count)
                count = c;
        }
        return count;
    }
    else if (identity.isPair(node)) {
        const kc = getAliasCount(doc, node.key, anchors);
        const vc = getAliasCount(doc, node.value, anchors);
        return Math.max(kc, vc);
    }
    return 1;
}

exports.Alias = Alias;


/***/ }),

/***/ 101:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(2404);
var identity = __nccwpck_require__(1127);
var Node = __nccwpck_require__(6673);

function collectionFromPath(schema, path, value) {
    let v = value;
    for (let i = path.length - 1; i >= 0; --i) {
        const k = path[i];
        if (typeof k === 'number' && Number.isInteger(k) && k >= 0) {
            const a = [];
            a[k] = v;
            v = a;
        }
        else {
            v = new Map([[k, v]]);
        }
    }
    return createNode.createNode(v, undefined, {
        aliasDuplicateObjects: false,
        keepUndefined: false,
        onAnchor: () => {
            throw new Error('This should not happen, please report a bug.');
        },
        schema,
        sourceObjects: new Map()
    });
}
// Type guard is intentionally a little wrong so as to be more useful,
// as it does not cover untypable empty non-string iterables (e.g. []).
const isEmptyPath = (path) => path == null ||
    (typeof path === 'object' && !!path[Symbol.iterator]().next().done);
class Collection extends Node.NodeBase {
    constructor(type, schema) {
        super(type);
        Object.defineProperty(this, 'schema', {
            value: schema,
            configurable: true,
            enumerable: false,
            writable: true
        });
    }
    /**
     * Create a copy of this collection.
     *
     * @param schema - If defined, overwrites the original's schema
     */
    clone(schema) {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (schema)
            copy.schema = schema;
        copy.items = copy.items.map(it => identity.isNode(it) || identity.isPair(it) ? it.clone(schema) : it);
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /**
     * Adds a value to the collection. For `!!map` and `!!omap` the value must
     * be a Pair instance or a `{ key, value }` object, which may not have a key
     * that already exists in the map.
     */
    addIn(path, value) {
        if (isEmptyPath(path))
            this.add(value);
        else {
            const [key, ...rest] = path;
            const node = this.get(key, true);
            if (identity.isCollection(node))
                node.addIn(rest, value);
            else if (node === undefined && this.schema)
                this.set(key, collectionFromPath(this.schema, rest, value));
            else
                throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
    }
    /**
     * Removes a value from the collection.
     * @returns `true` if the item was found and removed.
     */
    deleteIn(path) {
        const [key, ...rest] = path;
        if (rest.length === 0)
            return this.delete(key);
        const node = this.get(key, true);
        if (identity.isCollection(node))
            return node.deleteIn(rest);
        else
            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
    }
    /**
     * Returns item at `key`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    getIn(path, keepScalar) {
        const [key, ...rest] = path;
        const node = this.get(key, true);
        if (rest.length === 0)
            return !keepScalar && identity.isScalar(node) ? node.value : node;
        else
            return identity.isCollection(node) ? node.getIn(rest, keepScalar) : undefined;
    }
    hasAllNullValues(allowScalar) {
        return this.items.every(node => {
            if (!identity.isPair(node))
                return false;
            const n = node.value;
            return (n == null ||
                (allowScalar &&
                    identity.isScalar(n) &&
                    n.value == null &&
                    !n.commentBefore &&
                    !n.comment &&
                    !n.tag));
        });
    }
    /**
     * Checks if the collection includes a value with the key `key`.
     */
    hasIn(path) {
        const [key, ...rest] = path;
        if (rest.length === 0)
            return this.has(key);
        const node = this.get(key, true);
        return identity.isCollection(node) ? node.hasIn(rest) : false;
    }
    /**
     * Sets a value in this collection. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    setIn(path, value) {
        const [key, ...rest] = path;
        if (rest.length === 0) {
            this.set(key, value);
        }
        else {
            const node = this.get(key, true);
            if (identity.isCollection(node))
                node.setIn(rest, value);
            else if (node === undefined && this.schema)
                this.set(key, collectionFromPath(this.schema, rest, value));
            else
                throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
    }
}

exports.Collection = Collection;
exports.collectionFromPath = collectionFromPath;
exports.isEmptyPath = isEmptyPath;


/***/ }),

/***/ 6673:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var applyReviver = __nccwpck_require__(3661);
var identity = __nccwpck_require__(1127);
var toJS = __nccwpck_require__(4043);

class NodeBase {
    constructor(type) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: type });
    }
    /** Create a copy of this node.  */
    clone() {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /** A plain JavaScript representation of this node. */
    toJS(doc, { mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        if (!identity.isDocument(doc))
            throw new TypeError('A document argument is required');
        const ctx = {
            anchors: new Map(),
            doc,
            keep: true,
            mapAsMap: mapAsMap === true,
            mapKeyWarned: false,
            maxAliasCount: typeof maxAliasCount === 'number' ? maxAliasCount : 100
        };
        const res = toJS.toJS(this, '', ctx);
        if (typeof onAnchor === 'function')
            for (const { count, res } of ctx.anchors.values())
                onAnchor(res, count);
        return typeof reviver === 'function'
            ? applyReviver.applyReviver(reviver, { '': res }, '', res)
            : res;
    }
}

exports.NodeBase = NodeBase;


/***/ }),

/***/ 7165:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(2404);
var stringifyPair = __nccwpck_require__(9748);
var addPairToJSMap = __nccwpck_require__(7104);
var identity = __nccwpck_require__(1127);

function createPair(key, value, ctx) {
    const k = createNode.createNode(key, undefined, ctx);
    const v = createNode.createNode(value, undefined, ctx);
    return new Pair(k, v);
}
class Pair {
    constructor(key, value = null) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.PAIR });
        this.key = key;
        this.value = value;
    }
    clone(schema) {
        let { key, value } = this;
        if (identity.isNode(key))
            key = key.clone(schema);
        if (identity.isNode(value))
            value = value.clone(schema);
        return new Pair(key, value);
    }
    toJSON(_, ctx) {
        const pair = ctx?.mapAsMap ? new Map() : {};
        return addPairToJSMap.addPairToJSMap(ctx, pair, this);
    }
    toString(ctx, onComment, onChompKeep) {
        return ctx?.doc
            ? stringifyPair.stringifyPair(this, ctx, onComment, onChompKeep)
            : JSON.stringify(this);
    }
}

exports.Pair = Pair;
exports.createPair = createPair;


/***/ }),

/***/ 3301:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Node = __nccwpck_require__(6673);
var toJS = __nccwpck_require__(4043);

const isScalarValue = (value) => !value || (typeof value !== 'function' && typeof value !== 'object');
class Scalar extends Node.NodeBase {
    constructor(value) {
        super(identity.SCALAR);
        this.value = value;
    }
    toJSON(arg, ctx) {
        return ctx?.keep ? this.value : toJS.toJS(this.value, arg, ctx);
    }
    toString() {
        return String(this.value);
    }
}
Scalar.BLOCK_FOLDED = 'BLOCK_FOLDED';
Scalar.BLOCK_LITERAL = 'BLOCK_LITERAL';
Scalar.PLAIN = 'PLAIN';
Scalar.QUOTE_DOUBLE = 'QUOTE_DOUBLE';
Scalar.QUOTE_SINGLE = 'QUOTE_SINGLE';

exports.Scalar = Scalar;
exports.isScalarValue = isScalarValue;


/***/ }),

/***/ 4454:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyCollection = __nccwpck_require__(1212);
var addPairToJSMap = __nccwpck_require__(7104);
var Collection = __nccwpck_require__(101);
var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var Scalar = __nccwpck_require__(3301);

function findPair(items, key) {
    const k = identity.isScalar(key) ? key.value : key;
    for (const it of items) {
        if (identity.isPair(it)) {
            if (it.key === key || it.key === k)
                return it;
            if (identity.isScalar(it.key) && it.key.value === k)
                return it;
        }
    }
    return undefined;
}
class YAMLMap extends Collection.Collection {
    static get tagName() {
        return 'tag:yaml.org,2002:map';
    }
    constructor(schema) {
        super(identity.MAP, schema);
        this.items = [];
    }
    /**
     * A generic collection parsing method that can be extended
     * to other node classes that inherit from YAMLMap
     */
    static from(schema, obj, ctx) {
        const { keepUndefined, replacer } = ctx;
        const map = new this(schema);
        const add = (key, value) => {
            if (typeof replacer === 'function')
                value = replacer.call(obj, key, value);
            else if (Array.isArray(replacer) && !replacer.includes(key))
                return;
            if (value !== undefined || keepUndefined)
                map.items.push(Pair.createPair(key, value, ctx));
        };
        if (obj instanceof Map) {
            for (const [key, value] of obj)
                add(key, value);
        }
        else if (obj && typeof obj === 'object') {
            for (const key of Object.keys(obj))
                add(key, obj[key]);
        }
        if (typeof schema.sortMapEntries === 'function') {
            map.items.sort(schema.sortMapEntries);
        }
        return map;
    }
    /**
     * Adds a value to the collection.
     *
     * @param overwrite - If not set `true`, using a key that is already in the
     *   collection will throw. Otherwise, overwrites the previous value.
     */
    add(pair, overwrite) {
        let _pair;
        if (identity.isPair(pair))
            _pair = pair;
        else if (!pair || typeof pair !== 'object' || !('key' in pair)) {
            // In TypeScript, this never happens.
            _pair = new Pair.Pair(pair, pair?.value);
        }
        else
            _pair = new Pair.Pair(pair.key, pair.value);
        const prev = findPair(this.items, _pair.key);
        const sortEntries = this.schema?.sortMapEntries;
        if (prev) {
            if (!overwrite)
                throw new Error(`Key ${_pair.key} already set`);
            // For scalars, keep the old node & its comments and anchors
            if (identity.isScalar(prev.value) && Scalar.isScalarValue(_pair.value))
                prev.value.value = _pair.value;
            else
                prev.value = _pair.value;
        }
        else if (sortEntries) {
            const i = this.items.findIndex(item => sortEntries(_pair, item) < 0);
            if (i === -1)
                this.items.push(_pair);
            else
                this.items.splice(i, 0, _pair);
        }
        else {
            this.items.push(_pair);
        }
    }
    delete(key) {
        const it = findPair(this.items, key);
        if (!it)
            return false;
        const del = this.items.splice(this.items.indexOf(it), 1);
        return del.length > 0;
    }
    get(key, keepScalar) {
        const it = findPair(this.items, key);
        const node = it?.value;
        return (!keepScalar && identity.isScalar(node) ? node.value : node) ?? undefined;
    }
    has(key) {
        return !!findPair(this.items, key);
    }
    set(key, value) {
        this.add(new Pair.Pair(key, value), true);
    }
    /**
     * @param ctx - Conversion context, originally set in Document#toJS()
     * @param {Class} Type - If set, forces the returned collection type
     * @returns Instance of Type, Map, or Object
     */
    toJSON(_, ctx, Type) {
        const map = Type ? new Type() : ctx?.mapAsMap ? new Map() : {};
        if (ctx?.onCreate)
            ctx.onCreate(map);
        for (const item of this.items)
            addPairToJSMap.addPairToJSMap(ctx, map, item);
        return map;
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        for (const item of this.items) {
            if (!identity.isPair(item))
                throw new Error(`Map items must all be pairs; found ${JSON.stringify(item)} instead`);
        }
        if (!ctx.allNullValues && this.hasAllNullValues(false))
            ctx = Object.assign({}, ctx, { allNullValues: true });
        return stringifyCollection.stringifyCollection(this, ctx, {
            blockItemPrefix: '',
            flowChars: { start: '{', end: '}' },
            itemIndent: ctx.indent || '',
            onChompKeep,
            onComment
        });
    }
}

exports.YAMLMap = YAMLMap;
exports.findPair = findPair;


/***/ }),

/***/ 2223:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(2404);
var stringifyCollection = __nccwpck_require__(1212);
var Collection = __nccwpck_require__(101);
var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var toJS = __nccwpck_require__(4043);

class YAMLSeq extends Collection.Collection {
    static get tagName() {
        return 'tag:yaml.org,2002:seq';
    }
    constructor(schema) {
        super(identity.SEQ, schema);
        this.items = [];
    }
    add(value) {
        this.items.push(value);
    }
    /**
     * Removes a value from the collection.
     *
     * `key` must contain a representation of an integer for this to succeed.
     * It may be wrapped in a `Scalar`.
     *
     * @returns `true` if the item was found and removed.
     */
    delete(key) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            return false;
        const del = this.items.splice(idx, 1);
        return del.length > 0;
    }
    get(key, keepScalar) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            return undefined;
        const it = this.items[idx];
        return !keepScalar && identity.isScalar(it) ? it.value : it;
    }
    /**
     * Checks if the collection includes a value with the key `key`.
     *
     * `key` must contain a representation of an integer for this to succeed.
     * It may be wrapped in a `Scalar`.
     */
    has(key) {
        const idx = asItemIndex(key);
        return typeof idx === 'number' && idx < this.items.length;
    }
    /**
     * Sets a value in this collection. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     *
     * If `key` does not contain a representation of an integer, this will throw.
     * It may be wrapped in a `Scalar`.
     */
    set(key, value) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            throw new Error(`Expected a valid index, not ${key}.`);
        const prev = this.items[idx];
        if (identity.isScalar(prev) && Scalar.isScalarValue(value))
            prev.value = value;
        else
            this.items[idx] = value;
    }
    toJSON(_, ctx) {
        const seq = [];
        if (ctx?.onCreate)
            ctx.onCreate(seq);
        let i = 0;
        for (const item of this.items)
            seq.push(toJS.toJS(item, String(i++), ctx));
        return seq;
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        return stringifyCollection.stringifyCollection(this, ctx, {
            blockItemPrefix: '- ',
            flowChars: { start: '[', end: ']' },
            itemIndent: (ctx.indent || '') + '  ',
            onChompKeep,
            onComment
        });
    }
    static from(schema, obj, ctx) {
        const { replacer } = ctx;
        const seq = new this(schema);
        if (obj && Symbol.iterator in Object(obj)) {
            let i = 0;
            for (let it of obj) {
                if (typeof replacer === 'function') {
                    const key = obj instanceof Set ? it : String(i++);
                    it = replacer.call(obj, key, it);
                }
                seq.items.push(createNode.createNode(it, undefined, ctx));
            }
        }
        return seq;
    }
}
function asItemIndex(key) {
    let idx = identity.isScalar(key) ? key.value : key;
    if (idx && typeof idx === 'string')
        idx = Number(idx);
    return typeof idx === 'number' && Number.isInteger(idx) && idx >= 0
        ? idx
        : null;
}

exports.YAMLSeq = YAMLSeq;


/***/ }),

/***/ 7104:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var log = __nccwpck_require__(7249);
var merge = __nccwpck_require__(452);
var stringify = __nccwpck_require__(2148);
var identity = __nccwpck_require__(1127);
var toJS = __nccwpck_require__(4043);

function addPairToJSMap(ctx, map, { key, value }) {
    if (identity.isNode(key) && key.addToJSMap)
        key.addToJSMap(ctx, map, value);
    // TODO: Should drop this special case for bare << handling
    else if (merge.isMergeKey(ctx, key))
        merge.addMergeToJSMap(ctx, map, value);
    else {
        const jsKey = toJS.toJS(key, '', ctx);
        if (map instanceof Map) {
            map.set(jsKey, toJS.toJS(value, jsKey, ctx));
        }
        else if (map instanceof Set) {
            map.add(jsKey);
        }
        else {
            const stringKey = stringifyKey(key, jsKey, ctx);
            const jsValue = toJS.toJS(value, stringKey, ctx);
            if (stringKey in map)
                Object.defineProperty(map, stringKey, {
                    value: jsValue,
                    writable: true,
                    enumerable: true,
                    configurable: true
                });
            else
                map[stringKey] = jsValue;
        }
    }
    return map;
}
function stringifyKey(key, jsKey, ctx) {
    if (jsKey === null)
        return '';
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    if (typeof jsKey !== 'object')
        return String(jsKey);
    if (identity.isNode(key) && ctx?.doc) {
        const strCtx = stringify.createStringifyContext(ctx.doc, {});
        strCtx.anchors = new Set();
        for (const node of ctx.anchors.keys())
            strCtx.anchors.add(node.anchor);
        strCtx.inFlow = true;
        strCtx.inStringifyKey = true;
        const strKey = key.toString(strCtx);
        if (!ctx.mapKeyWarned) {
            let jsonStr = JSON.stringify(strKey);
            if (jsonStr.length > 40)
                jsonStr = jsonStr.substring(0, 36) + '..."';
            log.warn(ctx.doc.options.logLevel, `Keys with collection values will be stringified due to JS Object restrictions: ${jsonStr}. Set mapAsMap: true to use object keys.`);
            ctx.mapKeyWarned = true;
        }
        return strKey;
    }
    return JSON.stringify(jsKey);
}

exports.addPairToJSMap = addPairToJSMap;


/***/ }),

/***/ 1127:
/***/ ((__unused_webpack_module, exports) => {



const ALIAS = Symbol.for('yaml.alias');
const DOC = Symbol.for('yaml.document');
const MAP = Symbol.for('yaml.map');
const PAIR = Symbol.for('yaml.pair');
const SCALAR = Symbol.for('yaml.scalar');
const SEQ = Symbol.for('yaml.seq');
const NODE_TYPE = Symbol.for('yaml.node.type');
const isAlias = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === ALIAS;
const isDocument = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === DOC;
const isMap = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === MAP;
const isPair = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === PAIR;
const isScalar = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === SCALAR;
const isSeq = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === SEQ;
function isCollection(node) {
    if (node && typeof node === 'object')
        switch (node[NODE_TYPE]) {
            case MAP:
            case SEQ:
                return true;
        }
    return false;
}
function isNode(node) {
    if (node && typeof node === 'object')
        switch (node[NODE_TYPE]) {
            case ALIAS:
            case MAP:
            case SCALAR:
            case SEQ:
                return true;
        }
    return false;
}
const hasAnchor = (node) => (isScalar(node) || isCollection(node)) && !!node.anchor;

exports.ALIAS = ALIAS;
exports.DOC = DOC;
exports.MAP = MAP;
exports.NODE_TYPE = NODE_TYPE;
exports.PAIR = PAIR;
exports.SCALAR = SCALAR;
exports.SEQ = SEQ;
exports.hasAnchor = hasAnchor;
exports.isAlias = isAlias;
exports.isCollection = isCollection;
exports.isDocument = isDocument;
exports.isMap = isMap;
exports.isNode = isNode;
exports.isPair = isPair;
exports.isScalar = isScalar;
exports.isSeq = isSeq;


/***/ }),

/***/ 4043:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);

/**
 * Recursively convert any node or its contents to native JavaScript
 *
 * @param value - The input value
 * @param arg - If `value` defines a `toJSON()` method, use this
 *   as its first argument
 * @param ctx - Conversion context, originally set in Document#toJS(). If
 *   `{ keep: true }` is not set, output should be suitable for JSON
 *   stringification.
 */
function toJS(value, arg, ctx) {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-return
    if (Array.isArray(value))
        return value.map((v, i) => toJS(v, String(i), ctx));
    if (value && typeof value.toJSON === 'function') {
        // eslint-disable-next-line @typescript-eslint/no-unsafe-call
        if (!ctx || !identity.hasAnchor(value))
            return value.toJSON(arg, ctx);
        const data = { aliasCount: 0, count: 1, res: undefined };
        ctx.anchors.set(value, data);
        ctx.onCreate = res => {
            data.res = res;
            delete ctx.onCreate;
        };
        const res = value.toJSON(arg, ctx);
        if (ctx.onCreate)
            ctx.onCreate(res);
        return res;
    }
    if (typeof value === 'bigint' && !ctx?.keep)
        return Number(value);
    return value;
}

exports.toJS = toJS;


/***/ }),

/***/ 110:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var resolveBlockScalar = __nccwpck_require__(8913);
var resolveFlowScalar = __nccwpck_require__(6842);
var errors = __nccwpck_require__(1464);
var stringifyString = __nccwpck_require__(3069);

function resolveAsScalar(token, strict = true, onError) {
    if (token) {
        const _onError = (pos, code, message) => {
            const offset = typeof pos === 'number' ? pos : Array.isArray(pos) ? pos[0] : pos.offset;
            if (onError)
                onError(offset, code, message);
            else
                throw new errors.YAMLParseError([offset, offset + 1], code, message);
        };
        switch (token.type) {
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return resolveFlowScalar.resolveFlowScalar(token, strict, _onError);
            case 'block-scalar':
                return resolveBlockScalar.resolveBlockScalar({ options: { strict } }, token, _onError);
        }
    }
    return null;
}
/**
 * Create a new scalar token with `value`
 *
 * Values that represent an actual string but may be parsed as a different type should use a `type` other than `'PLAIN'`,
 * as this function does not support any schema operations and won't check for such conflicts.
 *
 * @param value The string representation of the value, which will have its content properly indented.
 * @param context.end Comments and whitespace after the end of the value, or after the block scalar header. If undefined, a newline will be added.
 * @param context.implicitKey Being within an implicit key may affect the resolved type of the token's value.
 * @param context.indent The indent level of the token.
 * @param context.inFlow Is this scalar within a flow collection? This may affect the resolved type of the token's value.
 * @param context.offset The offset position of the token.
 * @param context.type The preferred type of the scalar token. If undefined, the previous type of the `token` will be used, defaulting to `'PLAIN'`.
 */
function createScalarToken(value, context) {
    const { implicitKey = false, indent, inFlow = false, offset = -1, type = 'PLAIN' } = context;
    const source = stringifyString.stringifyString({ type, value }, {
        implicitKey,
        indent: indent > 0 ? ' '.repeat(indent) : '',
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
    });
    const end = context.end ?? [
        { type: 'newline', offset: -1, indent, source: '\n' }
    ];
    switch (source[0]) {
        case '|':
        case '>': {
            const he = source.indexOf('\n');
            const head = source.substring(0, he);
            const body = source.substring(he + 1) + '\n';
            const props = [
                { type: 'block-scalar-header', offset, indent, source: head }
            ];
            if (!addEndtoBlockProps(props, end))
                props.push({ type: 'newline', offset: -1, indent, source: '\n' });
            return { type: 'block-scalar', offset, indent, props, source: body };
        }
        case '"':
            return { type: 'double-quoted-scalar', offset, indent, source, end };
        case "'":
            return { type: 'single-quoted-scalar', offset, indent, source, end };
        default:
            return { type: 'scalar', offset, indent, source, end };
    }
}
/**
 * Set the value of `token` to the given string `value`, overwriting any previous contents and type that it may have.
 *
 * Best efforts are made to retain any comments previously associated with the `token`,
 * though all contents within a collection's `items` will be overwritten.
 *
 * Values that represent an actual string but may be parsed as a different type should use a `type` other than `'PLAIN'`,
 * as this function does not support any schema operations and won't check for such conflicts.
 *
 * @param token Any token. If it does not include an `indent` value, the value will be stringified as if it were an implicit key.
 * @param value The string representation of the value, which will have its content properly indented.
 * @param context.afterKey In most cases, values after a key should have an additional level of indentation.
 * @param context.implicitKey Being within an implicit key may affect the resolved type of the token's value.
 * @param context.inFlow Being within a flow collection may affect the resolved type of the token's value.
 * @param context.type The preferred type of the scalar token. If undefined, the previous type of the `token` will be used, defaulting to `'PLAIN'`.
 */
function setScalarValue(token, value, context = {}) {
    let { afterKey = false, implicitKey = false, inFlow = false, type } = context;
    let indent = 'indent' in token ? token.indent : null;
    if (afterKey && typeof indent === 'number')
        indent += 2;
    if (!type)
        switch (token.type) {
            case 'single-quoted-scalar':
                type = 'QUOTE_SINGLE';
                break;
            case 'double-quoted-scalar':
                type = 'QUOTE_DOUBLE';
                break;
            case 'block-scalar': {
                const header = token.props[0];
                if (header.type !== 'block-scalar-header')
                    throw new Error('Invalid block scalar header');
                type = header.source[0] === '>' ? 'BLOCK_FOLDED' : 'BLOCK_LITERAL';
                break;
            }
            default:
                type = 'PLAIN';
        }
    const source = stringifyString.stringifyString({ type, value }, {
        implicitKey: implicitKey || indent === null,
        indent: indent !== null && indent > 0 ? ' '.repeat(indent) : '',
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
    });
    switch (source[0]) {
        case '|':
        case '>':
            setBlockScalarValue(token, source);
            break;
        case '"':
            setFlowScalarValue(token, source, 'double-quoted-scalar');
            break;
        case "'":
            setFlowScalarValue(token, source, 'single-quoted-scalar');
            break;
        default:
            setFlowScalarValue(token, source, 'scalar');
    }
}
function setBlockScalarValue(token, source) {
    const he = source.indexOf('\n');
    const head = source.substring(0, he);
    const body = source.substring(he + 1) + '\n';
    if (token.type === 'block-scalar') {
        const header = token.props[0];
        if (header.type !== 'block-scalar-header')
            throw new Error('Invalid block scalar header');
        header.source = head;
        token.source = body;
    }
    else {
        const { offset } = token;
        const indent = 'indent' in token ? token.indent : -1;
        const props = [
            { type: 'block-scalar-header', offset, indent, source: head }
        ];
        if (!addEndtoBlockProps(props, 'end' in token ? token.end : undefined))
            props.push({ type: 'newline', offset: -1, indent, source: '\n' });
        for (const key of Object.keys(token))
            if (key !== 'type' && key !== 'offset')
                delete token[key];
        Object.assign(token, { type: 'block-scalar', indent, props, source: body });
    }
}
/** @returns `true` if last token is a newline */
function addEndtoBlockProps(props, end) {
    if (end)
        for (const st of end)
            switch (st.type) {
                case 'space':
                case 'comment':
                    props.push(st);
                    break;
                case 'newline':
                    props.push(st);
                    return true;
            }
    return false;
}
function setFlowScalarValue(token, source, type) {
    switch (token.type) {
        case 'scalar':
        case 'double-quoted-scalar':
        case 'single-quoted-scalar':
            token.type = type;
            token.source = source;
            break;
        case 'block-scalar': {
            const end = token.props.slice(1);
            let oa = source.length;
            if (token.props[0].type === 'block-scalar-header')
                oa -= token.props[0].source.length;
            for (const tok of end)
                tok.offset += oa;
            delete token.props;
            Object.assign(token, { type, source, end });
            break;
        }
        case 'block-map':
        case 'block-seq': {
            const offset = token.offset + source.length;
            const nl = { type: 'newline', offset, indent: token.indent, source: '\n' };
            delete token.items;
            Object.assign(token, { type, source, end: [nl] });
            break;
        }
        default: {
            const indent = 'indent' in token ? token.indent : -1;
            const end = 'end' in token && Array.isArray(token.end)
                ? token.end.filter(st => st.type === 'space' ||
                    st.type === 'comment' ||
                    st.type === 'newline')
                : [];
            for (const key of Object.keys(token))
                if (key !== 'type' && key !== 'offset')
                    delete token[key];
            Object.assign(token, { type, indent, source, end });
        }
    }
}

exports.createScalarToken = createScalarToken;
exports.resolveAsScalar = resolveAsScalar;
exports.setScalarValue = setScalarValue;


/***/ }),

/***/ 1733:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Stringify a CST document, token, or collection item
 *
 * Fair warning: This applies no validation whatsoever, and
 * simply concatenates the sources in their logical order.
 */
const stringify = (cst) => 'type' in cst ? stringifyToken(cst) : stringifyItem(cst);
function stringifyToken(token) {
    switch (token.type) {
        case 'block-scalar': {
            let res = '';
            for (const tok of token.props)
                res += stringifyToken(tok);
            return res + token.source;
        }
        case 'block-map':
        case 'block-seq': {
            let res = '';
            for (const item of token.items)
                res += stringifyItem(item);
            return res;
        }
        case 'flow-collection': {
            let res = token.start.source;
            for (const item of token.items)
                res += stringifyItem(item);
            for (const st of token.end)
                res += st.source;
            return res;
        }
        case 'document': {
            let res = stringifyItem(token);
            if (token.end)
                for (const st of token.end)
                    res += st.source;
            return res;
        }
        default: {
            let res = token.source;
            if ('end' in token && token.end)
                for (const st of token.end)
                    res += st.source;
            return res;
        }
    }
}
function stringifyItem({ start, key, sep, value }) {
    let res = '';
    for (const st of start)
        res += st.source;
    if (key)
        res += stringifyToken(key);
    if (sep)
        for (const st of sep)
            res += st.source;
    if (value)
        res += stringifyToken(value);
    return res;
}

exports.stringify = stringify;


/***/ }),

/***/ 7715:
/***/ ((__unused_webpack_module, exports) => {



const BREAK = Symbol('break visit');
const SKIP = Symbol('skip children');
const REMOVE = Symbol('remove item');
/**
 * Apply a visitor to a CST document or item.
 *
 * Walks through the tree (depth-first) starting from the root, calling a
 * `visitor` function with two arguments when entering each item:
 *   - `item`: The current item, which included the following members:
 *     - `start: SourceToken[]` – Source tokens before the key or value,
 *       possibly including its anchor or tag.
 *     - `key?: Token | null` – Set for pair values. May then be `null`, if
 *       the key before the `:` separator is empty.
 *     - `sep?: SourceToken[]` – Source tokens between the key and the value,
 *       which should include the `:` map value indicator if `value` is set.
 *     - `value?: Token` – The value of a sequence item, or of a map pair.
 *   - `path`: The steps from the root to the current node, as an array of
 *     `['key' | 'value', number]` tuples.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this token, continue with
 *      next sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current item, then continue with the next one
 *   - `number`: Set the index of the next step. This is useful especially if
 *     the index of the current token has changed.
 *   - `function`: Define the next visitor for this item. After the original
 *     visitor is called on item entry, next visitors are called after handling
 *     a non-empty `key` and when exiting the item.
 */
function visit(cst, visitor) {
    if ('type' in cst && cst.type === 'document')
        cst = { start: cst.start, value: cst.value };
    _visit(Object.freeze([]), cst, visitor);
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visit.BREAK = BREAK;
/** Do not visit the children of the current item */
visit.SKIP = SKIP;
/** Remove the current item */
visit.REMOVE = REMOVE;
/** Find the item at `path` from `cst` as the root */
visit.itemAtPath = (cst, path) => {
    let item = cst;
    for (const [field, index] of path) {
        const tok = item?.[field];
        if (tok && 'items' in tok) {
            item = tok.items[index];
        }
        else
            return undefined;
    }
    return item;
};
/**
 * Get the immediate parent collection of the item at `path` from `cst` as the root.
 *
 * Throws an error if the collection is not found, which should never happen if the item itself exists.
 */
visit.parentCollection = (cst, path) => {
    const parent = visit.itemAtPath(cst, path.slice(0, -1));
    const field = path[path.length - 1][0];
    const coll = parent?.[field];
    if (coll && 'items' in coll)
        return coll;
    throw new Error('Parent collection not found');
};
function _visit(path, item, visitor) {
    let ctrl = visitor(item, path);
    if (typeof ctrl === 'symbol')
        return ctrl;
    for (const field of ['key', 'value']) {
        const token = item[field];
        if (token && 'items' in token) {
            for (let i = 0; i < token.items.length; ++i) {
                const ci = _visit(Object.freeze(path.concat([[field, i]])), token.items[i], visitor);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    token.items.splice(i, 1);
                    i -= 1;
                }
            }
            if (typeof ctrl === 'function' && field === 'key')
                ctrl = ctrl(item, path);
        }
    }
    return typeof ctrl === 'function' ? ctrl(item, path) : ctrl;
}

exports.visit = visit;


/***/ }),

/***/ 3461:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var cstScalar = __nccwpck_require__(110);
var cstStringify = __nccwpck_require__(1733);
var cstVisit = __nccwpck_require__(7715);

/** The byte order mark */
const BOM = '\u{FEFF}';
/** Start of doc-mode */
const DOCUMENT = '\x02'; // C0: Start of Text
/** Unexpected end of flow-mode */
const FLOW_END = '\x18'; // C0: Cancel
/** Next token is a scalar value */
const SCALAR = '\x1f'; // C0: Unit Separator
/** @returns `true` if `token` is a flow or block collection */
const isCollection = (token) => !!token && 'items' in token;
/** @returns `true` if `token` is a flow or block scalar; not an alias */
const isScalar = (token) => !!token &&
    (token.type === 'scalar' ||
        token.type === 'single-quoted-scalar' ||
        token.type === 'double-quoted-scalar' ||
        token.type === 'block-scalar');
/* istanbul ignore next */
/** Get a printable representation of a lexer token */
function prettyToken(token) {
    switch (token) {
        case BOM:
            return '<BOM>';
        case DOCUMENT:
            return '<DOC>';
        case FLOW_END:
            return '<FLOW_END>';
        case SCALAR:
            return '<SCALAR>';
        default:
            return JSON.stringify(token);
    }
}
/** Identify the type of a lexer token. May return `null` for unknown tokens. */
function tokenType(source) {
    switch (source) {
        case BOM:
            return 'byte-order-mark';
        case DOCUMENT:
            return 'doc-mode';
        case FLOW_END:
            return 'flow-error-end';
        case SCALAR:
            return 'scalar';
        case '---':
            return 'doc-start';
        case '...':
            return 'doc-end';
        case '':
        case '\n':
        case '\r\n':
            return 'newline';
        case '-':
            return 'seq-item-ind';
        case '?':
            return 'explicit-key-ind';
        case ':':
            return 'map-value-ind';
        case '{':
            return 'flow-map-start';
        case '}':
            return 'flow-map-end';
        case '[':
            return 'flow-seq-start';
        case ']':
            return 'flow-seq-end';
        case ',':
            return 'comma';
    }
    switch (source[0]) {
        case ' ':
        case '\t':
            return 'space';
        case '#':
            return 'comment';
        case '%':
            return 'directive-line';
        case '*':
            return 'alias';
        case '&':
            return 'anchor';
        case '!':
            return 'tag';
        case "'":
            return 'single-quoted-scalar';
        case '"':
            return 'double-quoted-scalar';
        case '|':
        case '>':
            return 'block-scalar-header';
    }
    return null;
}

exports.createScalarToken = cstScalar.createScalarToken;
exports.resolveAsScalar = cstScalar.resolveAsScalar;
exports.setScalarValue = cstScalar.setScalarValue;
exports.stringify = cstStringify.stringify;
exports.visit = cstVisit.visit;
exports.BOM = BOM;
exports.DOCUMENT = DOCUMENT;
exports.FLOW_END = FLOW_END;
exports.SCALAR = SCALAR;
exports.isCollection = isCollection;
exports.isScalar = isScalar;
exports.prettyToken = prettyToken;
exports.tokenType = tokenType;


/***/ }),

/***/ 361:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var cst = __nccwpck_require__(3461);

/*
START -> stream

stream
  directive -> line-end -> stream
  indent + line-end -> stream
  [else] -> line-start

line-end
  comment -> line-end
  newline -> .
  input-end -> END

line-start
  doc-start -> doc
  doc-end -> stream
  [else] -> indent -> block-start

block-start
  seq-item-start -> block-start
  explicit-key-start -> block-start
  map-value-start -> block-start
  [else] -> doc

doc
  line-end -> line-start
  spaces -> doc
  anchor -> doc
  tag -> doc
  flow-start -> flow -> doc
  flow-end -> error -> doc
  seq-item-start -> error -> doc
  explicit-key-start -> error -> doc
  map-value-start -> doc
  alias -> doc
  quote-start -> quoted-scalar -> doc
  block-scalar-header -> line-end -> block-scalar(min) -> line-start
  [else] -> plain-scalar(false, min) -> doc

flow
  line-end -> flow
  spaces -> flow
  anchor -> flow
  tag -> flow
  flow-start -> flow -> flow
  flow-end -> .
  seq-item-start -> error -> flow
  explicit-key-start -> flow
  map-value-start -> flow
  alias -> flow
  quote-start -> quoted-scalar -> flow
  comma -> flow
  [else] -> plain-scalar(true, 0) -> flow

quoted-scalar
  quote-end -> .
  [else] -> quoted-scalar

block-scalar(min)
  newline + peek(indent < min) -> .
  [else] -> block-scalar(min)

plain-scalar(is-flow, min)
  scalar-end(is-flow) -> .
  peek(newline + (indent < min)) -> .
  [else] -> plain-scalar(min)
*/
function isEmpty(ch) {
    switch (ch) {
        case undefined:
        case ' ':
        case '\n':
        case '\r':
        case '\t':
            return true;
        default:
            return false;
    }
}
const hexDigits = new Set('0123456789ABCDEFabcdef');
const tagChars = new Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#;/?:@&=+$_.!~*'()");
const flowIndicatorChars = new Set(',[]{}');
const invalidAnchorChars = new Set(' ,[]{}\n\r\t');
const isNotAnchorChar = (ch) => !ch || invalidAnchorChars.has(ch);
/**
 * Splits an input string into lexical tokens, i.e. smaller strings that are
 * easily identifiable by `tokens.tokenType()`.
 *
 * Lexing starts always in a "stream" context. Incomplete input may be buffered
 * until a complete token can be emitted.
 *
 * In addition to slices of the original input, the following control characters
 * may also be emitted:
 *
 * - `\x02` (Start of Text): A document starts with the next token
 * - `\x18` (Cancel): Unexpected end of flow-mode (indicates an error)
 * - `\x1f` (Unit Separator): Next token is a scalar value
 * - `\u{FEFF}` (Byte order mark): Emitted separately outside documents
 */
class Lexer {
    constructor() {
        /**
         * Flag indicating whether the end of the current buffer marks the end of
         * all input
         */
        this.atEnd = false;
        /**
         * Explicit indent set in block scalar header, as an offset from the current
         * minimum indent, so e.g. set to 1 from a header `|2+`. Set to -1 if not
         * explicitly set.
         */
        this.blockScalarIndent = -1;
        /**
         * Block scalars that include a + (keep) chomping indicator in their header
         * include trailing empty lines, which are otherwise excluded from the
         * scalar's contents.
         */
        this.blockScalarKeep = false;
        /** Current input */
        this.buffer = '';
        /**
         * Flag noting whether the map value indicator : can immediately follow this
         * node within a flow context.
         */
        this.flowKey = false;
        /** Count of surrounding flow collection levels. */
        this.flowLevel = 0;
        /**
         * Minimum level of indentation required for next lines to be parsed as a
         * part of the current scalar value.
         */
        this.indentNext = 0;
        /** Indentation level of the current line. */
        this.indentValue = 0;
        /** Position of the next \n character. */
        this.lineEndPos = null;
        /** Stores the state of the lexer if reaching the end of incpomplete input */
        this.next = null;
        /** A pointer to `buffer`; the current position of the lexer. */
        this.pos = 0;
    }
    /**
     * Generate YAML tokens from the `source` string. If `incomplete`,
     * a part of the last line may be left as a buffer for the next call.
     *
     * @returns A generator of lexical tokens
     */
    *lex(source, incomplete = false) {
        if (source) {
            if (typeof source !== 'string')
                throw TypeError('source is not a string');
            this.buffer = this.buffer ? this.buffer + source : source;
            this.lineEndPos = null;
        }
        this.atEnd = !incomplete;
        let next = this.next ?? 'stream';
        while (next && (incomplete || this.hasChars(1)))
            next = yield* this.parseNext(next);
    }
    atLineEnd() {
        let i = this.pos;
        let ch = this.buffer[i];
        while (ch === ' ' || ch === '\t')
            ch = this.buffer[++i];
        if (!ch || ch === '#' || ch === '\n')
            return true;
        if (ch === '\r')
            return this.buffer[i + 1] === '\n';
        return false;
    }
    charAt(n) {
        return this.buffer[this.pos + n];
    }
    continueScalar(offset) {
        let ch = this.buffer[offset];
        if (this.indentNext > 0) {
            let indent = 0;
            while (ch === ' ')
                ch = this.buffer[++indent + offset];
            if (ch === '\r') {
                const next = this.buffer[indent + offset + 1];
                if (next === '\n' || (!next && !this.atEnd))
                    return offset + indent + 1;
            }
            return ch === '\n' || indent >= this.indentNext || (!ch && !this.atEnd)
                ? offset + indent
                : -1;
        }
        if (ch === '-' || ch === '.') {
            const dt = this.buffer.substr(offset, 3);
            if ((dt === '---' || dt === '...') && isEmpty(this.buffer[offset + 3]))
                return -1;
        }
        return offset;
    }
    getLine() {
        let end = this.lineEndPos;
        if (typeof end !== 'number' || (end !== -1 && end < this.pos)) {
            end = this.buffer.indexOf('\n', this.pos);
            this.lineEndPos = end;
        }
        if (end === -1)
            return this.atEnd ? this.buffer.substring(this.pos) : null;
        if (this.buffer[end - 1] === '\r')
            end -= 1;
        return this.buffer.substring(this.pos, end);
    }
    hasChars(n) {
        return this.pos + n <= this.buffer.length;
    }
    setNext(state) {
        this.buffer = this.buffer.substring(this.pos);
        this.pos = 0;
        this.lineEndPos = null;
        this.next = state;
        return null;
    }
    peek(n) {
        return this.buffer.substr(this.pos, n);
    }
    *parseNext(next) {
        switch (next) {
            case 'stream':
                return yield* this.parseStream();
            case 'line-start':
                return yield* this.parseLineStart();
            case 'block-start':
                return yield* this.parseBlockStart();
            case 'doc':
                return yield* this.parseDocument();
            case 'flow':
                return yield* this.parseFlowCollection();
            case 'quoted-scalar':
                return yield* this.parseQuotedScalar();
            case 'block-scalar':
                return yield* this.parseBlockScalar();
            case 'plain-scalar':
                return yield* this.parsePlainScalar();
        }
    }
    *parseStream() {
        let line = this.getLine();
        if (line === null)
            return this.setNext('stream');
        if (line[0] === cst.BOM) {
            yield* this.pushCount(1);
            line = line.substring(1);
        }
        if (line[0] === '%') {
            let dirEnd = line.length;
            let cs = line.indexOf('#');
            while (cs !== -1) {
                const ch = line[cs - 1];
                if (ch === ' ' || ch === '\t') {
                    dirEnd = cs - 1;
                    break;
                }
                else {
                    cs = line.indexOf('#', cs + 1);
                }
            }
            while (true) {
                const ch = line[dirEnd - 1];
                if (ch === ' ' || ch === '\t')
                    dirEnd -= 1;
                else
                    break;
            }
            const n = (yield* this.pushCount(dirEnd)) + (yield* this.pushSpaces(true));
            yield* this.pushCount(line.length - n); // possible comment
            this.pushNewline();
            return 'stream';
        }
        if (this.atLineEnd()) {
            const sp = yield* this.pushSpaces(true);
            yield* this.pushCount(line.length - sp);
            yield* this.pushNewline();
            return 'stream';
        }
        yield cst.DOCUMENT;
        return yield* this.parseLineStart();
    }
    *parseLineStart() {
        const ch = this.charAt(0);
        if (!ch && !this.atEnd)
            return this.setNext('line-start');
        if (ch === '-' || ch === '.') {
            if (!this.atEnd && !this.hasChars(4))
                return this.setNext('line-start');
            const s = this.peek(3);
            if ((s === '---' || s === '...') && isEmpty(this.charAt(3))) {
                yield* this.pushCount(3);
                this.indentValue = 0;
                this.indentNext = 0;
                return s === '---' ? 'doc' : 'stream';
            }
        }
        this.indentValue = yield* this.pushSpaces(false);
        if (this.indentNext > this.indentValue && !isEmpty(this.charAt(1)))
            this.indentNext = this.indentValue;
        return yield* this.parseBlockStart();
    }
    *parseBlockStart() {
        const [ch0, ch1] = this.peek(2);
        if (!ch1 && !this.atEnd)
            return this.setNext('block-start');
        if ((ch0 === '-' || ch0 === '?' || ch0 === ':') && isEmpty(ch1)) {
            const n = (yield* this.pushCount(1)) + (yield* this.pushSpaces(true));
            this.indentNext = this.indentValue + 1;
            this.indentValue += n;
            return 'block-start';
        }
        return 'doc';
    }
    *parseDocument() {
        yield* this.pushSpaces(true);
        const line = this.getLine();
        if (line === null)
            return this.setNext('doc');
        let n = yield* this.pushIndicators();
        switch (line[n]) {
            case '#':
                yield* this.pushCount(line.length - n);
            // fallthrough
            case undefined:
                yield* this.pushNewline();
                return yield* this.parseLineStart();
            case '{':
            case '[':
                yield* this.pushCount(1);
                this.flowKey = false;
                this.flowLevel = 1;
                return 'flow';
            case '}':
            case ']':
                // this is an error
                yield* this.pushCount(1);
                return 'doc';
            case '*':
                yield* this.pushUntil(isNotAnchorChar);
                return 'doc';
            case '"':
            case "'":
                return yield* this.parseQuotedScalar();
            case '|':
            case '>':
                n += yield* this.parseBlockScalarHeader();
                n += yield* this.pushSpaces(true);
                yield* this.pushCount(line.length - n);
                yield* this.pushNewline();
                return yield* this.parseBlockScalar();
            default:
                return yield* this.parsePlainScalar();
        }
    }
    *parseFlowCollection() {
        let nl, sp;
        let indent = -1;
        do {
            nl = yield* this.pushNewline();
            if (nl > 0) {
                sp = yield* this.pushSpaces(false);
                this.indentValue = indent = sp;
            }
            else {
                sp = 0;
            }
            sp += yield* this.pushSpaces(true);
        } while (nl + sp > 0);
        const line = this.getLine();
        if (line === null)
            return this.setNext('flow');
        if ((indent !== -1 && indent < this.indentNext && line[0] !== '#') ||
            (indent === 0 &&
                (line.startsWith('---') || line.startsWith('...')) &&
                isEmpty(line[3]))) {
            // Allowing for the terminal ] or } at the same (rather than greater)
            // indent level as the initial [ or { is technically invalid, but
            // failing here would be surprising to users.
            const atFlowEndMarker = indent === this.indentNext - 1 &&
                this.flowLevel === 1 &&
                (line[0] === ']' || line[0] === '}');
            if (!atFlowEndMarker) {
                // this is an error
                this.flowLevel = 0;
                yield cst.FLOW_END;
                return yield* this.parseLineStart();
            }
        }
        let n = 0;
        while (line[n] === ',') {
            n += yield* this.pushCount(1);
            n += yield* this.pushSpaces(true);
            this.flowKey = false;
        }
        n += yield* this.pushIndicators();
        switch (line[n]) {
            case undefined:
                return 'flow';
            case '#':
                yield* this.pushCount(line.length - n);
                return 'flow';
            case '{':
            case '[':
                yield* this.pushCount(1);
                this.flowKey = false;
                this.flowLevel += 1;
                return 'flow';
            case '}':
            case ']':
                yield* this.pushCount(1);
                this.flowKey = true;
                this.flowLevel -= 1;
                return this.flowLevel ? 'flow' : 'doc';
            case '*':
                yield* this.pushUntil(isNotAnchorChar);
                return 'flow';
            case '"':
            case "'":
                this.flowKey = true;
                return yield* this.parseQuotedScalar();
            case ':': {
                const next = this.charAt(1);
                if (this.flowKey || isEmpty(next) || next === ',') {
                    this.flowKey = false;
                    yield* this.pushCount(1);
                    yield* this.pushSpaces(true);
                    return 'flow';
                }
            }
            // fallthrough
            default:
                this.flowKey = false;
                return yield* this.parsePlainScalar();
        }
    }
    *parseQuotedScalar() {
        const quote = this.charAt(0);
        let end = this.buffer.indexOf(quote, this.pos + 1);
        if (quote === "'") {
            while (end !== -1 && this.buffer[end + 1] === "'")
                end = this.buffer.indexOf("'", end + 2);
        }
        else {
            // double-quote
            while (end !== -1) {
                let n = 0;
                while (this.buffer[end - 1 - n] === '\\')
                    n += 1;
                if (n % 2 === 0)
                    break;
                end = this.buffer.indexOf('"', end + 1);
            }
        }
        // Only looking for newlines within the quotes
        const qb = this.buffer.substring(0, end);
        let nl = qb.indexOf('\n', this.pos);
        if (nl !== -1) {
            while (nl !== -1) {
                const cs = this.continueScalar(nl + 1);
                if (cs === -1)
                    break;
                nl = qb.indexOf('\n', cs);
            }
            if (nl !== -1) {
                // this is an error caused by an unexpected unindent
                end = nl - (qb[nl - 1] === '\r' ? 2 : 1);
            }
        }
        if (end === -1) {
            if (!this.atEnd)
                return this.setNext('quoted-scalar');
            end = this.buffer.length;
        }
        yield* this.pushToIndex(end + 1, false);
        return this.flowLevel ? 'flow' : 'doc';
    }
    *parseBlockScalarHeader() {
        this.blockScalarIndent = -1;
        this.blockScalarKeep = false;
        let i = this.pos;
        while (true) {
            const ch = this.buffer[++i];
            if (ch === '+')
                this.blockScalarKeep = true;
            else if (ch > '0' && ch <= '9')
                this.blockScalarIndent = Number(ch) - 1;
            else if (ch !== '-')
                break;
        }
        return yield* this.pushUntil(ch => isEmpty(ch) || ch === '#');
    }
    *parseBlockScalar() {
        let nl = this.pos - 1; // may be -1 if this.pos === 0
        let indent = 0;
        let ch;
        loop: for (let i = this.pos; (ch = this.buffer[i]); ++i) {
            switch (ch) {
                case ' ':
                    indent += 1;
                    break;
                case '\n':
                    nl = i;
                    indent = 0;
                    break;
                case '\r': {
                    const next = this.buffer[i + 1];
                    if (!next && !this.atEnd)
                        return this.setNext('block-scalar');
                    if (next === '\n')
                        break;
                } // fallthrough
                default:
                    break loop;
            }
        }
        if (!ch && !this.atEnd)
            return this.setNext('block-scalar');
        if (indent >= this.indentNext) {
            if (this.blockScalarIndent === -1)
                this.indentNext = indent;
            else {
                this.indentNext =
                    this.blockScalarIndent + (this.indentNext === 0 ? 1 : this.indentNext);
            }
            do {
                const cs = this.continueScalar(nl + 1);
                if (cs === -1)
                    break;
                nl = this.buffer.indexOf('\n', cs);
            } while (nl !== -1);
            if (nl === -1) {
                if (!this.atEnd)
                    return this.setNext('block-scalar');
                nl = this.buffer.length;
            }
        }
        // Trailing insufficiently indented tabs are invalid.
        // To catch that during parsing, we include them in the block scalar value.
        let i = nl + 1;
        ch = this.buffer[i];
        while (ch === ' ')
            ch = this.buffer[++i];
        if (ch === '\t') {
            while (ch === '\t' || ch === ' ' || ch === '\r' || ch === '\n')
                ch = this.buffer[++i];
            nl = i - 1;
        }
        else if (!this.blockScalarKeep) {
            do {
                let i = nl - 1;
                let ch = this.buffer[i];
                if (ch === '\r')
                    ch = this.buffer[--i];
                const lastChar = i; // Drop the line if last char not more indented
                while (ch === ' ')
                    ch = this.buffer[--i];
                if (ch === '\n' && i >= this.pos && i + 1 + indent > lastChar)
                    nl = i;
                else
                    break;
            } while (true);
        }
        yield cst.SCALAR;
        yield* this.pushToIndex(nl + 1, true);
        return yield* this.parseLineStart();
    }
    *parsePlainScalar() {
        const inFlow = this.flowLevel > 0;
        let end = this.pos - 1;
        let i = this.pos - 1;
        let ch;
        while ((ch = this.buffer[++i])) {
            if (ch === ':') {
                const next = this.buffer[i + 1];
                if (isEmpty(next) || (inFlow && flowIndicatorChars.has(next)))
                    break;
                end = i;
            }
            else if (isEmpty(ch)) {
                let next = this.buffer[i + 1];
                if (ch === '\r') {
                    if (next === '\n') {
                        i += 1;
                        ch = '\n';
                        next = this.buffer[i + 1];
                    }
                    else
                        end = i;
                }
                if (next === '#' || (inFlow && flowIndicatorChars.has(next)))
                    break;
                if (ch === '\n') {
                    const cs = this.continueScalar(i + 1);
                    if (cs === -1)
                        break;
                    i = Math.max(i, cs - 2); // to advance, but still account for ' #'
                }
            }
            else {
                if (inFlow && flowIndicatorChars.has(ch))
                    break;
                end = i;
            }
        }
        if (!ch && !this.atEnd)
            return this.setNext('plain-scalar');
        yield cst.SCALAR;
        yield* this.pushToIndex(end + 1, true);
        return inFlow ? 'flow' : 'doc';
    }
    *pushCount(n) {
        if (n > 0) {
            yield this.buffer.substr(this.pos, n);
            this.pos += n;
            return n;
        }
        return 0;
    }
    *pushToIndex(i, allowEmpty) {
        const s = this.buffer.slice(this.pos, i);
        if (s) {
            yield s;
            this.pos += s.length;
            return s.length;
        }
        else if (allowEmpty)
            yield '';
        return 0;
    }
    *pushIndicators() {
        let n = 0;
        loop: while (true) {
            switch (this.charAt(0)) {
                case '!':
                    n += yield* this.pushTag();
                    n += yield* this.pushSpaces(true);
                    continue loop;
                case '&':
                    n += yield* this.pushUntil(isNotAnchorChar);
                    n += yield* this.pushSpaces(true);
                    continue loop;
                case '-': // this is an error
                case '?': // this is an error outside flow collections
                case ':': {
                    const inFlow = this.flowLevel > 0;
                    const ch1 = this.charAt(1);
                    if (isEmpty(ch1) || (inFlow && flowIndicatorChars.has(ch1))) {
                        if (!inFlow)
                            this.indentNext = this.indentValue + 1;
                        else if (this.flowKey)
                            this.flowKey = false;
                        n += yield* this.pushCount(1);
                        n += yield* this.pushSpaces(true);
                        continue loop;
                    }
                }
            }
            break loop;
        }
        return n;
    }
    *pushTag() {
        if (this.charAt(1) === '<') {
            let i = this.pos + 2;
            let ch = this.buffer[i];
            while (!isEmpty(ch) && ch !== '>')
                ch = this.buffer[++i];
            return yield* this.pushToIndex(ch === '>' ? i + 1 : i, false);
        }
        else {
            let i = this.pos + 1;
            let ch = this.buffer[i];
            while (ch) {
                if (tagChars.has(ch))
                    ch = this.buffer[++i];
                else if (ch === '%' &&
                    hexDigits.has(this.buffer[i + 1]) &&
                    hexDigits.has(this.buffer[i + 2])) {
                    ch = this.buffer[(i += 3)];
                }
                else
                    break;
            }
            return yield* this.pushToIndex(i, false);
        }
    }
    *pushNewline() {
        const ch = this.buffer[this.pos];
        if (ch === '\n')
            return yield* this.pushCount(1);
        else if (ch === '\r' && this.charAt(1) === '\n')
            return yield* this.pushCount(2);
        else
            return 0;
    }
    *pushSpaces(allowTabs) {
        let i = this.pos - 1;
        let ch;
        do {
            ch = this.buffer[++i];
        } while (ch === ' ' || (allowTabs && ch === '\t'));
        const n = i - this.pos;
        if (n > 0) {
            yield this.buffer.substr(this.pos, n);
            this.pos = i;
        }
        return n;
    }
    *pushUntil(test) {
        let i = this.pos;
        let ch = this.buffer[i];
        while (!test(ch))
            ch = this.buffer[++i];
        return yield* this.pushToIndex(i, false);
    }
}

exports.Lexer = Lexer;


/***/ }),

/***/ 6628:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Tracks newlines during parsing in order to provide an efficient API for
 * determining the one-indexed `{ line, col }` position for any offset
 * within the input.
 */
class LineCounter {
    constructor() {
        this.lineStarts = [];
        /**
         * Should be called in ascending order. Otherwise, call
         * `lineCounter.lineStarts.sort()` before calling `linePos()`.
         */
        this.addNewLine = (offset) => this.lineStarts.push(offset);
        /**
         * Performs a binary search and returns the 1-indexed { line, col }
         * position of `offset`. If `line === 0`, `addNewLine` has never been
         * called or `offset` is before the first known newline.
         */
        this.linePos = (offset) => {
            let low = 0;
            let high = this.lineStarts.length;
            while (low < high) {
                const mid = (low + high) >> 1; // Math.floor((low + high) / 2)
                if (this.lineStarts[mid] < offset)
                    low = mid + 1;
                else
                    high = mid;
            }
            if (this.lineStarts[low] === offset)
                return { line: low + 1, col: 1 };
            if (low === 0)
                return { line: 0, col: offset };
            const start = this.lineStarts[low - 1];
            return { line: low, col: offset - start + 1 };
        };
    }
}

exports.LineCounter = LineCounter;


/***/ }),

/***/ 3456:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);
var cst = __nccwpck_require__(3461);
var lexer = __nccwpck_require__(361);

function includesToken(list, type) {
    for (let i = 0; i < list.length; ++i)
        if (list[i].type === type)
            return true;
    return false;
}
function findNonEmptyIndex(list) {
    for (let i = 0; i < list.length; ++i) {
        switch (list[i].type) {
            case 'space':
            case 'comment':
            case 'newline':
                break;
            default:
                return i;
        }
    }
    return -1;
}
function isFlowToken(token) {
    switch (token?.type) {
        case 'alias':
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar':
        case 'flow-collection':
            return true;
        default:
            return false;
    }
}
function getPrevProps(parent) {
    switch (parent.type) {
        case 'document':
            return parent.start;
        case 'block-map': {
            const it = parent.items[parent.items.length - 1];
            return it.sep ?? it.start;
        }
        case 'block-seq':
            return parent.items[parent.items.length - 1].start;
        /* istanbul ignore next should not happen */
        default:
            return [];
    }
}
/** Note: May modify input array */
function getFirstKeyStartProps(prev) {
    if (prev.length === 0)
        return [];
    let i = prev.length;
    loop: while (--i >= 0) {
        switch (prev[i].type) {
            case 'doc-start':
            case 'explicit-key-ind':
            case 'map-value-ind':
            case 'seq-item-ind':
            case 'newline':
                break loop;
        }
    }
    while (prev[++i]?.type === 'space') {
        /* loop */
    }
    return prev.splice(i, prev.length);
}
function arrayPushArray(target, source) {
    // May exhaust call stack with large `source` array
    if (source.length < 1e5)
        Array.prototype.push.apply(target, source);
    else
        for (let i = 0; i < source.length; ++i)
            target.push(source[i]);
}
function fixFlowSeqItems(fc) {
    if (fc.start.type === 'flow-seq-start') {
        for (const it of fc.items) {
            if (it.sep &&
                !it.value &&
                !includesToken(it.start, 'explicit-key-ind') &&
                !includesToken(it.sep, 'map-value-ind')) {
                if (it.key)
                    it.value = it.key;
                delete it.key;
                if (isFlowToken(it.value)) {
                    if (it.value.end)
                        arrayPushArray(it.value.end, it.sep);
                    else
                        it.value.end = it.sep;
                }
                else
                    arrayPushArray(it.start, it.sep);
                delete it.sep;
            }
        }
    }
}
/**
 * A YAML concrete syntax tree (CST) parser
 *
 * ```ts
 * const src: string = ...
 * for (const token of new Parser().parse(src)) {
 *   // token: Token
 * }
 * ```
 *
 * To use the parser with a user-provided lexer:
 *
 * ```ts
 * function* parse(source: string, lexer: Lexer) {
 *   const parser = new Parser()
 *   for (const lexeme of lexer.lex(source))
 *     yield* parser.next(lexeme)
 *   yield* parser.end()
 * }
 *
 * const src: string = ...
 * const lexer = new Lexer()
 * for (const token of parse(src, lexer)) {
 *   // token: Token
 * }
 * ```
 */
class Parser {
    /**
     * @param onNewLine - If defined, called separately with the start position of
     *   each new line (in `parse()`, including the start of input).
     */
    constructor(onNewLine) {
        /** If true, space and sequence indicators count as indentation */
        this.atNewLine = true;
        /** If true, next token is a scalar value */
        this.atScalar = false;
        /** Current indentation level */
        this.indent = 0;
        /** Current offset since the start of parsing */
        this.offset = 0;
        /** On the same line with a block map key */
        this.onKeyLine = false;
        /** Top indicates the node that's currently being built */
        this.stack = [];
        /** The source of the current token, set in parse() */
        this.source = '';
        /** The type of the current token, set in parse() */
        this.type = '';
        // Must be defined after `next()`
        this.lexer = new lexer.Lexer();
        this.onNewLine = onNewLine;
    }
    /**
     * Parse `source` as a YAML stream.
     * If `incomplete`, a part of the last line may be left as a buffer for the next call.
     *
     * Errors are not thrown, but yielded as `{ type: 'error', message }` tokens.
     *
     * @returns A generator of tokens representing each directive, document, and other structure.
     */
    *parse(source, incomplete = false) {
        if (this.onNewLine && this.offset === 0)
            this.onNewLine(0);
        for (const lexeme of this.lexer.lex(source, incomplete))
            yield* this.next(lexeme);
        if (!incomplete)
            yield* this.end();
    }
    /**
     * Advance the parser by the `source` of one lexical token.
     */
    *next(source) {
        this.source = source;
        if (node_process.env.LOG_TOKENS)
            console.log('|', cst.prettyToken(source));
        if (this.atScalar) {
            this.atScalar = false;
            yield* this.step();
            this.offset += source.length;
            return;
        }
        const type = cst.tokenType(source);
        if (!type) {
            const message = `Not a YAML token: ${source}`;
            yield* this.pop({ type: 'error', offset: this.offset, message, source });
            this.offset += source.length;
        }
        else if (type === 'scalar') {
            this.atNewLine = false;
            this.atScalar = true;
            this.type = 'scalar';
        }
        else {
            this.type = type;
            yield* this.step();
            switch (type) {
                case 'newline':
                    this.atNewLine = true;
                    this.indent = 0;
                    if (this.onNewLine)
                        this.onNewLine(this.offset + source.length);
                    break;
                case 'space':
                    if (this.atNewLine && source[0] === ' ')
                        this.indent += source.length;
                    break;
                case 'explicit-key-ind':
                case 'map-value-ind':
                case 'seq-item-ind':
                    if (this.atNewLine)
                        this.indent += source.length;
                    break;
                case 'doc-mode':
                case 'flow-error-end':
                    return;
                default:
                    this.atNewLine = false;
            }
            this.offset += source.length;
        }
    }
    /** Call at end of input to push out any remaining constructions */
    *end() {
        while (this.stack.length > 0)
            yield* this.pop();
    }
    get sourceToken() {
        const st = {
            type: this.type,
            offset: this.offset,
            indent: this.indent,
            source: this.source
        };
        return st;
    }
    *step() {
        const top = this.peek(1);
        if (this.type === 'doc-end' && top?.type !== 'doc-end') {
            while (this.stack.length > 0)
                yield* this.pop();
            this.stack.push({
                type: 'doc-end',
                offset: this.offset,
                source: this.source
            });
            return;
        }
        if (!top)
            return yield* this.stream();
        switch (top.type) {
            case 'document':
                return yield* this.document(top);
            case 'alias':
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return yield* this.scalar(top);
            case 'block-scalar':
                return yield* this.blockScalar(top);
            case 'block-map':
                return yield* this.blockMap(top);
            case 'block-seq':
                return yield* this.blockSequence(top);
            case 'flow-collection':
                return yield* this.flowCollection(top);
            case 'doc-end':
                return yield* this.documentEnd(top);
        }
        /* istanbul ignore next should not happen */
        yield* this.pop();
    }
    peek(n) {
        return this.stack[this.stack.length - n];
    }
    *pop(error) {
        const token = error ?? this.stack.pop();
        /* istanbul ignore if should not happen */
        if (!token) {
            const message = 'Tried to pop an empty stack';
            yield { type: 'error', offset: this.offset, source: '', message };
        }
        else if (this.stack.length === 0) {
            yield token;
        }
        else {
            const top = this.peek(1);
            if (token.type === 'block-scalar') {
                // Block scalars use their parent rather than header indent
                token.indent = 'indent' in top ? top.indent : 0;
            }
            else if (token.type === 'flow-collection' && top.type === 'document') {
                // Ignore all indent for top-level flow collections
                token.indent = 0;
            }
            if (token.type === 'flow-collection')
                fixFlowSeqItems(token);
            switch (top.type) {
                case 'document':
                    top.value = token;
                    break;
                case 'block-scalar':
                    top.props.push(token); // error
                    break;
                case 'block-map': {
                    const it = top.items[top.items.length - 1];
                    if (it.value) {
                        top.items.push({ start: [], key: token, sep: [] });
                        this.onKeyLine = true;
                        return;
                    }
                    else if (it.sep) {
                        it.value = token;
                    }
                    else {
                        Object.assign(it, { key: token, sep: [] });
                        this.onKeyLine = !it.explicitKey;
                        return;
                    }
                    break;
                }
                case 'block-seq': {
                    const it = top.items[top.items.length - 1];
                    if (it.value)
                        top.items.push({ start: [], value: token });
                    else
                        it.value = token;
                    break;
                }
                case 'flow-collection': {
                    const it = top.items[top.items.length - 1];
                    if (!it || it.value)
                        top.items.push({ start: [], key: token, sep: [] });
                    else if (it.sep)
                        it.value = token;
                    else
                        Object.assign(it, { key: token, sep: [] });
                    return;
                }
                /* istanbul ignore next should not happen */
                default:
                    yield* this.pop();
                    yield* this.pop(token);
            }
            if ((top.type === 'document' ||
                top.type === 'block-map' ||
                top.type === 'block-seq') &&
                (token.type === 'block-map' || token.type === 'block-seq')) {
                const last = token.items[token.items.length - 1];
                if (last &&
                    !last.sep &&
                    !last.value &&
                    last.start.length > 0 &&
                    findNonEmptyIndex(last.start) === -1 &&
                    (token.indent === 0 ||
                        last.start.every(st => st.type !== 'comment' || st.indent < token.indent))) {
                    if (top.type === 'document')
                        top.end = last.start;
                    else
                        top.items.push({ start: last.start });
                    token.items.splice(-1, 1);
                }
            }
        }
    }
    *stream() {
        switch (this.type) {
            case 'directive-line':
                yield { type: 'directive', offset: this.offset, source: this.source };
                return;
            case 'byte-order-mark':
            case 'space':
            case 'comment':
            case 'newline':
                yield this.sourceToken;
                return;
            case 'doc-mode':
            case 'doc-start': {
                const doc = {
                    type: 'document',
                    offset: this.offset,
                    start: []
                };
                if (this.type === 'doc-start')
                    doc.start.push(this.sourceToken);
                this.stack.push(doc);
                return;
            }
        }
        yield {
            type: 'error',
            offset: this.offset,
            message: `Unexpected ${this.type} token in YAML stream`,
            source: this.source
        };
    }
    *document(doc) {
        if (doc.value)
            return yield* this.lineEnd(doc);
        switch (this.type) {
            case 'doc-start': {
                if (findNonEmptyIndex(doc.start) !== -1) {
                    yield* this.pop();
                    yield* this.step();
                }
                else
                    doc.start.push(this.sourceToken);
                return;
            }
            case 'anchor':
            case 'tag':
            case 'space':
            case 'comment':
            case 'newline':
                doc.start.push(this.sourceToken);
                return;
        }
        const bv = this.startBlockValue(doc);
        if (bv)
            this.stack.push(bv);
        else {
            yield {
                type: 'error',
                offset: this.offset,
                message: `Unexpected ${this.type} token in YAML document`,
                source: this.source
            };
        }
    }
    *scalar(scalar) {
        if (this.type === 'map-value-ind') {
            const prev = getPrevProps(this.peek(2));
            const start = getFirstKeyStartProps(prev);
            let sep;
            if (scalar.end) {
                sep = scalar.end;
                sep.push(this.sourceToken);
                delete scalar.end;
            }
            else
                sep = [this.sourceToken];
            const map = {
                type: 'block-map',
                offset: scalar.offset,
                indent: scalar.indent,
                items: [{ start, key: scalar, sep }]
            };
            this.onKeyLine = true;
            this.stack[this.stack.length - 1] = map;
        }
        else
            yield* this.lineEnd(scalar);
    }
    *blockScalar(scalar) {
        switch (this.type) {
            case 'space':
            case 'comment':
            case 'newline':
                scalar.props.push(this.sourceToken);
                return;
            case 'scalar':
                scalar.source = this.source;
                // block-scalar source includes trailing newline
                this.atNewLine = true;
                this.indent = 0;
                if (this.onNewLine) {
                    let nl = this.source.indexOf('\n') + 1;
                    while (nl !== 0) {
                        this.onNewLine(this.offset + nl);
                        nl = this.source.indexOf('\n', nl) + 1;
                    }
                }
                yield* this.pop();
                break;
            /* istanbul ignore next should not happen */
            default:
                yield* this.pop();
                yield* this.step();
        }
    }
    *blockMap(map) {
        const it = map.items[map.items.length - 1];
        // it.sep is true-ish if pair already has key or : separator
        switch (this.type) {
            case 'newline':
                this.onKeyLine = false;
                if (it.value) {
                    const end = 'end' in it.value ? it.value.end : undefined;
                    const last = Array.isArray(end) ? end[end.length - 1] : undefined;
                    if (last?.type === 'comment')
                        end?.push(this.sourceToken);
                    else
                        map.items.push({ start: [this.sourceToken] });
                }
                else if (it.sep) {
                    it.sep.push(this.sourceToken);
                }
                else {
                    it.start.push(this.sourceToken);
                }
                return;
            case 'space':
            case 'comment':
                if (it.value) {
                    map.items.push({ start: [this.sourceToken] });
                }
                else if (it.sep) {
                    it.sep.push(this.sourceToken);
                }
                else {
                    if (this.atIndentedComment(it.start, map.indent)) {
                        const prev = map.items[map.items.length - 2];
                        const end = prev?.value?.end;
                        if (Array.isArray(end)) {
                            arrayPushArray(end, it.start);
                            end.push(this.sourceToken);
                            map.items.pop();
                            return;
                        }
                    }
                    it.start.push(this.sourceToken);
                }
                return;
        }
        if (this.indent >= map.indent) {
            const atMapIndent = !this.onKeyLine && this.indent === map.indent;
            const atNextItem = atMapIndent &&
                (it.sep || it.explicitKey) &&
                this.type !== 'seq-item-ind';
            // For empty nodes, assign newline-separated not indented empty tokens to following node
            let start = [];
            if (atNextItem && it.sep && !it.value) {
                const nl = [];
                for (let i = 0; i < it.sep.length; ++i) {
                    const st = it.sep[i];
                    switch (st.type) {
                        case 'newline':
                            nl.push(i);
                            break;
                        case 'space':
                            break;
                        case 'comment':
                            if (st.indent > map.indent)
                                nl.length = 0;
                            break;
                        default:
                            nl.length = 0;
                    }
                }
                if (nl.length >= 2)
                    start = it.sep.splice(nl[1]);
            }
            switch (this.type) {
                case 'anchor':
                case 'tag':
                    if (atNextItem || it.value) {
                        start.push(this.sourceToken);
                        map.items.push({ start });
                        this.onKeyLine = true;
                    }
                    else if (it.sep) {
                        it.sep.push(this.sourceToken);
                    }
                    else {
                        it.start.push(this.sourceToken);
                    }
                    return;
                case 'explicit-key-ind':
                    if (!it.sep && !it.explicitKey) {
                        it.start.push(this.sourceToken);
                        it.explicitKey = true;
                    }
                    else if (atNextItem || it.value) {
                        start.push(this.sourceToken);
                        map.items.push({ start, explicitKey: true });
                    }
                    else {
                        this.stack.push({
                            type: 'block-map',
                            offset: this.offset,
                            indent: this.indent,
                            items: [{ start: [this.sourceToken], explicitKey: true }]
                        });
                    }
                    this.onKeyLine = true;
                    return;
                case 'map-value-ind':
                    if (it.explicitKey) {
                        if (!it.sep) {
                            if (includesToken(it.start, 'newline')) {
                                Object.assign(it, { key: null, sep: [this.sourceToken] });
                            }
                            else {
                                const start = getFirstKeyStartProps(it.start);
                                this.stack.push({
                                    type: 'block-map',
                                    offset: this.offset,
                                    indent: this.indent,
                                    items: [{ start, key: null, sep: [this.sourceToken] }]
                                });
                            }
                        }
                        else if (it.value) {
                            map.items.push({ start: [], key: null, sep: [this.sourceToken] });
                        }
                        else if (includesToken(it.sep, 'map-value-ind')) {
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start, key: null, sep: [this.sourceToken] }]
                            });
                        }
                        else if (isFlowToken(it.key) &&
                            !includesToken(it.sep, 'newline')) {
                            const start = getFirstKeyStartProps(it.start);
                            const key = it.key;
                            const sep = it.sep;
                            sep.push(this.sourceToken);
                            // @ts-expect-error type guard is wrong here
                            delete it.key;
                            // @ts-expect-error type guard is wrong here
                            delete it.sep;
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start, key, sep }]
                            });
                        }
                        else if (start.length > 0) {
                            // Not actually at next item
                            it.sep = it.sep.concat(start, this.sourceToken);
                        }
                        else {
                            it.sep.push(this.sourceToken);
                        }
                    }
                    else {
                        if (!it.sep) {
                            Object.assign(it, { key: null, sep: [this.sourceToken] });
                        }
                        else if (it.value || atNextItem) {
                            map.items.push({ start, key: null, sep: [this.sourceToken] });
                        }
                        else if (includesToken(it.sep, 'map-value-ind')) {
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start: [], key: null, sep: [this.sourceToken] }]
                            });
                        }
                        else {
                            it.sep.push(this.sourceToken);
                        }
                    }
                    this.onKeyLine = true;
                    return;
                case 'alias':
                case 'scalar':
                case 'single-quoted-scalar':
                case 'double-quoted-scalar': {
                    const fs = this.flowScalar(this.type);
                    if (atNextItem || it.value) {
                        map.items.push({ start, key: fs, sep: [] });
                        this.onKeyLine = true;
                    }
                    else if (it.sep) {
                        this.stack.push(fs);
                    }
                    else {
                        Object.assign(it, { key: fs, sep: [] });
                        this.onKeyLine = true;
                    }
                    return;
                }
                default: {
                    const bv = this.startBlockValue(map);
                    if (bv) {
                        if (bv.type === 'block-seq') {
                            if (!it.explicitKey &&
                                it.sep &&
                                !includesToken(it.sep, 'newline')) {
                                yield* this.pop({
                                    type: 'error',
                                    offset: this.offset,
                                    message: 'Unexpected block-seq-ind on same line with key',
                                    source: this.source
                                });
                                return;
                            }
                        }
                        else if (atMapIndent) {
                            map.items.push({ start });
                        }
                        this.stack.push(bv);
                        return;
                    }
                }
            }
        }
        yield* this.pop();
        yield* this.step();
    }
    *blockSequence(seq) {
        const it = seq.items[seq.items.length - 1];
        switch (this.type) {
            case 'newline':
                if (it.value) {
                    const end = 'end' in it.value ? it.value.end : undefined;
                    const last = Array.isArray(end) ? end[end.length - 1] : undefined;
                    if (last?.type === 'comment')
                        end?.push(this.sourceToken);
                    else
                        seq.items.push({ start: [this.sourceToken] });
                }
                else
                    it.start.push(this.sourceToken);
                return;
            case 'space':
            case 'comment':
                if (it.value)
                    seq.items.push({ start: [this.sourceToken] });
                else {
                    if (this.atIndentedComment(it.start, seq.indent)) {
                        const prev = seq.items[seq.items.length - 2];
                        const end = prev?.value?.end;
                        if (Array.isArray(end)) {
                            arrayPushArray(end, it.start);
                            end.push(this.sourceToken);
                            seq.items.pop();
                            return;
                        }
                    }
                    it.start.push(this.sourceToken);
                }
                return;
            case 'anchor':
            case 'tag':
                if (it.value || this.indent <= seq.indent)
                    break;
                it.start.push(this.sourceToken);
                return;
            case 'seq-item-ind':
                if (this.indent !== seq.indent)
                    break;
                if (it.value || includesToken(it.start, 'seq-item-ind'))
                    seq.items.push({ start: [this.sourceToken] });
                else
                    it.start.push(this.sourceToken);
                return;
        }
        if (this.indent > seq.indent) {
            const bv = this.startBlockValue(seq);
            if (bv) {
                this.stack.push(bv);
                return;
            }
        }
        yield* this.pop();
        yield* this.step();
    }
    *flowCollection(fc) {
        const it = fc.items[fc.items.length - 1];
        if (this.type === 'flow-error-end') {
            let top;
            do {
                yield* this.pop();
                top = this.peek(1);
            } while (top?.type === 'flow-collection');
        }
        else if (fc.end.length === 0) {
            switch (this.type) {
                case 'comma':
                case 'explicit-key-ind':
                    if (!it || it.sep)
                        fc.items.push({ start: [this.sourceToken] });
                    else
                        it.start.push(this.sourceToken);
                    return;
                case 'map-value-ind':
                    if (!it || it.value)
                        fc.items.push({ start: [], key: null, sep: [this.sourceToken] });
                    else if (it.sep)
                        it.sep.push(this.sourceToken);
                    else
                        Object.assign(it, { key: null, sep: [this.sourceToken] });
                    return;
                case 'space':
                case 'comment':
                case 'newline':
                case 'anchor':
                case 'tag':
                    if (!it || it.value)
                        fc.items.push({ start: [this.sourceToken] });
                    else if (it.sep)
                        it.sep.push(this.sourceToken);
                    else
                        it.start.push(this.sourceToken);
                    return;
                case 'alias':
                case 'scalar':
                case 'single-quoted-scalar':
                case 'double-quoted-scalar': {
                    const fs = this.flowScalar(this.type);
                    if (!it || it.value)
                        fc.items.push({ start: [], key: fs, sep: [] });
                    else if (it.sep)
                        this.stack.push(fs);
                    else
                        Object.assign(it, { key: fs, sep: [] });
                    return;
                }
                case 'flow-map-end':
                case 'flow-seq-end':
                    fc.end.push(this.sourceToken);
                    return;
            }
            const bv = this.startBlockValue(fc);
            /* istanbul ignore else should not happen */
            if (bv)
                this.stack.push(bv);
            else {
                yield* this.pop();
                yield* this.step();
            }
        }
        else {
            const parent = this.peek(2);
            if (parent.type === 'block-map' &&
                ((this.type === 'map-value-ind' && parent.indent === fc.indent) ||
                    (this.type === 'newline' &&
                        !parent.items[parent.items.length - 1].sep))) {
                yield* this.pop();
                yield* this.step();
            }
            else if (this.type === 'map-value-ind' &&
                parent.type !== 'flow-collection') {
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                fixFlowSeqItems(fc);
                const sep = fc.end.splice(1, fc.end.length);
                sep.push(this.sourceToken);
                const map = {
                    type: 'block-map',
                    offset: fc.offset,
                    indent: fc.indent,
                    items: [{ start, key: fc, sep }]
                };
                this.onKeyLine = true;
                this.stack[this.stack.length - 1] = map;
            }
            else {
                yield* this.lineEnd(fc);
            }
        }
    }
    flowScalar(type) {
        if (this.onNewLine) {
            let nl = this.source.indexOf('\n') + 1;
            while (nl !== 0) {
                this.onNewLine(this.offset + nl);
                nl = this.source.indexOf('\n', nl) + 1;
            }
        }
        return {
            type,
            offset: this.offset,
            indent: this.indent,
            source: this.source
        };
    }
    startBlockValue(parent) {
        switch (this.type) {
            case 'alias':
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return this.flowScalar(this.type);
            case 'block-scalar-header':
                return {
                    type: 'block-scalar',
                    offset: this.offset,
                    indent: this.indent,
                    props: [this.sourceToken],
                    source: ''
                };
            case 'flow-map-start':
            case 'flow-seq-start':
                return {
                    type: 'flow-collection',
                    offset: this.offset,
                    indent: this.indent,
                    start: this.sourceToken,
                    items: [],
                    end: []
                };
            case 'seq-item-ind':
                return {
                    type: 'block-seq',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start: [this.sourceToken] }]
                };
            case 'explicit-key-ind': {
                this.onKeyLine = true;
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                start.push(this.sourceToken);
                return {
                    type: 'block-map',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start, explicitKey: true }]
                };
            }
            case 'map-value-ind': {
                this.onKeyLine = true;
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                return {
                    type: 'block-map',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start, key: null, sep: [this.sourceToken] }]
                };
            }
        }
        return null;
    }
    atIndentedComment(start, indent) {
        if (this.type !== 'comment')
            return false;
        if (this.indent <= indent)
            return false;
        return start.every(st => st.type === 'newline' || st.type === 'space');
    }
    *documentEnd(docEnd) {
        if (this.type !== 'doc-mode') {
            if (docEnd.end)
                docEnd.end.push(this.sourceToken);
            else
                docEnd.end = [this.sourceToken];
            if (this.type === 'newline')
                yield* this.pop();
        }
    }
    *lineEnd(token) {
        switch (this.type) {
            case 'comma':
            case 'doc-start':
            case 'doc-end':
            case 'flow-seq-end':
            case 'flow-map-end':
            case 'map-value-ind':
                yield* this.pop();
                yield* this.step();
                break;
            case 'newline':
                this.onKeyLine = false;
            // fallthrough
            case 'space':
            case 'comment':
            default:
                // all other values are errors
                if (token.end)
                    token.end.push(this.sourceToken);
                else
                    token.end = [this.sourceToken];
                if (this.type === 'newline')
                    yield* this.pop();
        }
    }
}

exports.Parser = Parser;


/***/ }),

/***/ 4047:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var composer = __nccwpck_require__(9984);
var Document = __nccwpck_require__(3021);
var errors = __nccwpck_require__(1464);
var log = __nccwpck_require__(7249);
var identity = __nccwpck_require__(1127);
var lineCounter = __nccwpck_require__(6628);
var parser = __nccwpck_require__(3456);

function parseOptions(options) {
    const prettyErrors = options.prettyErrors !== false;
    const lineCounter$1 = options.lineCounter || (prettyErrors && new lineCounter.LineCounter()) || null;
    return { lineCounter: lineCounter$1, prettyErrors };
}
/**
 * Parse the input as a stream of YAML documents.
 *
 * Documents should be separated from each other by `...` or `---` marker lines.
 *
 * @returns If an empty `docs` array is returned, it will be of type
 *   EmptyStream and contain additional stream information. In
 *   TypeScript, you should use `'empty' in docs` as a type guard for it.
 */
function parseAllDocuments(source, options = {}) {
    const { lineCounter, prettyErrors } = parseOptions(options);
    const parser$1 = new parser.Parser(lineCounter?.addNewLine);
    const composer$1 = new composer.Composer(options);
    const docs = Array.from(composer$1.compose(parser$1.parse(source)));
    if (prettyErrors && lineCounter)
        for (const doc of docs) {
            doc.errors.forEach(errors.prettifyError(source, lineCounter));
            doc.warnings.forEach(errors.prettifyError(source, lineCounter));
        }
    if (docs.length > 0)
        return docs;
    return Object.assign([], { empty: true }, composer$1.streamInfo());
}
/** Parse an input string into a single YAML.Document */
function parseDocument(source, options = {}) {
    const { lineCounter, prettyErrors } = parseOptions(options);
    const parser$1 = new parser.Parser(lineCounter?.addNewLine);
    const composer$1 = new composer.Composer(options);
    // `doc` is always set by compose.end(true) at the very latest
    let doc = null;
    for (const _doc of composer$1.compose(parser$1.parse(source), true, source.length)) {
        if (!doc)
            doc = _doc;
        else if (doc.options.logLevel !== 'silent') {
            doc.errors.push(new errors.YAMLParseError(_doc.range.slice(0, 2), 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
            break;
        }
    }
    if (prettyErrors && lineCounter) {
        doc.errors.forEach(errors.prettifyError(source, lineCounter));
        doc.warnings.forEach(errors.prettifyError(source, lineCounter));
    }
    return doc;
}
function parse(src, reviver, options) {
    let _reviver = undefined;
    if (typeof reviver === 'function') {
        _reviver = reviver;
    }
    else if (options === undefined && reviver && typeof reviver === 'object') {
        options = reviver;
    }
    const doc = parseDocument(src, options);
    if (!doc)
        return null;
    doc.warnings.forEach(warning => log.warn(doc.options.logLevel, warning));
    if (doc.errors.length > 0) {
        if (doc.options.logLevel !== 'silent')
            throw doc.errors[0];
        else
            doc.errors = [];
    }
    return doc.toJS(Object.assign({ reviver: _reviver }, options));
}
function stringify(value, replacer, options) {
    let _replacer = null;
    if (typeof replacer === 'function' || Array.isArray(replacer)) {
        _replacer = replacer;
    }
    else if (options === undefined && replacer) {
        options = replacer;
    }
    if (typeof options === 'string')
        options = options.length;
    if (typeof options === 'number') {
        const indent = Math.round(options);
        options = indent < 1 ? undefined : indent > 8 ? { indent: 8 } : { indent };
    }
    if (value === undefined) {
        const { keepUndefined } = options ?? replacer ?? {};
        if (!keepUndefined)
            return undefined;
    }
    if (identity.isDocument(value) && !_replacer)
        return value.toString(options);
    return new Document.Document(value, _replacer, options).toString(options);
}

exports.parse = parse;
exports.parseAllDocuments = parseAllDocuments;
exports.parseDocument = parseDocument;
exports.stringify = stringify;


/***/ }),

/***/ 5840:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var map = __nccwpck_require__(7451);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var tags = __nccwpck_require__(18);

const sortMapEntriesByKey = (a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
class Schema {
    constructor({ compat, customTags, merge, resolveKnownTags, schema, sortMapEntries, toStringDefaults }) {
        this.compat = Array.isArray(compat)
            ? tags.getTags(compat, 'compat')
            : compat
                ? tags.getTags(null, compat)
                : null;
        this.name = (typeof schema === 'string' && schema) || 'core';
        this.knownTags = resolveKnownTags ? tags.coreKnownTags : {};
        this.tags = tags.getTags(customTags, this.name, merge);
        this.toStringOptions = toStringDefaults ?? null;
        Object.defineProperty(this, identity.MAP, { value: map.map });
        Object.defineProperty(this, identity.SCALAR, { value: string.string });
        Object.defineProperty(this, identity.SEQ, { value: seq.seq });
        // Used by createMap()
        this.sortMapEntries =
            typeof sortMapEntries === 'function'
                ? sortMapEntries
                : sortMapEntries === true
                    ? sortMapEntriesByKey
                    : null;
    }
    clone() {
        const copy = Object.create(Schema.prototype, Object.getOwnPropertyDescriptors(this));
        copy.tags = this.tags.slice();
        return copy;
    }
}

exports.Schema = Schema;


/***/ }),

/***/ 7451:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var YAMLMap = __nccwpck_require__(4454);

const map = {
    collection: 'map',
    default: true,
    nodeClass: YAMLMap.YAMLMap,
    tag: 'tag:yaml.org,2002:map',
    resolve(map, onError) {
        if (!identity.isMap(map))
            onError('Expected a mapping for this tag');
        return map;
    },
    createNode: (schema, obj, ctx) => YAMLMap.YAMLMap.from(schema, obj, ctx)
};

exports.map = map;


/***/ }),

/***/ 3632:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

const nullTag = {
    identify: value => value == null,
    createNode: () => new Scalar.Scalar(null),
    default: true,
    tag: 'tag:yaml.org,2002:null',
    test: /^(?:~|[Nn]ull|NULL)?$/,
    resolve: () => new Scalar.Scalar(null),
    stringify: ({ source }, ctx) => typeof source === 'string' && nullTag.test.test(source)
        ? source
        : ctx.options.nullStr
};

exports.nullTag = nullTag;


/***/ }),

/***/ 1706:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var YAMLSeq = __nccwpck_require__(2223);

const seq = {
    collection: 'seq',
    default: true,
    nodeClass: YAMLSeq.YAMLSeq,
    tag: 'tag:yaml.org,2002:seq',
    resolve(seq, onError) {
        if (!identity.isSeq(seq))
            onError('Expected a sequence for this tag');
        return seq;
    },
    createNode: (schema, obj, ctx) => YAMLSeq.YAMLSeq.from(schema, obj, ctx)
};

exports.seq = seq;


/***/ }),

/***/ 6464:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyString = __nccwpck_require__(3069);

const string = {
    identify: value => typeof value === 'string',
    default: true,
    tag: 'tag:yaml.org,2002:str',
    resolve: str => str,
    stringify(item, ctx, onComment, onChompKeep) {
        ctx = Object.assign({ actualString: true }, ctx);
        return stringifyString.stringifyString(item, ctx, onComment, onChompKeep);
    }
};

exports.string = string;


/***/ }),

/***/ 3959:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

const boolTag = {
    identify: value => typeof value === 'boolean',
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
    resolve: str => new Scalar.Scalar(str[0] === 't' || str[0] === 'T'),
    stringify({ source, value }, ctx) {
        if (source && boolTag.test.test(source)) {
            const sv = source[0] === 't' || source[0] === 'T';
            if (value === sv)
                return source;
        }
        return value ? ctx.options.trueStr : ctx.options.falseStr;
    }
};

exports.boolTag = boolTag;


/***/ }),

/***/ 8405:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var stringifyNumber = __nccwpck_require__(8689);

const floatNaN = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    resolve: str => str.slice(-3).toLowerCase() === 'nan'
        ? NaN
        : str[0] === '-'
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY,
    stringify: stringifyNumber.stringifyNumber
};
const floatExp = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'EXP',
    test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
    resolve: str => parseFloat(str),
    stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
    }
};
const float = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
    resolve(str) {
        const node = new Scalar.Scalar(parseFloat(str));
        const dot = str.indexOf('.');
        if (dot !== -1 && str[str.length - 1] === '0')
            node.minFractionDigits = str.length - dot - 1;
        return node;
    },
    stringify: stringifyNumber.stringifyNumber
};

exports.float = float;
exports.floatExp = floatExp;
exports.floatNaN = floatNaN;


/***/ }),

/***/ 9874:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(8689);

const intIdentify = (value) => typeof value === 'bigint' || Number.isInteger(value);
const intResolve = (str, offset, radix, { intAsBigInt }) => (intAsBigInt ? BigInt(str) : parseInt(str.substring(offset), radix));
function intStringify(node, radix, prefix) {
    const { value } = node;
    if (intIdentify(value) && value >= 0)
        return prefix + value.toString(radix);
    return stringifyNumber.stringifyNumber(node);
}
const intOct = {
    identify: value => intIdentify(value) && value >= 0,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'OCT',
    test: /^0o[0-7]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 8, opt),
    stringify: node => intStringify(node, 8, '0o')
};
const int = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    test: /^[-+]?[0-9]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
    stringify: stringifyNumber.stringifyNumber
};
const intHex = {
    identify: value => intIdentify(value) && value >= 0,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'HEX',
    test: /^0x[0-9a-fA-F]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
    stringify: node => intStringify(node, 16, '0x')
};

exports.int = int;
exports.intHex = intHex;
exports.intOct = intOct;


/***/ }),

/***/ 896:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(7451);
var _null = __nccwpck_require__(3632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var bool = __nccwpck_require__(3959);
var float = __nccwpck_require__(8405);
var int = __nccwpck_require__(9874);

const schema = [
    map.map,
    seq.seq,
    string.string,
    _null.nullTag,
    bool.boolTag,
    int.intOct,
    int.int,
    int.intHex,
    float.floatNaN,
    float.floatExp,
    float.float
];

exports.schema = schema;


/***/ }),

/***/ 3559:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var map = __nccwpck_require__(7451);
var seq = __nccwpck_require__(1706);

function intIdentify(value) {
    return typeof value === 'bigint' || Number.isInteger(value);
}
const stringifyJSON = ({ value }) => JSON.stringify(value);
const jsonScalars = [
    {
        identify: value => typeof value === 'string',
        default: true,
        tag: 'tag:yaml.org,2002:str',
        resolve: str => str,
        stringify: stringifyJSON
    },
    {
        identify: value => value == null,
        createNode: () => new Scalar.Scalar(null),
        default: true,
        tag: 'tag:yaml.org,2002:null',
        test: /^null$/,
        resolve: () => null,
        stringify: stringifyJSON
    },
    {
        identify: value => typeof value === 'boolean',
        default: true,
        tag: 'tag:yaml.org,2002:bool',
        test: /^true$|^false$/,
        resolve: str => str === 'true',
        stringify: stringifyJSON
    },
    {
        identify: intIdentify,
        default: true,
        tag: 'tag:yaml.org,2002:int',
        test: /^-?(?:0|[1-9][0-9]*)$/,
        resolve: (str, _onError, { intAsBigInt }) => intAsBigInt ? BigInt(str) : parseInt(str, 10),
        stringify: ({ value }) => intIdentify(value) ? value.toString() : JSON.stringify(value)
    },
    {
        identify: value => typeof value === 'number',
        default: true,
        tag: 'tag:yaml.org,2002:float',
        test: /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$/,
        resolve: str => parseFloat(str),
        stringify: stringifyJSON
    }
];
const jsonError = {
    default: true,
    tag: '',
    test: /^/,
    resolve(str, onError) {
        onError(`Unresolved plain scalar ${JSON.stringify(str)}`);
        return str;
    }
};
const schema = [map.map, seq.seq].concat(jsonScalars, jsonError);

exports.schema = schema;


/***/ }),

/***/ 18:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(7451);
var _null = __nccwpck_require__(3632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var bool = __nccwpck_require__(3959);
var float = __nccwpck_require__(8405);
var int = __nccwpck_require__(9874);
var schema = __nccwpck_require__(896);
var schema$1 = __nccwpck_require__(3559);
var binary = __nccwpck_require__(6083);
var merge = __nccwpck_require__(452);
var omap = __nccwpck_require__(303);
var pairs = __nccwpck_require__(8385);
var schema$2 = __nccwpck_require__(5913);
var set = __nccwpck_require__(1528);
var timestamp = __nccwpck_require__(6752);

const schemas = new Map([
    ['core', schema.schema],
    ['failsafe', [map.map, seq.seq, string.string]],
    ['json', schema$1.schema],
    ['yaml11', schema$2.schema],
    ['yaml-1.1', schema$2.schema]
]);
const tagsByName = {
    binary: binary.binary,
    bool: bool.boolTag,
    float: float.float,
    floatExp: float.floatExp,
    floatNaN: float.floatNaN,
    floatTime: timestamp.floatTime,
    int: int.int,
    intHex: int.intHex,
    intOct: int.intOct,
    intTime: timestamp.intTime,
    map: map.map,
    merge: merge.merge,
    null: _null.nullTag,
    omap: omap.omap,
    pairs: pairs.pairs,
    seq: seq.seq,
    set: set.set,
    timestamp: timestamp.timestamp
};
const coreKnownTags = {
    'tag:yaml.org,2002:binary': binary.binary,
    'tag:yaml.org,2002:merge': merge.merge,
    'tag:yaml.org,2002:omap': omap.omap,
    'tag:yaml.org,2002:pairs': pairs.pairs,
    'tag:yaml.org,2002:set': set.set,
    'tag:yaml.org,2002:timestamp': timestamp.timestamp
};
function getTags(customTags, schemaName, addMergeTag) {
    const schemaTags = schemas.get(schemaName);
    if (schemaTags && !customTags) {
        return addMergeTag && !schemaTags.includes(merge.merge)
            ? schemaTags.concat(merge.merge)
            : schemaTags.slice();
    }
    let tags = schemaTags;
    if (!tags) {
        if (Array.isArray(customTags))
            tags = [];
        else {
            const keys = Array.from(schemas.keys())
                .filter(key => key !== 'yaml11')
                .map(key => JSON.stringify(key))
                .join(', ');
            throw new Error(`Unknown schema "${schemaName}"; use one of ${keys} or define customTags array`);
        }
    }
    if (Array.isArray(customTags)) {
        for (const tag of customTags)
            tags = tags.concat(tag);
    }
    else if (typeof customTags === 'function') {
        tags = customTags(tags.slice());
    }
    if (addMergeTag)
        tags = tags.concat(merge.merge);
    return tags.reduce((tags, tag) => {
        const tagObj = typeof tag === 'string' ? tagsByName[tag] : tag;
        if (!tagObj) {
            const tagName = JSON.stringify(tag);
            const keys = Object.keys(tagsByName)
                .map(key => JSON.stringify(key))
                .join(', ');
            throw new Error(`Unknown custom tag ${tagName}; use one of ${keys}`);
        }
        if (!tags.includes(tagObj))
            tags.push(tagObj);
        return tags;
    }, []);
}

exports.coreKnownTags = coreKnownTags;
exports.getTags = getTags;


/***/ }),

/***/ 6083:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_buffer = __nccwpck_require__(181);
var Scalar = __nccwpck_require__(3301);
var stringifyString = __nccwpck_require__(3069);

const binary = {
    identify: value => value instanceof Uint8Array, // Buffer inherits from Uint8Array
    default: false,
    tag: 'tag:yaml.org,2002:binary',
    /**
     * Returns a Buffer in node and an Uint8Array in browsers
     *
     * To use the resulting buffer as an image, you'll want to do something like:
     *
     *   const blob = new Blob([buffer], { type: 'image/jpeg' })
     *   document.querySelector('#photo').src = URL.createObjectURL(blob)
     */
    resolve(src, onError) {
        if (typeof node_buffer.Buffer === 'function') {
            return node_buffer.Buffer.from(src, 'base64');
        }
        else if (typeof atob === 'function') {
            // On IE 11, atob() can't handle newlines
            const str = atob(src.replace(/[\n\r]/g, ''));
            const buffer = new Uint8Array(str.length);
            for (let i = 0; i < str.length; ++i)
                buffer[i] = str.charCodeAt(i);
            return buffer;
        }
        else {
            onError('This environment does not support reading binary tags; either Buffer or atob is required');
            return src;
        }
    },
    stringify({ comment, type, value }, ctx, onComment, onChompKeep) {
        if (!value)
            return '';
        const buf = value; // checked earlier by binary.identify()
        let str;
        if (typeof node_buffer.Buffer === 'function') {
            str =
                buf instanceof node_buffer.Buffer
                    ? buf.toString('base64')
                    : node_buffer.Buffer.from(buf.buffer).toString('base64');
        }
        else if (typeof btoa === 'function') {
            let s = '';
            for (let i = 0; i < buf.length; ++i)
                s += String.fromCharCode(buf[i]);
            str = btoa(s);
        }
        else {
            throw new Error('This environment does not support writing binary tags; either Buffer or btoa is required');
        }
        type ?? (type = Scalar.Scalar.BLOCK_LITERAL);
        if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
            const lineWidth = Math.max(ctx.options.lineWidth - ctx.indent.length, ctx.options.minContentWidth);
            const n = Math.ceil(str.length / lineWidth);
            const lines = new Array(n);
            for (let i = 0, o = 0; i < n; ++i, o += lineWidth) {
                lines[i] = str.substr(o, lineWidth);
            }
            str = lines.join(type === Scalar.Scalar.BLOCK_LITERAL ? '\n' : ' ');
        }
        return stringifyString.stringifyString({ comment, type, value: str }, ctx, onComment, onChompKeep);
    }
};

exports.binary = binary;


/***/ }),

/***/ 8398:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

function boolStringify({ value, source }, ctx) {
    const boolObj = value ? trueTag : falseTag;
    if (source && boolObj.test.test(source))
        return source;
    return value ? ctx.options.trueStr : ctx.options.falseStr;
}
const trueTag = {
    identify: value => value === true,
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
    resolve: () => new Scalar.Scalar(true),
    stringify: boolStringify
};
const falseTag = {
    identify: value => value === false,
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
    resolve: () => new Scalar.Scalar(false),
    stringify: boolStringify
};

exports.falseTag = falseTag;
exports.trueTag = trueTag;


/***/ }),

/***/ 5782:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var stringifyNumber = __nccwpck_require__(8689);

const floatNaN = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    resolve: (str) => str.slice(-3).toLowerCase() === 'nan'
        ? NaN
        : str[0] === '-'
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY,
    stringify: stringifyNumber.stringifyNumber
};
const floatExp = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'EXP',
    test: /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
    resolve: (str) => parseFloat(str.replace(/_/g, '')),
    stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
    }
};
const float = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
    resolve(str) {
        const node = new Scalar.Scalar(parseFloat(str.replace(/_/g, '')));
        const dot = str.indexOf('.');
        if (dot !== -1) {
            const f = str.substring(dot + 1).replace(/_/g, '');
            if (f[f.length - 1] === '0')
                node.minFractionDigits = f.length;
        }
        return node;
    },
    stringify: stringifyNumber.stringifyNumber
};

exports.float = float;
exports.floatExp = floatExp;
exports.floatNaN = floatNaN;


/***/ }),

/***/ 873:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(8689);

const intIdentify = (value) => typeof value === 'bigint' || Number.isInteger(value);
function intResolve(str, offset, radix, { intAsBigInt }) {
    const sign = str[0];
    if (sign === '-' || sign === '+')
        offset += 1;
    str = str.substring(offset).replace(/_/g, '');
    if (intAsBigInt) {
        switch (radix) {
            case 2:
                str = `0b${str}`;
                break;
            case 8:
                str = `0o${str}`;
                break;
            case 16:
                str = `0x${str}`;
                break;
        }
        const n = BigInt(str);
        return sign === '-' ? BigInt(-1) * n : n;
    }
    const n = parseInt(str, radix);
    return sign === '-' ? -1 * n : n;
}
function intStringify(node, radix, prefix) {
    const { value } = node;
    if (intIdentify(value)) {
        const str = value.toString(radix);
        return value < 0 ? '-' + prefix + str.substr(1) : prefix + str;
    }
    return stringifyNumber.stringifyNumber(node);
}
const intBin = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'BIN',
    test: /^[-+]?0b[0-1_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 2, opt),
    stringify: node => intStringify(node, 2, '0b')
};
const intOct = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'OCT',
    test: /^[-+]?0[0-7_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 1, 8, opt),
    stringify: node => intStringify(node, 8, '0')
};
const int = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    test: /^[-+]?[0-9][0-9_]*$/,
    resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
    stringify: stringifyNumber.stringifyNumber
};
const intHex = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'HEX',
    test: /^[-+]?0x[0-9a-fA-F_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
    stringify: node => intStringify(node, 16, '0x')
};

exports.int = int;
exports.intBin = intBin;
exports.intHex = intHex;
exports.intOct = intOct;


/***/ }),

/***/ 452:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);

// If the value associated with a merge key is a single mapping node, each of
// its key/value pairs is inserted into the current mapping, unless the key
// already exists in it. If the value associated with the merge key is a
// sequence, then this sequence is expected to contain mapping nodes and each
// of these nodes is merged in turn according to its order in the sequence.
// Keys in mapping nodes earlier in the sequence override keys specified in
// later mapping nodes. -- http://yaml.org/type/merge.html
const MERGE_KEY = '<<';
const merge = {
    identify: value => value === MERGE_KEY ||
        (typeof value === 'symbol' && value.description === MERGE_KEY),
    default: 'key',
    tag: 'tag:yaml.org,2002:merge',
    test: /^<<$/,
    resolve: () => Object.assign(new Scalar.Scalar(Symbol(MERGE_KEY)), {
        addToJSMap: addMergeToJSMap
    }),
    stringify: () => MERGE_KEY
};
const isMergeKey = (ctx, key) => (merge.identify(key) ||
    (identity.isScalar(key) &&
        (!key.type || key.type === Scalar.Scalar.PLAIN) &&
        merge.identify(key.value))) &&
    ctx?.doc.schema.tags.some(tag => tag.tag === merge.tag && tag.default);
function addMergeToJSMap(ctx, map, value) {
    const source = resolveAliasValue(ctx, value);
    if (identity.isSeq(source))
        for (const it of source.items)
            mergeValue(ctx, map, it);
    else if (Array.isArray(source))
        for (const it of source)
            mergeValue(ctx, map, it);
    else
        mergeValue(ctx, map, source);
}
function mergeValue(ctx, map, value) {
    const source = resolveAliasValue(ctx, value);
    if (!identity.isMap(source))
        throw new Error('Merge sources must be maps or map aliases');
    const srcMap = source.toJSON(null, ctx, Map);
    for (const [key, value] of srcMap) {
        if (map instanceof Map) {
            if (!map.has(key))
                map.set(key, value);
        }
        else if (map instanceof Set) {
            map.add(key);
        }
        else if (!Object.prototype.hasOwnProperty.call(map, key)) {
            Object.defineProperty(map, key, {
                value,
                writable: true,
                enumerable: true,
                configurable: true
            });
        }
    }
    return map;
}
function resolveAliasValue(ctx, value) {
    return ctx && identity.isAlias(value) ? value.resolve(ctx.doc, ctx) : value;
}

exports.addMergeToJSMap = addMergeToJSMap;
exports.isMergeKey = isMergeKey;
exports.merge = merge;


/***/ }),

/***/ 303:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var toJS = __nccwpck_require__(4043);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var pairs = __nccwpck_require__(8385);

class YAMLOMap extends YAMLSeq.YAMLSeq {
    constructor() {
        super();
        this.add = YAMLMap.YAMLMap.prototype.add.bind(this);
        this.delete = YAMLMap.YAMLMap.prototype.delete.bind(this);
        this.get = YAMLMap.YAMLMap.prototype.get.bind(this);
        this.has = YAMLMap.YAMLMap.prototype.has.bind(this);
        this.set = YAMLMap.YAMLMap.prototype.set.bind(this);
        this.tag = YAMLOMap.tag;
    }
    /**
     * If `ctx` is given, the return type is actually `Map<unknown, unknown>`,
     * but TypeScript won't allow widening the signature of a child method.
     */
    toJSON(_, ctx) {
        if (!ctx)
            return super.toJSON(_);
        const map = new Map();
        if (ctx?.onCreate)
            ctx.onCreate(map);
        for (const pair of this.items) {
            let key, value;
            if (identity.isPair(pair)) {
                key = toJS.toJS(pair.key, '', ctx);
                value = toJS.toJS(pair.value, key, ctx);
            }
            else {
                key = toJS.toJS(pair, '', ctx);
            }
            if (map.has(key))
                throw new Error('Ordered maps must not include duplicate keys');
            map.set(key, value);
        }
        return map;
    }
    static from(schema, iterable, ctx) {
        const pairs$1 = pairs.createPairs(schema, iterable, ctx);
        const omap = new this();
        omap.items = pairs$1.items;
        return omap;
    }
}
YAMLOMap.tag = 'tag:yaml.org,2002:omap';
const omap = {
    collection: 'seq',
    identify: value => value instanceof Map,
    nodeClass: YAMLOMap,
    default: false,
    tag: 'tag:yaml.org,2002:omap',
    resolve(seq, onError) {
        const pairs$1 = pairs.resolvePairs(seq, onError);
        const seenKeys = [];
        for (const { key } of pairs$1.items) {
            if (identity.isScalar(key)) {
                if (seenKeys.includes(key.value)) {
                    onError(`Ordered maps must not include duplicate keys: ${key.value}`);
                }
                else {
                    seenKeys.push(key.value);
                }
            }
        }
        return Object.assign(new YAMLOMap(), pairs$1);
    },
    createNode: (schema, iterable, ctx) => YAMLOMap.from(schema, iterable, ctx)
};

exports.YAMLOMap = YAMLOMap;
exports.omap = omap;


/***/ }),

/***/ 8385:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var Scalar = __nccwpck_require__(3301);
var YAMLSeq = __nccwpck_require__(2223);

function resolvePairs(seq, onError) {
    if (identity.isSeq(seq)) {
        for (let i = 0; i < seq.items.length; ++i) {
            let item = seq.items[i];
            if (identity.isPair(item))
                continue;
            else if (identity.isMap(item)) {
                if (item.items.length > 1)
                    onError('Each pair must have its own sequence indicator');
                const pair = item.items[0] || new Pair.Pair(new Scalar.Scalar(null));
                if (item.commentBefore)
                    pair.key.commentBefore = pair.key.commentBefore
                        ? `${item.commentBefore}\n${pair.key.commentBefore}`
                        : item.commentBefore;
                if (item.comment) {
                    const cn = pair.value ?? pair.key;
                    cn.comment = cn.comment
                        ? `${item.comment}\n${cn.comment}`
                        : item.comment;
                }
                item = pair;
            }
            seq.items[i] = identity.isPair(item) ? item : new Pair.Pair(item);
        }
    }
    else
        onError('Expected a sequence for this tag');
    return seq;
}
function createPairs(schema, iterable, ctx) {
    const { replacer } = ctx;
    const pairs = new YAMLSeq.YAMLSeq(schema);
    pairs.tag = 'tag:yaml.org,2002:pairs';
    let i = 0;
    if (iterable && Symbol.iterator in Object(iterable))
        for (let it of iterable) {
            if (typeof replacer === 'function')
                it = replacer.call(iterable, String(i++), it);
            let key, value;
            if (Array.isArray(it)) {
                if (it.length === 2) {
                    key = it[0];
                    value = it[1];
                }
                else
                    throw new TypeError(`Expected [key, value] tuple: ${it}`);
            }
            else if (it && it instanceof Object) {
                const keys = Object.keys(it);
                if (keys.length === 1) {
                    key = keys[0];
                    value = it[key];
                }
                else {
                    throw new TypeError(`Expected tuple with one key, not ${keys.length} keys`);
                }
            }
            else {
                key = it;
            }
            pairs.items.push(Pair.createPair(key, value, ctx));
        }
    return pairs;
}
const pairs = {
    collection: 'seq',
    default: false,
    tag: 'tag:yaml.org,2002:pairs',
    resolve: resolvePairs,
    createNode: createPairs
};

exports.createPairs = createPairs;
exports.pairs = pairs;
exports.resolvePairs = resolvePairs;


/***/ }),

/***/ 5913:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(7451);
var _null = __nccwpck_require__(3632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var binary = __nccwpck_require__(6083);
var bool = __nccwpck_require__(8398);
var float = __nccwpck_require__(5782);
var int = __nccwpck_require__(873);
var merge = __nccwpck_require__(452);
var omap = __nccwpck_require__(303);
var pairs = __nccwpck_require__(8385);
var set = __nccwpck_require__(1528);
var timestamp = __nccwpck_require__(6752);

const schema = [
    map.map,
    seq.seq,
    string.string,
    _null.nullTag,
    bool.trueTag,
    bool.falseTag,
    int.intBin,
    int.intOct,
    int.int,
    int.intHex,
    float.floatNaN,
    float.floatExp,
    float.float,
    binary.binary,
    merge.merge,
    omap.omap,
    pairs.pairs,
    set.set,
    timestamp.intTime,
    timestamp.floatTime,
    timestamp.timestamp
];

exports.schema = schema;


/***/ }),

/***/ 1528:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var YAMLMap = __nccwpck_require__(4454);

class YAMLSet extends YAMLMap.YAMLMap {
    constructor(schema) {
        super(schema);
        this.tag = YAMLSet.tag;
    }
    add(key) {
        let pair;
        if (identity.isPair(key))
            pair = key;
        else if (key &&
            typeof key === 'object' &&
            'key' in key &&
            'value' in key &&
            key.value === null)
            pair = new Pair.Pair(key.key, null);
        else
            pair = new Pair.Pair(key, null);
        const prev = YAMLMap.findPair(this.items, pair.key);
        if (!prev)
            this.items.push(pair);
    }
    /**
     * If `keepPair` is `true`, returns the Pair matching `key`.
     * Otherwise, returns the value of that Pair's key.
     */
    get(key, keepPair) {
        const pair = YAMLMap.findPair(this.items, key);
        return !keepPair && identity.isPair(pair)
            ? identity.isScalar(pair.key)
                ? pair.key.value
                : pair.key
            : pair;
    }
    set(key, value) {
        if (typeof value !== 'boolean')
            throw new Error(`Expected boolean value for set(key, value) in a YAML set, not ${typeof value}`);
        const prev = YAMLMap.findPair(this.items, key);
        if (prev && !value) {
            this.items.splice(this.items.indexOf(prev), 1);
        }
        else if (!prev && value) {
            this.items.push(new Pair.Pair(key));
        }
    }
    toJSON(_, ctx) {
        return super.toJSON(_, ctx, Set);
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        if (this.hasAllNullValues(true))
            return super.toString(Object.assign({}, ctx, { allNullValues: true }), onComment, onChompKeep);
        else
            throw new Error('Set items must all have null values');
    }
    static from(schema, iterable, ctx) {
        const { replacer } = ctx;
        const set = new this(schema);
        if (iterable && Symbol.iterator in Object(iterable))
            for (let value of iterable) {
                if (typeof replacer === 'function')
                    value = replacer.call(iterable, value, value);
                set.items.push(Pair.createPair(value, null, ctx));
            }
        return set;
    }
}
YAMLSet.tag = 'tag:yaml.org,2002:set';
const set = {
    collection: 'map',
    identify: value => value instanceof Set,
    nodeClass: YAMLSet,
    default: false,
    tag: 'tag:yaml.org,2002:set',
    createNode: (schema, iterable, ctx) => YAMLSet.from(schema, iterable, ctx),
    resolve(map, onError) {
        if (identity.isMap(map)) {
            if (map.hasAllNullValues(true))
                return Object.assign(new YAMLSet(), map);
            else
                onError('Set items must all have null values');
        }
        else
            onError('Expected a mapping for this tag');
        return map;
    }
};

exports.YAMLSet = YAMLSet;
exports.set = set;


/***/ }),

/***/ 6752:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(8689);

/** Internal types handle bigint as number, because TS can't figure it out. */
function parseSexagesimal(str, asBigInt) {
    const sign = str[0];
    const parts = sign === '-' || sign === '+' ? str.substring(1) : str;
    const num = (n) => asBigInt ? BigInt(n) : Number(n);
    const res = parts
        .replace(/_/g, '')
        .split(':')
        .reduce((res, p) => res * num(60) + num(p), num(0));
    return (sign === '-' ? num(-1) * res : res);
}
/**
 * hhhh:mm:ss.sss
 *
 * Internal types handle bigint as number, because TS can't figure it out.
 */
function stringifySexagesimal(node) {
    let { value } = node;
    let num = (n) => n;
    if (typeof value === 'bigint')
        num = n => BigInt(n);
    else if (isNaN(value) || !isFinite(value))
        return stringifyNumber.stringifyNumber(node);
    let sign = '';
    if (value < 0) {
        sign = '-';
        value *= num(-1);
    }
    const _60 = num(60);
    const parts = [value % _60]; // seconds, including ms
    if (value < 60) {
        parts.unshift(0); // at least one : is required
    }
    else {
        value = (value - parts[0]) / _60;
        parts.unshift(value % _60); // minutes
        if (value >= 60) {
            value = (value - parts[0]) / _60;
            parts.unshift(value); // hours
        }
    }
    return (sign +
        parts
            .map(n => String(n).padStart(2, '0'))
            .join(':')
            .replace(/000000\d*$/, '') // % 60 may introduce error
    );
}
const intTime = {
    identify: value => typeof value === 'bigint' || Number.isInteger(value),
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'TIME',
    test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
    resolve: (str, _onError, { intAsBigInt }) => parseSexagesimal(str, intAsBigInt),
    stringify: stringifySexagesimal
};
const floatTime = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'TIME',
    test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
    resolve: str => parseSexagesimal(str, false),
    stringify: stringifySexagesimal
};
const timestamp = {
    identify: value => value instanceof Date,
    default: true,
    tag: 'tag:yaml.org,2002:timestamp',
    // If the time zone is omitted, the timestamp is assumed to be specified in UTC. The time part
    // may be omitted altogether, resulting in a date format. In such a case, the time part is
    // assumed to be 00:00:00Z (start of day, UTC).
    test: RegExp('^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})' + // YYYY-Mm-Dd
        '(?:' + // time is optional
        '(?:t|T|[ \\t]+)' + // t | T | whitespace
        '([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\\.[0-9]+)?)' + // Hh:Mm:Ss(.ss)?
        '(?:[ \\t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?' + // Z | +5 | -03:30
        ')?$'),
    resolve(str) {
        const match = str.match(timestamp.test);
        if (!match)
            throw new Error('!!timestamp expects a date, starting with yyyy-mm-dd');
        const [, year, month, day, hour, minute, second] = match.map(Number);
        const millisec = match[7] ? Number((match[7] + '00').substr(1, 3)) : 0;
        let date = Date.UTC(year, month - 1, day, hour || 0, minute || 0, second || 0, millisec);
        const tz = match[8];
        if (tz && tz !== 'Z') {
            let d = parseSexagesimal(tz, false);
            if (Math.abs(d) < 30)
                d *= 60;
            date -= 60000 * d;
        }
        return new Date(date);
    },
    stringify: ({ value }) => value?.toISOString().replace(/(T00:00:00)?\.000Z$/, '') ?? ''
};

exports.floatTime = floatTime;
exports.intTime = intTime;
exports.timestamp = timestamp;


/***/ }),

/***/ 4475:
/***/ ((__unused_webpack_module, exports) => {



const FOLD_FLOW = 'flow';
const FOLD_BLOCK = 'block';
const FOLD_QUOTED = 'quoted';
/**
 * Tries to keep input at up to `lineWidth` characters, splitting only on spaces
 * not followed by newlines or spaces unless `mode` is `'quoted'`. Lines are
 * terminated with `\n` and started with `indent`.
 */
function foldFlowLines(text, indent, mode = 'flow', { indentAtStart, lineWidth = 80, minContentWidth = 20, onFold, onOverflow } = {}) {
    if (!lineWidth || lineWidth < 0)
        return text;
    if (lineWidth < minContentWidth)
        minContentWidth = 0;
    const endStep = Math.max(1 + minContentWidth, 1 + lineWidth - indent.length);
    if (text.length <= endStep)
        return text;
    const folds = [];
    const escapedFolds = {};
    let end = lineWidth - indent.length;
    if (typeof indentAtStart === 'number') {
        if (indentAtStart > lineWidth - Math.max(2, minContentWidth))
            folds.push(0);
        else
            end = lineWidth - indentAtStart;
    }
    let split = undefined;
    let prev = undefined;
    let overflow = false;
    let i = -1;
    let escStart = -1;
    let escEnd = -1;
    if (mode === FOLD_BLOCK) {
        i = consumeMoreIndentedLines(text, i, indent.length);
        if (i !== -1)
            end = i + endStep;
    }
    for (let ch; (ch = text[(i += 1)]);) {
        if (mode === FOLD_QUOTED && ch === '\\') {
            escStart = i;
            switch (text[i + 1]) {
                case 'x':
                    i += 3;
                    break;
                case 'u':
                    i += 5;
                    break;
                case 'U':
                    i += 9;
                    break;
                default:
                    i += 1;
            }
            escEnd = i;
        }
        if (ch === '\n') {
            if (mode === FOLD_BLOCK)
                i = consumeMoreIndentedLines(text, i, indent.length);
            end = i + indent.length + endStep;
            split = undefined;
        }
        else {
            if (ch === ' ' &&
                prev &&
                prev !== ' ' &&
                prev !== '\n' &&
                prev !== '\t') {
                // space surrounded by non-space can be replaced with newline + indent
                const next = text[i + 1];
                if (next && next !== ' ' && next !== '\n' && next !== '\t')
                    split = i;
            }
            if (i >= end) {
                if (split) {
                    folds.push(split);
                    end = split + endStep;
                    split = undefined;
                }
                else if (mode === FOLD_QUOTED) {
                    // white-space collected at end may stretch past lineWidth
                    while (prev === ' ' || prev === '\t') {
                        prev = ch;
                        ch = text[(i += 1)];
                        overflow = true;
                    }
                    // Account for newline escape, but don't break preceding escape
                    const j = i > escEnd + 1 ? i - 2 : escStart - 1;
                    // Bail out if lineWidth & minContentWidth are shorter than an escape string
                    if (escapedFolds[j])
                        return text;
                    folds.push(j);
                    escapedFolds[j] = true;
                    end = j + endStep;
                    split = undefined;
                }
                else {
                    overflow = true;
                }
            }
        }
        prev = ch;
    }
    if (overflow && onOverflow)
        onOverflow();
    if (folds.length === 0)
        return text;
    if (onFold)
        onFold();
    let res = text.slice(0, folds[0]);
    for (let i = 0; i < folds.length; ++i) {
        const fold = folds[i];
        const end = folds[i + 1] || text.length;
        if (fold === 0)
            res = `\n${indent}${text.slice(0, end)}`;
        else {
            if (mode === FOLD_QUOTED && escapedFolds[fold])
                res += `${text[fold]}\\`;
            res += `\n${indent}${text.slice(fold + 1, end)}`;
        }
    }
    return res;
}
/**
 * Presumes `i + 1` is at the start of a line
 * @returns index of last newline in more-indented block
 */
function consumeMoreIndentedLines(text, i, indent) {
    let end = i;
    let start = i + 1;
    let ch = text[start];
    while (ch === ' ' || ch === '\t') {
        if (i < start + indent) {
            ch = text[++i];
        }
        else {
            do {
                ch = text[++i];
            } while (ch && ch !== '\n');
            end = i;
            start = i + 1;
            ch = text[start];
        }
    }
    return end;
}

exports.FOLD_BLOCK = FOLD_BLOCK;
exports.FOLD_FLOW = FOLD_FLOW;
exports.FOLD_QUOTED = FOLD_QUOTED;
exports.foldFlowLines = foldFlowLines;


/***/ }),

/***/ 2148:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var anchors = __nccwpck_require__(1596);
var identity = __nccwpck_require__(1127);
var stringifyComment = __nccwpck_require__(9799);
var stringifyString = __nccwpck_require__(3069);

function createStringifyContext(doc, options) {
    const opt = Object.assign({
        blockQuote: true,
        commentString: stringifyComment.stringifyComment,
        defaultKeyType: null,
        defaultStringType: 'PLAIN',
        directives: null,
        doubleQuotedAsJSON: false,
        doubleQuotedMinMultiLineLength: 40,
        falseStr: 'false',
        flowCollectionPadding: true,
        indentSeq: true,
        lineWidth: 80,
        minContentWidth: 20,
        nullStr: 'null',
        simpleKeys: false,
        singleQuote: null,
        trailingComma: false,
        trueStr: 'true',
        verifyAliasOrder: true
    }, doc.schema.toStringOptions, options);
    let inFlow;
    switch (opt.collectionStyle) {
        case 'block':
            inFlow = false;
            break;
        case 'flow':
            inFlow = true;
            break;
        default:
            inFlow = null;
    }
    return {
        anchors: new Set(),
        doc,
        flowCollectionPadding: opt.flowCollectionPadding ? ' ' : '',
        indent: '',
        indentStep: typeof opt.indent === 'number' ? ' '.repeat(opt.indent) : '  ',
        inFlow,
        options: opt
    };
}
function getTagObject(tags, item) {
    if (item.tag) {
        const match = tags.filter(t => t.tag === item.tag);
        if (match.length > 0)
            return match.find(t => t.format === item.format) ?? match[0];
    }
    let tagObj = undefined;
    let obj;
    if (identity.isScalar(item)) {
        obj = item.value;
        let match = tags.filter(t => t.identify?.(obj));
        if (match.length > 1) {
            const testMatch = match.filter(t => t.test);
            if (testMatch.length > 0)
                match = testMatch;
        }
        tagObj =
            match.find(t => t.format === item.format) ?? match.find(t => !t.format);
    }
    else {
        obj = item;
        tagObj = tags.find(t => t.nodeClass && obj instanceof t.nodeClass);
    }
    if (!tagObj) {
        const name = obj?.constructor?.name ?? (obj === null ? 'null' : typeof obj);
        throw new Error(`Tag not resolved for ${name} value`);
    }
    return tagObj;
}
// needs to be called before value stringifier to allow for circular anchor refs
function stringifyProps(node, tagObj, { anchors: anchors$1, doc }) {
    if (!doc.directives)
        return '';
    const props = [];
    const anchor = (identity.isScalar(node) || identity.isCollection(node)) && node.anchor;
    if (anchor && anchors.anchorIsValid(anchor)) {
        anchors$1.add(anchor);
        props.push(`&${anchor}`);
    }
    const tag = node.tag ?? (tagObj.default ? null : tagObj.tag);
    if (tag)
        props.push(doc.directives.tagString(tag));
    return props.join(' ');
}
function stringify(item, ctx, onComment, onChompKeep) {
    if (identity.isPair(item))
        return item.toString(ctx, onComment, onChompKeep);
    if (identity.isAlias(item)) {
        if (ctx.doc.directives)
            return item.toString(ctx);
        if (ctx.resolvedAliases?.has(item)) {
            throw new TypeError(`Cannot stringify circular structure without alias nodes`);
        }
        else {
            if (ctx.resolvedAliases)
                ctx.resolvedAliases.add(item);
            else
                ctx.resolvedAliases = new Set([item]);
            item = item.resolve(ctx.doc);
        }
    }
    let tagObj = undefined;
    const node = identity.isNode(item)
        ? item
        : ctx.doc.createNode(item, { onTagObj: o => (tagObj = o) });
    tagObj ?? (tagObj = getTagObject(ctx.doc.schema.tags, node));
    const props = stringifyProps(node, tagObj, ctx);
    if (props.length > 0)
        ctx.indentAtStart = (ctx.indentAtStart ?? 0) + props.length + 1;
    const str = typeof tagObj.stringify === 'function'
        ? tagObj.stringify(node, ctx, onComment, onChompKeep)
        : identity.isScalar(node)
            ? stringifyString.stringifyString(node, ctx, onComment, onChompKeep)
            : node.toString(ctx, onComment, onChompKeep);
    if (!props)
        return str;
    return identity.isScalar(node) || str[0] === '{' || str[0] === '['
        ? `${props} ${str}`
        : `${props}\n${ctx.indent}${str}`;
}

exports.createStringifyContext = createStringifyContext;
exports.stringify = stringify;


/***/ }),

/***/ 1212:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(9799);

function stringifyCollection(collection, ctx, options) {
    const flow = ctx.inFlow ?? collection.flow;
    const stringify = flow ? stringifyFlowCollection : stringifyBlockCollection;
    return stringify(collection, ctx, options);
}
function stringifyBlockCollection({ comment, items }, ctx, { blockItemPrefix, flowChars, itemIndent, onChompKeep, onComment }) {
    const { indent, options: { commentString } } = ctx;
    const itemCtx = Object.assign({}, ctx, { indent: itemIndent, type: null });
    let chompKeep = false; // flag for the preceding node's status
    const lines = [];
    for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment = null;
        if (identity.isNode(item)) {
            if (!chompKeep && item.spaceBefore)
                lines.push('');
            addCommentBefore(ctx, lines, item.commentBefore, chompKeep);
            if (item.comment)
                comment = item.comment;
        }
        else if (identity.isPair(item)) {
            const ik = identity.isNode(item.key) ? item.key : null;
            if (ik) {
                if (!chompKeep && ik.spaceBefore)
                    lines.push('');
                addCommentBefore(ctx, lines, ik.commentBefore, chompKeep);
            }
        }
        chompKeep = false;
        let str = stringify.stringify(item, itemCtx, () => (comment = null), () => (chompKeep = true));
        if (comment)
            str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
        if (chompKeep && comment)
            chompKeep = false;
        lines.push(blockItemPrefix + str);
    }
    let str;
    if (lines.length === 0) {
        str = flowChars.start + flowChars.end;
    }
    else {
        str = lines[0];
        for (let i = 1; i < lines.length; ++i) {
            const line = lines[i];
            str += line ? `\n${indent}${line}` : '\n';
        }
    }
    if (comment) {
        str += '\n' + stringifyComment.indentComment(commentString(comment), indent);
        if (onComment)
            onComment();
    }
    else if (chompKeep && onChompKeep)
        onChompKeep();
    return str;
}
function stringifyFlowCollection({ items }, ctx, { flowChars, itemIndent }) {
    const { indent, indentStep, flowCollectionPadding: fcPadding, options: { commentString } } = ctx;
    itemIndent += indentStep;
    const itemCtx = Object.assign({}, ctx, {
        indent: itemIndent,
        inFlow: true,
        type: null
    });
    let reqNewline = false;
    let linesAtValue = 0;
    const lines = [];
    for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment = null;
        if (identity.isNode(item)) {
            if (item.spaceBefore)
                lines.push('');
            addCommentBefore(ctx, lines, item.commentBefore, false);
            if (item.comment)
                comment = item.comment;
        }
        else if (identity.isPair(item)) {
            const ik = identity.isNode(item.key) ? item.key : null;
            if (ik) {
                if (ik.spaceBefore)
                    lines.push('');
                addCommentBefore(ctx, lines, ik.commentBefore, false);
                if (ik.comment)
                    reqNewline = true;
            }
            const iv = identity.isNode(item.value) ? item.value : null;
            if (iv) {
                if (iv.comment)
                    comment = iv.comment;
                if (iv.commentBefore)
                    reqNewline = true;
            }
            else if (item.value == null && ik?.comment) {
                comment = ik.comment;
            }
        }
        if (comment)
            reqNewline = true;
        let str = stringify.stringify(item, itemCtx, () => (comment = null));
        reqNewline || (reqNewline = lines.length > linesAtValue || str.includes('\n'));
        if (i < items.length - 1) {
            str += ',';
        }
        else if (ctx.options.trailingComma) {
            if (ctx.options.lineWidth > 0) {
                reqNewline || (reqNewline = lines.reduce((sum, line) => sum + line.length + 2, 2) +
                    (str.length + 2) >
                    ctx.options.lineWidth);
            }
            if (reqNewline) {
                str += ',';
            }
        }
        if (comment)
            str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
        lines.push(str);
        linesAtValue = lines.length;
    }
    const { start, end } = flowChars;
    if (lines.length === 0) {
        return start + end;
    }
    else {
        if (!reqNewline) {
            const len = lines.reduce((sum, line) => sum + line.length + 2, 2);
            reqNewline = ctx.options.lineWidth > 0 && len > ctx.options.lineWidth;
        }
        if (reqNewline) {
            let str = start;
            for (const line of lines)
                str += line ? `\n${indentStep}${indent}${line}` : '\n';
            return `${str}\n${indent}${end}`;
        }
        else {
            return `${start}${fcPadding}${lines.join(' ')}${fcPadding}${end}`;
        }
    }
}
function addCommentBefore({ indent, options: { commentString } }, lines, comment, chompKeep) {
    if (comment && chompKeep)
        comment = comment.replace(/^\n+/, '');
    if (comment) {
        const ic = stringifyComment.indentComment(commentString(comment), indent);
        lines.push(ic.trimStart()); // Avoid double indent on first line
    }
}

exports.stringifyCollection = stringifyCollection;


/***/ }),

/***/ 9799:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Stringifies a comment.
 *
 * Empty comment lines are left empty,
 * lines consisting of a single space are replaced by `#`,
 * and all other lines are prefixed with a `#`.
 */
const stringifyComment = (str) => str.replace(/^(?!$)(?: $)?/gm, '#');
function indentComment(comment, indent) {
    if (/^\n+$/.test(comment))
        return comment.substring(1);
    return indent ? comment.replace(/^(?! *$)/gm, indent) : comment;
}
const lineComment = (str, indent, comment) => str.endsWith('\n')
    ? indentComment(comment, indent)
    : comment.includes('\n')
        ? '\n' + indentComment(comment, indent)
        : (str.endsWith(' ') ? '' : ' ') + comment;

exports.indentComment = indentComment;
exports.lineComment = lineComment;
exports.stringifyComment = stringifyComment;


/***/ }),

/***/ 6829:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(9799);

function stringifyDocument(doc, options) {
    const lines = [];
    let hasDirectives = options.directives === true;
    if (options.directives !== false && doc.directives) {
        const dir = doc.directives.toString(doc);
        if (dir) {
            lines.push(dir);
            hasDirectives = true;
        }
        else if (doc.directives.docStart)
            hasDirectives = true;
    }
    if (hasDirectives)
        lines.push('---');
    const ctx = stringify.createStringifyContext(doc, options);
    const { commentString } = ctx.options;
    if (doc.commentBefore) {
        if (lines.length !== 1)
            lines.unshift('');
        const cs = commentString(doc.commentBefore);
        lines.unshift(stringifyComment.indentComment(cs, ''));
    }
    let chompKeep = false;
    let contentComment = null;
    if (doc.contents) {
        if (identity.isNode(doc.contents)) {
            if (doc.contents.spaceBefore && hasDirectives)
                lines.push('');
            if (doc.contents.commentBefore) {
                const cs = commentString(doc.contents.commentBefore);
                lines.push(stringifyComment.indentComment(cs, ''));
            }
            // top-level block scalars need to be indented if followed by a comment
            ctx.forceBlockIndent = !!doc.comment;
            contentComment = doc.contents.comment;
        }
        const onChompKeep = contentComment ? undefined : () => (chompKeep = true);
        let body = stringify.stringify(doc.contents, ctx, () => (contentComment = null), onChompKeep);
        if (contentComment)
            body += stringifyComment.lineComment(body, '', commentString(contentComment));
        if ((body[0] === '|' || body[0] === '>') &&
            lines[lines.length - 1] === '---') {
            // Top-level block scalars with a preceding doc marker ought to use the
            // same line for their header.
            lines[lines.length - 1] = `--- ${body}`;
        }
        else
            lines.push(body);
    }
    else {
        lines.push(stringify.stringify(doc.contents, ctx));
    }
    if (doc.directives?.docEnd) {
        if (doc.comment) {
            const cs = commentString(doc.comment);
            if (cs.includes('\n')) {
                lines.push('...');
                lines.push(stringifyComment.indentComment(cs, ''));
            }
            else {
                lines.push(`... ${cs}`);
            }
        }
        else {
            lines.push('...');
        }
    }
    else {
        let dc = doc.comment;
        if (dc && chompKeep)
            dc = dc.replace(/^\n+/, '');
        if (dc) {
            if ((!chompKeep || contentComment) && lines[lines.length - 1] !== '')
                lines.push('');
            lines.push(stringifyComment.indentComment(commentString(dc), ''));
        }
    }
    return lines.join('\n') + '\n';
}

exports.stringifyDocument = stringifyDocument;


/***/ }),

/***/ 8689:
/***/ ((__unused_webpack_module, exports) => {



function stringifyNumber({ format, minFractionDigits, tag, value }) {
    if (typeof value === 'bigint')
        return String(value);
    const num = typeof value === 'number' ? value : Number(value);
    if (!isFinite(num))
        return isNaN(num) ? '.nan' : num < 0 ? '-.inf' : '.inf';
    let n = Object.is(value, -0) ? '-0' : JSON.stringify(value);
    if (!format &&
        minFractionDigits &&
        (!tag || tag === 'tag:yaml.org,2002:float') &&
        /^-?\d/.test(n) &&
        !n.includes('e')) {
        let i = n.indexOf('.');
        if (i < 0) {
            i = n.length;
            n += '.';
        }
        let d = minFractionDigits - (n.length - i - 1);
        while (d-- > 0)
            n += '0';
    }
    return n;
}

exports.stringifyNumber = stringifyNumber;


/***/ }),

/***/ 9748:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(9799);

function stringifyPair({ key, value }, ctx, onComment, onChompKeep) {
    const { allNullValues, doc, indent, indentStep, options: { commentString, indentSeq, simpleKeys } } = ctx;
    let keyComment = (identity.isNode(key) && key.comment) || null;
    if (simpleKeys) {
        if (keyComment) {
            throw new Error('With simple keys, key nodes cannot have comments');
        }
        if (identity.isCollection(key) || (!identity.isNode(key) && typeof key === 'object')) {
            const msg = 'With simple keys, collection cannot be used as a key value';
            throw new Error(msg);
        }
    }
    let explicitKey = !simpleKeys &&
        (!key ||
            (keyComment && value == null && !ctx.inFlow) ||
            identity.isCollection(key) ||
            (identity.isScalar(key)
                ? key.type === Scalar.Scalar.BLOCK_FOLDED || key.type === Scalar.Scalar.BLOCK_LITERAL
                : typeof key === 'object'));
    ctx = Object.assign({}, ctx, {
        allNullValues: false,
        implicitKey: !explicitKey && (simpleKeys || !allNullValues),
        indent: indent + indentStep
    });
    let keyCommentDone = false;
    let chompKeep = false;
    let str = stringify.stringify(key, ctx, () => (keyCommentDone = true), () => (chompKeep = true));
    if (!explicitKey && !ctx.inFlow && str.length > 1024) {
        if (simpleKeys)
            throw new Error('With simple keys, single line scalar must not span more than 1024 characters');
        explicitKey = true;
    }
    if (ctx.inFlow) {
        if (allNullValues || value == null) {
            if (keyCommentDone && onComment)
                onComment();
            return str === '' ? '?' : explicitKey ? `? ${str}` : str;
        }
    }
    else if ((allNullValues && !simpleKeys) || (value == null && explicitKey)) {
        str = `? ${str}`;
        if (keyComment && !keyCommentDone) {
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        }
        else if (chompKeep && onChompKeep)
            onChompKeep();
        return str;
    }
    if (keyCommentDone)
        keyComment = null;
    if (explicitKey) {
        if (keyComment)
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        str = `? ${str}\n${indent}:`;
    }
    else {
        str = `${str}:`;
        if (keyComment)
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
    }
    let vsb, vcb, valueComment;
    if (identity.isNode(value)) {
        vsb = !!value.spaceBefore;
        vcb = value.commentBefore;
        valueComment = value.comment;
    }
    else {
        vsb = false;
        vcb = null;
        valueComment = null;
        if (value && typeof value === 'object')
            value = doc.createNode(value);
    }
    ctx.implicitKey = false;
    if (!explicitKey && !keyComment && identity.isScalar(value))
        ctx.indentAtStart = str.length + 1;
    chompKeep = false;
    if (!indentSeq &&
        indentStep.length >= 2 &&
        !ctx.inFlow &&
        !explicitKey &&
        identity.isSeq(value) &&
        !value.flow &&
        !value.tag &&
        !value.anchor) {
        // If indentSeq === false, consider '- ' as part of indentation where possible
        ctx.indent = ctx.indent.substring(2);
    }
    let valueCommentDone = false;
    const valueStr = stringify.stringify(value, ctx, () => (valueCommentDone = true), () => (chompKeep = true));
    let ws = ' ';
    if (keyComment || vsb || vcb) {
        ws = vsb ? '\n' : '';
        if (vcb) {
            const cs = commentString(vcb);
            ws += `\n${stringifyComment.indentComment(cs, ctx.indent)}`;
        }
        if (valueStr === '' && !ctx.inFlow) {
            if (ws === '\n' && valueComment)
                ws = '\n\n';
        }
        else {
            ws += `\n${ctx.indent}`;
        }
    }
    else if (!explicitKey && identity.isCollection(value)) {
        const vs0 = valueStr[0];
        const nl0 = valueStr.indexOf('\n');
        const hasNewline = nl0 !== -1;
        const flow = ctx.inFlow ?? value.flow ?? value.items.length === 0;
        if (hasNewline || !flow) {
            let hasPropsLine = false;
            if (hasNewline && (vs0 === '&' || vs0 === '!')) {
                let sp0 = valueStr.indexOf(' ');
                if (vs0 === '&' &&
                    sp0 !== -1 &&
                    sp0 < nl0 &&
                    valueStr[sp0 + 1] === '!') {
                    sp0 = valueStr.indexOf(' ', sp0 + 1);
                }
                if (sp0 === -1 || nl0 < sp0)
                    hasPropsLine = true;
            }
            if (!hasPropsLine)
                ws = `\n${ctx.indent}`;
        }
    }
    else if (valueStr === '' || valueStr[0] === '\n') {
        ws = '';
    }
    str += ws + valueStr;
    if (ctx.inFlow) {
        if (valueCommentDone && onComment)
            onComment();
    }
    else if (valueComment && !valueCommentDone) {
        str += stringifyComment.lineComment(str, ctx.indent, commentString(valueComment));
    }
    else if (chompKeep && onChompKeep) {
        onChompKeep();
    }
    return str;
}

exports.stringifyPair = stringifyPair;


/***/ }),

/***/ 3069:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var foldFlowLines = __nccwpck_require__(4475);

const getFoldOptions = (ctx, isBlock) => ({
    indentAtStart: isBlock ? ctx.indent.length : ctx.indentAtStart,
    lineWidth: ctx.options.lineWidth,
    minContentWidth: ctx.options.minContentWidth
});
// Also checks for lines starting with %, as parsing the output as YAML 1.1 will
// presume that's starting a new document.
const containsDocumentMarker = (str) => /^(%|---|\.\.\.)/m.test(str);
function lineLengthOverLimit(str, lineWidth, indentLength) {
    if (!lineWidth || lineWidth < 0)
        return false;
    const limit = lineWidth - indentLength;
    const strLen = str.length;
    if (strLen <= limit)
        return false;
    for (let i = 0, start = 0; i < strLen; ++i) {
        if (str[i] === '\n') {
            if (i - start > limit)
                return true;
            start = i + 1;
            if (strLen - start <= limit)
                return false;
        }
    }
    return true;
}
function doubleQuotedString(value, ctx) {
    const json = JSON.stringify(value);
    if (ctx.options.doubleQuotedAsJSON)
        return json;
    const { implicitKey } = ctx;
    const minMultiLineLength = ctx.options.doubleQuotedMinMultiLineLength;
    const indent = ctx.indent || (containsDocumentMarker(value) ? '  ' : '');
    let str = '';
    let start = 0;
    for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
        if (ch === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
            // space before newline needs to be escaped to not be folded
            str += json.slice(start, i) + '\\ ';
            i += 1;
            start = i;
            ch = '\\';
        }
        if (ch === '\\')
            switch (json[i + 1]) {
                case 'u':
                    {
                        str += json.slice(start, i);
                        const code = json.substr(i + 2, 4);
                        switch (code) {
                            case '0000':
                                str += '\\0';
                                break;
                            case '0007':
                                str += '\\a';
                                break;
                            case '000b':
                                str += '\\v';
                                break;
                            case '001b':
                                str += '\\e';
                                break;
                            case '0085':
                                str += '\\N';
                                break;
                            case '00a0':
                                str += '\\_';
                                break;
                            case '2028':
                                str += '\\L';
                                break;
                            case '2029':
                                str += '\\P';
                                break;
                            default:
                                if (code.substr(0, 2) === '00')
                                    str += '\\x' + code.substr(2);
                                else
                                    str += json.substr(i, 6);
                        }
                        i += 5;
                        start = i + 1;
                    }
                    break;
                case 'n':
                    if (implicitKey ||
                        json[i + 2] === '"' ||
                        json.length < minMultiLineLength) {
                        i += 1;
                    }
                    else {
                        // folding will eat first newline
                        str += json.slice(start, i) + '\n\n';
                        while (json[i + 2] === '\\' &&
                            json[i + 3] === 'n' &&
                            json[i + 4] !== '"') {
                            str += '\n';
                            i += 2;
                        }
                        str += indent;
                        // space after newline needs to be escaped to not be folded
                        if (json[i + 2] === ' ')
                            str += '\\';
                        i += 1;
                        start = i + 1;
                    }
                    break;
                default:
                    i += 1;
            }
    }
    str = start ? str + json.slice(start) : json;
    return implicitKey
        ? str
        : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_QUOTED, getFoldOptions(ctx, false));
}
function singleQuotedString(value, ctx) {
    if (ctx.options.singleQuote === false ||
        (ctx.implicitKey && value.includes('\n')) ||
        /[ \t]\n|\n[ \t]/.test(value) // single quoted string can't have leading or trailing whitespace around newline
    )
        return doubleQuotedString(value, ctx);
    const indent = ctx.indent || (containsDocumentMarker(value) ? '  ' : '');
    const res = "'" + value.replace(/'/g, "''").replace(/\n+/g, `$&\n${indent}`) + "'";
    return ctx.implicitKey
        ? res
        : foldFlowLines.foldFlowLines(res, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
}
function quotedString(value, ctx) {
    const { singleQuote } = ctx.options;
    let qs;
    if (singleQuote === false)
        qs = doubleQuotedString;
    else {
        const hasDouble = value.includes('"');
        const hasSingle = value.includes("'");
        if (hasDouble && !hasSingle)
            qs = singleQuotedString;
        else if (hasSingle && !hasDouble)
            qs = doubleQuotedString;
        else
            qs = singleQuote ? singleQuotedString : doubleQuotedString;
    }
    return qs(value, ctx);
}
// The negative lookbehind avoids a polynomial search,
// but isn't supported yet on Safari: https://caniuse.com/js-regexp-lookbehind
let blockEndNewlines;
try {
    blockEndNewlines = new RegExp('(^|(?<!\n))\n+(?!\n|$)', 'g');
}
catch {
    blockEndNewlines = /\n+(?!\n|$)/g;
}
function blockString({ comment, type, value }, ctx, onComment, onChompKeep) {
    const { blockQuote, commentString, lineWidth } = ctx.options;
    // 1. Block can't end in whitespace unless the last line is non-empty.
    // 2. Strings consisting of only whitespace are best rendered explicitly.
    if (!blockQuote || /\n[\t ]+$/.test(value)) {
        return quotedString(value, ctx);
    }
    const indent = ctx.indent ||
        (ctx.forceBlockIndent || containsDocumentMarker(value) ? '  ' : '');
    const literal = blockQuote === 'literal'
        ? true
        : blockQuote === 'folded' || type === Scalar.Scalar.BLOCK_FOLDED
            ? false
            : type === Scalar.Scalar.BLOCK_LITERAL
                ? true
                : !lineLengthOverLimit(value, lineWidth, indent.length);
    if (!value)
        return literal ? '|\n' : '>\n';
    // determine chomping from whitespace at value end
    let chomp;
    let endStart;
    for (endStart = value.length; endStart > 0; --endStart) {
        const ch = value[endStart - 1];
        if (ch !== '\n' && ch !== '\t' && ch !== ' ')
            break;
    }
    let end = value.substring(endStart);
    const endNlPos = end.indexOf('\n');
    if (endNlPos === -1) {
        chomp = '-'; // strip
    }
    else if (value === end || endNlPos !== end.length - 1) {
        chomp = '+'; // keep
        if (onChompKeep)
            onChompKeep();
    }
    else {
        chomp = ''; // clip
    }
    if (end) {
        value = value.slice(0, -end.length);
        if (end[end.length - 1] === '\n')
            end = end.slice(0, -1);
        end = end.replace(blockEndNewlines, `$&${indent}`);
    }
    // determine indent indicator from whitespace at value start
    let startWithSpace = false;
    let startEnd;
    let startNlPos = -1;
    for (startEnd = 0; startEnd < value.length; ++startEnd) {
        const ch = value[startEnd];
        if (ch === ' ')
            startWithSpace = true;
        else if (ch === '\n')
            startNlPos = startEnd;
        else
            break;
    }
    let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
    if (start) {
        value = value.substring(start.length);
        start = start.replace(/\n+/g, `$&${indent}`);
    }
    const indentSize = indent ? '2' : '1'; // root is at -1
    // Leading | or > is added later
    let header = (startWithSpace ? indentSize : '') + chomp;
    if (comment) {
        header += ' ' + commentString(comment.replace(/ ?[\r\n]+/g, ' '));
        if (onComment)
            onComment();
    }
    if (!literal) {
        const foldedValue = value
            .replace(/\n+/g, '\n$&')
            .replace(/(?:^|\n)([\t ].*)(?:([\n\t ]*)\n(?![\n\t ]))?/g, '$1$2') // more-indented lines aren't folded
            //                ^ more-ind. ^ empty     ^ capture next empty lines only at end of indent
            .replace(/\n+/g, `$&${indent}`);
        let literalFallback = false;
        const foldOptions = getFoldOptions(ctx, true);
        if (blockQuote !== 'folded' && type !== Scalar.Scalar.BLOCK_FOLDED) {
            foldOptions.onOverflow = () => {
                literalFallback = true;
            };
        }
        const body = foldFlowLines.foldFlowLines(`${start}${foldedValue}${end}`, indent, foldFlowLines.FOLD_BLOCK, foldOptions);
        if (!literalFallback)
            return `>${header}\n${indent}${body}`;
    }
    value = value.replace(/\n+/g, `$&${indent}`);
    return `|${header}\n${indent}${start}${value}${end}`;
}
function plainString(item, ctx, onComment, onChompKeep) {
    const { type, value } = item;
    const { actualString, implicitKey, indent, indentStep, inFlow } = ctx;
    if ((implicitKey && value.includes('\n')) ||
        (inFlow && /[[\]{},]/.test(value))) {
        return quotedString(value, ctx);
    }
    if (/^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/.test(value)) {
        // not allowed:
        // - '-' or '?'
        // - start with an indicator character (except [?:-]) or /[?-] /
        // - '\n ', ': ' or ' \n' anywhere
        // - '#' not preceded by a non-space char
        // - end with ' ' or ':'
        return implicitKey || inFlow || !value.includes('\n')
            ? quotedString(value, ctx)
            : blockString(item, ctx, onComment, onChompKeep);
    }
    if (!implicitKey &&
        !inFlow &&
        type !== Scalar.Scalar.PLAIN &&
        value.includes('\n')) {
        // Where allowed & type not set explicitly, prefer block style for multiline strings
        return blockString(item, ctx, onComment, onChompKeep);
    }
    if (containsDocumentMarker(value)) {
        if (indent === '') {
            ctx.forceBlockIndent = true;
            return blockString(item, ctx, onComment, onChompKeep);
        }
        else if (implicitKey && indent === indentStep) {
            return quotedString(value, ctx);
        }
    }
    const str = value.replace(/\n+/g, `$&\n${indent}`);
    // Verify that output will be parsed as a string, as e.g. plain numbers and
    // booleans get parsed with those types in v1.2 (e.g. '42', 'true' & '0.9e-3'),
    // and others in v1.1.
    if (actualString) {
        const test = (tag) => tag.default && tag.tag !== 'tag:yaml.org,2002:str' && tag.test?.test(str);
        const { compat, tags } = ctx.doc.schema;
        if (tags.some(test) || compat?.some(test))
            return quotedString(value, ctx);
    }
    return implicitKey
        ? str
        : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
}
function stringifyString(item, ctx, onComment, onChompKeep) {
    const { implicitKey, inFlow } = ctx;
    const ss = typeof item.value === 'string'
        ? item
        : Object.assign({}, item, { value: String(item.value) });
    let { type } = item;
    if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
        // force double quotes on control characters & unpaired surrogates
        if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u.test(ss.value))
            type = Scalar.Scalar.QUOTE_DOUBLE;
    }
    const _stringify = (_type) => {
        switch (_type) {
            case Scalar.Scalar.BLOCK_FOLDED:
            case Scalar.Scalar.BLOCK_LITERAL:
                return implicitKey || inFlow
                    ? quotedString(ss.value, ctx) // blocks are not valid inside flow containers
                    : blockString(ss, ctx, onComment, onChompKeep);
            case Scalar.Scalar.QUOTE_DOUBLE:
                return doubleQuotedString(ss.value, ctx);
            case Scalar.Scalar.QUOTE_SINGLE:
                return singleQuotedString(ss.value, ctx);
            case Scalar.Scalar.PLAIN:
                return plainString(ss, ctx, onComment, onChompKeep);
            default:
                return null;
        }
    };
    let res = _stringify(type);
    if (res === null) {
        const { defaultKeyType, defaultStringType } = ctx.options;
        const t = (implicitKey && defaultKeyType) || defaultStringType;
        res = _stringify(t);
        if (res === null)
            throw new Error(`Unsupported default string type ${t}`);
    }
    return res;
}

exports.stringifyString = stringifyString;


/***/ }),

/***/ 204:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);

const BREAK = Symbol('break visit');
const SKIP = Symbol('skip children');
const REMOVE = Symbol('remove node');
/**
 * Apply a visitor to an AST node or document.
 *
 * Walks through the tree (depth-first) starting from `node`, calling a
 * `visitor` function with three arguments:
 *   - `key`: For sequence values and map `Pair`, the node's index in the
 *     collection. Within a `Pair`, `'key'` or `'value'`, correspondingly.
 *     `null` for the root node.
 *   - `node`: The current node.
 *   - `path`: The ancestry of the current node.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this node, continue with next
 *     sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current node, then continue with the next one
 *   - `Node`: Replace the current node, then continue by visiting it
 *   - `number`: While iterating the items of a sequence or map, set the index
 *     of the next step. This is useful especially if the index of the current
 *     node has changed.
 *
 * If `visitor` is a single function, it will be called with all values
 * encountered in the tree, including e.g. `null` values. Alternatively,
 * separate visitor functions may be defined for each `Map`, `Pair`, `Seq`,
 * `Alias` and `Scalar` node. To define the same visitor function for more than
 * one node type, use the `Collection` (map and seq), `Value` (map, seq & scalar)
 * and `Node` (alias, map, seq & scalar) targets. Of all these, only the most
 * specific defined one will be used for each node.
 */
function visit(node, visitor) {
    const visitor_ = initVisitor(visitor);
    if (identity.isDocument(node)) {
        const cd = visit_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
            node.contents = null;
    }
    else
        visit_(null, node, visitor_, Object.freeze([]));
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visit.BREAK = BREAK;
/** Do not visit the children of the current node */
visit.SKIP = SKIP;
/** Remove the current node */
visit.REMOVE = REMOVE;
function visit_(key, node, visitor, path) {
    const ctrl = callVisitor(key, node, visitor, path);
    if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path, ctrl);
        return visit_(key, ctrl, visitor, path);
    }
    if (typeof ctrl !== 'symbol') {
        if (identity.isCollection(node)) {
            path = Object.freeze(path.concat(node));
            for (let i = 0; i < node.items.length; ++i) {
                const ci = visit_(i, node.items[i], visitor, path);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    node.items.splice(i, 1);
                    i -= 1;
                }
            }
        }
        else if (identity.isPair(node)) {
            path = Object.freeze(path.concat(node));
            const ck = visit_('key', node.key, visitor, path);
            if (ck === BREAK)
                return BREAK;
            else if (ck === REMOVE)
                node.key = null;
            const cv = visit_('value', node.value, visitor, path);
            if (cv === BREAK)
                return BREAK;
            else if (cv === REMOVE)
                node.value = null;
        }
    }
    return ctrl;
}
/**
 * Apply an async visitor to an AST node or document.
 *
 * Walks through the tree (depth-first) starting from `node`, calling a
 * `visitor` function with three arguments:
 *   - `key`: For sequence values and map `Pair`, the node's index in the
 *     collection. Within a `Pair`, `'key'` or `'value'`, correspondingly.
 *     `null` for the root node.
 *   - `node`: The current node.
 *   - `path`: The ancestry of the current node.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `Promise`: Must resolve to one of the following values
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this node, continue with next
 *     sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current node, then continue with the next one
 *   - `Node`: Replace the current node, then continue by visiting it
 *   - `number`: While iterating the items of a sequence or map, set the index
 *     of the next step. This is useful especially if the index of the current
 *     node has changed.
 *
 * If `visitor` is a single function, it will be called with all values
 * encountered in the tree, including e.g. `null` values. Alternatively,
 * separate visitor functions may be defined for each `Map`, `Pair`, `Seq`,
 * `Alias` and `Scalar` node. To define the same visitor function for more than
 * one node type, use the `Collection` (map and seq), `Value` (map, seq & scalar)
 * and `Node` (alias, map, seq & scalar) targets. Of all these, only the most
 * specific defined one will be used for each node.
 */
async function visitAsync(node, visitor) {
    const visitor_ = initVisitor(visitor);
    if (identity.isDocument(node)) {
        const cd = await visitAsync_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
            node.contents = null;
    }
    else
        await visitAsync_(null, node, visitor_, Object.freeze([]));
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visitAsync.BREAK = BREAK;
/** Do not visit the children of the current node */
visitAsync.SKIP = SKIP;
/** Remove the current node */
visitAsync.REMOVE = REMOVE;
async function visitAsync_(key, node, visitor, path) {
    const ctrl = await callVisitor(key, node, visitor, path);
    if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path, ctrl);
        return visitAsync_(key, ctrl, visitor, path);
    }
    if (typeof ctrl !== 'symbol') {
        if (identity.isCollection(node)) {
            path = Object.freeze(path.concat(node));
            for (let i = 0; i < node.items.length; ++i) {
                const ci = await visitAsync_(i, node.items[i], visitor, path);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    node.items.splice(i, 1);
                    i -= 1;
                }
            }
        }
        else if (identity.isPair(node)) {
            path = Object.freeze(path.concat(node));
            const ck = await visitAsync_('key', node.key, visitor, path);
            if (ck === BREAK)
                return BREAK;
            else if (ck === REMOVE)
                node.key = null;
            const cv = await visitAsync_('value', node.value, visitor, path);
            if (cv === BREAK)
                return BREAK;
            else if (cv === REMOVE)
                node.value = null;
        }
    }
    return ctrl;
}
function initVisitor(visitor) {
    if (typeof visitor === 'object' &&
        (visitor.Collection || visitor.Node || visitor.Value)) {
        return Object.assign({
            Alias: visitor.Node,
            Map: visitor.Node,
            Scalar: visitor.Node,
            Seq: visitor.Node
        }, visitor.Value && {
            Map: visitor.Value,
            Scalar: visitor.Value,
            Seq: visitor.Value
        }, visitor.Collection && {
            Map: visitor.Collection,
            Seq: visitor.Collection
        }, visitor);
    }
    return visitor;
}
function callVisitor(key, node, visitor, path) {
    if (typeof visitor === 'function')
        return visitor(key, node, path);
    if (identity.isMap(node))
        return visitor.Map?.(key, node, path);
    if (identity.isSeq(node))
        return visitor.Seq?.(key, node, path);
    if (identity.isPair(node))
        return visitor.Pair?.(key, node, path);
    if (identity.isScalar(node))
        return visitor.Scalar?.(key, node, path);
    if (identity.isAlias(node))
        return visitor.Alias?.(key, node, path);
    return undefined;
}
function replaceNode(key, path, node) {
    const parent = path[path.length - 1];
    if (identity.isCollection(parent)) {
        parent.items[key] = node;
    }
    else if (identity.isPair(parent)) {
        if (key === 'key')
            parent.key = node;
        else
            parent.value = node;
    }
    else if (identity.isDocument(parent)) {
        parent.contents = node;
    }
    else {
        const pt = identity.isAlias(parent) ? 'alias' : 'scalar';
        throw new Error(`Cannot replace node with ${pt} parent`);
    }
}

exports.visit = visit;
exports.visitAsync = visitAsync;


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
        if (!(err instanceof errors/* DomainError */.J) || err instanceof InputError)
            throw err;
        throw new InputError(name, err.message, { cause: err });
    }
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
 * Runs the tasks given to it at most `limit` at a time, in the order they come. Once one
 * has failed, those not started yet never start: they reject with that failure.
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
            task()
                .then(resolve, (err) => {
                failure ??= { error: err };
                reject(err);
            })
                .finally(() => {
                running--;
                startNext();
            });
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

;// CONCATENATED MODULE: ./packages/publishing/src/oci/blob-transfer.ts

async function streamBlob(from, to, blob, progress) {
    await to.client.retrying(`copy ${blob.digest} to ${to.client.registry}/${to.repository}`, async () => {
        progress.update(blob.digest, 0);
        let moved = 0;
        // Stops the source when the upload ends first (refused, failed).
        const source = new AbortController();
        const upload = new UploadBody();
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
    request;
    waiting = [];
    ended = false;
    failure;
    write(piece, written) {
        if (this.request)
            this.request.write(piece, () => written());
        else
            this.waiting.push({ piece, written });
    }
    end() {
        if (this.request)
            this.request.end();
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
            request.end();
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
            await moving(blob, () => streamBlob(options.source, { client, repository: dest.repository }, blob, progress));
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
class promote_image_ReferenceError extends errors/* DomainError */.J {
    reason;
    constructor(reference, reason) {
        super(`"${reference}" is not a valid image reference: ${reason}`);
        this.reason = reason;
    }
}
function parseReference(input) {
    const text = input.trim();
    if (!text)
        throw new promote_image_ReferenceError(input, 'it is empty');
    let rest = text;
    let digest;
    const at = rest.indexOf('@');
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!DIGEST.test(digest))
            throw new promote_image_ReferenceError(input, `"${digest}" is not a digest (expected sha256: and 64 lowercase hex digits)`);
    }
    let tag;
    const lastSlash = rest.lastIndexOf('/');
    const colon = rest.lastIndexOf(':');
    if (colon > lastSlash) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG.test(tag))
            throw new promote_image_ReferenceError(input, `"${tag}" is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)`);
    }
    const parts = rest.split('/');
    let registry = DOCKER_HUB;
    const first = parts[0];
    if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['))) {
        registry = parts.shift();
        if (!DOMAIN.test(registry))
            throw new promote_image_ReferenceError(input, `"${registry}" is not a valid registry host`);
    }
    if (DOCKER_HUB_ALIASES.has(registry))
        registry = DOCKER_HUB;
    if (parts.length === 0 || parts.some((p) => !p))
        throw new promote_image_ReferenceError(input, 'the repository path is empty');
    for (const part of parts) {
        if (!COMPONENT.test(part)) {
            const hint = part !== part.toLowerCase() ? 'repository names must be lowercase' : 'use lowercase letters, digits and single separators (. _ __ -)';
            throw new promote_image_ReferenceError(input, `"${part}" is not a valid path component: ${hint}`);
        }
    }
    if (registry === DOCKER_HUB && parts.length === 1)
        parts.unshift('library');
    const repository = parts.join('/');
    if (repository.length > 255)
        throw new promote_image_ReferenceError(input, 'the repository path is longer than 255 characters');
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
            options.onCopyNeeded?.(dest.registry);
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
 * a time, and its blobs; the destination's checks of every manifest and blob, then an
 * upload for each blob that moves (`concurrency` large ones, small ones beside them).
 */
const AHEAD = {
    sourceFirstRound: 3,
    destinationFirstRound: 1,
    sourceTree: 3,
    destinationChecks: 12,
    smallBlobs: 4,
};
/**
 * What opens the connections a copy needs, once, when resolving finds a destination that
 * lacks the image: a warm re-run opens none of them.
 */
function copyConnections(options, clients, concurrency) {
    // Only a real run moves blobs: uploads to a destination, reads from the source.
    const moving = options.dryRun ? 0 : concurrency;
    const opened = new Set();
    const source = options.source.registry;
    return (destination) => {
        if (!opened.has(source)) {
            opened.add(source);
            clients.get(source).openConnections({ requests: AHEAD.sourceTree, blobReads: moving > 0 ? moving + AHEAD.smallBlobs : 0 });
        }
        if (!opened.has(`to ${destination}`)) {
            opened.add(`to ${destination}`);
            clients.get(destination).openConnections({ requests: AHEAD.destinationChecks + moving, blobReads: 0 });
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
        const child = spawn(program, ['get'], { stdio: ['pipe', 'pipe', 'pipe'], timeout: HELPER_TIMEOUT_MS, env: process.env });
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

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __nccwpck_require__(8815);
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




const KEYS = new Set(['registry', 'username', 'password']);
const FORM = 'expected a YAML list of {registry, username, password} entries, as docker/login-action takes it';
/** Credentials by canonical registry; every password masked before anything can print it. */
function parseRegistryAuth(text) {
    const found = new Map();
    if (!text.trim())
        return found;
    const lines = new dist/* LineCounter */.HN();
    const doc = (0,dist/* parseDocument */.Tp)(text, { schema: 'failsafe', lineCounter: lines, prettyErrors: false });
    if (doc.errors.length > 0) {
        // yaml's messages quote the offending line, which may hold a password: position and code only.
        const { code, pos } = doc.errors[0];
        throw new errors/* DomainError */.J(`is not valid YAML (${code} at line ${lines.linePos(pos[0]).line}); ${FORM}`);
    }
    const list = doc.contents;
    if (!(0,dist/* isSeq */.oP)(list))
        throw new errors/* DomainError */.J(`is not a list; ${FORM}`);
    const problems = [];
    list.items.forEach((item, index) => {
        const line = lines.linePos((0,dist/* isMap */.jh)(item) || (0,dist/* isScalar */.jn)(item) ? (item.range?.[0] ?? 0) : 0).line;
        const where = `entry ${index + 1} (line ${line})`;
        if (!(0,dist/* isMap */.jh)(item))
            return void problems.push(`${where} is not a mapping of registry, username and password`);
        const values = {};
        for (const pair of item.items) {
            const key = (0,dist/* isScalar */.jn)(pair.key) ? String(pair.key.value) : '';
            if (!KEYS.has(key))
                return void problems.push(`${where} has "${key}"; only registry, username and password are read`);
            if (!(0,dist/* isScalar */.jn)(pair.value))
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
function readPromoteInputs() {
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
    const registryCredentials = parsedInput('registry-auth', stringInput('registry-auth'), parseRegistryAuth);
    if (sourceCredentials && registryCredentials.has(source.registry))
        throw new InputError('registry-auth', `names ${source.registry}, the source's registry, whose credentials source-username/source-password give too; give them once`);
    return {
        source,
        destinations,
        sourceCredentials,
        destinationCredentials: credentialsInput('destination'),
        registryCredentials,
        platforms,
        attestations: booleanInput('attestations', true),
        referrers: booleanInput('referrers', true),
        concurrency: integerInput('concurrency', 4, { min: 1, max: 32 }),
        dryRun: booleanInput('dry-run', false),
        insecureRegistries: addressListInput('insecure-registries', 'url'),
        retry: retryPolicyInput(),
        recordFile: recordFileInput(),
    };
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
        const { inputs, sources } = await resolveCredentials(readPromoteInputs());
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