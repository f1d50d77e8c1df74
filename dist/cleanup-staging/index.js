import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
import * as __WEBPACK_EXTERNAL_MODULE__http_client_left_out_js_cae0a8ec__ from "./http-client-left-out.js";
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
/* harmony export */   cW: () => (/* binding */ isLoopbackHost),
/* harmony export */   pc: () => (/* binding */ baseUrl),
/* harmony export */   qP: () => (/* binding */ openConnections),
/* harmony export */   tN: () => (/* binding */ send),
/* harmony export */   x8: () => (/* binding */ readBody)
/* harmony export */ });
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
;// CONCATENATED MODULE: external "string_decoder"
const external_string_decoder_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");
;// CONCATENATED MODULE: external "events"
const external_events_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");
;// CONCATENATED MODULE: external "child_process"
const external_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("child_process");
;// CONCATENATED MODULE: external "assert"
const external_assert_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");
;// CONCATENATED MODULE: ./node_modules/@actions/io/lib/io-util.js
var io_util_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const { chmod, copyFile, lstat, mkdir, open: io_util_open, readdir, rename, rm, rmdir, stat, symlink, unlink } = external_fs_namespaceObject.promises;
// export const {open} = 'fs'
const IS_WINDOWS = process.platform === 'win32';
/**
 * Custom implementation of readlink to ensure Windows junctions
 * maintain trailing backslash for backward compatibility with Node.js < 24
 *
 * In Node.js 20, Windows junctions (directory symlinks) always returned paths
 * with trailing backslashes. Node.js 24 removed this behavior, which breaks
 * code that relied on this format for path operations.
 *
 * This implementation restores the Node 20 behavior by adding a trailing
 * backslash to all junction results on Windows.
 */
function readlink(fsPath) {
    return io_util_awaiter(this, void 0, void 0, function* () {
        const result = yield fs.promises.readlink(fsPath);
        // On Windows, restore Node 20 behavior: add trailing backslash to all results
        // since junctions on Windows are always directory links
        if (IS_WINDOWS && !result.endsWith('\\')) {
            return `${result}\\`;
        }
        return result;
    });
}
// See https://github.com/nodejs/node/blob/d0153aee367422d0858105abec186da4dff0a0c5/deps/uv/include/uv/win.h#L691
const UV_FS_O_EXLOCK = 0x10000000;
const READONLY = external_fs_namespaceObject.constants.O_RDONLY;
function exists(fsPath) {
    return io_util_awaiter(this, void 0, void 0, function* () {
        try {
            yield stat(fsPath);
        }
        catch (err) {
            if (err.code === 'ENOENT') {
                return false;
            }
            throw err;
        }
        return true;
    });
}
function isDirectory(fsPath_1) {
    return io_util_awaiter(this, arguments, void 0, function* (fsPath, useStat = false) {
        const stats = useStat ? yield stat(fsPath) : yield lstat(fsPath);
        return stats.isDirectory();
    });
}
/**
 * On OSX/Linux, true if path starts with '/'. On Windows, true for paths like:
 * \, \hello, \\hello\share, C:, and C:\hello (and corresponding alternate separator cases).
 */
function isRooted(p) {
    p = normalizeSeparators(p);
    if (!p) {
        throw new Error('isRooted() parameter "p" cannot be empty');
    }
    if (IS_WINDOWS) {
        return (p.startsWith('\\') || /^[A-Z]:/i.test(p) // e.g. \ or \hello or \\hello
        ); // e.g. C: or C:\hello
    }
    return p.startsWith('/');
}
/**
 * Best effort attempt to determine whether a file exists and is executable.
 * @param filePath    file path to check
 * @param extensions  additional file extensions to try
 * @return if file exists and is executable, returns the file path. otherwise empty string.
 */
function tryGetExecutablePath(filePath, extensions) {
    return io_util_awaiter(this, void 0, void 0, function* () {
        let stats = undefined;
        try {
            // test file exists
            stats = yield stat(filePath);
        }
        catch (err) {
            if (err.code !== 'ENOENT') {
                // eslint-disable-next-line no-console
                console.log(`Unexpected error attempting to determine if executable file exists '${filePath}': ${err}`);
            }
        }
        if (stats && stats.isFile()) {
            if (IS_WINDOWS) {
                // on Windows, test for valid extension
                const upperExt = external_path_namespaceObject.extname(filePath).toUpperCase();
                if (extensions.some(validExt => validExt.toUpperCase() === upperExt)) {
                    return filePath;
                }
            }
            else {
                if (isUnixExecutable(stats)) {
                    return filePath;
                }
            }
        }
        // try each extension
        const originalFilePath = filePath;
        for (const extension of extensions) {
            filePath = originalFilePath + extension;
            stats = undefined;
            try {
                stats = yield stat(filePath);
            }
            catch (err) {
                if (err.code !== 'ENOENT') {
                    // eslint-disable-next-line no-console
                    console.log(`Unexpected error attempting to determine if executable file exists '${filePath}': ${err}`);
                }
            }
            if (stats && stats.isFile()) {
                if (IS_WINDOWS) {
                    // preserve the case of the actual file (since an extension was appended)
                    try {
                        const directory = external_path_namespaceObject.dirname(filePath);
                        const upperName = external_path_namespaceObject.basename(filePath).toUpperCase();
                        for (const actualName of yield readdir(directory)) {
                            if (upperName === actualName.toUpperCase()) {
                                filePath = external_path_namespaceObject.join(directory, actualName);
                                break;
                            }
                        }
                    }
                    catch (err) {
                        // eslint-disable-next-line no-console
                        console.log(`Unexpected error attempting to determine the actual case of the file '${filePath}': ${err}`);
                    }
                    return filePath;
                }
                else {
                    if (isUnixExecutable(stats)) {
                        return filePath;
                    }
                }
            }
        }
        return '';
    });
}
function normalizeSeparators(p) {
    p = p || '';
    if (IS_WINDOWS) {
        // convert slashes on Windows
        p = p.replace(/\//g, '\\');
        // remove redundant slashes
        return p.replace(/\\\\+/g, '\\');
    }
    // remove redundant slashes
    return p.replace(/\/\/+/g, '/');
}
// on Mac/Linux, test the execute bit
//     R   W  X  R  W X R W X
//   256 128 64 32 16 8 4 2 1
function isUnixExecutable(stats) {
    return ((stats.mode & 1) > 0 ||
        ((stats.mode & 8) > 0 &&
            process.getgid !== undefined &&
            stats.gid === process.getgid()) ||
        ((stats.mode & 64) > 0 &&
            process.getuid !== undefined &&
            stats.uid === process.getuid()));
}
// Get the path of cmd.exe in windows
function getCmdPath() {
    var _a;
    return (_a = process.env['COMSPEC']) !== null && _a !== void 0 ? _a : `cmd.exe`;
}
//# sourceMappingURL=io-util.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/io/lib/io.js
var io_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};



/**
 * Copies a file or folder.
 * Based off of shelljs - https://github.com/shelljs/shelljs/blob/9237f66c52e5daa40458f94f9565e18e8132f5a6/src/cp.js
 *
 * @param     source    source path
 * @param     dest      destination path
 * @param     options   optional. See CopyOptions.
 */
function cp(source_1, dest_1) {
    return io_awaiter(this, arguments, void 0, function* (source, dest, options = {}) {
        const { force, recursive, copySourceDirectory } = readCopyOptions(options);
        const destStat = (yield ioUtil.exists(dest)) ? yield ioUtil.stat(dest) : null;
        // Dest is an existing file, but not forcing
        if (destStat && destStat.isFile() && !force) {
            return;
        }
        // If dest is an existing directory, should copy inside.
        const newDest = destStat && destStat.isDirectory() && copySourceDirectory
            ? path.join(dest, path.basename(source))
            : dest;
        if (!(yield ioUtil.exists(source))) {
            throw new Error(`no such file or directory: ${source}`);
        }
        const sourceStat = yield ioUtil.stat(source);
        if (sourceStat.isDirectory()) {
            if (!recursive) {
                throw new Error(`Failed to copy. ${source} is a directory, but tried to copy without recursive flag.`);
            }
            else {
                yield cpDirRecursive(source, newDest, 0, force);
            }
        }
        else {
            if (path.relative(source, newDest) === '') {
                // a file cannot be copied to itself
                throw new Error(`'${newDest}' and '${source}' are the same file`);
            }
            yield io_copyFile(source, newDest, force);
        }
    });
}
/**
 * Moves a path.
 *
 * @param     source    source path
 * @param     dest      destination path
 * @param     options   optional. See MoveOptions.
 */
function mv(source_1, dest_1) {
    return io_awaiter(this, arguments, void 0, function* (source, dest, options = {}) {
        if (yield ioUtil.exists(dest)) {
            let destExists = true;
            if (yield ioUtil.isDirectory(dest)) {
                // If dest is directory copy src into dest
                dest = path.join(dest, path.basename(source));
                destExists = yield ioUtil.exists(dest);
            }
            if (destExists) {
                if (options.force == null || options.force) {
                    yield rmRF(dest);
                }
                else {
                    throw new Error('Destination already exists');
                }
            }
        }
        yield mkdirP(path.dirname(dest));
        yield ioUtil.rename(source, dest);
    });
}
/**
 * Remove a path recursively with force
 *
 * @param inputPath path to remove
 */
function rmRF(inputPath) {
    return io_awaiter(this, void 0, void 0, function* () {
        if (ioUtil.IS_WINDOWS) {
            // Check for invalid characters
            // https://docs.microsoft.com/en-us/windows/win32/fileio/naming-a-file
            if (/[*"<>|]/.test(inputPath)) {
                throw new Error('File path must not contain `*`, `"`, `<`, `>` or `|` on Windows');
            }
        }
        try {
            // note if path does not exist, error is silent
            yield ioUtil.rm(inputPath, {
                force: true,
                maxRetries: 3,
                recursive: true,
                retryDelay: 300
            });
        }
        catch (err) {
            throw new Error(`File was unable to be removed ${err}`);
        }
    });
}
/**
 * Make a directory.  Creates the full path with folders in between
 * Will throw if it fails
 *
 * @param   fsPath        path to create
 * @returns Promise<void>
 */
function mkdirP(fsPath) {
    return io_awaiter(this, void 0, void 0, function* () {
        ok(fsPath, 'a path argument must be provided');
        yield ioUtil.mkdir(fsPath, { recursive: true });
    });
}
/**
 * Returns path of a tool had the tool actually been invoked.  Resolves via paths.
 * If you check and the tool does not exist, it will throw.
 *
 * @param     tool              name of the tool
 * @param     check             whether to check if tool exists
 * @returns   Promise<string>   path to tool
 */
function which(tool, check) {
    return io_awaiter(this, void 0, void 0, function* () {
        if (!tool) {
            throw new Error("parameter 'tool' is required");
        }
        // recursive when check=true
        if (check) {
            const result = yield which(tool, false);
            if (!result) {
                if (IS_WINDOWS) {
                    throw new Error(`Unable to locate executable file: ${tool}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also verify the file has a valid extension for an executable file.`);
                }
                else {
                    throw new Error(`Unable to locate executable file: ${tool}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also check the file mode to verify the file is executable.`);
                }
            }
            return result;
        }
        const matches = yield findInPath(tool);
        if (matches && matches.length > 0) {
            return matches[0];
        }
        return '';
    });
}
/**
 * Returns a list of all occurrences of the given tool on the system path.
 *
 * @returns   Promise<string[]>  the paths of the tool
 */
function findInPath(tool) {
    return io_awaiter(this, void 0, void 0, function* () {
        if (!tool) {
            throw new Error("parameter 'tool' is required");
        }
        // build the list of extensions to try
        const extensions = [];
        if (IS_WINDOWS && process.env['PATHEXT']) {
            for (const extension of process.env['PATHEXT'].split(external_path_namespaceObject.delimiter)) {
                if (extension) {
                    extensions.push(extension);
                }
            }
        }
        // if it's rooted, return it if exists. otherwise return empty.
        if (isRooted(tool)) {
            const filePath = yield tryGetExecutablePath(tool, extensions);
            if (filePath) {
                return [filePath];
            }
            return [];
        }
        // if any path separators, return empty
        if (tool.includes(external_path_namespaceObject.sep)) {
            return [];
        }
        // build the list of directories
        //
        // Note, technically "where" checks the current directory on Windows. From a toolkit perspective,
        // it feels like we should not do this. Checking the current directory seems like more of a use
        // case of a shell, and the which() function exposed by the toolkit should strive for consistency
        // across platforms.
        const directories = [];
        if (process.env.PATH) {
            for (const p of process.env.PATH.split(external_path_namespaceObject.delimiter)) {
                if (p) {
                    directories.push(p);
                }
            }
        }
        // find all matches
        const matches = [];
        for (const directory of directories) {
            const filePath = yield tryGetExecutablePath(external_path_namespaceObject.join(directory, tool), extensions);
            if (filePath) {
                matches.push(filePath);
            }
        }
        return matches;
    });
}
function readCopyOptions(options) {
    const force = options.force == null ? true : options.force;
    const recursive = Boolean(options.recursive);
    const copySourceDirectory = options.copySourceDirectory == null
        ? true
        : Boolean(options.copySourceDirectory);
    return { force, recursive, copySourceDirectory };
}
function cpDirRecursive(sourceDir, destDir, currentDepth, force) {
    return io_awaiter(this, void 0, void 0, function* () {
        // Ensure there is not a run away recursive copy
        if (currentDepth >= 255)
            return;
        currentDepth++;
        yield mkdirP(destDir);
        const files = yield ioUtil.readdir(sourceDir);
        for (const fileName of files) {
            const srcFile = `${sourceDir}/${fileName}`;
            const destFile = `${destDir}/${fileName}`;
            const srcFileStat = yield ioUtil.lstat(srcFile);
            if (srcFileStat.isDirectory()) {
                // Recurse
                yield cpDirRecursive(srcFile, destFile, currentDepth, force);
            }
            else {
                yield io_copyFile(srcFile, destFile, force);
            }
        }
        // Change the mode for the newly created directory
        yield ioUtil.chmod(destDir, (yield ioUtil.stat(sourceDir)).mode);
    });
}
// Buffered file copy
function io_copyFile(srcFile, destFile, force) {
    return io_awaiter(this, void 0, void 0, function* () {
        if ((yield ioUtil.lstat(srcFile)).isSymbolicLink()) {
            // unlink/re-link it
            try {
                yield ioUtil.lstat(destFile);
                yield ioUtil.unlink(destFile);
            }
            catch (e) {
                // Try to override file permission
                if (e.code === 'EPERM') {
                    yield ioUtil.chmod(destFile, '0666');
                    yield ioUtil.unlink(destFile);
                }
                // other errors = it doesn't exist, no work to do
            }
            // Copy over symlink
            const symlinkFull = yield ioUtil.readlink(srcFile);
            yield ioUtil.symlink(symlinkFull, destFile, ioUtil.IS_WINDOWS ? 'junction' : null);
        }
        else if (!(yield ioUtil.exists(destFile)) || force) {
            yield ioUtil.copyFile(srcFile, destFile);
        }
    });
}
//# sourceMappingURL=io.js.map
;// CONCATENATED MODULE: external "timers"
const external_timers_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("timers");
;// CONCATENATED MODULE: ./node_modules/@actions/exec/lib/toolrunner.js
var toolrunner_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};







/* eslint-disable @typescript-eslint/unbound-method */
const toolrunner_IS_WINDOWS = process.platform === 'win32';
/*
 * Class for running command line tools. Handles quoting and arg parsing in a platform agnostic way.
 */
class ToolRunner extends external_events_namespaceObject.EventEmitter {
    constructor(toolPath, args, options) {
        super();
        if (!toolPath) {
            throw new Error("Parameter 'toolPath' cannot be null or empty.");
        }
        this.toolPath = toolPath;
        this.args = args || [];
        this.options = options || {};
    }
    _debug(message) {
        if (this.options.listeners && this.options.listeners.debug) {
            this.options.listeners.debug(message);
        }
    }
    _getCommandString(options, noPrefix) {
        const toolPath = this._getSpawnFileName();
        const args = this._getSpawnArgs(options);
        let cmd = noPrefix ? '' : '[command]'; // omit prefix when piped to a second tool
        if (toolrunner_IS_WINDOWS) {
            // Windows + cmd file
            if (this._isCmdFile()) {
                cmd += toolPath;
                for (const a of args) {
                    cmd += ` ${a}`;
                }
            }
            // Windows + verbatim
            else if (options.windowsVerbatimArguments) {
                cmd += `"${toolPath}"`;
                for (const a of args) {
                    cmd += ` ${a}`;
                }
            }
            // Windows (regular)
            else {
                cmd += this._windowsQuoteCmdArg(toolPath);
                for (const a of args) {
                    cmd += ` ${this._windowsQuoteCmdArg(a)}`;
                }
            }
        }
        else {
            // OSX/Linux - this can likely be improved with some form of quoting.
            // creating processes on Unix is fundamentally different than Windows.
            // on Unix, execvp() takes an arg array.
            cmd += toolPath;
            for (const a of args) {
                cmd += ` ${a}`;
            }
        }
        return cmd;
    }
    _processLineBuffer(data, strBuffer, onLine) {
        try {
            let s = strBuffer + data.toString();
            let n = s.indexOf(external_os_namespaceObject.EOL);
            while (n > -1) {
                const line = s.substring(0, n);
                onLine(line);
                // the rest of the string ...
                s = s.substring(n + external_os_namespaceObject.EOL.length);
                n = s.indexOf(external_os_namespaceObject.EOL);
            }
            return s;
        }
        catch (err) {
            // streaming lines to console is best effort.  Don't fail a build.
            this._debug(`error processing line. Failed with error ${err}`);
            return '';
        }
    }
    _getSpawnFileName() {
        if (toolrunner_IS_WINDOWS) {
            if (this._isCmdFile()) {
                return process.env['COMSPEC'] || 'cmd.exe';
            }
        }
        return this.toolPath;
    }
    _getSpawnArgs(options) {
        if (toolrunner_IS_WINDOWS) {
            if (this._isCmdFile()) {
                let argline = `/D /S /C "${this._windowsQuoteCmdArg(this.toolPath)}`;
                for (const a of this.args) {
                    argline += ' ';
                    argline += options.windowsVerbatimArguments
                        ? a
                        : this._windowsQuoteCmdArg(a);
                }
                argline += '"';
                return [argline];
            }
        }
        return this.args;
    }
    _endsWith(str, end) {
        return str.endsWith(end);
    }
    _isCmdFile() {
        const upperToolPath = this.toolPath.toUpperCase();
        return (this._endsWith(upperToolPath, '.CMD') ||
            this._endsWith(upperToolPath, '.BAT'));
    }
    _windowsQuoteCmdArg(arg) {
        // for .exe, apply the normal quoting rules that libuv applies
        if (!this._isCmdFile()) {
            return this._uvQuoteCmdArg(arg);
        }
        // otherwise apply quoting rules specific to the cmd.exe command line parser.
        // the libuv rules are generic and are not designed specifically for cmd.exe
        // command line parser.
        //
        // for a detailed description of the cmd.exe command line parser, refer to
        // http://stackoverflow.com/questions/4094699/how-does-the-windows-command-interpreter-cmd-exe-parse-scripts/7970912#7970912
        // need quotes for empty arg
        if (!arg) {
            return '""';
        }
        // determine whether the arg needs to be quoted
        const cmdSpecialChars = [
            ' ',
            '\t',
            '&',
            '(',
            ')',
            '[',
            ']',
            '{',
            '}',
            '^',
            '=',
            ';',
            '!',
            "'",
            '+',
            ',',
            '`',
            '~',
            '|',
            '<',
            '>',
            '"'
        ];
        let needsQuotes = false;
        for (const char of arg) {
            if (cmdSpecialChars.some(x => x === char)) {
                needsQuotes = true;
                break;
            }
        }
        // short-circuit if quotes not needed
        if (!needsQuotes) {
            return arg;
        }
        // the following quoting rules are very similar to the rules that by libuv applies.
        //
        // 1) wrap the string in quotes
        //
        // 2) double-up quotes - i.e. " => ""
        //
        //    this is different from the libuv quoting rules. libuv replaces " with \", which unfortunately
        //    doesn't work well with a cmd.exe command line.
        //
        //    note, replacing " with "" also works well if the arg is passed to a downstream .NET console app.
        //    for example, the command line:
        //          foo.exe "myarg:""my val"""
        //    is parsed by a .NET console app into an arg array:
        //          [ "myarg:\"my val\"" ]
        //    which is the same end result when applying libuv quoting rules. although the actual
        //    command line from libuv quoting rules would look like:
        //          foo.exe "myarg:\"my val\""
        //
        // 3) double-up slashes that precede a quote,
        //    e.g.  hello \world    => "hello \world"
        //          hello\"world    => "hello\\""world"
        //          hello\\"world   => "hello\\\\""world"
        //          hello world\    => "hello world\\"
        //
        //    technically this is not required for a cmd.exe command line, or the batch argument parser.
        //    the reasons for including this as a .cmd quoting rule are:
        //
        //    a) this is optimized for the scenario where the argument is passed from the .cmd file to an
        //       external program. many programs (e.g. .NET console apps) rely on the slash-doubling rule.
        //
        //    b) it's what we've been doing previously (by deferring to node default behavior) and we
        //       haven't heard any complaints about that aspect.
        //
        // note, a weakness of the quoting rules chosen here, is that % is not escaped. in fact, % cannot be
        // escaped when used on the command line directly - even though within a .cmd file % can be escaped
        // by using %%.
        //
        // the saving grace is, on the command line, %var% is left as-is if var is not defined. this contrasts
        // the line parsing rules within a .cmd file, where if var is not defined it is replaced with nothing.
        //
        // one option that was explored was replacing % with ^% - i.e. %var% => ^%var^%. this hack would
        // often work, since it is unlikely that var^ would exist, and the ^ character is removed when the
        // variable is used. the problem, however, is that ^ is not removed when %* is used to pass the args
        // to an external program.
        //
        // an unexplored potential solution for the % escaping problem, is to create a wrapper .cmd file.
        // % can be escaped within a .cmd file.
        let reverse = '"';
        let quoteHit = true;
        for (let i = arg.length; i > 0; i--) {
            // walk the string in reverse
            reverse += arg[i - 1];
            if (quoteHit && arg[i - 1] === '\\') {
                reverse += '\\'; // double the slash
            }
            else if (arg[i - 1] === '"') {
                quoteHit = true;
                reverse += '"'; // double the quote
            }
            else {
                quoteHit = false;
            }
        }
        reverse += '"';
        return reverse.split('').reverse().join('');
    }
    _uvQuoteCmdArg(arg) {
        // Tool runner wraps child_process.spawn() and needs to apply the same quoting as
        // Node in certain cases where the undocumented spawn option windowsVerbatimArguments
        // is used.
        //
        // Since this function is a port of quote_cmd_arg from Node 4.x (technically, lib UV,
        // see https://github.com/nodejs/node/blob/v4.x/deps/uv/src/win/process.c for details),
        // pasting copyright notice from Node within this function:
        //
        //      Copyright Joyent, Inc. and other Node contributors. All rights reserved.
        //
        //      Permission is hereby granted, free of charge, to any person obtaining a copy
        //      of this software and associated documentation files (the "Software"), to
        //      deal in the Software without restriction, including without limitation the
        //      rights to use, copy, modify, merge, publish, distribute, sublicense, and/or
        //      sell copies of the Software, and to permit persons to whom the Software is
        //      furnished to do so, subject to the following conditions:
        //
        //      The above copyright notice and this permission notice shall be included in
        //      all copies or substantial portions of the Software.
        //
        //      THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
        //      IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
        //      FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
        //      AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
        //      LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING
        //      FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS
        //      IN THE SOFTWARE.
        if (!arg) {
            // Need double quotation for empty argument
            return '""';
        }
        if (!arg.includes(' ') && !arg.includes('\t') && !arg.includes('"')) {
            // No quotation needed
            return arg;
        }
        if (!arg.includes('"') && !arg.includes('\\')) {
            // No embedded double quotes or backslashes, so I can just wrap
            // quote marks around the whole thing.
            return `"${arg}"`;
        }
        // Expected input/output:
        //   input : hello"world
        //   output: "hello\"world"
        //   input : hello""world
        //   output: "hello\"\"world"
        //   input : hello\world
        //   output: hello\world
        //   input : hello\\world
        //   output: hello\\world
        //   input : hello\"world
        //   output: "hello\\\"world"
        //   input : hello\\"world
        //   output: "hello\\\\\"world"
        //   input : hello world\
        //   output: "hello world\\" - note the comment in libuv actually reads "hello world\"
        //                             but it appears the comment is wrong, it should be "hello world\\"
        let reverse = '"';
        let quoteHit = true;
        for (let i = arg.length; i > 0; i--) {
            // walk the string in reverse
            reverse += arg[i - 1];
            if (quoteHit && arg[i - 1] === '\\') {
                reverse += '\\';
            }
            else if (arg[i - 1] === '"') {
                quoteHit = true;
                reverse += '\\';
            }
            else {
                quoteHit = false;
            }
        }
        reverse += '"';
        return reverse.split('').reverse().join('');
    }
    _cloneExecOptions(options) {
        options = options || {};
        const result = {
            cwd: options.cwd || process.cwd(),
            env: options.env || process.env,
            silent: options.silent || false,
            windowsVerbatimArguments: options.windowsVerbatimArguments || false,
            failOnStdErr: options.failOnStdErr || false,
            ignoreReturnCode: options.ignoreReturnCode || false,
            delay: options.delay || 10000
        };
        result.outStream = options.outStream || process.stdout;
        result.errStream = options.errStream || process.stderr;
        return result;
    }
    _getSpawnOptions(options, toolPath) {
        options = options || {};
        const result = {};
        result.cwd = options.cwd;
        result.env = options.env;
        result['windowsVerbatimArguments'] =
            options.windowsVerbatimArguments || this._isCmdFile();
        if (options.windowsVerbatimArguments) {
            result.argv0 = `"${toolPath}"`;
        }
        return result;
    }
    /**
     * Exec a tool.
     * Output will be streamed to the live console.
     * Returns promise with return code
     *
     * @param     tool     path to tool to exec
     * @param     options  optional exec options.  See ExecOptions
     * @returns   number
     */
    exec() {
        return toolrunner_awaiter(this, void 0, void 0, function* () {
            // root the tool path if it is unrooted and contains relative pathing
            if (!isRooted(this.toolPath) &&
                (this.toolPath.includes('/') ||
                    (toolrunner_IS_WINDOWS && this.toolPath.includes('\\')))) {
                // prefer options.cwd if it is specified, however options.cwd may also need to be rooted
                this.toolPath = external_path_namespaceObject.resolve(process.cwd(), this.options.cwd || process.cwd(), this.toolPath);
            }
            // if the tool is only a file name, then resolve it from the PATH
            // otherwise verify it exists (add extension on Windows if necessary)
            this.toolPath = yield which(this.toolPath, true);
            return new Promise((resolve, reject) => toolrunner_awaiter(this, void 0, void 0, function* () {
                this._debug(`exec tool: ${this.toolPath}`);
                this._debug('arguments:');
                for (const arg of this.args) {
                    this._debug(`   ${arg}`);
                }
                const optionsNonNull = this._cloneExecOptions(this.options);
                if (!optionsNonNull.silent && optionsNonNull.outStream) {
                    optionsNonNull.outStream.write(this._getCommandString(optionsNonNull) + external_os_namespaceObject.EOL);
                }
                const state = new ExecState(optionsNonNull, this.toolPath);
                state.on('debug', (message) => {
                    this._debug(message);
                });
                if (this.options.cwd && !(yield exists(this.options.cwd))) {
                    return reject(new Error(`The cwd: ${this.options.cwd} does not exist!`));
                }
                const fileName = this._getSpawnFileName();
                const cp = external_child_process_namespaceObject.spawn(fileName, this._getSpawnArgs(optionsNonNull), this._getSpawnOptions(this.options, fileName));
                let stdbuffer = '';
                if (cp.stdout) {
                    cp.stdout.on('data', (data) => {
                        if (this.options.listeners && this.options.listeners.stdout) {
                            this.options.listeners.stdout(data);
                        }
                        if (!optionsNonNull.silent && optionsNonNull.outStream) {
                            optionsNonNull.outStream.write(data);
                        }
                        stdbuffer = this._processLineBuffer(data, stdbuffer, (line) => {
                            if (this.options.listeners && this.options.listeners.stdline) {
                                this.options.listeners.stdline(line);
                            }
                        });
                    });
                }
                let errbuffer = '';
                if (cp.stderr) {
                    cp.stderr.on('data', (data) => {
                        state.processStderr = true;
                        if (this.options.listeners && this.options.listeners.stderr) {
                            this.options.listeners.stderr(data);
                        }
                        if (!optionsNonNull.silent &&
                            optionsNonNull.errStream &&
                            optionsNonNull.outStream) {
                            const s = optionsNonNull.failOnStdErr
                                ? optionsNonNull.errStream
                                : optionsNonNull.outStream;
                            s.write(data);
                        }
                        errbuffer = this._processLineBuffer(data, errbuffer, (line) => {
                            if (this.options.listeners && this.options.listeners.errline) {
                                this.options.listeners.errline(line);
                            }
                        });
                    });
                }
                cp.on('error', (err) => {
                    state.processError = err.message;
                    state.processExited = true;
                    state.processClosed = true;
                    state.CheckComplete();
                });
                cp.on('exit', (code) => {
                    state.processExitCode = code;
                    state.processExited = true;
                    this._debug(`Exit code ${code} received from tool '${this.toolPath}'`);
                    state.CheckComplete();
                });
                cp.on('close', (code) => {
                    state.processExitCode = code;
                    state.processExited = true;
                    state.processClosed = true;
                    this._debug(`STDIO streams have closed for tool '${this.toolPath}'`);
                    state.CheckComplete();
                });
                state.on('done', (error, exitCode) => {
                    if (stdbuffer.length > 0) {
                        this.emit('stdline', stdbuffer);
                    }
                    if (errbuffer.length > 0) {
                        this.emit('errline', errbuffer);
                    }
                    cp.removeAllListeners();
                    if (error) {
                        reject(error);
                    }
                    else {
                        resolve(exitCode);
                    }
                });
                if (this.options.input) {
                    if (!cp.stdin) {
                        throw new Error('child process missing stdin');
                    }
                    cp.stdin.end(this.options.input);
                }
            }));
        });
    }
}
/**
 * Convert an arg string to an array of args. Handles escaping
 *
 * @param    argString   string of arguments
 * @returns  string[]    array of arguments
 */
function argStringToArray(argString) {
    const args = [];
    let inQuotes = false;
    let escaped = false;
    let arg = '';
    function append(c) {
        // we only escape double quotes.
        if (escaped && c !== '"') {
            arg += '\\';
        }
        arg += c;
        escaped = false;
    }
    for (let i = 0; i < argString.length; i++) {
        const c = argString.charAt(i);
        if (c === '"') {
            if (!escaped) {
                inQuotes = !inQuotes;
            }
            else {
                append(c);
            }
            continue;
        }
        if (c === '\\' && escaped) {
            append(c);
            continue;
        }
        if (c === '\\' && inQuotes) {
            escaped = true;
            continue;
        }
        if (c === ' ' && !inQuotes) {
            if (arg.length > 0) {
                args.push(arg);
                arg = '';
            }
            continue;
        }
        append(c);
    }
    if (arg.length > 0) {
        args.push(arg.trim());
    }
    return args;
}
class ExecState extends external_events_namespaceObject.EventEmitter {
    constructor(options, toolPath) {
        super();
        this.processClosed = false; // tracks whether the process has exited and stdio is closed
        this.processError = '';
        this.processExitCode = 0;
        this.processExited = false; // tracks whether the process has exited
        this.processStderr = false; // tracks whether stderr was written to
        this.delay = 10000; // 10 seconds
        this.done = false;
        this.timeout = null;
        if (!toolPath) {
            throw new Error('toolPath must not be empty');
        }
        this.options = options;
        this.toolPath = toolPath;
        if (options.delay) {
            this.delay = options.delay;
        }
    }
    CheckComplete() {
        if (this.done) {
            return;
        }
        if (this.processClosed) {
            this._setResult();
        }
        else if (this.processExited) {
            this.timeout = (0,external_timers_namespaceObject.setTimeout)(ExecState.HandleTimeout, this.delay, this);
        }
    }
    _debug(message) {
        this.emit('debug', message);
    }
    _setResult() {
        // determine whether there is an error
        let error;
        if (this.processExited) {
            if (this.processError) {
                error = new Error(`There was an error when attempting to execute the process '${this.toolPath}'. This may indicate the process failed to start. Error: ${this.processError}`);
            }
            else if (this.processExitCode !== 0 && !this.options.ignoreReturnCode) {
                error = new Error(`The process '${this.toolPath}' failed with exit code ${this.processExitCode}`);
            }
            else if (this.processStderr && this.options.failOnStdErr) {
                error = new Error(`The process '${this.toolPath}' failed because one or more lines were written to the STDERR stream`);
            }
        }
        // clear the timeout
        if (this.timeout) {
            clearTimeout(this.timeout);
            this.timeout = null;
        }
        this.done = true;
        this.emit('done', error, this.processExitCode);
    }
    static HandleTimeout(state) {
        if (state.done) {
            return;
        }
        if (!state.processClosed && state.processExited) {
            const message = `The STDIO streams did not close within ${state.delay / 1000} seconds of the exit event from process '${state.toolPath}'. This may indicate a child process inherited the STDIO streams and has not yet exited.`;
            state._debug(message);
        }
        state._setResult();
    }
}
//# sourceMappingURL=toolrunner.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/exec/lib/exec.js
var exec_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


/**
 * Exec a command.
 * Output will be streamed to the live console.
 * Returns promise with return code
 *
 * @param     commandLine        command to execute (can include additional args). Must be correctly escaped.
 * @param     args               optional arguments for tool. Escaping is handled by the lib.
 * @param     options            optional exec options.  See ExecOptions
 * @returns   Promise<number>    exit code
 */
function exec_exec(commandLine, args, options) {
    return exec_awaiter(this, void 0, void 0, function* () {
        const commandArgs = tr.argStringToArray(commandLine);
        if (commandArgs.length === 0) {
            throw new Error(`Parameter 'commandLine' cannot be null or empty.`);
        }
        // Path to tool to execute should be first arg
        const toolPath = commandArgs[0];
        args = commandArgs.slice(1).concat(args || []);
        const runner = new tr.ToolRunner(toolPath, args, options);
        return runner.exec();
    });
}
/**
 * Exec a command and get the output.
 * Output will be streamed to the live console.
 * Returns promise with the exit code and collected stdout and stderr
 *
 * @param     commandLine           command to execute (can include additional args). Must be correctly escaped.
 * @param     args                  optional arguments for tool. Escaping is handled by the lib.
 * @param     options               optional exec options.  See ExecOptions
 * @returns   Promise<ExecOutput>   exit code, stdout, and stderr
 */
function exec_getExecOutput(commandLine, args, options) {
    return exec_awaiter(this, void 0, void 0, function* () {
        var _a, _b;
        let stdout = '';
        let stderr = '';
        //Using string decoder covers the case where a mult-byte character is split
        const stdoutDecoder = new StringDecoder('utf8');
        const stderrDecoder = new StringDecoder('utf8');
        const originalStdoutListener = (_a = options === null || options === void 0 ? void 0 : options.listeners) === null || _a === void 0 ? void 0 : _a.stdout;
        const originalStdErrListener = (_b = options === null || options === void 0 ? void 0 : options.listeners) === null || _b === void 0 ? void 0 : _b.stderr;
        const stdErrListener = (data) => {
            stderr += stderrDecoder.write(data);
            if (originalStdErrListener) {
                originalStdErrListener(data);
            }
        };
        const stdOutListener = (data) => {
            stdout += stdoutDecoder.write(data);
            if (originalStdoutListener) {
                originalStdoutListener(data);
            }
        };
        const listeners = Object.assign(Object.assign({}, options === null || options === void 0 ? void 0 : options.listeners), { stdout: stdOutListener, stderr: stdErrListener });
        const exitCode = yield exec_exec(commandLine, args, Object.assign(Object.assign({}, options), { listeners }));
        //flush any remaining characters
        stdout += stdoutDecoder.end();
        stderr += stderrDecoder.end();
        return {
            exitCode,
            stdout,
            stderr
        };
    });
}
//# sourceMappingURL=exec.js.map
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
const LOG_LEVELS = ['error', 'warn', 'info', 'debug'];
/**
 * The step's log at a log level: error shows only the failure (thrown, not logged), warn
 * adds warnings, info adds progress (the default), debug adds the detail that otherwise
 * shows only when the run is re-run with step debug logging.
 */
function leveledLog(level) {
    const shown = LOG_LEVELS.indexOf(level);
    return {
        info: (m) => shown >= LOG_LEVELS.indexOf('info') && info(m),
        warning: (m) => shown >= LOG_LEVELS.indexOf('warn') && warning(m),
        debug: (m) => (shown >= LOG_LEVELS.indexOf('debug') ? info(`debug: ${m}`) : core_debug(m)),
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






;// CONCATENATED MODULE: ./packages/publishing/src/github/errors.ts

/** GitHub's answer that ends an operation, in words a workflow author can act on. */
class GitHubApiError extends errors/* DomainError */.J {
    status;
    constructor(status, message, subject) {
        super(message, subject ? { subject } : {});
        this.status = status;
    }
}
/** The owner or package does not exist, or the token cannot see it (GitHub answers 404 to both). */
class NotFoundError extends GitHubApiError {
    constructor(subject, message) {
        super(404, message, subject);
    }
}
/** Still rate limited after waiting as long as we are willing to. */
class RateLimitError extends GitHubApiError {
}
/** The run's share of the rate limit (rate-limit-budget) is spent: not a failure, the rest is for the next run. */
class BudgetExhaustedError extends GitHubApiError {
    constructor(message) {
        super(0, message);
    }
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
const types_ATTESTATION_REFERENCE_DIGEST = 'vnd.docker.reference.digest';
const ATTESTATION_MANIFEST = 'attestation-manifest';
function isIndexMediaType(mediaType) {
    return INDEX_MEDIA_TYPES.includes(mediaType);
}
function types_platformString(p) {
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

;// CONCATENATED MODULE: ./packages/publishing/src/cleanup/broken.ts


function findBrokenImages(versions, links) {
    const present = new Set(versions.map((v) => v.digest));
    const broken = new Map();
    for (const version of versions) {
        const own = links.get(version.digest);
        const subjects = [...version.tags.map(referrerTagSubject), own?.subject].filter((s) => s !== undefined);
        const gone = subjects.filter((s) => !present.has(s));
        if (gone.length > 0) {
            broken.set(version.digest, { kind: 'orphaned', missing: [...new Set(gone)] });
            continue;
        }
        // A referrers fallback index lists referrers, not platforms: never a ghost.
        if (!own || subjects.length > 0)
            continue;
        const platforms = own.listed.filter((entry) => !isAttestationManifest(entry));
        const missing = platforms.map((entry) => entry.digest).filter((digest) => !present.has(digest));
        if (missing.length === 0)
            continue;
        broken.set(version.digest, { kind: missing.length === platforms.length ? 'ghost' : 'partial', missing });
    }
    return broken;
}

;// CONCATENATED MODULE: ./packages/publishing/src/cleanup/dependents.ts



function manifestLinks(raw) {
    const json = JSON.parse(raw.bytes.toString('utf8'));
    return {
        listed: isIndexMediaType(raw.mediaType) ? (json.manifests ?? []) : [],
        ...(json.subject?.digest ? { subject: json.subject.digest } : {}),
    };
}
/** Parent digest -> the versions that belong to it, from manifests read and tags listed. */
function dependentsOf(versions, links) {
    const dependents = new Map();
    const seen = new Set();
    const add = (parent, digest, kind) => {
        const key = `${parent} ${digest}`;
        if (parent === digest || seen.has(key))
            return;
        seen.add(key);
        (dependents.get(parent) ?? dependents.set(parent, []).get(parent)).push({ digest, kind });
    };
    for (const version of versions) {
        const referrerOf = version.tags.map(referrerTagSubject).filter((s) => s !== undefined);
        for (const subject of referrerOf)
            add(subject, version.digest, 'referrer');
        const own = links.get(version.digest);
        if (!own)
            continue;
        if (own.subject)
            add(own.subject, version.digest, 'referrer');
        for (const entry of own.listed) {
            // A referrers fallback index lists referrers, not parts of an image.
            const kind = referrerOf.length > 0 ? 'referrer' : isAttestationManifest(entry) ? 'attestation' : 'platform manifest';
            add(version.digest, entry.digest, kind);
        }
    }
    return dependents;
}

;// CONCATENATED MODULE: ./node_modules/universal-user-agent/index.js
function getUserAgent() {
  if (typeof navigator === "object" && "userAgent" in navigator) {
    return navigator.userAgent;
  }

  if (typeof process === "object" && process.version !== undefined) {
    return `Node.js/${process.version.substr(1)} (${process.platform}; ${
      process.arch
    })`;
  }

  return "<environment undetectable>";
}

;// CONCATENATED MODULE: ./node_modules/before-after-hook/lib/register.js
// @ts-check

function register(state, name, method, options) {
  if (typeof method !== "function") {
    throw new Error("method for before hook must be a function");
  }

  if (!options) {
    options = {};
  }

  if (Array.isArray(name)) {
    return name.reverse().reduce((callback, name) => {
      return register.bind(null, state, name, callback, options);
    }, method)();
  }

  return Promise.resolve().then(() => {
    if (!state.registry[name]) {
      return method(options);
    }

    return state.registry[name].reduce((method, registered) => {
      return registered.hook.bind(null, method, options);
    }, method)();
  });
}

;// CONCATENATED MODULE: ./node_modules/before-after-hook/lib/add.js
// @ts-check

function addHook(state, kind, name, hook) {
  const orig = hook;
  if (!state.registry[name]) {
    state.registry[name] = [];
  }

  if (kind === "before") {
    hook = (method, options) => {
      return Promise.resolve()
        .then(orig.bind(null, options))
        .then(method.bind(null, options));
    };
  }

  if (kind === "after") {
    hook = (method, options) => {
      let result;
      return Promise.resolve()
        .then(method.bind(null, options))
        .then((result_) => {
          result = result_;
          return orig(result, options);
        })
        .then(() => {
          return result;
        });
    };
  }

  if (kind === "error") {
    hook = (method, options) => {
      return Promise.resolve()
        .then(method.bind(null, options))
        .catch((error) => {
          return orig(error, options);
        });
    };
  }

  state.registry[name].push({
    hook: hook,
    orig: orig,
  });
}

;// CONCATENATED MODULE: ./node_modules/before-after-hook/lib/remove.js
// @ts-check

function removeHook(state, name, method) {
  if (!state.registry[name]) {
    return;
  }

  const index = state.registry[name]
    .map((registered) => {
      return registered.orig;
    })
    .indexOf(method);

  if (index === -1) {
    return;
  }

  state.registry[name].splice(index, 1);
}

;// CONCATENATED MODULE: ./node_modules/before-after-hook/index.js
// @ts-check





// bind with array of arguments: https://stackoverflow.com/a/21792913
const bind = Function.bind;
const bindable = bind.bind(bind);

function bindApi(hook, state, name) {
  const removeHookRef = bindable(removeHook, null).apply(
    null,
    name ? [state, name] : [state]
  );
  hook.api = { remove: removeHookRef };
  hook.remove = removeHookRef;
  ["before", "error", "after", "wrap"].forEach((kind) => {
    const args = name ? [state, kind, name] : [state, kind];
    hook[kind] = hook.api[kind] = bindable(addHook, null).apply(null, args);
  });
}

function Singular() {
  const singularHookName = Symbol("Singular");
  const singularHookState = {
    registry: {},
  };
  const singularHook = register.bind(null, singularHookState, singularHookName);
  bindApi(singularHook, singularHookState, singularHookName);
  return singularHook;
}

function Collection() {
  const state = {
    registry: {},
  };

  const hook = register.bind(null, state);
  bindApi(hook, state);

  return hook;
}

/* harmony default export */ const before_after_hook = ({ Singular, Collection });

;// CONCATENATED MODULE: ./node_modules/@octokit/endpoint/dist-bundle/index.js
// pkg/dist-src/defaults.js


// pkg/dist-src/version.js
var VERSION = "0.0.0-development";

// pkg/dist-src/defaults.js
var userAgent = `octokit-endpoint.js/${VERSION} ${getUserAgent()}`;
var DEFAULTS = {
  method: "GET",
  baseUrl: "https://api.github.com",
  headers: {
    accept: "application/vnd.github.v3+json",
    "user-agent": userAgent
  },
  mediaType: {
    format: ""
  }
};

// pkg/dist-src/util/lowercase-keys.js
function lowercaseKeys(object) {
  if (!object) {
    return {};
  }
  return Object.keys(object).reduce((newObj, key) => {
    newObj[key.toLowerCase()] = object[key];
    return newObj;
  }, {});
}

// pkg/dist-src/util/is-plain-object.js
function isPlainObject(value) {
  if (typeof value !== "object" || value === null) return false;
  if (Object.prototype.toString.call(value) !== "[object Object]") return false;
  const proto = Object.getPrototypeOf(value);
  if (proto === null) return true;
  const Ctor = Object.prototype.hasOwnProperty.call(proto, "constructor") && proto.constructor;
  return typeof Ctor === "function" && Ctor instanceof Ctor && Function.prototype.call(Ctor) === Function.prototype.call(value);
}

// pkg/dist-src/util/merge-deep.js
function mergeDeep(defaults, options) {
  const result = Object.assign({}, defaults);
  Object.keys(options).forEach((key) => {
    if (isPlainObject(options[key])) {
      if (!(key in defaults)) Object.assign(result, { [key]: options[key] });
      else result[key] = mergeDeep(defaults[key], options[key]);
    } else {
      Object.assign(result, { [key]: options[key] });
    }
  });
  return result;
}

// pkg/dist-src/util/remove-undefined-properties.js
function removeUndefinedProperties(obj) {
  for (const key in obj) {
    if (obj[key] === void 0) {
      delete obj[key];
    }
  }
  return obj;
}

// pkg/dist-src/merge.js
function merge(defaults, route, options) {
  if (typeof route === "string") {
    let [method, url] = route.split(" ");
    options = Object.assign(url ? { method, url } : { url: method }, options);
  } else {
    options = Object.assign({}, route);
  }
  options.headers = lowercaseKeys(options.headers);
  removeUndefinedProperties(options);
  removeUndefinedProperties(options.headers);
  const mergedOptions = mergeDeep(defaults || {}, options);
  if (options.url === "/graphql") {
    if (defaults && defaults.mediaType.previews?.length) {
      mergedOptions.mediaType.previews = defaults.mediaType.previews.filter(
        (preview) => !mergedOptions.mediaType.previews.includes(preview)
      ).concat(mergedOptions.mediaType.previews);
    }
    mergedOptions.mediaType.previews = (mergedOptions.mediaType.previews || []).map((preview) => preview.replace(/-preview/, ""));
  }
  return mergedOptions;
}

// pkg/dist-src/util/add-query-parameters.js
function addQueryParameters(url, parameters) {
  const separator = /\?/.test(url) ? "&" : "?";
  const names = Object.keys(parameters);
  if (names.length === 0) {
    return url;
  }
  return url + separator + names.map((name) => {
    if (name === "q") {
      return "q=" + parameters.q.split("+").map(encodeURIComponent).join("+");
    }
    return `${name}=${encodeURIComponent(parameters[name])}`;
  }).join("&");
}

// pkg/dist-src/util/extract-url-variable-names.js
var urlVariableRegex = /\{[^{}}]+\}/g;
function removeNonChars(variableName) {
  return variableName.replace(/(?:^\W+)|(?:(?<!\W)\W+$)/g, "").split(/,/);
}
function extractUrlVariableNames(url) {
  const matches = url.match(urlVariableRegex);
  if (!matches) {
    return [];
  }
  return matches.map(removeNonChars).reduce((a, b) => a.concat(b), []);
}

// pkg/dist-src/util/omit.js
function omit(object, keysToOmit) {
  const result = { __proto__: null };
  for (const key of Object.keys(object)) {
    if (keysToOmit.indexOf(key) === -1) {
      result[key] = object[key];
    }
  }
  return result;
}

// pkg/dist-src/util/url-template.js
function encodeReserved(str) {
  return str.split(/(%[0-9A-Fa-f]{2})/g).map(function(part) {
    if (!/%[0-9A-Fa-f]/.test(part)) {
      part = encodeURI(part).replace(/%5B/g, "[").replace(/%5D/g, "]");
    }
    return part;
  }).join("");
}
function encodeUnreserved(str) {
  return encodeURIComponent(str).replace(/[!'()*]/g, function(c) {
    return "%" + c.charCodeAt(0).toString(16).toUpperCase();
  });
}
function encodeValue(operator, value, key) {
  value = operator === "+" || operator === "#" ? encodeReserved(value) : encodeUnreserved(value);
  if (key) {
    return encodeUnreserved(key) + "=" + value;
  } else {
    return value;
  }
}
function isDefined(value) {
  return value !== void 0 && value !== null;
}
function isKeyOperator(operator) {
  return operator === ";" || operator === "&" || operator === "?";
}
function getValues(context, operator, key, modifier) {
  var value = context[key], result = [];
  if (isDefined(value) && value !== "") {
    if (typeof value === "string" || typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
      value = value.toString();
      if (modifier && modifier !== "*") {
        value = value.substring(0, parseInt(modifier, 10));
      }
      result.push(
        encodeValue(operator, value, isKeyOperator(operator) ? key : "")
      );
    } else {
      if (modifier === "*") {
        if (Array.isArray(value)) {
          value.filter(isDefined).forEach(function(value2) {
            result.push(
              encodeValue(operator, value2, isKeyOperator(operator) ? key : "")
            );
          });
        } else {
          Object.keys(value).forEach(function(k) {
            if (isDefined(value[k])) {
              result.push(encodeValue(operator, value[k], k));
            }
          });
        }
      } else {
        const tmp = [];
        if (Array.isArray(value)) {
          value.filter(isDefined).forEach(function(value2) {
            tmp.push(encodeValue(operator, value2));
          });
        } else {
          Object.keys(value).forEach(function(k) {
            if (isDefined(value[k])) {
              tmp.push(encodeUnreserved(k));
              tmp.push(encodeValue(operator, value[k].toString()));
            }
          });
        }
        if (isKeyOperator(operator)) {
          result.push(encodeUnreserved(key) + "=" + tmp.join(","));
        } else if (tmp.length !== 0) {
          result.push(tmp.join(","));
        }
      }
    }
  } else {
    if (operator === ";") {
      if (isDefined(value)) {
        result.push(encodeUnreserved(key));
      }
    } else if (value === "" && (operator === "&" || operator === "?")) {
      result.push(encodeUnreserved(key) + "=");
    } else if (value === "") {
      result.push("");
    }
  }
  return result;
}
function parseUrl(template) {
  return {
    expand: expand.bind(null, template)
  };
}
function expand(template, context) {
  var operators = ["+", "#", ".", "/", ";", "?", "&"];
  template = template.replace(
    /\{([^\{\}]+)\}|([^\{\}]+)/g,
    function(_, expression, literal) {
      if (expression) {
        let operator = "";
        const values = [];
        if (operators.indexOf(expression.charAt(0)) !== -1) {
          operator = expression.charAt(0);
          expression = expression.substr(1);
        }
        expression.split(/,/g).forEach(function(variable) {
          var tmp = /([^:\*]*)(?::(\d+)|(\*))?/.exec(variable);
          values.push(getValues(context, operator, tmp[1], tmp[2] || tmp[3]));
        });
        if (operator && operator !== "+") {
          var separator = ",";
          if (operator === "?") {
            separator = "&";
          } else if (operator !== "#") {
            separator = operator;
          }
          return (values.length !== 0 ? operator : "") + values.join(separator);
        } else {
          return values.join(",");
        }
      } else {
        return encodeReserved(literal);
      }
    }
  );
  if (template === "/") {
    return template;
  } else {
    return template.replace(/\/$/, "");
  }
}

// pkg/dist-src/parse.js
function parse(options) {
  let method = options.method.toUpperCase();
  let url = (options.url || "/").replace(/:([a-z]\w+)/g, "{$1}");
  let headers = Object.assign({}, options.headers);
  let body;
  let parameters = omit(options, [
    "method",
    "baseUrl",
    "url",
    "headers",
    "request",
    "mediaType"
  ]);
  const urlVariableNames = extractUrlVariableNames(url);
  url = parseUrl(url).expand(parameters);
  if (!/^http/.test(url)) {
    url = options.baseUrl + url;
  }
  const omittedParameters = Object.keys(options).filter((option) => urlVariableNames.includes(option)).concat("baseUrl");
  const remainingParameters = omit(parameters, omittedParameters);
  const isBinaryRequest = /application\/octet-stream/i.test(headers.accept);
  if (!isBinaryRequest) {
    if (options.mediaType.format) {
      headers.accept = headers.accept.split(/,/).map(
        (format) => format.replace(
          /application\/vnd(\.\w+)(\.v3)?(\.\w+)?(\+json)?$/,
          `application/vnd$1$2.${options.mediaType.format}`
        )
      ).join(",");
    }
    if (url.endsWith("/graphql")) {
      if (options.mediaType.previews?.length) {
        const previewsFromAcceptHeader = headers.accept.match(/(?<![\w-])[\w-]+(?=-preview)/g) || [];
        headers.accept = previewsFromAcceptHeader.concat(options.mediaType.previews).map((preview) => {
          const format = options.mediaType.format ? `.${options.mediaType.format}` : "+json";
          return `application/vnd.github.${preview}-preview${format}`;
        }).join(",");
      }
    }
  }
  if (["GET", "HEAD"].includes(method)) {
    url = addQueryParameters(url, remainingParameters);
  } else {
    if ("data" in remainingParameters) {
      body = remainingParameters.data;
    } else {
      if (Object.keys(remainingParameters).length) {
        body = remainingParameters;
      }
    }
  }
  if (!headers["content-type"] && typeof body !== "undefined") {
    headers["content-type"] = "application/json; charset=utf-8";
  }
  if (["PATCH", "PUT"].includes(method) && typeof body === "undefined") {
    body = "";
  }
  return Object.assign(
    { method, url, headers },
    typeof body !== "undefined" ? { body } : null,
    options.request ? { request: options.request } : null
  );
}

// pkg/dist-src/endpoint-with-defaults.js
function endpointWithDefaults(defaults, route, options) {
  return parse(merge(defaults, route, options));
}

// pkg/dist-src/with-defaults.js
function withDefaults(oldDefaults, newDefaults) {
  const DEFAULTS2 = merge(oldDefaults, newDefaults);
  const endpoint2 = endpointWithDefaults.bind(null, DEFAULTS2);
  return Object.assign(endpoint2, {
    DEFAULTS: DEFAULTS2,
    defaults: withDefaults.bind(null, DEFAULTS2),
    merge: merge.bind(null, DEFAULTS2),
    parse
  });
}

// pkg/dist-src/index.js
var endpoint = withDefaults(null, DEFAULTS);


;// CONCATENATED MODULE: ./node_modules/content-type/dist/index.js
/*!
 * content-type
 * Copyright(c) 2015 Douglas Christopher Wilson
 * MIT Licensed
 */
const SP = 32; // " "
const HTAB = 9; // "\t"
const SEMI = 59; // ";"
const EQ = 61; // "="
const DQUOTE = 34; // '"'
const BSLASH = 92; // "\\"
const COMMA = 44; // ","
const LOWER_CASE = 1;
const OWS = 2;
const SEMI_FLAG = 4;
const COMMA_FLAG = 8;
const TOKEN_FLAG = 16;
const NON_ASCII = 0xff00;
const CASE_FLAGS = LOWER_CASE | NON_ASCII;
/**
 * Character flags used to normalize HTTP field values while scanning.
 * Out-of-range reads intentionally coerce to zero in bitwise expressions.
 */
const CHAR_MAP = new Uint8Array(0x100);
CHAR_MAP[HTAB] |= OWS;
CHAR_MAP[SP] |= OWS;
CHAR_MAP[SEMI] |= SEMI_FLAG;
CHAR_MAP[COMMA] |= COMMA_FLAG;
for (let code = 0x80 /* non-ASCII */; code <= 0xff; code++) {
    CHAR_MAP[code] |= LOWER_CASE;
}
for (const char of "!#$%&'*+-.^_`|~") {
    CHAR_MAP[char.charCodeAt(0)] |= TOKEN_FLAG;
}
for (let code = 0x30 /* 0 */; code <= 0x39 /* 9 */; code++) {
    CHAR_MAP[code] |= TOKEN_FLAG;
}
for (let code = 0x41 /* A */; code <= 0x5a /* Z */; code++) {
    CHAR_MAP[code] |= LOWER_CASE | TOKEN_FLAG;
}
for (let code = 0x61 /* a */; code <= 0x7a /* z */; code++) {
    CHAR_MAP[code] |= TOKEN_FLAG;
}
/**
 * Null object perf optimization. Faster than `Object.create(null)` and `{ __proto__: null }`.
 */
const NullObject = /* @__PURE__ */ (() => {
    const C = function () { };
    C.prototype = Object.create(null);
    return C;
})();
/**
 * Validate a type string against RFC 9110.
 */
function isTypeValid(type, start = 0, end = type.length) {
    let hasSlash = false;
    for (let index = start; index < end; index++) {
        const code = type.charCodeAt(index);
        if (code === 47 /* / */) {
            if (hasSlash || index === start || index >= end - 1)
                return false;
            hasSlash = true;
        }
        else if (!isTokenCode(code)) {
            return false;
        }
    }
    return hasSlash;
}
/**
 * Validate a token against RFC 9110.
 */
function isTokenValid(token, start = 0, end = token.length) {
    if (start >= end)
        return false;
    for (let index = start; index < end; index++) {
        if (!isTokenCode(token.charCodeAt(index)))
            return false;
    }
    return true;
}
/**
 * Check whether a character code belongs to the token production in RFC 9110.
 */
function isTokenCode(code) {
    return (CHAR_MAP[code] & TOKEN_FLAG) !== 0;
}
/**
 * Serialize a parameter value.
 */
function parameterValue(str) {
    const len = str.length;
    if (len === 0)
        return '""';
    let index = 0;
    while (index < len && isTokenCode(str.charCodeAt(index)))
        index++;
    if (index === len)
        return str;
    let result = '"';
    let start = 0;
    while (index < len) {
        const code = str.charCodeAt(index);
        if (code !== HTAB && (code < SP || code === 127 || code > 255)) {
            throw new TypeError(`Invalid parameter value: ${str}`);
        }
        if (code === 34 /* " */ || code === 92 /* \\ */) {
            result += `${str.slice(start, index)}\\`;
            start = index;
        }
        index++;
    }
    return `${result}${str.slice(start)}"`;
}
/**
 * Format an object into a `Content-Type` header.
 */
function format(obj) {
    const { type, parameters } = obj;
    if (!type || !isTypeValid(type)) {
        throw new TypeError(`Invalid type: ${type}`);
    }
    let result = type;
    if (parameters) {
        for (const param of Object.keys(parameters)) {
            if (!isTokenValid(param)) {
                throw new TypeError(`Invalid parameter name: ${param}`);
            }
            result += `; ${param}=${parameterValue(parameters[param])}`;
        }
    }
    return result;
}
/**
 * Parse a `Content-Type` header.
 */
function dist_parse(header, options) {
    const stopFlags = SEMI_FLAG | (options?.comma === true ? COMMA_FLAG : 0);
    const len = header.length;
    let valueStart = options?.start ?? 0;
    while ((CHAR_MAP[header.charCodeAt(valueStart)] & OWS) !== 0) {
        valueStart++;
    }
    let index = valueStart;
    let typeFlags = 0;
    let whitespace = -1;
    let stop = options?.parameters === false ? COMMA_FLAG : 0;
    while (index < len) {
        const code = header.charCodeAt(index);
        const flags = CHAR_MAP[code];
        if ((flags & stopFlags) !== 0) {
            stop |= flags & COMMA_FLAG;
            break;
        }
        if ((flags & OWS) !== 0) {
            if (whitespace === -1)
                whitespace = index;
        }
        else {
            whitespace = -1;
        }
        typeFlags |= (code & NON_ASCII) | flags;
        index++;
    }
    const valueEnd = whitespace === -1 ? index : whitespace;
    const value = header.slice(valueStart, valueEnd);
    const type = (typeFlags & CASE_FLAGS) === 0 ? value : value.toLowerCase();
    if (index === len || stop !== 0) {
        return { type, index, parameters: new NullObject() };
    }
    return parseParameters(header, type, index, len, stopFlags);
}
/**
 * Parses the parameters of a `Content-Type` header starting at the given index.
 */
function parseParameters(header, type, index, len, stopFlags) {
    const parameters = new NullObject();
    parameter: while (index < len) {
        index++; // Skip over ;
        while ((CHAR_MAP[header.charCodeAt(index)] & OWS) !== 0) {
            index++;
        }
        const keyStart = index;
        let keyFlags = 0;
        let keyWhitespace = -1;
        while (index < len) {
            const code = header.charCodeAt(index);
            const flags = CHAR_MAP[code];
            if ((flags & stopFlags) !== 0) {
                if ((flags & COMMA_FLAG) !== 0)
                    break parameter;
                continue parameter;
            }
            if (code === EQ) {
                const keyEnd = keyWhitespace === -1 ? index : keyWhitespace;
                const value = header.slice(keyStart, keyEnd);
                const key = (keyFlags & CASE_FLAGS) === 0 ? value : value.toLowerCase();
                index++;
                while ((CHAR_MAP[header.charCodeAt(index)] & OWS) !== 0) {
                    index++;
                }
                if (index < len && header.charCodeAt(index) === DQUOTE) {
                    const quotedStart = ++index;
                    let escaped = false;
                    while (index < len) {
                        const code = header.charCodeAt(index);
                        if (code === DQUOTE) {
                            if (parameters[key] === undefined) {
                                parameters[key] = escaped
                                    ? unescapeQuotedPairs(header, quotedStart, index)
                                    : header.slice(quotedStart, index);
                            }
                            index++;
                            let stop = 0;
                            // Discard characters between quote and delimiter.
                            while (index < len) {
                                const code = header.charCodeAt(index);
                                const flags = CHAR_MAP[code];
                                if ((flags & stopFlags) !== 0) {
                                    stop = flags & COMMA_FLAG;
                                    break;
                                }
                                index++;
                            }
                            if (stop !== 0)
                                break parameter;
                            continue parameter;
                        }
                        if (code === BSLASH && index + 1 < len) {
                            escaped = true;
                            index += 2;
                            continue;
                        }
                        index++;
                    }
                    continue parameter;
                }
                const valueStart = index;
                let stop = 0;
                let valueWhitespace = -1;
                while (index < len) {
                    const code = header.charCodeAt(index);
                    const flags = CHAR_MAP[code];
                    if ((flags & stopFlags) !== 0) {
                        stop = flags & COMMA_FLAG;
                        break;
                    }
                    if ((flags & OWS) !== 0) {
                        if (valueWhitespace === -1)
                            valueWhitespace = index;
                    }
                    else {
                        valueWhitespace = -1;
                    }
                    index++;
                }
                if (parameters[key] === undefined) {
                    const valueEnd = valueWhitespace === -1 ? index : valueWhitespace;
                    parameters[key] = header.slice(valueStart, valueEnd);
                }
                if (stop !== 0)
                    break parameter;
                continue parameter;
            }
            if ((flags & OWS) !== 0) {
                if (keyWhitespace === -1)
                    keyWhitespace = index;
            }
            else {
                keyWhitespace = -1;
            }
            keyFlags |= (code & NON_ASCII) | flags;
            index++;
        }
    }
    return { type, index, parameters };
}
/**
 * Remove backslashes from quoted pairs in a known-terminated quoted string body.
 */
function unescapeQuotedPairs(str, start, end) {
    let result = "";
    for (let index = start; index < end; index++) {
        if (str.charCodeAt(index) === BSLASH) {
            result += str.slice(start, index);
            start = ++index;
        }
    }
    return result + str.slice(start, end);
}
//# sourceMappingURL=index.js.map
;// CONCATENATED MODULE: ./node_modules/json-with-bigint/json-with-bigint.js
const intRegex = /^-?\d+$/;
const noiseValue = /^-?\d+n+$/; // Noise - strings that match the custom format before being converted to it
const originalStringify = JSON.stringify;
const originalParse = JSON.parse;
const customFormat = /^-?\d+n$/;

const bigIntsStringify = /([\[:])?"(-?\d+)n"($|\s*[,\}\]])/g;
const noiseStringify = /([\[:])?("-?\d+n+)n("$|"\s*[,\}\]])/g;

/**
 * @typedef {(this: any, key: string | number | undefined, value: any) => any} Replacer
 * @typedef {(key: string | number | undefined, value: any, context?: { source: string }) => any} Reviver
 */

/**
 * Checks if a value is unstringifiable according to native JSON.stringify rules.
 *
 * @param {any} val The value to check.
 * @returns {boolean} True if the value is undefined, a function, or a symbol.
 */
const isUnstringifiable = (val) =>
  val === undefined || typeof val === "function" || typeof val === "symbol";

/**
 * Checks if a value is a native JSON.rawJSON object (Node.js 22+).
 *
 * @param {any} val The value to check.
 * @returns {boolean} True if the value is a RawJSON instance.
 */
const isRawJSON = (val) =>
  val !== null &&
  typeof val === "object" &&
  val.constructor &&
  val.constructor.name === "RawJSON";

/**
 * Iteratively converts a JS value to a JSON string.
 * Used as a fallback when the native JSON.stringify hits the Maximum Call Stack size.
 * Fully compliant with JSON formatting (space), replacers, and toJSON behaviors.
 *
 * @param {any} rootValue The value to stringify.
 * @param {Replacer | Array<string | number> | null} [replacer] User's custom replacer function.
 * @param {string | number} [spaceParam] Indentation for pretty-printing.
 * @returns {string | undefined} The generated JSON string.
 */
const stringifyIteratively = (rootValue, replacer, spaceParam) => {
  let space = "";

  if (typeof spaceParam === "number") {
    space = " ".repeat(Math.min(10, Math.max(0, Math.floor(spaceParam))));
  } else if (typeof spaceParam === "string") {
    space = spaceParam.slice(0, 10);
  }

  const isFunctionReplacer = typeof replacer === "function";
  const propertyList = Array.isArray(replacer)
    ? new Set(replacer.map(String))
    : null;

  /**
   * Prepares a value for stringification by resolving toJSON, handling BigInts,
   * applying custom replacers, and unwrapping primitive objects.
   *
   * @param {object|Array} parent The parent object or array holding the value.
   * @param {string} key The key associated with the value.
   * @param {any} val The raw value to process.
   * @returns {any} The processed value ready for stringification.
   */
  const prepareVal = (parent, key, val) => {
    const isObject = val !== null && typeof val === "object";
    const hasToJSON = isObject && typeof val.toJSON === "function";

    if (hasToJSON) {
      val = val.toJSON(key);
    }

    const isNoise = typeof val === "string" && noiseValue.test(val);

    if (isNoise) return val + "n";

    const isBigInt = typeof val === "bigint";

    if (isBigInt) {
      const supportsRawJSON = "rawJSON" in JSON;

      if (supportsRawJSON) return JSON.rawJSON(val.toString());

      return val.toString() + "n";
    }

    if (isFunctionReplacer) {
      val = replacer.call(parent, key, val);
    }

    const isPostReplacerObject = val !== null && typeof val === "object";

    if (isPostReplacerObject) {
      const isPrimitiveWrapper =
        val instanceof Number ||
        val instanceof String ||
        val instanceof Boolean;

      if (isPrimitiveWrapper) {
        val = val.valueOf();
      }
    }

    return val;
  };

  const rootProcessed = prepareVal({ "": rootValue }, "", rootValue);

  if (isUnstringifiable(rootProcessed)) {
    return undefined;
  }

  const isRootPrimitive =
    rootProcessed === null || typeof rootProcessed !== "object";
  const isRootNativeRawJSON = isRawJSON(rootProcessed);

  if (isRootPrimitive || isRootNativeRawJSON) {
    return originalStringify(rootProcessed);
  }

  const chunks = [];
  let level = 0;

  const stack = [
    {
      parent: { "": rootProcessed },
      key: "",
      val: rootProcessed,
      isArray: Array.isArray(rootProcessed),
      keys: Array.isArray(rootProcessed) ? null : Object.keys(rootProcessed),
      index: 0,
      first: true,
    },
  ];

  const visited = new WeakSet([rootProcessed]);

  while (stack.length > 0) {
    const node = stack[stack.length - 1];

    if (node.index === 0) {
      chunks.push(node.isArray ? "[" : "{");
      level++;
    }

    let isDone = false;

    if (node.isArray) {
      if (node.index < node.val.length) {
        if (!node.first) chunks.push(",");

        if (space) chunks.push("\n" + space.repeat(level));

        const childRaw = node.val[node.index];
        const childVal = prepareVal(node.val, String(node.index), childRaw);

        if (isUnstringifiable(childVal)) {
          chunks.push("null");
          node.first = false;
          node.index++;
        } else {
          const isComplexObject =
            childVal !== null && typeof childVal === "object";
          const isNativeRaw = isRawJSON(childVal);

          if (isComplexObject && !isNativeRaw) {
            if (visited.has(childVal)) {
              throw new TypeError("Converting circular structure to JSON");
            }

            visited.add(childVal);

            stack.push({
              parent: node.val,
              key: String(node.index),
              val: childVal,
              isArray: Array.isArray(childVal),
              keys: Array.isArray(childVal) ? null : Object.keys(childVal),
              index: 0,
              first: true,
            });

            node.first = false;
            node.index++;
          } else {
            chunks.push(originalStringify(childVal));
            node.first = false;
            node.index++;
          }
        }
      } else {
        isDone = true;
      }
    } else {
      while (node.index < node.keys.length) {
        const k = node.keys[node.index++];

        const isFilteredOutByArray = propertyList && !propertyList.has(k);

        if (isFilteredOutByArray) continue;

        const childRaw = node.val[k];
        const childVal = prepareVal(node.val, k, childRaw);

        if (isUnstringifiable(childVal)) continue;

        if (!node.first) chunks.push(",");

        if (space) {
          chunks.push("\n" + space.repeat(level) + originalStringify(k) + ": ");
        } else {
          chunks.push(originalStringify(k) + ":");
        }

        const isComplexObject =
          childVal !== null && typeof childVal === "object";
        const isNativeRaw = isRawJSON(childVal);

        if (isComplexObject && !isNativeRaw) {
          if (visited.has(childVal)) {
            throw new TypeError("Converting circular structure to JSON");
          }

          visited.add(childVal);

          stack.push({
            parent: node.val,
            key: k,
            val: childVal,
            isArray: Array.isArray(childVal),
            keys: Array.isArray(childVal) ? null : Object.keys(childVal),
            index: 0,
            first: true,
          });

          node.first = false;

          break; // Stop current loop level to process the newly pushed stack node
        } else {
          chunks.push(originalStringify(childVal));
          node.first = false;
        }
      }

      const isNodeFullyProcessed =
        node.index >= node.keys.length && stack[stack.length - 1] === node;

      if (isNodeFullyProcessed) {
        isDone = true;
      }
    }

    if (isDone) {
      level--;

      if (!node.first && space) chunks.push("\n" + space.repeat(level));

      chunks.push(node.isArray ? "]" : "}");
      visited.delete(node.val);
      stack.pop();
    }
  }

  return chunks.join("");
};

/**
 * Converts a JavaScript value to a JSON string.
 *
 * Supports serialization of BigInt values using two strategies:
 * 1. Custom format "123n" → "123" (universal fallback)
 * 2. Native JSON.rawJSON() (Node.js 22+, fastest) when available
 *
 * All other values are serialized exactly like native JSON.stringify().
 *
 * @param {*} value The value to convert to a JSON string.
 * @param {Replacer | Array<string | number> | null} [replacer]
 * A function that alters the behavior of the stringification process,
 * or an array of strings/numbers to indicate properties to exclude.
 * @param {string | number} [space]
 * A string or number to specify indentation or pretty-printing.
 * @returns {string} The JSON string representation.
 */
const JSONStringify = (value, replacer, space) => {
  try {
    const supportsRawJSON = "rawJSON" in JSON;

    if (supportsRawJSON) {
      return originalStringify(
        value,
        (key, val) => {
          if (typeof val === "bigint") return JSON.rawJSON(val.toString());

          const hasFunctionReplacer = typeof replacer === "function";

          if (hasFunctionReplacer) return replacer(key, val);

          const isKeyInArrayReplacer =
            Array.isArray(replacer) && replacer.includes(key);

          if (isKeyInArrayReplacer) return val;

          return val;
        },
        space,
      );
    }

    if (!value) return originalStringify(value, replacer, space);

    const convertedToCustomJSON = originalStringify(
      value,
      (key, val) => {
        const isNoise = typeof val === "string" && noiseValue.test(val);

        if (isNoise) return val.toString() + "n"; // Mark noise values with additional "n" to offset the deletion of one "n" during the processing

        if (typeof val === "bigint") return val.toString() + "n";

        const hasFunctionReplacer = typeof replacer === "function";

        if (hasFunctionReplacer) return replacer(key, val);

        const isKeyInArrayReplacer =
          Array.isArray(replacer) && replacer.includes(key);

        if (isKeyInArrayReplacer) return val;

        return val;
      },
      space,
    );

    const processedJSON = convertedToCustomJSON.replace(
      bigIntsStringify,
      "$1$2$3",
    ); // Delete one "n" off the end of every BigInt value

    const denoisedJSON = processedJSON.replace(noiseStringify, "$1$2$3"); // Remove one "n" off the end of every noisy string

    return denoisedJSON;
  } catch (error) {
    if (error instanceof RangeError) {
      const convertedJSON = stringifyIteratively(value, replacer, space);

      if (convertedJSON === undefined) return undefined;

      const supportsRawJSON = "rawJSON" in JSON;

      if (supportsRawJSON) return convertedJSON;

      const processedJSON = convertedJSON.replace(bigIntsStringify, "$1$2$3");

      return processedJSON.replace(noiseStringify, "$1$2$3");
    }

    throw error;
  }
};

const featureCache = new Map();

/**
 * Detects if the current JSON.parse implementation supports the context.source feature.
 *
 * Uses toString() fingerprinting to cache results and automatically detect runtime
 * replacements of JSON.parse (polyfills, mocks, etc.).
 *
 * @returns {boolean} true if context.source is supported, false otherwise.
 */
const isContextSourceSupported = () => {
  const parseFingerprint = JSON.parse.toString();

  if (featureCache.has(parseFingerprint)) {
    return featureCache.get(parseFingerprint);
  }

  try {
    const result = JSON.parse(
      "1",
      (_, __, context) => !!context?.source && context.source === "1",
    );
    featureCache.set(parseFingerprint, result);

    return result;
  } catch {
    featureCache.set(parseFingerprint, false);

    return false;
  }
};

/**
 * Reviver function that converts custom-format BigInt strings back to BigInt values.
 * Also handles "noise" strings that accidentally match the BigInt format.
 *
 * @param {string | number | undefined} key The object key.
 * @param {*} value The value being parsed.
 * @param {object} [context] Parse context (if supported by JSON.parse).
 * @param {Reviver} [userReviver] User's custom reviver function.
 * @returns {any} The transformed value.
 */
const convertMarkedBigIntsReviver = (key, value, context, userReviver) => {
  const isCustomFormatBigInt =
    typeof value === "string" && customFormat.test(value);

  if (isCustomFormatBigInt) return BigInt(value.slice(0, -1));

  const isNoiseValue = typeof value === "string" && noiseValue.test(value);
  if (isNoiseValue) return value.slice(0, -1);

  const hasUserReviver = typeof userReviver === "function";

  if (!hasUserReviver) return value;

  return userReviver(key, value, context);
};

/**
 * Fast JSON.parse implementation (~2x faster than classic fallback).
 * Uses JSON.parse's context.source feature to detect integers and convert
 * large numbers directly to BigInt without string manipulation.
 *
 * Does not support legacy custom format from v1 of this library.
 *
 * @param {string} text JSON string to parse.
 * @param {Reviver} [reviver] Transform function to apply to each value.
 * @returns {any} Parsed JavaScript value.
 */
const JSONParseV2 = (text, reviver) => {
  return JSON.parse(text, (key, value, context) => {
    const isNumber = typeof value === "number";
    const isOutOfBounds =
      value > Number.MAX_SAFE_INTEGER || value < Number.MIN_SAFE_INTEGER;
    const isBigNumber = isNumber && isOutOfBounds;
    const isInt = context && intRegex.test(context.source);
    const isBigInt = isBigNumber && isInt;

    if (isBigInt) return BigInt(context.source);

    const hasCustomReviver = typeof reviver === "function";

    if (!hasCustomReviver) return value;

    return reviver(key, value, context);
  });
};

const MAX_INT = Number.MAX_SAFE_INTEGER.toString();
const MAX_DIGITS = MAX_INT.length;
const stringsOrLargeNumbers =
  /"(?:[^"\\]|\\.)*"|-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/g;
const noiseValueWithQuotes = /^"-?\d+n+"$/; // Noise - strings that match the custom format before being converted to it

/**
 * Iteratively traverses the parsed object bottom-up (post-order),
 * emulating the native JSON.parse reviver behavior.
 * This avoids Call Stack overflows (RangeError) on deeply nested structures.
 *
 * @param {any} parsed The natively parsed JSON object.
 * @param {Reviver} [userReviver] User's custom reviver function.
 * @returns {any} The fully processed object.
 */
const applyReviverIteratively = (parsed, userReviver) => {
  const rootHolder = { "": parsed };
  const stack = [{ parent: rootHolder, key: "", visited: false }];

  while (stack.length > 0) {
    const node = stack[stack.length - 1];

    if (!node.visited) {
      node.visited = true;

      const value = node.parent[node.key];
      const isComplexObject = value !== null && typeof value === "object";

      if (isComplexObject) {
        const keys = Object.keys(value);

        for (let i = keys.length - 1; i >= 0; i--) {
          stack.push({ parent: value, key: keys[i], visited: false });
        }
      }
    } else {
      const { parent, key } = node;
      let value = parent[key];

      if (typeof value === "string") {
        const isCustomFormatBigInt = customFormat.test(value);

        if (isCustomFormatBigInt) {
          value = BigInt(value.slice(0, -1));
        } else {
          const isNoise = noiseValue.test(value);

          if (isNoise) value = value.slice(0, -1);
        }
      }

      const hasUserReviver = typeof userReviver === "function";

      if (hasUserReviver) {
        value = userReviver.call(parent, key, value);
      }

      const isDeleted = value === undefined;

      if (isDeleted) {
        delete parent[key];
      } else {
        parent[key] = value;
      }

      stack.pop();
    }
  }

  return rootHolder[""];
};

/**
 * Pre-processes the JSON string to mark large numbers with an 'n' suffix.
 *
 * @param {string} text The raw JSON string.
 * @returns {string} The serialized string with marked BigInts.
 */
const serializeBigInts = (text) => {
  return text.replace(
    stringsOrLargeNumbers,
    (match, digits, fractional, exponential) => {
      const isString = match[0] === '"';
      const isNoise = isString && noiseValueWithQuotes.test(match);

      if (isNoise) return match.substring(0, match.length - 1) + 'n"'; // Mark noise values with additional "n" to offset the deletion of one "n" during the processing

      const hasFractionalOrExponential = fractional || exponential;

      // With a fixed number of digits, we can correctly use lexicographical comparison to do a numeric comparison
      const isLessThanMaxSafeInt =
        digits &&
        (digits.length < MAX_DIGITS ||
          (digits.length === MAX_DIGITS && digits <= MAX_INT));

      const isStandardValue =
        isString || hasFractionalOrExponential || isLessThanMaxSafeInt;

      if (isStandardValue) return match;

      return '"' + match + 'n"';
    },
  );
};

/**
 * Converts a JSON string into a JavaScript value.
 *
 * Supports parsing of large integers using two strategies:
 * 1. Classic fallback: Marks large numbers with "123n" format, then converts to BigInt
 * 2. Fast path (JSONParseV2): Uses context.source feature (~2x faster) when available
 *
 * All other JSON values are parsed exactly like native JSON.parse().
 *
 * @param {string} text A valid JSON string.
 * @param {Reviver} [reviver]
 * A function that transforms the results. This function is called for each member
 * of the object. If a member contains nested objects, the nested objects are
 * transformed before the parent object is.
 * @returns {any} The parsed JavaScript value.
 * @throws {SyntaxError} If text is not valid JSON.
 */
const JSONParse = (text, reviver) => {
  if (!text) return originalParse(text, reviver);

  try {
    if (isContextSourceSupported()) return JSONParseV2(text, reviver); // Shortcut to a faster (2x) and simpler version

    // Find and mark big numbers with "n"
    const serializedData = serializeBigInts(text);

    return originalParse(serializedData, (key, value, context) =>
      convertMarkedBigIntsReviver(key, value, context, reviver),
    );
  } catch (error) {
    if (error instanceof RangeError) {
      const serializedData = serializeBigInts(text);
      const parsed = originalParse(serializedData);

      return applyReviverIteratively(parsed, reviver);
    }

    throw error;
  }
};



;// CONCATENATED MODULE: ./node_modules/@octokit/request-error/dist-src/index.js
class RequestError extends Error {
  name;
  /**
   * http status code
   */
  status;
  /**
   * Request options that lead to the error.
   */
  request;
  /**
   * Response object if a response was received
   */
  response;
  constructor(message, statusCode, options) {
    super(message, { cause: options.cause });
    this.name = "HttpError";
    this.status = Number.parseInt(statusCode);
    if (Number.isNaN(this.status)) {
      this.status = 0;
    }
    /* v8 ignore else -- @preserve -- Bug with vitest coverage where it sees an else branch that doesn't exist */
    if ("response" in options) {
      this.response = options.response;
    }
    const requestCopy = Object.assign({}, options.request);
    if (options.request.headers.authorization) {
      requestCopy.headers = Object.assign({}, options.request.headers, {
        authorization: options.request.headers.authorization.replace(
          /(?<! ) .*$/,
          " [REDACTED]"
        )
      });
    }
    requestCopy.url = requestCopy.url.replace(/\bclient_secret=\w+/g, "client_secret=[REDACTED]").replace(/\baccess_token=\w+/g, "access_token=[REDACTED]");
    this.request = requestCopy;
  }
}


;// CONCATENATED MODULE: ./node_modules/@octokit/request/dist-bundle/index.js
// pkg/dist-src/index.js


// pkg/dist-src/defaults.js


// pkg/dist-src/version.js
var dist_bundle_VERSION = "10.0.16";

// pkg/dist-src/defaults.js
var defaults_default = {
  headers: {
    "user-agent": `octokit-request.js/${dist_bundle_VERSION} ${getUserAgent()}`
  }
};

// pkg/dist-src/fetch-wrapper.js



// pkg/dist-src/is-plain-object.js
function dist_bundle_isPlainObject(value) {
  if (typeof value !== "object" || value === null) return false;
  if (Object.prototype.toString.call(value) !== "[object Object]") return false;
  const proto = Object.getPrototypeOf(value);
  if (proto === null) return true;
  const Ctor = Object.prototype.hasOwnProperty.call(proto, "constructor") && proto.constructor;
  return typeof Ctor === "function" && Ctor instanceof Ctor && Function.prototype.call(Ctor) === Function.prototype.call(value);
}

// pkg/dist-src/fetch-wrapper.js

var noop = () => "";
async function fetchWrapper(requestOptions) {
  const fetch = requestOptions.request?.fetch || globalThis.fetch;
  if (!fetch) {
    throw new Error(
      "fetch is not set. Please pass a fetch implementation as new Octokit({ request: { fetch }}). Learn more at https://github.com/octokit/octokit.js/#fetch-missing"
    );
  }
  const log = requestOptions.request?.log || console;
  const parseSuccessResponseBody = requestOptions.request?.parseSuccessResponseBody !== false;
  const body = dist_bundle_isPlainObject(requestOptions.body) || Array.isArray(requestOptions.body) ? JSONStringify(requestOptions.body) : requestOptions.body;
  const requestHeaders = Object.fromEntries(
    Object.entries(requestOptions.headers).map(([name, value]) => [
      name,
      String(value)
    ])
  );
  let fetchResponse;
  try {
    fetchResponse = await fetch(requestOptions.url, {
      method: requestOptions.method,
      body,
      redirect: requestOptions.request?.redirect,
      headers: requestHeaders,
      signal: requestOptions.request?.signal,
      // duplex must be set if request.body is ReadableStream or Async Iterables.
      // See https://fetch.spec.whatwg.org/#dom-requestinit-duplex.
      ...requestOptions.body && { duplex: "half" }
    });
  } catch (error) {
    let message = "Unknown Error";
    if (error instanceof Error) {
      if (error.name === "AbortError") {
        error.status = 500;
        throw error;
      }
      message = error.message;
      if (error.name === "TypeError" && "cause" in error) {
        if (error.cause instanceof Error) {
          message = error.cause.message;
        } else if (typeof error.cause === "string") {
          message = error.cause;
        }
      }
    }
    const requestError = new RequestError(message, 500, {
      request: requestOptions
    });
    requestError.cause = error;
    throw requestError;
  }
  const status = fetchResponse.status;
  const url = fetchResponse.url;
  const responseHeaders = {};
  for (const [key, value] of fetchResponse.headers) {
    responseHeaders[key] = value;
  }
  const octokitResponse = {
    url,
    status,
    headers: responseHeaders,
    data: ""
  };
  if ("deprecation" in responseHeaders) {
    const matches = responseHeaders.link && responseHeaders.link.match(/<([^<>]+)>; rel="deprecation"/);
    const deprecationLink = matches && matches.pop();
    log.warn(
      `[@octokit/request] "${requestOptions.method} ${requestOptions.url}" is deprecated. It is scheduled to be removed on ${responseHeaders.sunset}${deprecationLink ? `. See ${deprecationLink}` : ""}`
    );
  }
  if (status === 204 || status === 205) {
    return octokitResponse;
  }
  if (requestOptions.method === "HEAD") {
    if (status < 400) {
      return octokitResponse;
    }
    throw new RequestError(fetchResponse.statusText, status, {
      response: octokitResponse,
      request: requestOptions
    });
  }
  if (status === 304) {
    octokitResponse.data = await getResponseData(fetchResponse);
    throw new RequestError("Not modified", status, {
      response: octokitResponse,
      request: requestOptions
    });
  }
  if (status >= 400) {
    octokitResponse.data = await getResponseData(fetchResponse);
    throw new RequestError(toErrorMessage(octokitResponse.data), status, {
      response: octokitResponse,
      request: requestOptions
    });
  }
  octokitResponse.data = parseSuccessResponseBody ? await getResponseData(fetchResponse) : fetchResponse.body;
  return octokitResponse;
}
async function getResponseData(response) {
  const contentType = response.headers.get("content-type");
  if (!contentType) {
    return response.text().catch(noop);
  }
  const mimetype = dist_parse(contentType);
  if (isJSONResponse(mimetype)) {
    let text = "";
    try {
      text = await response.text();
      return JSONParse(text);
    } catch (err) {
      return text;
    }
  } else if (mimetype.type.startsWith("text/") || // `application/octet-stream` is the canonical "arbitrary binary" type
  // (RFC 2046) and must never be decoded as text, even when the response
  // carries a (misleading) `charset=utf-8` parameter — see #751.
  mimetype.parameters.charset?.toLowerCase() === "utf-8" && mimetype.type !== "application/octet-stream") {
    return response.text().catch(noop);
  } else {
    return response.arrayBuffer().catch(
      /* v8 ignore next -- @preserve */
      () => new ArrayBuffer(0)
    );
  }
}
function isJSONResponse(mimetype) {
  return mimetype.type === "application/json" || mimetype.type === "application/scim+json";
}
function toErrorMessage(data) {
  if (typeof data === "string") {
    return data;
  }
  if (data instanceof ArrayBuffer) {
    return "Unknown error";
  }
  if (typeof data === "object" && data !== null && "message" in data) {
    const objectData = data;
    const suffix = "documentation_url" in objectData ? ` - ${objectData.documentation_url}` : "";
    return Array.isArray(objectData.errors) ? `${objectData.message}: ${objectData.errors.map((v) => JSON.stringify(v)).join(", ")}${suffix}` : `${objectData.message}${suffix}`;
  }
  return `Unknown error: ${JSON.stringify(data)}`;
}

// pkg/dist-src/with-defaults.js
function dist_bundle_withDefaults(oldEndpoint, newDefaults) {
  const endpoint2 = oldEndpoint.defaults(newDefaults);
  const newApi = function(route, parameters) {
    const endpointOptions = endpoint2.merge(route, parameters);
    if (!endpointOptions.request || !endpointOptions.request.hook) {
      return fetchWrapper(endpoint2.parse(endpointOptions));
    }
    const request2 = (route2, parameters2) => {
      return fetchWrapper(
        endpoint2.parse(endpoint2.merge(route2, parameters2))
      );
    };
    Object.assign(request2, {
      endpoint: endpoint2,
      defaults: dist_bundle_withDefaults.bind(null, endpoint2)
    });
    return endpointOptions.request.hook(request2, endpointOptions);
  };
  return Object.assign(newApi, {
    endpoint: endpoint2,
    defaults: dist_bundle_withDefaults.bind(null, endpoint2)
  });
}

// pkg/dist-src/index.js
var request = dist_bundle_withDefaults(endpoint, defaults_default);

/* v8 ignore next -- @preserve */
/* v8 ignore else -- @preserve */

;// CONCATENATED MODULE: ./node_modules/@octokit/graphql/dist-bundle/index.js
// pkg/dist-src/index.js



// pkg/dist-src/version.js
var graphql_dist_bundle_VERSION = "0.0.0-development";

// pkg/dist-src/with-defaults.js


// pkg/dist-src/graphql.js


// pkg/dist-src/error.js
function _buildMessageForResponseErrors(data) {
  return `Request failed due to following response errors:
` + data.errors.map((e) => ` - ${e.message}`).join("\n");
}
var GraphqlResponseError = class extends Error {
  constructor(request2, headers, response) {
    super(_buildMessageForResponseErrors(response));
    this.request = request2;
    this.headers = headers;
    this.response = response;
    this.errors = response.errors;
    this.data = response.data;
    if (Error.captureStackTrace) {
      Error.captureStackTrace(this, this.constructor);
    }
  }
  request;
  headers;
  response;
  name = "GraphqlResponseError";
  errors;
  data;
};

// pkg/dist-src/graphql.js
var NON_VARIABLE_OPTIONS = [
  "method",
  "baseUrl",
  "url",
  "headers",
  "request",
  "query",
  "mediaType",
  "operationName"
];
var FORBIDDEN_VARIABLE_OPTIONS = ["query", "method", "url"];
var GHES_V3_SUFFIX_REGEX = /\/api\/v3\/?$/;
function graphql(request2, query, options) {
  if (options) {
    if (typeof query === "string" && "query" in options) {
      return Promise.reject(
        new Error(`[@octokit/graphql] "query" cannot be used as variable name`)
      );
    }
    for (const key in options) {
      if (!FORBIDDEN_VARIABLE_OPTIONS.includes(key)) continue;
      return Promise.reject(
        new Error(
          `[@octokit/graphql] "${key}" cannot be used as variable name`
        )
      );
    }
  }
  const parsedOptions = typeof query === "string" ? Object.assign({ query }, options) : query;
  const requestOptions = Object.keys(
    parsedOptions
  ).reduce((result, key) => {
    if (NON_VARIABLE_OPTIONS.includes(key)) {
      result[key] = parsedOptions[key];
      return result;
    }
    if (!result.variables) {
      result.variables = {};
    }
    result.variables[key] = parsedOptions[key];
    return result;
  }, {});
  const baseUrl = parsedOptions.baseUrl || request2.endpoint.DEFAULTS.baseUrl;
  if (GHES_V3_SUFFIX_REGEX.test(baseUrl)) {
    requestOptions.url = baseUrl.replace(GHES_V3_SUFFIX_REGEX, "/api/graphql");
  }
  return request2(requestOptions).then((response) => {
    if (response.data.errors) {
      const headers = {};
      for (const key of Object.keys(response.headers)) {
        headers[key] = response.headers[key];
      }
      throw new GraphqlResponseError(
        requestOptions,
        headers,
        response.data
      );
    }
    return response.data.data;
  });
}

// pkg/dist-src/with-defaults.js
function graphql_dist_bundle_withDefaults(request2, newDefaults) {
  const newRequest = request2.defaults(newDefaults);
  const newApi = (query, options) => {
    return graphql(newRequest, query, options);
  };
  return Object.assign(newApi, {
    defaults: graphql_dist_bundle_withDefaults.bind(null, newRequest),
    endpoint: newRequest.endpoint
  });
}

// pkg/dist-src/index.js
var graphql2 = graphql_dist_bundle_withDefaults(request, {
  headers: {
    "user-agent": `octokit-graphql.js/${graphql_dist_bundle_VERSION} ${getUserAgent()}`
  },
  method: "POST",
  url: "/graphql"
});
function withCustomRequest(customRequest) {
  return graphql_dist_bundle_withDefaults(customRequest, {
    method: "POST",
    url: "/graphql"
  });
}

/* v8 ignore if -- @preserve */

;// CONCATENATED MODULE: ./node_modules/@octokit/auth-token/dist-bundle/index.js
// pkg/dist-src/is-jwt.js
var b64url = "(?:[a-zA-Z0-9_-]+)";
var sep = "\\.";
var jwtRE = new RegExp(`^${b64url}${sep}${b64url}${sep}${b64url}$`);
var isJWT = jwtRE.test.bind(jwtRE);

// pkg/dist-src/auth.js
async function auth(token) {
  const isApp = isJWT(token);
  const isInstallation = token.startsWith("v1.") || token.startsWith("ghs_");
  const isUserToServer = token.startsWith("ghu_");
  const tokenType = isApp ? "app" : isInstallation ? "installation" : isUserToServer ? "user-to-server" : "oauth";
  return {
    type: "token",
    token,
    tokenType
  };
}

// pkg/dist-src/with-authorization-prefix.js
function withAuthorizationPrefix(token) {
  if (token.split(/\./).length === 3) {
    return `bearer ${token}`;
  }
  return `token ${token}`;
}

// pkg/dist-src/hook.js
async function hook(token, request, route, parameters) {
  const endpoint = request.endpoint.merge(
    route,
    parameters
  );
  endpoint.headers.authorization = withAuthorizationPrefix(token);
  return request(endpoint);
}

// pkg/dist-src/index.js
var createTokenAuth = function createTokenAuth2(token) {
  if (!token) {
    throw new Error("[@octokit/auth-token] No token passed to createTokenAuth");
  }
  if (typeof token !== "string") {
    throw new Error(
      "[@octokit/auth-token] Token passed to createTokenAuth is not a string"
    );
  }
  token = token.replace(/^(token|bearer) +/i, "");
  return Object.assign(auth.bind(null, token), {
    hook: hook.bind(null, token)
  });
};


;// CONCATENATED MODULE: ./node_modules/@octokit/core/dist-src/version.js
const version_VERSION = "7.0.8";


;// CONCATENATED MODULE: ./node_modules/@octokit/core/dist-src/index.js






const dist_src_noop = () => {
};
const consoleWarn = console.warn.bind(console);
const consoleError = console.error.bind(console);
function createLogger(logger = {}) {
  if (typeof logger.debug !== "function") {
    logger.debug = dist_src_noop;
  }
  if (typeof logger.info !== "function") {
    logger.info = dist_src_noop;
  }
  if (typeof logger.warn !== "function") {
    logger.warn = consoleWarn;
  }
  if (typeof logger.error !== "function") {
    logger.error = consoleError;
  }
  return logger;
}
const userAgentTrail = `octokit-core.js/${version_VERSION} ${getUserAgent()}`;
class Octokit {
  static VERSION = version_VERSION;
  static defaults(defaults) {
    const OctokitWithDefaults = class extends this {
      constructor(...args) {
        const options = args[0] || {};
        if (typeof defaults === "function") {
          super(defaults(options));
          return;
        }
        super(
          Object.assign(
            {},
            defaults,
            options,
            options.userAgent && defaults.userAgent ? {
              userAgent: `${options.userAgent} ${defaults.userAgent}`
            } : null
          )
        );
      }
    };
    return OctokitWithDefaults;
  }
  static plugins = [];
  /**
   * Attach a plugin (or many) to your Octokit instance.
   *
   * @example
   * const API = Octokit.plugin(plugin1, plugin2, plugin3, ...)
   */
  static plugin(...newPlugins) {
    const currentPlugins = this.plugins;
    const NewOctokit = class extends this {
      static plugins = currentPlugins.concat(
        newPlugins.filter((plugin) => !currentPlugins.includes(plugin))
      );
    };
    return NewOctokit;
  }
  constructor(options = {}) {
    const hook = new before_after_hook.Collection();
    const requestDefaults = {
      baseUrl: request.endpoint.DEFAULTS.baseUrl,
      headers: {},
      request: Object.assign({}, options.request, {
        // @ts-ignore internal usage only, no need to type
        hook: hook.bind(null, "request")
      }),
      mediaType: {
        previews: [],
        format: ""
      }
    };
    requestDefaults.headers["user-agent"] = options.userAgent ? `${options.userAgent} ${userAgentTrail}` : userAgentTrail;
    if (options.baseUrl) {
      requestDefaults.baseUrl = options.baseUrl;
    }
    if (options.previews) {
      requestDefaults.mediaType.previews = options.previews;
    }
    if (options.timeZone) {
      requestDefaults.headers["time-zone"] = options.timeZone;
    }
    this.request = request.defaults(requestDefaults);
    this.graphql = withCustomRequest(this.request).defaults(requestDefaults);
    this.log = createLogger(options.log);
    this.hook = hook;
    if (!options.authStrategy) {
      if (!options.auth) {
        this.auth = async () => ({
          type: "unauthenticated"
        });
      } else {
        const auth = createTokenAuth(options.auth);
        hook.wrap("request", auth.hook);
        this.auth = auth;
      }
    } else {
      const { authStrategy, ...otherOptions } = options;
      const auth = authStrategy(
        Object.assign(
          {
            request: this.request,
            log: this.log,
            // we pass the current octokit instance as well as its constructor options
            // to allow for authentication strategies that return a new octokit instance
            // that shares the same internal state as the current one. The original
            // requirement for this was the "event-octokit" authentication strategy
            // of https://github.com/probot/octokit-auth-probot.
            octokit: this,
            octokitOptions: otherOptions
          },
          options.auth
        )
      );
      hook.wrap("request", auth.hook);
      this.auth = auth;
    }
    const classConstructor = this.constructor;
    for (let i = 0; i < classConstructor.plugins.length; ++i) {
      Object.assign(this, classConstructor.plugins[i](this, options));
    }
  }
  // assigned during constructor
  request;
  graphql;
  log;
  hook;
  // TODO: type `octokit.auth` based on passed options.authStrategy
  auth;
}


;// CONCATENATED MODULE: ./node_modules/@octokit/plugin-request-log/dist-src/version.js
const dist_src_version_VERSION = "6.0.0";


;// CONCATENATED MODULE: ./node_modules/@octokit/plugin-request-log/dist-src/index.js

function requestLog(octokit) {
  octokit.hook.wrap("request", (request, options) => {
    octokit.log.debug("request", options);
    const start = Date.now();
    const requestOptions = octokit.request.endpoint.parse(options);
    const path = requestOptions.url.replace(options.baseUrl, "");
    return request(options).then((response) => {
      const requestId = response.headers["x-github-request-id"];
      octokit.log.info(
        `${requestOptions.method} ${path} - ${response.status} with id ${requestId} in ${Date.now() - start}ms`
      );
      return response;
    }).catch((error) => {
      const requestId = error.response?.headers["x-github-request-id"] || "UNKNOWN";
      octokit.log.error(
        `${requestOptions.method} ${path} - ${error.status} with id ${requestId} in ${Date.now() - start}ms`
      );
      throw error;
    });
  });
}
requestLog.VERSION = dist_src_version_VERSION;


;// CONCATENATED MODULE: ./node_modules/@octokit/plugin-paginate-rest/dist-bundle/index.js
// pkg/dist-src/version.js
var plugin_paginate_rest_dist_bundle_VERSION = "0.0.0-development";

// pkg/dist-src/normalize-paginated-list-response.js
function normalizePaginatedListResponse(response) {
  if (!response.data) {
    return {
      ...response,
      data: []
    };
  }
  const responseNeedsNormalization = ("total_count" in response.data || "total_commits" in response.data) && !("url" in response.data);
  if (!responseNeedsNormalization) return response;
  const incompleteResults = response.data.incomplete_results;
  const repositorySelection = response.data.repository_selection;
  const totalCount = response.data.total_count;
  const totalCommits = response.data.total_commits;
  delete response.data.incomplete_results;
  delete response.data.repository_selection;
  delete response.data.total_count;
  delete response.data.total_commits;
  const namespaceKey = Object.keys(response.data)[0];
  const data = response.data[namespaceKey];
  response.data = data;
  if (typeof incompleteResults !== "undefined") {
    response.data.incomplete_results = incompleteResults;
  }
  if (typeof repositorySelection !== "undefined") {
    response.data.repository_selection = repositorySelection;
  }
  response.data.total_count = totalCount;
  response.data.total_commits = totalCommits;
  return response;
}

// pkg/dist-src/iterator.js
function iterator(octokit, route, parameters) {
  const options = typeof route === "function" ? route.endpoint(parameters) : octokit.request.endpoint(route, parameters);
  const requestMethod = typeof route === "function" ? route : octokit.request;
  const method = options.method;
  const headers = options.headers;
  let url = options.url;
  return {
    [Symbol.asyncIterator]: () => ({
      async next() {
        if (!url) return { done: true };
        try {
          const response = await requestMethod({ method, url, headers });
          const normalizedResponse = normalizePaginatedListResponse(response);
          url = ((normalizedResponse.headers.link || "").match(
            /<([^<>]+)>;\s*rel="next"/
          ) || [])[1];
          if (!url && "total_commits" in normalizedResponse.data) {
            const parsedUrl = new URL(normalizedResponse.url);
            const params = parsedUrl.searchParams;
            const page = parseInt(params.get("page") || "1", 10);
            const per_page = parseInt(params.get("per_page") || "250", 10);
            if (page * per_page < normalizedResponse.data.total_commits) {
              params.set("page", String(page + 1));
              url = parsedUrl.toString();
            }
          }
          return { value: normalizedResponse };
        } catch (error) {
          if (error.status !== 409) throw error;
          url = "";
          return {
            value: {
              status: 200,
              headers: {},
              data: []
            }
          };
        }
      }
    })
  };
}

// pkg/dist-src/paginate.js
function paginate(octokit, route, parameters, mapFn) {
  if (typeof parameters === "function") {
    mapFn = parameters;
    parameters = void 0;
  }
  return gather(
    octokit,
    [],
    iterator(octokit, route, parameters)[Symbol.asyncIterator](),
    mapFn
  );
}
function gather(octokit, results, iterator2, mapFn) {
  return iterator2.next().then((result) => {
    if (result.done) {
      return results;
    }
    let earlyExit = false;
    function done() {
      earlyExit = true;
    }
    results = results.concat(
      mapFn ? mapFn(result.value, done) : result.value.data
    );
    if (earlyExit) {
      return results;
    }
    return gather(octokit, results, iterator2, mapFn);
  });
}

// pkg/dist-src/compose-paginate.js
var composePaginateRest = Object.assign(paginate, {
  iterator
});

// pkg/dist-src/generated/paginating-endpoints.js
var paginatingEndpoints = (/* unused pure expression or super */ null && ([
  "GET /advisories",
  "GET /app/hook/deliveries",
  "GET /app/installation-requests",
  "GET /app/installations",
  "GET /assignments/{assignment_id}/accepted_assignments",
  "GET /classrooms",
  "GET /classrooms/{classroom_id}/assignments",
  "GET /enterprises/{enterprise}/code-security/configurations",
  "GET /enterprises/{enterprise}/code-security/configurations/{configuration_id}/repositories",
  "GET /enterprises/{enterprise}/dependabot/alerts",
  "GET /enterprises/{enterprise}/teams",
  "GET /enterprises/{enterprise}/teams/{enterprise-team}/memberships",
  "GET /enterprises/{enterprise}/teams/{enterprise-team}/organizations",
  "GET /events",
  "GET /gists",
  "GET /gists/public",
  "GET /gists/starred",
  "GET /gists/{gist_id}/comments",
  "GET /gists/{gist_id}/commits",
  "GET /gists/{gist_id}/forks",
  "GET /installation/repositories",
  "GET /issues",
  "GET /licenses",
  "GET /marketplace_listing/plans",
  "GET /marketplace_listing/plans/{plan_id}/accounts",
  "GET /marketplace_listing/stubbed/plans",
  "GET /marketplace_listing/stubbed/plans/{plan_id}/accounts",
  "GET /networks/{owner}/{repo}/events",
  "GET /notifications",
  "GET /organizations",
  "GET /organizations/{org}/dependabot/repository-access",
  "GET /orgs/{org}/actions/cache/usage-by-repository",
  "GET /orgs/{org}/actions/hosted-runners",
  "GET /orgs/{org}/actions/permissions/repositories",
  "GET /orgs/{org}/actions/permissions/self-hosted-runners/repositories",
  "GET /orgs/{org}/actions/runner-groups",
  "GET /orgs/{org}/actions/runner-groups/{runner_group_id}/hosted-runners",
  "GET /orgs/{org}/actions/runner-groups/{runner_group_id}/repositories",
  "GET /orgs/{org}/actions/runner-groups/{runner_group_id}/runners",
  "GET /orgs/{org}/actions/runners",
  "GET /orgs/{org}/actions/secrets",
  "GET /orgs/{org}/actions/secrets/{secret_name}/repositories",
  "GET /orgs/{org}/actions/variables",
  "GET /orgs/{org}/actions/variables/{name}/repositories",
  "GET /orgs/{org}/attestations/repositories",
  "GET /orgs/{org}/attestations/{subject_digest}",
  "GET /orgs/{org}/blocks",
  "GET /orgs/{org}/campaigns",
  "GET /orgs/{org}/code-scanning/alerts",
  "GET /orgs/{org}/code-security/configurations",
  "GET /orgs/{org}/code-security/configurations/{configuration_id}/repositories",
  "GET /orgs/{org}/codespaces",
  "GET /orgs/{org}/codespaces/secrets",
  "GET /orgs/{org}/codespaces/secrets/{secret_name}/repositories",
  "GET /orgs/{org}/copilot/billing/seats",
  "GET /orgs/{org}/copilot/metrics",
  "GET /orgs/{org}/dependabot/alerts",
  "GET /orgs/{org}/dependabot/secrets",
  "GET /orgs/{org}/dependabot/secrets/{secret_name}/repositories",
  "GET /orgs/{org}/events",
  "GET /orgs/{org}/failed_invitations",
  "GET /orgs/{org}/hooks",
  "GET /orgs/{org}/hooks/{hook_id}/deliveries",
  "GET /orgs/{org}/insights/api/route-stats/{actor_type}/{actor_id}",
  "GET /orgs/{org}/insights/api/subject-stats",
  "GET /orgs/{org}/insights/api/user-stats/{user_id}",
  "GET /orgs/{org}/installations",
  "GET /orgs/{org}/invitations",
  "GET /orgs/{org}/invitations/{invitation_id}/teams",
  "GET /orgs/{org}/issues",
  "GET /orgs/{org}/members",
  "GET /orgs/{org}/members/{username}/codespaces",
  "GET /orgs/{org}/migrations",
  "GET /orgs/{org}/migrations/{migration_id}/repositories",
  "GET /orgs/{org}/organization-roles/{role_id}/teams",
  "GET /orgs/{org}/organization-roles/{role_id}/users",
  "GET /orgs/{org}/outside_collaborators",
  "GET /orgs/{org}/packages",
  "GET /orgs/{org}/packages/{package_type}/{package_name}/versions",
  "GET /orgs/{org}/personal-access-token-requests",
  "GET /orgs/{org}/personal-access-token-requests/{pat_request_id}/repositories",
  "GET /orgs/{org}/personal-access-tokens",
  "GET /orgs/{org}/personal-access-tokens/{pat_id}/repositories",
  "GET /orgs/{org}/private-registries",
  "GET /orgs/{org}/projects",
  "GET /orgs/{org}/projectsV2",
  "GET /orgs/{org}/projectsV2/{project_number}/fields",
  "GET /orgs/{org}/projectsV2/{project_number}/items",
  "GET /orgs/{org}/properties/values",
  "GET /orgs/{org}/public_members",
  "GET /orgs/{org}/repos",
  "GET /orgs/{org}/rulesets",
  "GET /orgs/{org}/rulesets/rule-suites",
  "GET /orgs/{org}/rulesets/{ruleset_id}/history",
  "GET /orgs/{org}/secret-scanning/alerts",
  "GET /orgs/{org}/security-advisories",
  "GET /orgs/{org}/settings/immutable-releases/repositories",
  "GET /orgs/{org}/settings/network-configurations",
  "GET /orgs/{org}/team/{team_slug}/copilot/metrics",
  "GET /orgs/{org}/teams",
  "GET /orgs/{org}/teams/{team_slug}/discussions",
  "GET /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments",
  "GET /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments/{comment_number}/reactions",
  "GET /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/reactions",
  "GET /orgs/{org}/teams/{team_slug}/invitations",
  "GET /orgs/{org}/teams/{team_slug}/members",
  "GET /orgs/{org}/teams/{team_slug}/projects",
  "GET /orgs/{org}/teams/{team_slug}/repos",
  "GET /orgs/{org}/teams/{team_slug}/teams",
  "GET /projects/{project_id}/collaborators",
  "GET /repos/{owner}/{repo}/actions/artifacts",
  "GET /repos/{owner}/{repo}/actions/caches",
  "GET /repos/{owner}/{repo}/actions/organization-secrets",
  "GET /repos/{owner}/{repo}/actions/organization-variables",
  "GET /repos/{owner}/{repo}/actions/runners",
  "GET /repos/{owner}/{repo}/actions/runs",
  "GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts",
  "GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/jobs",
  "GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs",
  "GET /repos/{owner}/{repo}/actions/secrets",
  "GET /repos/{owner}/{repo}/actions/variables",
  "GET /repos/{owner}/{repo}/actions/workflows",
  "GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs",
  "GET /repos/{owner}/{repo}/activity",
  "GET /repos/{owner}/{repo}/assignees",
  "GET /repos/{owner}/{repo}/attestations/{subject_digest}",
  "GET /repos/{owner}/{repo}/branches",
  "GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations",
  "GET /repos/{owner}/{repo}/check-suites/{check_suite_id}/check-runs",
  "GET /repos/{owner}/{repo}/code-scanning/alerts",
  "GET /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}/instances",
  "GET /repos/{owner}/{repo}/code-scanning/analyses",
  "GET /repos/{owner}/{repo}/codespaces",
  "GET /repos/{owner}/{repo}/codespaces/devcontainers",
  "GET /repos/{owner}/{repo}/codespaces/secrets",
  "GET /repos/{owner}/{repo}/collaborators",
  "GET /repos/{owner}/{repo}/comments",
  "GET /repos/{owner}/{repo}/comments/{comment_id}/reactions",
  "GET /repos/{owner}/{repo}/commits",
  "GET /repos/{owner}/{repo}/commits/{commit_sha}/comments",
  "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls",
  "GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
  "GET /repos/{owner}/{repo}/commits/{ref}/check-suites",
  "GET /repos/{owner}/{repo}/commits/{ref}/status",
  "GET /repos/{owner}/{repo}/commits/{ref}/statuses",
  "GET /repos/{owner}/{repo}/compare/{basehead}",
  "GET /repos/{owner}/{repo}/compare/{base}...{head}",
  "GET /repos/{owner}/{repo}/contributors",
  "GET /repos/{owner}/{repo}/dependabot/alerts",
  "GET /repos/{owner}/{repo}/dependabot/secrets",
  "GET /repos/{owner}/{repo}/deployments",
  "GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
  "GET /repos/{owner}/{repo}/environments",
  "GET /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies",
  "GET /repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules/apps",
  "GET /repos/{owner}/{repo}/environments/{environment_name}/secrets",
  "GET /repos/{owner}/{repo}/environments/{environment_name}/variables",
  "GET /repos/{owner}/{repo}/events",
  "GET /repos/{owner}/{repo}/forks",
  "GET /repos/{owner}/{repo}/hooks",
  "GET /repos/{owner}/{repo}/hooks/{hook_id}/deliveries",
  "GET /repos/{owner}/{repo}/invitations",
  "GET /repos/{owner}/{repo}/issues",
  "GET /repos/{owner}/{repo}/issues/comments",
  "GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
  "GET /repos/{owner}/{repo}/issues/events",
  "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
  "GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by",
  "GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocking",
  "GET /repos/{owner}/{repo}/issues/{issue_number}/events",
  "GET /repos/{owner}/{repo}/issues/{issue_number}/labels",
  "GET /repos/{owner}/{repo}/issues/{issue_number}/reactions",
  "GET /repos/{owner}/{repo}/issues/{issue_number}/sub_issues",
  "GET /repos/{owner}/{repo}/issues/{issue_number}/timeline",
  "GET /repos/{owner}/{repo}/keys",
  "GET /repos/{owner}/{repo}/labels",
  "GET /repos/{owner}/{repo}/milestones",
  "GET /repos/{owner}/{repo}/milestones/{milestone_number}/labels",
  "GET /repos/{owner}/{repo}/notifications",
  "GET /repos/{owner}/{repo}/pages/builds",
  "GET /repos/{owner}/{repo}/projects",
  "GET /repos/{owner}/{repo}/pulls",
  "GET /repos/{owner}/{repo}/pulls/comments",
  "GET /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions",
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/comments",
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/commits",
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/files",
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/comments",
  "GET /repos/{owner}/{repo}/releases",
  "GET /repos/{owner}/{repo}/releases/{release_id}/assets",
  "GET /repos/{owner}/{repo}/releases/{release_id}/reactions",
  "GET /repos/{owner}/{repo}/rules/branches/{branch}",
  "GET /repos/{owner}/{repo}/rulesets",
  "GET /repos/{owner}/{repo}/rulesets/rule-suites",
  "GET /repos/{owner}/{repo}/rulesets/{ruleset_id}/history",
  "GET /repos/{owner}/{repo}/secret-scanning/alerts",
  "GET /repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}/locations",
  "GET /repos/{owner}/{repo}/security-advisories",
  "GET /repos/{owner}/{repo}/stargazers",
  "GET /repos/{owner}/{repo}/subscribers",
  "GET /repos/{owner}/{repo}/tags",
  "GET /repos/{owner}/{repo}/teams",
  "GET /repos/{owner}/{repo}/topics",
  "GET /repositories",
  "GET /search/code",
  "GET /search/commits",
  "GET /search/issues",
  "GET /search/labels",
  "GET /search/repositories",
  "GET /search/topics",
  "GET /search/users",
  "GET /teams/{team_id}/discussions",
  "GET /teams/{team_id}/discussions/{discussion_number}/comments",
  "GET /teams/{team_id}/discussions/{discussion_number}/comments/{comment_number}/reactions",
  "GET /teams/{team_id}/discussions/{discussion_number}/reactions",
  "GET /teams/{team_id}/invitations",
  "GET /teams/{team_id}/members",
  "GET /teams/{team_id}/projects",
  "GET /teams/{team_id}/repos",
  "GET /teams/{team_id}/teams",
  "GET /user/blocks",
  "GET /user/codespaces",
  "GET /user/codespaces/secrets",
  "GET /user/emails",
  "GET /user/followers",
  "GET /user/following",
  "GET /user/gpg_keys",
  "GET /user/installations",
  "GET /user/installations/{installation_id}/repositories",
  "GET /user/issues",
  "GET /user/keys",
  "GET /user/marketplace_purchases",
  "GET /user/marketplace_purchases/stubbed",
  "GET /user/memberships/orgs",
  "GET /user/migrations",
  "GET /user/migrations/{migration_id}/repositories",
  "GET /user/orgs",
  "GET /user/packages",
  "GET /user/packages/{package_type}/{package_name}/versions",
  "GET /user/public_emails",
  "GET /user/repos",
  "GET /user/repository_invitations",
  "GET /user/social_accounts",
  "GET /user/ssh_signing_keys",
  "GET /user/starred",
  "GET /user/subscriptions",
  "GET /user/teams",
  "GET /users",
  "GET /users/{username}/attestations/{subject_digest}",
  "GET /users/{username}/events",
  "GET /users/{username}/events/orgs/{org}",
  "GET /users/{username}/events/public",
  "GET /users/{username}/followers",
  "GET /users/{username}/following",
  "GET /users/{username}/gists",
  "GET /users/{username}/gpg_keys",
  "GET /users/{username}/keys",
  "GET /users/{username}/orgs",
  "GET /users/{username}/packages",
  "GET /users/{username}/projects",
  "GET /users/{username}/projectsV2",
  "GET /users/{username}/projectsV2/{project_number}/fields",
  "GET /users/{username}/projectsV2/{project_number}/items",
  "GET /users/{username}/received_events",
  "GET /users/{username}/received_events/public",
  "GET /users/{username}/repos",
  "GET /users/{username}/social_accounts",
  "GET /users/{username}/ssh_signing_keys",
  "GET /users/{username}/starred",
  "GET /users/{username}/subscriptions"
]));

// pkg/dist-src/paginating-endpoints.js
function isPaginatingEndpoint(arg) {
  if (typeof arg === "string") {
    return paginatingEndpoints.includes(arg);
  } else {
    return false;
  }
}

// pkg/dist-src/index.js
function paginateRest(octokit) {
  return {
    paginate: Object.assign(paginate.bind(null, octokit), {
      iterator: iterator.bind(null, octokit)
    })
  };
}
paginateRest.VERSION = plugin_paginate_rest_dist_bundle_VERSION;


;// CONCATENATED MODULE: ./node_modules/@octokit/plugin-rest-endpoint-methods/dist-src/version.js
const plugin_rest_endpoint_methods_dist_src_version_VERSION = "17.0.0";

//# sourceMappingURL=version.js.map

;// CONCATENATED MODULE: ./node_modules/@octokit/plugin-rest-endpoint-methods/dist-src/generated/endpoints.js
const Endpoints = {
  actions: {
    addCustomLabelsToSelfHostedRunnerForOrg: [
      "POST /orgs/{org}/actions/runners/{runner_id}/labels"
    ],
    addCustomLabelsToSelfHostedRunnerForRepo: [
      "POST /repos/{owner}/{repo}/actions/runners/{runner_id}/labels"
    ],
    addRepoAccessToSelfHostedRunnerGroupInOrg: [
      "PUT /orgs/{org}/actions/runner-groups/{runner_group_id}/repositories/{repository_id}"
    ],
    addSelectedRepoToOrgSecret: [
      "PUT /orgs/{org}/actions/secrets/{secret_name}/repositories/{repository_id}"
    ],
    addSelectedRepoToOrgVariable: [
      "PUT /orgs/{org}/actions/variables/{name}/repositories/{repository_id}"
    ],
    approveWorkflowRun: [
      "POST /repos/{owner}/{repo}/actions/runs/{run_id}/approve"
    ],
    cancelWorkflowRun: [
      "POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel"
    ],
    createEnvironmentVariable: [
      "POST /repos/{owner}/{repo}/environments/{environment_name}/variables"
    ],
    createHostedRunnerForOrg: ["POST /orgs/{org}/actions/hosted-runners"],
    createOrUpdateEnvironmentSecret: [
      "PUT /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}"
    ],
    createOrUpdateOrgSecret: ["PUT /orgs/{org}/actions/secrets/{secret_name}"],
    createOrUpdateRepoSecret: [
      "PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}"
    ],
    createOrgVariable: ["POST /orgs/{org}/actions/variables"],
    createRegistrationTokenForOrg: [
      "POST /orgs/{org}/actions/runners/registration-token"
    ],
    createRegistrationTokenForRepo: [
      "POST /repos/{owner}/{repo}/actions/runners/registration-token"
    ],
    createRemoveTokenForOrg: ["POST /orgs/{org}/actions/runners/remove-token"],
    createRemoveTokenForRepo: [
      "POST /repos/{owner}/{repo}/actions/runners/remove-token"
    ],
    createRepoVariable: ["POST /repos/{owner}/{repo}/actions/variables"],
    createWorkflowDispatch: [
      "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches"
    ],
    deleteActionsCacheById: [
      "DELETE /repos/{owner}/{repo}/actions/caches/{cache_id}"
    ],
    deleteActionsCacheByKey: [
      "DELETE /repos/{owner}/{repo}/actions/caches{?key,ref}"
    ],
    deleteArtifact: [
      "DELETE /repos/{owner}/{repo}/actions/artifacts/{artifact_id}"
    ],
    deleteCustomImageFromOrg: [
      "DELETE /orgs/{org}/actions/hosted-runners/images/custom/{image_definition_id}"
    ],
    deleteCustomImageVersionFromOrg: [
      "DELETE /orgs/{org}/actions/hosted-runners/images/custom/{image_definition_id}/versions/{version}"
    ],
    deleteEnvironmentSecret: [
      "DELETE /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}"
    ],
    deleteEnvironmentVariable: [
      "DELETE /repos/{owner}/{repo}/environments/{environment_name}/variables/{name}"
    ],
    deleteHostedRunnerForOrg: [
      "DELETE /orgs/{org}/actions/hosted-runners/{hosted_runner_id}"
    ],
    deleteOrgSecret: ["DELETE /orgs/{org}/actions/secrets/{secret_name}"],
    deleteOrgVariable: ["DELETE /orgs/{org}/actions/variables/{name}"],
    deleteRepoSecret: [
      "DELETE /repos/{owner}/{repo}/actions/secrets/{secret_name}"
    ],
    deleteRepoVariable: [
      "DELETE /repos/{owner}/{repo}/actions/variables/{name}"
    ],
    deleteSelfHostedRunnerFromOrg: [
      "DELETE /orgs/{org}/actions/runners/{runner_id}"
    ],
    deleteSelfHostedRunnerFromRepo: [
      "DELETE /repos/{owner}/{repo}/actions/runners/{runner_id}"
    ],
    deleteWorkflowRun: ["DELETE /repos/{owner}/{repo}/actions/runs/{run_id}"],
    deleteWorkflowRunLogs: [
      "DELETE /repos/{owner}/{repo}/actions/runs/{run_id}/logs"
    ],
    disableSelectedRepositoryGithubActionsOrganization: [
      "DELETE /orgs/{org}/actions/permissions/repositories/{repository_id}"
    ],
    disableWorkflow: [
      "PUT /repos/{owner}/{repo}/actions/workflows/{workflow_id}/disable"
    ],
    downloadArtifact: [
      "GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}"
    ],
    downloadJobLogsForWorkflowRun: [
      "GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs"
    ],
    downloadWorkflowRunAttemptLogs: [
      "GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/logs"
    ],
    downloadWorkflowRunLogs: [
      "GET /repos/{owner}/{repo}/actions/runs/{run_id}/logs"
    ],
    enableSelectedRepositoryGithubActionsOrganization: [
      "PUT /orgs/{org}/actions/permissions/repositories/{repository_id}"
    ],
    enableWorkflow: [
      "PUT /repos/{owner}/{repo}/actions/workflows/{workflow_id}/enable"
    ],
    forceCancelWorkflowRun: [
      "POST /repos/{owner}/{repo}/actions/runs/{run_id}/force-cancel"
    ],
    generateRunnerJitconfigForOrg: [
      "POST /orgs/{org}/actions/runners/generate-jitconfig"
    ],
    generateRunnerJitconfigForRepo: [
      "POST /repos/{owner}/{repo}/actions/runners/generate-jitconfig"
    ],
    getActionsCacheList: ["GET /repos/{owner}/{repo}/actions/caches"],
    getActionsCacheUsage: ["GET /repos/{owner}/{repo}/actions/cache/usage"],
    getActionsCacheUsageByRepoForOrg: [
      "GET /orgs/{org}/actions/cache/usage-by-repository"
    ],
    getActionsCacheUsageForOrg: ["GET /orgs/{org}/actions/cache/usage"],
    getAllowedActionsOrganization: [
      "GET /orgs/{org}/actions/permissions/selected-actions"
    ],
    getAllowedActionsRepository: [
      "GET /repos/{owner}/{repo}/actions/permissions/selected-actions"
    ],
    getArtifact: ["GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}"],
    getCustomImageForOrg: [
      "GET /orgs/{org}/actions/hosted-runners/images/custom/{image_definition_id}"
    ],
    getCustomImageVersionForOrg: [
      "GET /orgs/{org}/actions/hosted-runners/images/custom/{image_definition_id}/versions/{version}"
    ],
    getCustomOidcSubClaimForRepo: [
      "GET /repos/{owner}/{repo}/actions/oidc/customization/sub"
    ],
    getEnvironmentPublicKey: [
      "GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key"
    ],
    getEnvironmentSecret: [
      "GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}"
    ],
    getEnvironmentVariable: [
      "GET /repos/{owner}/{repo}/environments/{environment_name}/variables/{name}"
    ],
    getGithubActionsDefaultWorkflowPermissionsOrganization: [
      "GET /orgs/{org}/actions/permissions/workflow"
    ],
    getGithubActionsDefaultWorkflowPermissionsRepository: [
      "GET /repos/{owner}/{repo}/actions/permissions/workflow"
    ],
    getGithubActionsPermissionsOrganization: [
      "GET /orgs/{org}/actions/permissions"
    ],
    getGithubActionsPermissionsRepository: [
      "GET /repos/{owner}/{repo}/actions/permissions"
    ],
    getHostedRunnerForOrg: [
      "GET /orgs/{org}/actions/hosted-runners/{hosted_runner_id}"
    ],
    getHostedRunnersGithubOwnedImagesForOrg: [
      "GET /orgs/{org}/actions/hosted-runners/images/github-owned"
    ],
    getHostedRunnersLimitsForOrg: [
      "GET /orgs/{org}/actions/hosted-runners/limits"
    ],
    getHostedRunnersMachineSpecsForOrg: [
      "GET /orgs/{org}/actions/hosted-runners/machine-sizes"
    ],
    getHostedRunnersPartnerImagesForOrg: [
      "GET /orgs/{org}/actions/hosted-runners/images/partner"
    ],
    getHostedRunnersPlatformsForOrg: [
      "GET /orgs/{org}/actions/hosted-runners/platforms"
    ],
    getJobForWorkflowRun: ["GET /repos/{owner}/{repo}/actions/jobs/{job_id}"],
    getOrgPublicKey: ["GET /orgs/{org}/actions/secrets/public-key"],
    getOrgSecret: ["GET /orgs/{org}/actions/secrets/{secret_name}"],
    getOrgVariable: ["GET /orgs/{org}/actions/variables/{name}"],
    getPendingDeploymentsForRun: [
      "GET /repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments"
    ],
    getRepoPermissions: [
      "GET /repos/{owner}/{repo}/actions/permissions",
      {},
      { renamed: ["actions", "getGithubActionsPermissionsRepository"] }
    ],
    getRepoPublicKey: ["GET /repos/{owner}/{repo}/actions/secrets/public-key"],
    getRepoSecret: ["GET /repos/{owner}/{repo}/actions/secrets/{secret_name}"],
    getRepoVariable: ["GET /repos/{owner}/{repo}/actions/variables/{name}"],
    getReviewsForRun: [
      "GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals"
    ],
    getSelfHostedRunnerForOrg: ["GET /orgs/{org}/actions/runners/{runner_id}"],
    getSelfHostedRunnerForRepo: [
      "GET /repos/{owner}/{repo}/actions/runners/{runner_id}"
    ],
    getWorkflow: ["GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}"],
    getWorkflowAccessToRepository: [
      "GET /repos/{owner}/{repo}/actions/permissions/access"
    ],
    getWorkflowRun: ["GET /repos/{owner}/{repo}/actions/runs/{run_id}"],
    getWorkflowRunAttempt: [
      "GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}"
    ],
    getWorkflowRunUsage: [
      "GET /repos/{owner}/{repo}/actions/runs/{run_id}/timing"
    ],
    getWorkflowUsage: [
      "GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/timing"
    ],
    listArtifactsForRepo: ["GET /repos/{owner}/{repo}/actions/artifacts"],
    listCustomImageVersionsForOrg: [
      "GET /orgs/{org}/actions/hosted-runners/images/custom/{image_definition_id}/versions"
    ],
    listCustomImagesForOrg: [
      "GET /orgs/{org}/actions/hosted-runners/images/custom"
    ],
    listEnvironmentSecrets: [
      "GET /repos/{owner}/{repo}/environments/{environment_name}/secrets"
    ],
    listEnvironmentVariables: [
      "GET /repos/{owner}/{repo}/environments/{environment_name}/variables"
    ],
    listGithubHostedRunnersInGroupForOrg: [
      "GET /orgs/{org}/actions/runner-groups/{runner_group_id}/hosted-runners"
    ],
    listHostedRunnersForOrg: ["GET /orgs/{org}/actions/hosted-runners"],
    listJobsForWorkflowRun: [
      "GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs"
    ],
    listJobsForWorkflowRunAttempt: [
      "GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/jobs"
    ],
    listLabelsForSelfHostedRunnerForOrg: [
      "GET /orgs/{org}/actions/runners/{runner_id}/labels"
    ],
    listLabelsForSelfHostedRunnerForRepo: [
      "GET /repos/{owner}/{repo}/actions/runners/{runner_id}/labels"
    ],
    listOrgSecrets: ["GET /orgs/{org}/actions/secrets"],
    listOrgVariables: ["GET /orgs/{org}/actions/variables"],
    listRepoOrganizationSecrets: [
      "GET /repos/{owner}/{repo}/actions/organization-secrets"
    ],
    listRepoOrganizationVariables: [
      "GET /repos/{owner}/{repo}/actions/organization-variables"
    ],
    listRepoSecrets: ["GET /repos/{owner}/{repo}/actions/secrets"],
    listRepoVariables: ["GET /repos/{owner}/{repo}/actions/variables"],
    listRepoWorkflows: ["GET /repos/{owner}/{repo}/actions/workflows"],
    listRunnerApplicationsForOrg: ["GET /orgs/{org}/actions/runners/downloads"],
    listRunnerApplicationsForRepo: [
      "GET /repos/{owner}/{repo}/actions/runners/downloads"
    ],
    listSelectedReposForOrgSecret: [
      "GET /orgs/{org}/actions/secrets/{secret_name}/repositories"
    ],
    listSelectedReposForOrgVariable: [
      "GET /orgs/{org}/actions/variables/{name}/repositories"
    ],
    listSelectedRepositoriesEnabledGithubActionsOrganization: [
      "GET /orgs/{org}/actions/permissions/repositories"
    ],
    listSelfHostedRunnersForOrg: ["GET /orgs/{org}/actions/runners"],
    listSelfHostedRunnersForRepo: ["GET /repos/{owner}/{repo}/actions/runners"],
    listWorkflowRunArtifacts: [
      "GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts"
    ],
    listWorkflowRuns: [
      "GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs"
    ],
    listWorkflowRunsForRepo: ["GET /repos/{owner}/{repo}/actions/runs"],
    reRunJobForWorkflowRun: [
      "POST /repos/{owner}/{repo}/actions/jobs/{job_id}/rerun"
    ],
    reRunWorkflow: ["POST /repos/{owner}/{repo}/actions/runs/{run_id}/rerun"],
    reRunWorkflowFailedJobs: [
      "POST /repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs"
    ],
    removeAllCustomLabelsFromSelfHostedRunnerForOrg: [
      "DELETE /orgs/{org}/actions/runners/{runner_id}/labels"
    ],
    removeAllCustomLabelsFromSelfHostedRunnerForRepo: [
      "DELETE /repos/{owner}/{repo}/actions/runners/{runner_id}/labels"
    ],
    removeCustomLabelFromSelfHostedRunnerForOrg: [
      "DELETE /orgs/{org}/actions/runners/{runner_id}/labels/{name}"
    ],
    removeCustomLabelFromSelfHostedRunnerForRepo: [
      "DELETE /repos/{owner}/{repo}/actions/runners/{runner_id}/labels/{name}"
    ],
    removeSelectedRepoFromOrgSecret: [
      "DELETE /orgs/{org}/actions/secrets/{secret_name}/repositories/{repository_id}"
    ],
    removeSelectedRepoFromOrgVariable: [
      "DELETE /orgs/{org}/actions/variables/{name}/repositories/{repository_id}"
    ],
    reviewCustomGatesForRun: [
      "POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule"
    ],
    reviewPendingDeploymentsForRun: [
      "POST /repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments"
    ],
    setAllowedActionsOrganization: [
      "PUT /orgs/{org}/actions/permissions/selected-actions"
    ],
    setAllowedActionsRepository: [
      "PUT /repos/{owner}/{repo}/actions/permissions/selected-actions"
    ],
    setCustomLabelsForSelfHostedRunnerForOrg: [
      "PUT /orgs/{org}/actions/runners/{runner_id}/labels"
    ],
    setCustomLabelsForSelfHostedRunnerForRepo: [
      "PUT /repos/{owner}/{repo}/actions/runners/{runner_id}/labels"
    ],
    setCustomOidcSubClaimForRepo: [
      "PUT /repos/{owner}/{repo}/actions/oidc/customization/sub"
    ],
    setGithubActionsDefaultWorkflowPermissionsOrganization: [
      "PUT /orgs/{org}/actions/permissions/workflow"
    ],
    setGithubActionsDefaultWorkflowPermissionsRepository: [
      "PUT /repos/{owner}/{repo}/actions/permissions/workflow"
    ],
    setGithubActionsPermissionsOrganization: [
      "PUT /orgs/{org}/actions/permissions"
    ],
    setGithubActionsPermissionsRepository: [
      "PUT /repos/{owner}/{repo}/actions/permissions"
    ],
    setSelectedReposForOrgSecret: [
      "PUT /orgs/{org}/actions/secrets/{secret_name}/repositories"
    ],
    setSelectedReposForOrgVariable: [
      "PUT /orgs/{org}/actions/variables/{name}/repositories"
    ],
    setSelectedRepositoriesEnabledGithubActionsOrganization: [
      "PUT /orgs/{org}/actions/permissions/repositories"
    ],
    setWorkflowAccessToRepository: [
      "PUT /repos/{owner}/{repo}/actions/permissions/access"
    ],
    updateEnvironmentVariable: [
      "PATCH /repos/{owner}/{repo}/environments/{environment_name}/variables/{name}"
    ],
    updateHostedRunnerForOrg: [
      "PATCH /orgs/{org}/actions/hosted-runners/{hosted_runner_id}"
    ],
    updateOrgVariable: ["PATCH /orgs/{org}/actions/variables/{name}"],
    updateRepoVariable: [
      "PATCH /repos/{owner}/{repo}/actions/variables/{name}"
    ]
  },
  activity: {
    checkRepoIsStarredByAuthenticatedUser: ["GET /user/starred/{owner}/{repo}"],
    deleteRepoSubscription: ["DELETE /repos/{owner}/{repo}/subscription"],
    deleteThreadSubscription: [
      "DELETE /notifications/threads/{thread_id}/subscription"
    ],
    getFeeds: ["GET /feeds"],
    getRepoSubscription: ["GET /repos/{owner}/{repo}/subscription"],
    getThread: ["GET /notifications/threads/{thread_id}"],
    getThreadSubscriptionForAuthenticatedUser: [
      "GET /notifications/threads/{thread_id}/subscription"
    ],
    listEventsForAuthenticatedUser: ["GET /users/{username}/events"],
    listNotificationsForAuthenticatedUser: ["GET /notifications"],
    listOrgEventsForAuthenticatedUser: [
      "GET /users/{username}/events/orgs/{org}"
    ],
    listPublicEvents: ["GET /events"],
    listPublicEventsForRepoNetwork: ["GET /networks/{owner}/{repo}/events"],
    listPublicEventsForUser: ["GET /users/{username}/events/public"],
    listPublicOrgEvents: ["GET /orgs/{org}/events"],
    listReceivedEventsForUser: ["GET /users/{username}/received_events"],
    listReceivedPublicEventsForUser: [
      "GET /users/{username}/received_events/public"
    ],
    listRepoEvents: ["GET /repos/{owner}/{repo}/events"],
    listRepoNotificationsForAuthenticatedUser: [
      "GET /repos/{owner}/{repo}/notifications"
    ],
    listReposStarredByAuthenticatedUser: ["GET /user/starred"],
    listReposStarredByUser: ["GET /users/{username}/starred"],
    listReposWatchedByUser: ["GET /users/{username}/subscriptions"],
    listStargazersForRepo: ["GET /repos/{owner}/{repo}/stargazers"],
    listWatchedReposForAuthenticatedUser: ["GET /user/subscriptions"],
    listWatchersForRepo: ["GET /repos/{owner}/{repo}/subscribers"],
    markNotificationsAsRead: ["PUT /notifications"],
    markRepoNotificationsAsRead: ["PUT /repos/{owner}/{repo}/notifications"],
    markThreadAsDone: ["DELETE /notifications/threads/{thread_id}"],
    markThreadAsRead: ["PATCH /notifications/threads/{thread_id}"],
    setRepoSubscription: ["PUT /repos/{owner}/{repo}/subscription"],
    setThreadSubscription: [
      "PUT /notifications/threads/{thread_id}/subscription"
    ],
    starRepoForAuthenticatedUser: ["PUT /user/starred/{owner}/{repo}"],
    unstarRepoForAuthenticatedUser: ["DELETE /user/starred/{owner}/{repo}"]
  },
  apps: {
    addRepoToInstallation: [
      "PUT /user/installations/{installation_id}/repositories/{repository_id}",
      {},
      { renamed: ["apps", "addRepoToInstallationForAuthenticatedUser"] }
    ],
    addRepoToInstallationForAuthenticatedUser: [
      "PUT /user/installations/{installation_id}/repositories/{repository_id}"
    ],
    checkToken: ["POST /applications/{client_id}/token"],
    createFromManifest: ["POST /app-manifests/{code}/conversions"],
    createInstallationAccessToken: [
      "POST /app/installations/{installation_id}/access_tokens"
    ],
    deleteAuthorization: ["DELETE /applications/{client_id}/grant"],
    deleteInstallation: ["DELETE /app/installations/{installation_id}"],
    deleteToken: ["DELETE /applications/{client_id}/token"],
    getAuthenticated: ["GET /app"],
    getBySlug: ["GET /apps/{app_slug}"],
    getInstallation: ["GET /app/installations/{installation_id}"],
    getOrgInstallation: ["GET /orgs/{org}/installation"],
    getRepoInstallation: ["GET /repos/{owner}/{repo}/installation"],
    getSubscriptionPlanForAccount: [
      "GET /marketplace_listing/accounts/{account_id}"
    ],
    getSubscriptionPlanForAccountStubbed: [
      "GET /marketplace_listing/stubbed/accounts/{account_id}"
    ],
    getUserInstallation: ["GET /users/{username}/installation"],
    getWebhookConfigForApp: ["GET /app/hook/config"],
    getWebhookDelivery: ["GET /app/hook/deliveries/{delivery_id}"],
    listAccountsForPlan: ["GET /marketplace_listing/plans/{plan_id}/accounts"],
    listAccountsForPlanStubbed: [
      "GET /marketplace_listing/stubbed/plans/{plan_id}/accounts"
    ],
    listInstallationReposForAuthenticatedUser: [
      "GET /user/installations/{installation_id}/repositories"
    ],
    listInstallationRequestsForAuthenticatedApp: [
      "GET /app/installation-requests"
    ],
    listInstallations: ["GET /app/installations"],
    listInstallationsForAuthenticatedUser: ["GET /user/installations"],
    listPlans: ["GET /marketplace_listing/plans"],
    listPlansStubbed: ["GET /marketplace_listing/stubbed/plans"],
    listReposAccessibleToInstallation: ["GET /installation/repositories"],
    listSubscriptionsForAuthenticatedUser: ["GET /user/marketplace_purchases"],
    listSubscriptionsForAuthenticatedUserStubbed: [
      "GET /user/marketplace_purchases/stubbed"
    ],
    listWebhookDeliveries: ["GET /app/hook/deliveries"],
    redeliverWebhookDelivery: [
      "POST /app/hook/deliveries/{delivery_id}/attempts"
    ],
    removeRepoFromInstallation: [
      "DELETE /user/installations/{installation_id}/repositories/{repository_id}",
      {},
      { renamed: ["apps", "removeRepoFromInstallationForAuthenticatedUser"] }
    ],
    removeRepoFromInstallationForAuthenticatedUser: [
      "DELETE /user/installations/{installation_id}/repositories/{repository_id}"
    ],
    resetToken: ["PATCH /applications/{client_id}/token"],
    revokeInstallationAccessToken: ["DELETE /installation/token"],
    scopeToken: ["POST /applications/{client_id}/token/scoped"],
    suspendInstallation: ["PUT /app/installations/{installation_id}/suspended"],
    unsuspendInstallation: [
      "DELETE /app/installations/{installation_id}/suspended"
    ],
    updateWebhookConfigForApp: ["PATCH /app/hook/config"]
  },
  billing: {
    getGithubActionsBillingOrg: ["GET /orgs/{org}/settings/billing/actions"],
    getGithubActionsBillingUser: [
      "GET /users/{username}/settings/billing/actions"
    ],
    getGithubBillingPremiumRequestUsageReportOrg: [
      "GET /organizations/{org}/settings/billing/premium_request/usage"
    ],
    getGithubBillingPremiumRequestUsageReportUser: [
      "GET /users/{username}/settings/billing/premium_request/usage"
    ],
    getGithubBillingUsageReportOrg: [
      "GET /organizations/{org}/settings/billing/usage"
    ],
    getGithubBillingUsageReportUser: [
      "GET /users/{username}/settings/billing/usage"
    ],
    getGithubPackagesBillingOrg: ["GET /orgs/{org}/settings/billing/packages"],
    getGithubPackagesBillingUser: [
      "GET /users/{username}/settings/billing/packages"
    ],
    getSharedStorageBillingOrg: [
      "GET /orgs/{org}/settings/billing/shared-storage"
    ],
    getSharedStorageBillingUser: [
      "GET /users/{username}/settings/billing/shared-storage"
    ]
  },
  campaigns: {
    createCampaign: ["POST /orgs/{org}/campaigns"],
    deleteCampaign: ["DELETE /orgs/{org}/campaigns/{campaign_number}"],
    getCampaignSummary: ["GET /orgs/{org}/campaigns/{campaign_number}"],
    listOrgCampaigns: ["GET /orgs/{org}/campaigns"],
    updateCampaign: ["PATCH /orgs/{org}/campaigns/{campaign_number}"]
  },
  checks: {
    create: ["POST /repos/{owner}/{repo}/check-runs"],
    createSuite: ["POST /repos/{owner}/{repo}/check-suites"],
    get: ["GET /repos/{owner}/{repo}/check-runs/{check_run_id}"],
    getSuite: ["GET /repos/{owner}/{repo}/check-suites/{check_suite_id}"],
    listAnnotations: [
      "GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations"
    ],
    listForRef: ["GET /repos/{owner}/{repo}/commits/{ref}/check-runs"],
    listForSuite: [
      "GET /repos/{owner}/{repo}/check-suites/{check_suite_id}/check-runs"
    ],
    listSuitesForRef: ["GET /repos/{owner}/{repo}/commits/{ref}/check-suites"],
    rerequestRun: [
      "POST /repos/{owner}/{repo}/check-runs/{check_run_id}/rerequest"
    ],
    rerequestSuite: [
      "POST /repos/{owner}/{repo}/check-suites/{check_suite_id}/rerequest"
    ],
    setSuitesPreferences: [
      "PATCH /repos/{owner}/{repo}/check-suites/preferences"
    ],
    update: ["PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}"]
  },
  codeScanning: {
    commitAutofix: [
      "POST /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}/autofix/commits"
    ],
    createAutofix: [
      "POST /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}/autofix"
    ],
    createVariantAnalysis: [
      "POST /repos/{owner}/{repo}/code-scanning/codeql/variant-analyses"
    ],
    deleteAnalysis: [
      "DELETE /repos/{owner}/{repo}/code-scanning/analyses/{analysis_id}{?confirm_delete}"
    ],
    deleteCodeqlDatabase: [
      "DELETE /repos/{owner}/{repo}/code-scanning/codeql/databases/{language}"
    ],
    getAlert: [
      "GET /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}",
      {},
      { renamedParameters: { alert_id: "alert_number" } }
    ],
    getAnalysis: [
      "GET /repos/{owner}/{repo}/code-scanning/analyses/{analysis_id}"
    ],
    getAutofix: [
      "GET /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}/autofix"
    ],
    getCodeqlDatabase: [
      "GET /repos/{owner}/{repo}/code-scanning/codeql/databases/{language}"
    ],
    getDefaultSetup: ["GET /repos/{owner}/{repo}/code-scanning/default-setup"],
    getSarif: ["GET /repos/{owner}/{repo}/code-scanning/sarifs/{sarif_id}"],
    getVariantAnalysis: [
      "GET /repos/{owner}/{repo}/code-scanning/codeql/variant-analyses/{codeql_variant_analysis_id}"
    ],
    getVariantAnalysisRepoTask: [
      "GET /repos/{owner}/{repo}/code-scanning/codeql/variant-analyses/{codeql_variant_analysis_id}/repos/{repo_owner}/{repo_name}"
    ],
    listAlertInstances: [
      "GET /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}/instances"
    ],
    listAlertsForOrg: ["GET /orgs/{org}/code-scanning/alerts"],
    listAlertsForRepo: ["GET /repos/{owner}/{repo}/code-scanning/alerts"],
    listAlertsInstances: [
      "GET /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}/instances",
      {},
      { renamed: ["codeScanning", "listAlertInstances"] }
    ],
    listCodeqlDatabases: [
      "GET /repos/{owner}/{repo}/code-scanning/codeql/databases"
    ],
    listRecentAnalyses: ["GET /repos/{owner}/{repo}/code-scanning/analyses"],
    updateAlert: [
      "PATCH /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}"
    ],
    updateDefaultSetup: [
      "PATCH /repos/{owner}/{repo}/code-scanning/default-setup"
    ],
    uploadSarif: ["POST /repos/{owner}/{repo}/code-scanning/sarifs"]
  },
  codeSecurity: {
    attachConfiguration: [
      "POST /orgs/{org}/code-security/configurations/{configuration_id}/attach"
    ],
    attachEnterpriseConfiguration: [
      "POST /enterprises/{enterprise}/code-security/configurations/{configuration_id}/attach"
    ],
    createConfiguration: ["POST /orgs/{org}/code-security/configurations"],
    createConfigurationForEnterprise: [
      "POST /enterprises/{enterprise}/code-security/configurations"
    ],
    deleteConfiguration: [
      "DELETE /orgs/{org}/code-security/configurations/{configuration_id}"
    ],
    deleteConfigurationForEnterprise: [
      "DELETE /enterprises/{enterprise}/code-security/configurations/{configuration_id}"
    ],
    detachConfiguration: [
      "DELETE /orgs/{org}/code-security/configurations/detach"
    ],
    getConfiguration: [
      "GET /orgs/{org}/code-security/configurations/{configuration_id}"
    ],
    getConfigurationForRepository: [
      "GET /repos/{owner}/{repo}/code-security-configuration"
    ],
    getConfigurationsForEnterprise: [
      "GET /enterprises/{enterprise}/code-security/configurations"
    ],
    getConfigurationsForOrg: ["GET /orgs/{org}/code-security/configurations"],
    getDefaultConfigurations: [
      "GET /orgs/{org}/code-security/configurations/defaults"
    ],
    getDefaultConfigurationsForEnterprise: [
      "GET /enterprises/{enterprise}/code-security/configurations/defaults"
    ],
    getRepositoriesForConfiguration: [
      "GET /orgs/{org}/code-security/configurations/{configuration_id}/repositories"
    ],
    getRepositoriesForEnterpriseConfiguration: [
      "GET /enterprises/{enterprise}/code-security/configurations/{configuration_id}/repositories"
    ],
    getSingleConfigurationForEnterprise: [
      "GET /enterprises/{enterprise}/code-security/configurations/{configuration_id}"
    ],
    setConfigurationAsDefault: [
      "PUT /orgs/{org}/code-security/configurations/{configuration_id}/defaults"
    ],
    setConfigurationAsDefaultForEnterprise: [
      "PUT /enterprises/{enterprise}/code-security/configurations/{configuration_id}/defaults"
    ],
    updateConfiguration: [
      "PATCH /orgs/{org}/code-security/configurations/{configuration_id}"
    ],
    updateEnterpriseConfiguration: [
      "PATCH /enterprises/{enterprise}/code-security/configurations/{configuration_id}"
    ]
  },
  codesOfConduct: {
    getAllCodesOfConduct: ["GET /codes_of_conduct"],
    getConductCode: ["GET /codes_of_conduct/{key}"]
  },
  codespaces: {
    addRepositoryForSecretForAuthenticatedUser: [
      "PUT /user/codespaces/secrets/{secret_name}/repositories/{repository_id}"
    ],
    addSelectedRepoToOrgSecret: [
      "PUT /orgs/{org}/codespaces/secrets/{secret_name}/repositories/{repository_id}"
    ],
    checkPermissionsForDevcontainer: [
      "GET /repos/{owner}/{repo}/codespaces/permissions_check"
    ],
    codespaceMachinesForAuthenticatedUser: [
      "GET /user/codespaces/{codespace_name}/machines"
    ],
    createForAuthenticatedUser: ["POST /user/codespaces"],
    createOrUpdateOrgSecret: [
      "PUT /orgs/{org}/codespaces/secrets/{secret_name}"
    ],
    createOrUpdateRepoSecret: [
      "PUT /repos/{owner}/{repo}/codespaces/secrets/{secret_name}"
    ],
    createOrUpdateSecretForAuthenticatedUser: [
      "PUT /user/codespaces/secrets/{secret_name}"
    ],
    createWithPrForAuthenticatedUser: [
      "POST /repos/{owner}/{repo}/pulls/{pull_number}/codespaces"
    ],
    createWithRepoForAuthenticatedUser: [
      "POST /repos/{owner}/{repo}/codespaces"
    ],
    deleteForAuthenticatedUser: ["DELETE /user/codespaces/{codespace_name}"],
    deleteFromOrganization: [
      "DELETE /orgs/{org}/members/{username}/codespaces/{codespace_name}"
    ],
    deleteOrgSecret: ["DELETE /orgs/{org}/codespaces/secrets/{secret_name}"],
    deleteRepoSecret: [
      "DELETE /repos/{owner}/{repo}/codespaces/secrets/{secret_name}"
    ],
    deleteSecretForAuthenticatedUser: [
      "DELETE /user/codespaces/secrets/{secret_name}"
    ],
    exportForAuthenticatedUser: [
      "POST /user/codespaces/{codespace_name}/exports"
    ],
    getCodespacesForUserInOrg: [
      "GET /orgs/{org}/members/{username}/codespaces"
    ],
    getExportDetailsForAuthenticatedUser: [
      "GET /user/codespaces/{codespace_name}/exports/{export_id}"
    ],
    getForAuthenticatedUser: ["GET /user/codespaces/{codespace_name}"],
    getOrgPublicKey: ["GET /orgs/{org}/codespaces/secrets/public-key"],
    getOrgSecret: ["GET /orgs/{org}/codespaces/secrets/{secret_name}"],
    getPublicKeyForAuthenticatedUser: [
      "GET /user/codespaces/secrets/public-key"
    ],
    getRepoPublicKey: [
      "GET /repos/{owner}/{repo}/codespaces/secrets/public-key"
    ],
    getRepoSecret: [
      "GET /repos/{owner}/{repo}/codespaces/secrets/{secret_name}"
    ],
    getSecretForAuthenticatedUser: [
      "GET /user/codespaces/secrets/{secret_name}"
    ],
    listDevcontainersInRepositoryForAuthenticatedUser: [
      "GET /repos/{owner}/{repo}/codespaces/devcontainers"
    ],
    listForAuthenticatedUser: ["GET /user/codespaces"],
    listInOrganization: [
      "GET /orgs/{org}/codespaces",
      {},
      { renamedParameters: { org_id: "org" } }
    ],
    listInRepositoryForAuthenticatedUser: [
      "GET /repos/{owner}/{repo}/codespaces"
    ],
    listOrgSecrets: ["GET /orgs/{org}/codespaces/secrets"],
    listRepoSecrets: ["GET /repos/{owner}/{repo}/codespaces/secrets"],
    listRepositoriesForSecretForAuthenticatedUser: [
      "GET /user/codespaces/secrets/{secret_name}/repositories"
    ],
    listSecretsForAuthenticatedUser: ["GET /user/codespaces/secrets"],
    listSelectedReposForOrgSecret: [
      "GET /orgs/{org}/codespaces/secrets/{secret_name}/repositories"
    ],
    preFlightWithRepoForAuthenticatedUser: [
      "GET /repos/{owner}/{repo}/codespaces/new"
    ],
    publishForAuthenticatedUser: [
      "POST /user/codespaces/{codespace_name}/publish"
    ],
    removeRepositoryForSecretForAuthenticatedUser: [
      "DELETE /user/codespaces/secrets/{secret_name}/repositories/{repository_id}"
    ],
    removeSelectedRepoFromOrgSecret: [
      "DELETE /orgs/{org}/codespaces/secrets/{secret_name}/repositories/{repository_id}"
    ],
    repoMachinesForAuthenticatedUser: [
      "GET /repos/{owner}/{repo}/codespaces/machines"
    ],
    setRepositoriesForSecretForAuthenticatedUser: [
      "PUT /user/codespaces/secrets/{secret_name}/repositories"
    ],
    setSelectedReposForOrgSecret: [
      "PUT /orgs/{org}/codespaces/secrets/{secret_name}/repositories"
    ],
    startForAuthenticatedUser: ["POST /user/codespaces/{codespace_name}/start"],
    stopForAuthenticatedUser: ["POST /user/codespaces/{codespace_name}/stop"],
    stopInOrganization: [
      "POST /orgs/{org}/members/{username}/codespaces/{codespace_name}/stop"
    ],
    updateForAuthenticatedUser: ["PATCH /user/codespaces/{codespace_name}"]
  },
  copilot: {
    addCopilotSeatsForTeams: [
      "POST /orgs/{org}/copilot/billing/selected_teams"
    ],
    addCopilotSeatsForUsers: [
      "POST /orgs/{org}/copilot/billing/selected_users"
    ],
    cancelCopilotSeatAssignmentForTeams: [
      "DELETE /orgs/{org}/copilot/billing/selected_teams"
    ],
    cancelCopilotSeatAssignmentForUsers: [
      "DELETE /orgs/{org}/copilot/billing/selected_users"
    ],
    copilotMetricsForOrganization: ["GET /orgs/{org}/copilot/metrics"],
    copilotMetricsForTeam: ["GET /orgs/{org}/team/{team_slug}/copilot/metrics"],
    getCopilotOrganizationDetails: ["GET /orgs/{org}/copilot/billing"],
    getCopilotSeatDetailsForUser: [
      "GET /orgs/{org}/members/{username}/copilot"
    ],
    listCopilotSeats: ["GET /orgs/{org}/copilot/billing/seats"]
  },
  credentials: { revoke: ["POST /credentials/revoke"] },
  dependabot: {
    addSelectedRepoToOrgSecret: [
      "PUT /orgs/{org}/dependabot/secrets/{secret_name}/repositories/{repository_id}"
    ],
    createOrUpdateOrgSecret: [
      "PUT /orgs/{org}/dependabot/secrets/{secret_name}"
    ],
    createOrUpdateRepoSecret: [
      "PUT /repos/{owner}/{repo}/dependabot/secrets/{secret_name}"
    ],
    deleteOrgSecret: ["DELETE /orgs/{org}/dependabot/secrets/{secret_name}"],
    deleteRepoSecret: [
      "DELETE /repos/{owner}/{repo}/dependabot/secrets/{secret_name}"
    ],
    getAlert: ["GET /repos/{owner}/{repo}/dependabot/alerts/{alert_number}"],
    getOrgPublicKey: ["GET /orgs/{org}/dependabot/secrets/public-key"],
    getOrgSecret: ["GET /orgs/{org}/dependabot/secrets/{secret_name}"],
    getRepoPublicKey: [
      "GET /repos/{owner}/{repo}/dependabot/secrets/public-key"
    ],
    getRepoSecret: [
      "GET /repos/{owner}/{repo}/dependabot/secrets/{secret_name}"
    ],
    listAlertsForEnterprise: [
      "GET /enterprises/{enterprise}/dependabot/alerts"
    ],
    listAlertsForOrg: ["GET /orgs/{org}/dependabot/alerts"],
    listAlertsForRepo: ["GET /repos/{owner}/{repo}/dependabot/alerts"],
    listOrgSecrets: ["GET /orgs/{org}/dependabot/secrets"],
    listRepoSecrets: ["GET /repos/{owner}/{repo}/dependabot/secrets"],
    listSelectedReposForOrgSecret: [
      "GET /orgs/{org}/dependabot/secrets/{secret_name}/repositories"
    ],
    removeSelectedRepoFromOrgSecret: [
      "DELETE /orgs/{org}/dependabot/secrets/{secret_name}/repositories/{repository_id}"
    ],
    repositoryAccessForOrg: [
      "GET /organizations/{org}/dependabot/repository-access"
    ],
    setRepositoryAccessDefaultLevel: [
      "PUT /organizations/{org}/dependabot/repository-access/default-level"
    ],
    setSelectedReposForOrgSecret: [
      "PUT /orgs/{org}/dependabot/secrets/{secret_name}/repositories"
    ],
    updateAlert: [
      "PATCH /repos/{owner}/{repo}/dependabot/alerts/{alert_number}"
    ],
    updateRepositoryAccessForOrg: [
      "PATCH /organizations/{org}/dependabot/repository-access"
    ]
  },
  dependencyGraph: {
    createRepositorySnapshot: [
      "POST /repos/{owner}/{repo}/dependency-graph/snapshots"
    ],
    diffRange: [
      "GET /repos/{owner}/{repo}/dependency-graph/compare/{basehead}"
    ],
    exportSbom: ["GET /repos/{owner}/{repo}/dependency-graph/sbom"]
  },
  emojis: { get: ["GET /emojis"] },
  enterpriseTeamMemberships: {
    add: [
      "PUT /enterprises/{enterprise}/teams/{enterprise-team}/memberships/{username}"
    ],
    bulkAdd: [
      "POST /enterprises/{enterprise}/teams/{enterprise-team}/memberships/add"
    ],
    bulkRemove: [
      "POST /enterprises/{enterprise}/teams/{enterprise-team}/memberships/remove"
    ],
    get: [
      "GET /enterprises/{enterprise}/teams/{enterprise-team}/memberships/{username}"
    ],
    list: ["GET /enterprises/{enterprise}/teams/{enterprise-team}/memberships"],
    remove: [
      "DELETE /enterprises/{enterprise}/teams/{enterprise-team}/memberships/{username}"
    ]
  },
  enterpriseTeamOrganizations: {
    add: [
      "PUT /enterprises/{enterprise}/teams/{enterprise-team}/organizations/{org}"
    ],
    bulkAdd: [
      "POST /enterprises/{enterprise}/teams/{enterprise-team}/organizations/add"
    ],
    bulkRemove: [
      "POST /enterprises/{enterprise}/teams/{enterprise-team}/organizations/remove"
    ],
    delete: [
      "DELETE /enterprises/{enterprise}/teams/{enterprise-team}/organizations/{org}"
    ],
    getAssignment: [
      "GET /enterprises/{enterprise}/teams/{enterprise-team}/organizations/{org}"
    ],
    getAssignments: [
      "GET /enterprises/{enterprise}/teams/{enterprise-team}/organizations"
    ]
  },
  enterpriseTeams: {
    create: ["POST /enterprises/{enterprise}/teams"],
    delete: ["DELETE /enterprises/{enterprise}/teams/{team_slug}"],
    get: ["GET /enterprises/{enterprise}/teams/{team_slug}"],
    list: ["GET /enterprises/{enterprise}/teams"],
    update: ["PATCH /enterprises/{enterprise}/teams/{team_slug}"]
  },
  gists: {
    checkIsStarred: ["GET /gists/{gist_id}/star"],
    create: ["POST /gists"],
    createComment: ["POST /gists/{gist_id}/comments"],
    delete: ["DELETE /gists/{gist_id}"],
    deleteComment: ["DELETE /gists/{gist_id}/comments/{comment_id}"],
    fork: ["POST /gists/{gist_id}/forks"],
    get: ["GET /gists/{gist_id}"],
    getComment: ["GET /gists/{gist_id}/comments/{comment_id}"],
    getRevision: ["GET /gists/{gist_id}/{sha}"],
    list: ["GET /gists"],
    listComments: ["GET /gists/{gist_id}/comments"],
    listCommits: ["GET /gists/{gist_id}/commits"],
    listForUser: ["GET /users/{username}/gists"],
    listForks: ["GET /gists/{gist_id}/forks"],
    listPublic: ["GET /gists/public"],
    listStarred: ["GET /gists/starred"],
    star: ["PUT /gists/{gist_id}/star"],
    unstar: ["DELETE /gists/{gist_id}/star"],
    update: ["PATCH /gists/{gist_id}"],
    updateComment: ["PATCH /gists/{gist_id}/comments/{comment_id}"]
  },
  git: {
    createBlob: ["POST /repos/{owner}/{repo}/git/blobs"],
    createCommit: ["POST /repos/{owner}/{repo}/git/commits"],
    createRef: ["POST /repos/{owner}/{repo}/git/refs"],
    createTag: ["POST /repos/{owner}/{repo}/git/tags"],
    createTree: ["POST /repos/{owner}/{repo}/git/trees"],
    deleteRef: ["DELETE /repos/{owner}/{repo}/git/refs/{ref}"],
    getBlob: ["GET /repos/{owner}/{repo}/git/blobs/{file_sha}"],
    getCommit: ["GET /repos/{owner}/{repo}/git/commits/{commit_sha}"],
    getRef: ["GET /repos/{owner}/{repo}/git/ref/{ref}"],
    getTag: ["GET /repos/{owner}/{repo}/git/tags/{tag_sha}"],
    getTree: ["GET /repos/{owner}/{repo}/git/trees/{tree_sha}"],
    listMatchingRefs: ["GET /repos/{owner}/{repo}/git/matching-refs/{ref}"],
    updateRef: ["PATCH /repos/{owner}/{repo}/git/refs/{ref}"]
  },
  gitignore: {
    getAllTemplates: ["GET /gitignore/templates"],
    getTemplate: ["GET /gitignore/templates/{name}"]
  },
  hostedCompute: {
    createNetworkConfigurationForOrg: [
      "POST /orgs/{org}/settings/network-configurations"
    ],
    deleteNetworkConfigurationFromOrg: [
      "DELETE /orgs/{org}/settings/network-configurations/{network_configuration_id}"
    ],
    getNetworkConfigurationForOrg: [
      "GET /orgs/{org}/settings/network-configurations/{network_configuration_id}"
    ],
    getNetworkSettingsForOrg: [
      "GET /orgs/{org}/settings/network-settings/{network_settings_id}"
    ],
    listNetworkConfigurationsForOrg: [
      "GET /orgs/{org}/settings/network-configurations"
    ],
    updateNetworkConfigurationForOrg: [
      "PATCH /orgs/{org}/settings/network-configurations/{network_configuration_id}"
    ]
  },
  interactions: {
    getRestrictionsForAuthenticatedUser: ["GET /user/interaction-limits"],
    getRestrictionsForOrg: ["GET /orgs/{org}/interaction-limits"],
    getRestrictionsForRepo: ["GET /repos/{owner}/{repo}/interaction-limits"],
    getRestrictionsForYourPublicRepos: [
      "GET /user/interaction-limits",
      {},
      { renamed: ["interactions", "getRestrictionsForAuthenticatedUser"] }
    ],
    removeRestrictionsForAuthenticatedUser: ["DELETE /user/interaction-limits"],
    removeRestrictionsForOrg: ["DELETE /orgs/{org}/interaction-limits"],
    removeRestrictionsForRepo: [
      "DELETE /repos/{owner}/{repo}/interaction-limits"
    ],
    removeRestrictionsForYourPublicRepos: [
      "DELETE /user/interaction-limits",
      {},
      { renamed: ["interactions", "removeRestrictionsForAuthenticatedUser"] }
    ],
    setRestrictionsForAuthenticatedUser: ["PUT /user/interaction-limits"],
    setRestrictionsForOrg: ["PUT /orgs/{org}/interaction-limits"],
    setRestrictionsForRepo: ["PUT /repos/{owner}/{repo}/interaction-limits"],
    setRestrictionsForYourPublicRepos: [
      "PUT /user/interaction-limits",
      {},
      { renamed: ["interactions", "setRestrictionsForAuthenticatedUser"] }
    ]
  },
  issues: {
    addAssignees: [
      "POST /repos/{owner}/{repo}/issues/{issue_number}/assignees"
    ],
    addBlockedByDependency: [
      "POST /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by"
    ],
    addLabels: ["POST /repos/{owner}/{repo}/issues/{issue_number}/labels"],
    addSubIssue: [
      "POST /repos/{owner}/{repo}/issues/{issue_number}/sub_issues"
    ],
    checkUserCanBeAssigned: ["GET /repos/{owner}/{repo}/assignees/{assignee}"],
    checkUserCanBeAssignedToIssue: [
      "GET /repos/{owner}/{repo}/issues/{issue_number}/assignees/{assignee}"
    ],
    create: ["POST /repos/{owner}/{repo}/issues"],
    createComment: [
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments"
    ],
    createLabel: ["POST /repos/{owner}/{repo}/labels"],
    createMilestone: ["POST /repos/{owner}/{repo}/milestones"],
    deleteComment: [
      "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}"
    ],
    deleteLabel: ["DELETE /repos/{owner}/{repo}/labels/{name}"],
    deleteMilestone: [
      "DELETE /repos/{owner}/{repo}/milestones/{milestone_number}"
    ],
    get: ["GET /repos/{owner}/{repo}/issues/{issue_number}"],
    getComment: ["GET /repos/{owner}/{repo}/issues/comments/{comment_id}"],
    getEvent: ["GET /repos/{owner}/{repo}/issues/events/{event_id}"],
    getLabel: ["GET /repos/{owner}/{repo}/labels/{name}"],
    getMilestone: ["GET /repos/{owner}/{repo}/milestones/{milestone_number}"],
    getParent: ["GET /repos/{owner}/{repo}/issues/{issue_number}/parent"],
    list: ["GET /issues"],
    listAssignees: ["GET /repos/{owner}/{repo}/assignees"],
    listComments: ["GET /repos/{owner}/{repo}/issues/{issue_number}/comments"],
    listCommentsForRepo: ["GET /repos/{owner}/{repo}/issues/comments"],
    listDependenciesBlockedBy: [
      "GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by"
    ],
    listDependenciesBlocking: [
      "GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocking"
    ],
    listEvents: ["GET /repos/{owner}/{repo}/issues/{issue_number}/events"],
    listEventsForRepo: ["GET /repos/{owner}/{repo}/issues/events"],
    listEventsForTimeline: [
      "GET /repos/{owner}/{repo}/issues/{issue_number}/timeline"
    ],
    listForAuthenticatedUser: ["GET /user/issues"],
    listForOrg: ["GET /orgs/{org}/issues"],
    listForRepo: ["GET /repos/{owner}/{repo}/issues"],
    listLabelsForMilestone: [
      "GET /repos/{owner}/{repo}/milestones/{milestone_number}/labels"
    ],
    listLabelsForRepo: ["GET /repos/{owner}/{repo}/labels"],
    listLabelsOnIssue: [
      "GET /repos/{owner}/{repo}/issues/{issue_number}/labels"
    ],
    listMilestones: ["GET /repos/{owner}/{repo}/milestones"],
    listSubIssues: [
      "GET /repos/{owner}/{repo}/issues/{issue_number}/sub_issues"
    ],
    lock: ["PUT /repos/{owner}/{repo}/issues/{issue_number}/lock"],
    removeAllLabels: [
      "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels"
    ],
    removeAssignees: [
      "DELETE /repos/{owner}/{repo}/issues/{issue_number}/assignees"
    ],
    removeDependencyBlockedBy: [
      "DELETE /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by/{issue_id}"
    ],
    removeLabel: [
      "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}"
    ],
    removeSubIssue: [
      "DELETE /repos/{owner}/{repo}/issues/{issue_number}/sub_issue"
    ],
    reprioritizeSubIssue: [
      "PATCH /repos/{owner}/{repo}/issues/{issue_number}/sub_issues/priority"
    ],
    setLabels: ["PUT /repos/{owner}/{repo}/issues/{issue_number}/labels"],
    unlock: ["DELETE /repos/{owner}/{repo}/issues/{issue_number}/lock"],
    update: ["PATCH /repos/{owner}/{repo}/issues/{issue_number}"],
    updateComment: ["PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}"],
    updateLabel: ["PATCH /repos/{owner}/{repo}/labels/{name}"],
    updateMilestone: [
      "PATCH /repos/{owner}/{repo}/milestones/{milestone_number}"
    ]
  },
  licenses: {
    get: ["GET /licenses/{license}"],
    getAllCommonlyUsed: ["GET /licenses"],
    getForRepo: ["GET /repos/{owner}/{repo}/license"]
  },
  markdown: {
    render: ["POST /markdown"],
    renderRaw: [
      "POST /markdown/raw",
      { headers: { "content-type": "text/plain; charset=utf-8" } }
    ]
  },
  meta: {
    get: ["GET /meta"],
    getAllVersions: ["GET /versions"],
    getOctocat: ["GET /octocat"],
    getZen: ["GET /zen"],
    root: ["GET /"]
  },
  migrations: {
    deleteArchiveForAuthenticatedUser: [
      "DELETE /user/migrations/{migration_id}/archive"
    ],
    deleteArchiveForOrg: [
      "DELETE /orgs/{org}/migrations/{migration_id}/archive"
    ],
    downloadArchiveForOrg: [
      "GET /orgs/{org}/migrations/{migration_id}/archive"
    ],
    getArchiveForAuthenticatedUser: [
      "GET /user/migrations/{migration_id}/archive"
    ],
    getStatusForAuthenticatedUser: ["GET /user/migrations/{migration_id}"],
    getStatusForOrg: ["GET /orgs/{org}/migrations/{migration_id}"],
    listForAuthenticatedUser: ["GET /user/migrations"],
    listForOrg: ["GET /orgs/{org}/migrations"],
    listReposForAuthenticatedUser: [
      "GET /user/migrations/{migration_id}/repositories"
    ],
    listReposForOrg: ["GET /orgs/{org}/migrations/{migration_id}/repositories"],
    listReposForUser: [
      "GET /user/migrations/{migration_id}/repositories",
      {},
      { renamed: ["migrations", "listReposForAuthenticatedUser"] }
    ],
    startForAuthenticatedUser: ["POST /user/migrations"],
    startForOrg: ["POST /orgs/{org}/migrations"],
    unlockRepoForAuthenticatedUser: [
      "DELETE /user/migrations/{migration_id}/repos/{repo_name}/lock"
    ],
    unlockRepoForOrg: [
      "DELETE /orgs/{org}/migrations/{migration_id}/repos/{repo_name}/lock"
    ]
  },
  oidc: {
    getOidcCustomSubTemplateForOrg: [
      "GET /orgs/{org}/actions/oidc/customization/sub"
    ],
    updateOidcCustomSubTemplateForOrg: [
      "PUT /orgs/{org}/actions/oidc/customization/sub"
    ]
  },
  orgs: {
    addSecurityManagerTeam: [
      "PUT /orgs/{org}/security-managers/teams/{team_slug}",
      {},
      {
        deprecated: "octokit.rest.orgs.addSecurityManagerTeam() is deprecated, see https://docs.github.com/rest/orgs/security-managers#add-a-security-manager-team"
      }
    ],
    assignTeamToOrgRole: [
      "PUT /orgs/{org}/organization-roles/teams/{team_slug}/{role_id}"
    ],
    assignUserToOrgRole: [
      "PUT /orgs/{org}/organization-roles/users/{username}/{role_id}"
    ],
    blockUser: ["PUT /orgs/{org}/blocks/{username}"],
    cancelInvitation: ["DELETE /orgs/{org}/invitations/{invitation_id}"],
    checkBlockedUser: ["GET /orgs/{org}/blocks/{username}"],
    checkMembershipForUser: ["GET /orgs/{org}/members/{username}"],
    checkPublicMembershipForUser: ["GET /orgs/{org}/public_members/{username}"],
    convertMemberToOutsideCollaborator: [
      "PUT /orgs/{org}/outside_collaborators/{username}"
    ],
    createArtifactStorageRecord: [
      "POST /orgs/{org}/artifacts/metadata/storage-record"
    ],
    createInvitation: ["POST /orgs/{org}/invitations"],
    createIssueType: ["POST /orgs/{org}/issue-types"],
    createWebhook: ["POST /orgs/{org}/hooks"],
    customPropertiesForOrgsCreateOrUpdateOrganizationValues: [
      "PATCH /organizations/{org}/org-properties/values"
    ],
    customPropertiesForOrgsGetOrganizationValues: [
      "GET /organizations/{org}/org-properties/values"
    ],
    customPropertiesForReposCreateOrUpdateOrganizationDefinition: [
      "PUT /orgs/{org}/properties/schema/{custom_property_name}"
    ],
    customPropertiesForReposCreateOrUpdateOrganizationDefinitions: [
      "PATCH /orgs/{org}/properties/schema"
    ],
    customPropertiesForReposCreateOrUpdateOrganizationValues: [
      "PATCH /orgs/{org}/properties/values"
    ],
    customPropertiesForReposDeleteOrganizationDefinition: [
      "DELETE /orgs/{org}/properties/schema/{custom_property_name}"
    ],
    customPropertiesForReposGetOrganizationDefinition: [
      "GET /orgs/{org}/properties/schema/{custom_property_name}"
    ],
    customPropertiesForReposGetOrganizationDefinitions: [
      "GET /orgs/{org}/properties/schema"
    ],
    customPropertiesForReposGetOrganizationValues: [
      "GET /orgs/{org}/properties/values"
    ],
    delete: ["DELETE /orgs/{org}"],
    deleteAttestationsBulk: ["POST /orgs/{org}/attestations/delete-request"],
    deleteAttestationsById: [
      "DELETE /orgs/{org}/attestations/{attestation_id}"
    ],
    deleteAttestationsBySubjectDigest: [
      "DELETE /orgs/{org}/attestations/digest/{subject_digest}"
    ],
    deleteIssueType: ["DELETE /orgs/{org}/issue-types/{issue_type_id}"],
    deleteWebhook: ["DELETE /orgs/{org}/hooks/{hook_id}"],
    disableSelectedRepositoryImmutableReleasesOrganization: [
      "DELETE /orgs/{org}/settings/immutable-releases/repositories/{repository_id}"
    ],
    enableSelectedRepositoryImmutableReleasesOrganization: [
      "PUT /orgs/{org}/settings/immutable-releases/repositories/{repository_id}"
    ],
    get: ["GET /orgs/{org}"],
    getImmutableReleasesSettings: [
      "GET /orgs/{org}/settings/immutable-releases"
    ],
    getImmutableReleasesSettingsRepositories: [
      "GET /orgs/{org}/settings/immutable-releases/repositories"
    ],
    getMembershipForAuthenticatedUser: ["GET /user/memberships/orgs/{org}"],
    getMembershipForUser: ["GET /orgs/{org}/memberships/{username}"],
    getOrgRole: ["GET /orgs/{org}/organization-roles/{role_id}"],
    getOrgRulesetHistory: ["GET /orgs/{org}/rulesets/{ruleset_id}/history"],
    getOrgRulesetVersion: [
      "GET /orgs/{org}/rulesets/{ruleset_id}/history/{version_id}"
    ],
    getWebhook: ["GET /orgs/{org}/hooks/{hook_id}"],
    getWebhookConfigForOrg: ["GET /orgs/{org}/hooks/{hook_id}/config"],
    getWebhookDelivery: [
      "GET /orgs/{org}/hooks/{hook_id}/deliveries/{delivery_id}"
    ],
    list: ["GET /organizations"],
    listAppInstallations: ["GET /orgs/{org}/installations"],
    listArtifactStorageRecords: [
      "GET /orgs/{org}/artifacts/{subject_digest}/metadata/storage-records"
    ],
    listAttestationRepositories: ["GET /orgs/{org}/attestations/repositories"],
    listAttestations: ["GET /orgs/{org}/attestations/{subject_digest}"],
    listAttestationsBulk: [
      "POST /orgs/{org}/attestations/bulk-list{?per_page,before,after}"
    ],
    listBlockedUsers: ["GET /orgs/{org}/blocks"],
    listFailedInvitations: ["GET /orgs/{org}/failed_invitations"],
    listForAuthenticatedUser: ["GET /user/orgs"],
    listForUser: ["GET /users/{username}/orgs"],
    listInvitationTeams: ["GET /orgs/{org}/invitations/{invitation_id}/teams"],
    listIssueTypes: ["GET /orgs/{org}/issue-types"],
    listMembers: ["GET /orgs/{org}/members"],
    listMembershipsForAuthenticatedUser: ["GET /user/memberships/orgs"],
    listOrgRoleTeams: ["GET /orgs/{org}/organization-roles/{role_id}/teams"],
    listOrgRoleUsers: ["GET /orgs/{org}/organization-roles/{role_id}/users"],
    listOrgRoles: ["GET /orgs/{org}/organization-roles"],
    listOrganizationFineGrainedPermissions: [
      "GET /orgs/{org}/organization-fine-grained-permissions"
    ],
    listOutsideCollaborators: ["GET /orgs/{org}/outside_collaborators"],
    listPatGrantRepositories: [
      "GET /orgs/{org}/personal-access-tokens/{pat_id}/repositories"
    ],
    listPatGrantRequestRepositories: [
      "GET /orgs/{org}/personal-access-token-requests/{pat_request_id}/repositories"
    ],
    listPatGrantRequests: ["GET /orgs/{org}/personal-access-token-requests"],
    listPatGrants: ["GET /orgs/{org}/personal-access-tokens"],
    listPendingInvitations: ["GET /orgs/{org}/invitations"],
    listPublicMembers: ["GET /orgs/{org}/public_members"],
    listSecurityManagerTeams: [
      "GET /orgs/{org}/security-managers",
      {},
      {
        deprecated: "octokit.rest.orgs.listSecurityManagerTeams() is deprecated, see https://docs.github.com/rest/orgs/security-managers#list-security-manager-teams"
      }
    ],
    listWebhookDeliveries: ["GET /orgs/{org}/hooks/{hook_id}/deliveries"],
    listWebhooks: ["GET /orgs/{org}/hooks"],
    pingWebhook: ["POST /orgs/{org}/hooks/{hook_id}/pings"],
    redeliverWebhookDelivery: [
      "POST /orgs/{org}/hooks/{hook_id}/deliveries/{delivery_id}/attempts"
    ],
    removeMember: ["DELETE /orgs/{org}/members/{username}"],
    removeMembershipForUser: ["DELETE /orgs/{org}/memberships/{username}"],
    removeOutsideCollaborator: [
      "DELETE /orgs/{org}/outside_collaborators/{username}"
    ],
    removePublicMembershipForAuthenticatedUser: [
      "DELETE /orgs/{org}/public_members/{username}"
    ],
    removeSecurityManagerTeam: [
      "DELETE /orgs/{org}/security-managers/teams/{team_slug}",
      {},
      {
        deprecated: "octokit.rest.orgs.removeSecurityManagerTeam() is deprecated, see https://docs.github.com/rest/orgs/security-managers#remove-a-security-manager-team"
      }
    ],
    reviewPatGrantRequest: [
      "POST /orgs/{org}/personal-access-token-requests/{pat_request_id}"
    ],
    reviewPatGrantRequestsInBulk: [
      "POST /orgs/{org}/personal-access-token-requests"
    ],
    revokeAllOrgRolesTeam: [
      "DELETE /orgs/{org}/organization-roles/teams/{team_slug}"
    ],
    revokeAllOrgRolesUser: [
      "DELETE /orgs/{org}/organization-roles/users/{username}"
    ],
    revokeOrgRoleTeam: [
      "DELETE /orgs/{org}/organization-roles/teams/{team_slug}/{role_id}"
    ],
    revokeOrgRoleUser: [
      "DELETE /orgs/{org}/organization-roles/users/{username}/{role_id}"
    ],
    setImmutableReleasesSettings: [
      "PUT /orgs/{org}/settings/immutable-releases"
    ],
    setImmutableReleasesSettingsRepositories: [
      "PUT /orgs/{org}/settings/immutable-releases/repositories"
    ],
    setMembershipForUser: ["PUT /orgs/{org}/memberships/{username}"],
    setPublicMembershipForAuthenticatedUser: [
      "PUT /orgs/{org}/public_members/{username}"
    ],
    unblockUser: ["DELETE /orgs/{org}/blocks/{username}"],
    update: ["PATCH /orgs/{org}"],
    updateIssueType: ["PUT /orgs/{org}/issue-types/{issue_type_id}"],
    updateMembershipForAuthenticatedUser: [
      "PATCH /user/memberships/orgs/{org}"
    ],
    updatePatAccess: ["POST /orgs/{org}/personal-access-tokens/{pat_id}"],
    updatePatAccesses: ["POST /orgs/{org}/personal-access-tokens"],
    updateWebhook: ["PATCH /orgs/{org}/hooks/{hook_id}"],
    updateWebhookConfigForOrg: ["PATCH /orgs/{org}/hooks/{hook_id}/config"]
  },
  packages: {
    deletePackageForAuthenticatedUser: [
      "DELETE /user/packages/{package_type}/{package_name}"
    ],
    deletePackageForOrg: [
      "DELETE /orgs/{org}/packages/{package_type}/{package_name}"
    ],
    deletePackageForUser: [
      "DELETE /users/{username}/packages/{package_type}/{package_name}"
    ],
    deletePackageVersionForAuthenticatedUser: [
      "DELETE /user/packages/{package_type}/{package_name}/versions/{package_version_id}"
    ],
    deletePackageVersionForOrg: [
      "DELETE /orgs/{org}/packages/{package_type}/{package_name}/versions/{package_version_id}"
    ],
    deletePackageVersionForUser: [
      "DELETE /users/{username}/packages/{package_type}/{package_name}/versions/{package_version_id}"
    ],
    getAllPackageVersionsForAPackageOwnedByAnOrg: [
      "GET /orgs/{org}/packages/{package_type}/{package_name}/versions",
      {},
      { renamed: ["packages", "getAllPackageVersionsForPackageOwnedByOrg"] }
    ],
    getAllPackageVersionsForAPackageOwnedByTheAuthenticatedUser: [
      "GET /user/packages/{package_type}/{package_name}/versions",
      {},
      {
        renamed: [
          "packages",
          "getAllPackageVersionsForPackageOwnedByAuthenticatedUser"
        ]
      }
    ],
    getAllPackageVersionsForPackageOwnedByAuthenticatedUser: [
      "GET /user/packages/{package_type}/{package_name}/versions"
    ],
    getAllPackageVersionsForPackageOwnedByOrg: [
      "GET /orgs/{org}/packages/{package_type}/{package_name}/versions"
    ],
    getAllPackageVersionsForPackageOwnedByUser: [
      "GET /users/{username}/packages/{package_type}/{package_name}/versions"
    ],
    getPackageForAuthenticatedUser: [
      "GET /user/packages/{package_type}/{package_name}"
    ],
    getPackageForOrganization: [
      "GET /orgs/{org}/packages/{package_type}/{package_name}"
    ],
    getPackageForUser: [
      "GET /users/{username}/packages/{package_type}/{package_name}"
    ],
    getPackageVersionForAuthenticatedUser: [
      "GET /user/packages/{package_type}/{package_name}/versions/{package_version_id}"
    ],
    getPackageVersionForOrganization: [
      "GET /orgs/{org}/packages/{package_type}/{package_name}/versions/{package_version_id}"
    ],
    getPackageVersionForUser: [
      "GET /users/{username}/packages/{package_type}/{package_name}/versions/{package_version_id}"
    ],
    listDockerMigrationConflictingPackagesForAuthenticatedUser: [
      "GET /user/docker/conflicts"
    ],
    listDockerMigrationConflictingPackagesForOrganization: [
      "GET /orgs/{org}/docker/conflicts"
    ],
    listDockerMigrationConflictingPackagesForUser: [
      "GET /users/{username}/docker/conflicts"
    ],
    listPackagesForAuthenticatedUser: ["GET /user/packages"],
    listPackagesForOrganization: ["GET /orgs/{org}/packages"],
    listPackagesForUser: ["GET /users/{username}/packages"],
    restorePackageForAuthenticatedUser: [
      "POST /user/packages/{package_type}/{package_name}/restore{?token}"
    ],
    restorePackageForOrg: [
      "POST /orgs/{org}/packages/{package_type}/{package_name}/restore{?token}"
    ],
    restorePackageForUser: [
      "POST /users/{username}/packages/{package_type}/{package_name}/restore{?token}"
    ],
    restorePackageVersionForAuthenticatedUser: [
      "POST /user/packages/{package_type}/{package_name}/versions/{package_version_id}/restore"
    ],
    restorePackageVersionForOrg: [
      "POST /orgs/{org}/packages/{package_type}/{package_name}/versions/{package_version_id}/restore"
    ],
    restorePackageVersionForUser: [
      "POST /users/{username}/packages/{package_type}/{package_name}/versions/{package_version_id}/restore"
    ]
  },
  privateRegistries: {
    createOrgPrivateRegistry: ["POST /orgs/{org}/private-registries"],
    deleteOrgPrivateRegistry: [
      "DELETE /orgs/{org}/private-registries/{secret_name}"
    ],
    getOrgPrivateRegistry: ["GET /orgs/{org}/private-registries/{secret_name}"],
    getOrgPublicKey: ["GET /orgs/{org}/private-registries/public-key"],
    listOrgPrivateRegistries: ["GET /orgs/{org}/private-registries"],
    updateOrgPrivateRegistry: [
      "PATCH /orgs/{org}/private-registries/{secret_name}"
    ]
  },
  projects: {
    addItemForOrg: ["POST /orgs/{org}/projectsV2/{project_number}/items"],
    addItemForUser: [
      "POST /users/{username}/projectsV2/{project_number}/items"
    ],
    deleteItemForOrg: [
      "DELETE /orgs/{org}/projectsV2/{project_number}/items/{item_id}"
    ],
    deleteItemForUser: [
      "DELETE /users/{username}/projectsV2/{project_number}/items/{item_id}"
    ],
    getFieldForOrg: [
      "GET /orgs/{org}/projectsV2/{project_number}/fields/{field_id}"
    ],
    getFieldForUser: [
      "GET /users/{username}/projectsV2/{project_number}/fields/{field_id}"
    ],
    getForOrg: ["GET /orgs/{org}/projectsV2/{project_number}"],
    getForUser: ["GET /users/{username}/projectsV2/{project_number}"],
    getOrgItem: ["GET /orgs/{org}/projectsV2/{project_number}/items/{item_id}"],
    getUserItem: [
      "GET /users/{username}/projectsV2/{project_number}/items/{item_id}"
    ],
    listFieldsForOrg: ["GET /orgs/{org}/projectsV2/{project_number}/fields"],
    listFieldsForUser: [
      "GET /users/{username}/projectsV2/{project_number}/fields"
    ],
    listForOrg: ["GET /orgs/{org}/projectsV2"],
    listForUser: ["GET /users/{username}/projectsV2"],
    listItemsForOrg: ["GET /orgs/{org}/projectsV2/{project_number}/items"],
    listItemsForUser: [
      "GET /users/{username}/projectsV2/{project_number}/items"
    ],
    updateItemForOrg: [
      "PATCH /orgs/{org}/projectsV2/{project_number}/items/{item_id}"
    ],
    updateItemForUser: [
      "PATCH /users/{username}/projectsV2/{project_number}/items/{item_id}"
    ]
  },
  pulls: {
    checkIfMerged: ["GET /repos/{owner}/{repo}/pulls/{pull_number}/merge"],
    create: ["POST /repos/{owner}/{repo}/pulls"],
    createReplyForReviewComment: [
      "POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies"
    ],
    createReview: ["POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews"],
    createReviewComment: [
      "POST /repos/{owner}/{repo}/pulls/{pull_number}/comments"
    ],
    deletePendingReview: [
      "DELETE /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}"
    ],
    deleteReviewComment: [
      "DELETE /repos/{owner}/{repo}/pulls/comments/{comment_id}"
    ],
    dismissReview: [
      "PUT /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/dismissals"
    ],
    get: ["GET /repos/{owner}/{repo}/pulls/{pull_number}"],
    getReview: [
      "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}"
    ],
    getReviewComment: ["GET /repos/{owner}/{repo}/pulls/comments/{comment_id}"],
    list: ["GET /repos/{owner}/{repo}/pulls"],
    listCommentsForReview: [
      "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/comments"
    ],
    listCommits: ["GET /repos/{owner}/{repo}/pulls/{pull_number}/commits"],
    listFiles: ["GET /repos/{owner}/{repo}/pulls/{pull_number}/files"],
    listRequestedReviewers: [
      "GET /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers"
    ],
    listReviewComments: [
      "GET /repos/{owner}/{repo}/pulls/{pull_number}/comments"
    ],
    listReviewCommentsForRepo: ["GET /repos/{owner}/{repo}/pulls/comments"],
    listReviews: ["GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews"],
    merge: ["PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge"],
    removeRequestedReviewers: [
      "DELETE /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers"
    ],
    requestReviewers: [
      "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers"
    ],
    submitReview: [
      "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/events"
    ],
    update: ["PATCH /repos/{owner}/{repo}/pulls/{pull_number}"],
    updateBranch: [
      "PUT /repos/{owner}/{repo}/pulls/{pull_number}/update-branch"
    ],
    updateReview: [
      "PUT /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}"
    ],
    updateReviewComment: [
      "PATCH /repos/{owner}/{repo}/pulls/comments/{comment_id}"
    ]
  },
  rateLimit: { get: ["GET /rate_limit"] },
  reactions: {
    createForCommitComment: [
      "POST /repos/{owner}/{repo}/comments/{comment_id}/reactions"
    ],
    createForIssue: [
      "POST /repos/{owner}/{repo}/issues/{issue_number}/reactions"
    ],
    createForIssueComment: [
      "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"
    ],
    createForPullRequestReviewComment: [
      "POST /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions"
    ],
    createForRelease: [
      "POST /repos/{owner}/{repo}/releases/{release_id}/reactions"
    ],
    createForTeamDiscussionCommentInOrg: [
      "POST /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments/{comment_number}/reactions"
    ],
    createForTeamDiscussionInOrg: [
      "POST /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/reactions"
    ],
    deleteForCommitComment: [
      "DELETE /repos/{owner}/{repo}/comments/{comment_id}/reactions/{reaction_id}"
    ],
    deleteForIssue: [
      "DELETE /repos/{owner}/{repo}/issues/{issue_number}/reactions/{reaction_id}"
    ],
    deleteForIssueComment: [
      "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions/{reaction_id}"
    ],
    deleteForPullRequestComment: [
      "DELETE /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions/{reaction_id}"
    ],
    deleteForRelease: [
      "DELETE /repos/{owner}/{repo}/releases/{release_id}/reactions/{reaction_id}"
    ],
    deleteForTeamDiscussion: [
      "DELETE /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/reactions/{reaction_id}"
    ],
    deleteForTeamDiscussionComment: [
      "DELETE /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments/{comment_number}/reactions/{reaction_id}"
    ],
    listForCommitComment: [
      "GET /repos/{owner}/{repo}/comments/{comment_id}/reactions"
    ],
    listForIssue: ["GET /repos/{owner}/{repo}/issues/{issue_number}/reactions"],
    listForIssueComment: [
      "GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"
    ],
    listForPullRequestReviewComment: [
      "GET /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions"
    ],
    listForRelease: [
      "GET /repos/{owner}/{repo}/releases/{release_id}/reactions"
    ],
    listForTeamDiscussionCommentInOrg: [
      "GET /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments/{comment_number}/reactions"
    ],
    listForTeamDiscussionInOrg: [
      "GET /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/reactions"
    ]
  },
  repos: {
    acceptInvitation: [
      "PATCH /user/repository_invitations/{invitation_id}",
      {},
      { renamed: ["repos", "acceptInvitationForAuthenticatedUser"] }
    ],
    acceptInvitationForAuthenticatedUser: [
      "PATCH /user/repository_invitations/{invitation_id}"
    ],
    addAppAccessRestrictions: [
      "POST /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/apps",
      {},
      { mapToData: "apps" }
    ],
    addCollaborator: ["PUT /repos/{owner}/{repo}/collaborators/{username}"],
    addStatusCheckContexts: [
      "POST /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks/contexts",
      {},
      { mapToData: "contexts" }
    ],
    addTeamAccessRestrictions: [
      "POST /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/teams",
      {},
      { mapToData: "teams" }
    ],
    addUserAccessRestrictions: [
      "POST /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/users",
      {},
      { mapToData: "users" }
    ],
    cancelPagesDeployment: [
      "POST /repos/{owner}/{repo}/pages/deployments/{pages_deployment_id}/cancel"
    ],
    checkAutomatedSecurityFixes: [
      "GET /repos/{owner}/{repo}/automated-security-fixes"
    ],
    checkCollaborator: ["GET /repos/{owner}/{repo}/collaborators/{username}"],
    checkImmutableReleases: ["GET /repos/{owner}/{repo}/immutable-releases"],
    checkPrivateVulnerabilityReporting: [
      "GET /repos/{owner}/{repo}/private-vulnerability-reporting"
    ],
    checkVulnerabilityAlerts: [
      "GET /repos/{owner}/{repo}/vulnerability-alerts"
    ],
    codeownersErrors: ["GET /repos/{owner}/{repo}/codeowners/errors"],
    compareCommits: ["GET /repos/{owner}/{repo}/compare/{base}...{head}"],
    compareCommitsWithBasehead: [
      "GET /repos/{owner}/{repo}/compare/{basehead}"
    ],
    createAttestation: ["POST /repos/{owner}/{repo}/attestations"],
    createAutolink: ["POST /repos/{owner}/{repo}/autolinks"],
    createCommitComment: [
      "POST /repos/{owner}/{repo}/commits/{commit_sha}/comments"
    ],
    createCommitSignatureProtection: [
      "POST /repos/{owner}/{repo}/branches/{branch}/protection/required_signatures"
    ],
    createCommitStatus: ["POST /repos/{owner}/{repo}/statuses/{sha}"],
    createDeployKey: ["POST /repos/{owner}/{repo}/keys"],
    createDeployment: ["POST /repos/{owner}/{repo}/deployments"],
    createDeploymentBranchPolicy: [
      "POST /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies"
    ],
    createDeploymentProtectionRule: [
      "POST /repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules"
    ],
    createDeploymentStatus: [
      "POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses"
    ],
    createDispatchEvent: ["POST /repos/{owner}/{repo}/dispatches"],
    createForAuthenticatedUser: ["POST /user/repos"],
    createFork: ["POST /repos/{owner}/{repo}/forks"],
    createInOrg: ["POST /orgs/{org}/repos"],
    createOrUpdateEnvironment: [
      "PUT /repos/{owner}/{repo}/environments/{environment_name}"
    ],
    createOrUpdateFileContents: ["PUT /repos/{owner}/{repo}/contents/{path}"],
    createOrgRuleset: ["POST /orgs/{org}/rulesets"],
    createPagesDeployment: ["POST /repos/{owner}/{repo}/pages/deployments"],
    createPagesSite: ["POST /repos/{owner}/{repo}/pages"],
    createRelease: ["POST /repos/{owner}/{repo}/releases"],
    createRepoRuleset: ["POST /repos/{owner}/{repo}/rulesets"],
    createUsingTemplate: [
      "POST /repos/{template_owner}/{template_repo}/generate"
    ],
    createWebhook: ["POST /repos/{owner}/{repo}/hooks"],
    customPropertiesForReposCreateOrUpdateRepositoryValues: [
      "PATCH /repos/{owner}/{repo}/properties/values"
    ],
    customPropertiesForReposGetRepositoryValues: [
      "GET /repos/{owner}/{repo}/properties/values"
    ],
    declineInvitation: [
      "DELETE /user/repository_invitations/{invitation_id}",
      {},
      { renamed: ["repos", "declineInvitationForAuthenticatedUser"] }
    ],
    declineInvitationForAuthenticatedUser: [
      "DELETE /user/repository_invitations/{invitation_id}"
    ],
    delete: ["DELETE /repos/{owner}/{repo}"],
    deleteAccessRestrictions: [
      "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/restrictions"
    ],
    deleteAdminBranchProtection: [
      "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/enforce_admins"
    ],
    deleteAnEnvironment: [
      "DELETE /repos/{owner}/{repo}/environments/{environment_name}"
    ],
    deleteAutolink: ["DELETE /repos/{owner}/{repo}/autolinks/{autolink_id}"],
    deleteBranchProtection: [
      "DELETE /repos/{owner}/{repo}/branches/{branch}/protection"
    ],
    deleteCommitComment: ["DELETE /repos/{owner}/{repo}/comments/{comment_id}"],
    deleteCommitSignatureProtection: [
      "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/required_signatures"
    ],
    deleteDeployKey: ["DELETE /repos/{owner}/{repo}/keys/{key_id}"],
    deleteDeployment: [
      "DELETE /repos/{owner}/{repo}/deployments/{deployment_id}"
    ],
    deleteDeploymentBranchPolicy: [
      "DELETE /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies/{branch_policy_id}"
    ],
    deleteFile: ["DELETE /repos/{owner}/{repo}/contents/{path}"],
    deleteInvitation: [
      "DELETE /repos/{owner}/{repo}/invitations/{invitation_id}"
    ],
    deleteOrgRuleset: ["DELETE /orgs/{org}/rulesets/{ruleset_id}"],
    deletePagesSite: ["DELETE /repos/{owner}/{repo}/pages"],
    deletePullRequestReviewProtection: [
      "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/required_pull_request_reviews"
    ],
    deleteRelease: ["DELETE /repos/{owner}/{repo}/releases/{release_id}"],
    deleteReleaseAsset: [
      "DELETE /repos/{owner}/{repo}/releases/assets/{asset_id}"
    ],
    deleteRepoRuleset: ["DELETE /repos/{owner}/{repo}/rulesets/{ruleset_id}"],
    deleteWebhook: ["DELETE /repos/{owner}/{repo}/hooks/{hook_id}"],
    disableAutomatedSecurityFixes: [
      "DELETE /repos/{owner}/{repo}/automated-security-fixes"
    ],
    disableDeploymentProtectionRule: [
      "DELETE /repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules/{protection_rule_id}"
    ],
    disableImmutableReleases: [
      "DELETE /repos/{owner}/{repo}/immutable-releases"
    ],
    disablePrivateVulnerabilityReporting: [
      "DELETE /repos/{owner}/{repo}/private-vulnerability-reporting"
    ],
    disableVulnerabilityAlerts: [
      "DELETE /repos/{owner}/{repo}/vulnerability-alerts"
    ],
    downloadArchive: [
      "GET /repos/{owner}/{repo}/zipball/{ref}",
      {},
      { renamed: ["repos", "downloadZipballArchive"] }
    ],
    downloadTarballArchive: ["GET /repos/{owner}/{repo}/tarball/{ref}"],
    downloadZipballArchive: ["GET /repos/{owner}/{repo}/zipball/{ref}"],
    enableAutomatedSecurityFixes: [
      "PUT /repos/{owner}/{repo}/automated-security-fixes"
    ],
    enableImmutableReleases: ["PUT /repos/{owner}/{repo}/immutable-releases"],
    enablePrivateVulnerabilityReporting: [
      "PUT /repos/{owner}/{repo}/private-vulnerability-reporting"
    ],
    enableVulnerabilityAlerts: [
      "PUT /repos/{owner}/{repo}/vulnerability-alerts"
    ],
    generateReleaseNotes: [
      "POST /repos/{owner}/{repo}/releases/generate-notes"
    ],
    get: ["GET /repos/{owner}/{repo}"],
    getAccessRestrictions: [
      "GET /repos/{owner}/{repo}/branches/{branch}/protection/restrictions"
    ],
    getAdminBranchProtection: [
      "GET /repos/{owner}/{repo}/branches/{branch}/protection/enforce_admins"
    ],
    getAllDeploymentProtectionRules: [
      "GET /repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules"
    ],
    getAllEnvironments: ["GET /repos/{owner}/{repo}/environments"],
    getAllStatusCheckContexts: [
      "GET /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks/contexts"
    ],
    getAllTopics: ["GET /repos/{owner}/{repo}/topics"],
    getAppsWithAccessToProtectedBranch: [
      "GET /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/apps"
    ],
    getAutolink: ["GET /repos/{owner}/{repo}/autolinks/{autolink_id}"],
    getBranch: ["GET /repos/{owner}/{repo}/branches/{branch}"],
    getBranchProtection: [
      "GET /repos/{owner}/{repo}/branches/{branch}/protection"
    ],
    getBranchRules: ["GET /repos/{owner}/{repo}/rules/branches/{branch}"],
    getClones: ["GET /repos/{owner}/{repo}/traffic/clones"],
    getCodeFrequencyStats: ["GET /repos/{owner}/{repo}/stats/code_frequency"],
    getCollaboratorPermissionLevel: [
      "GET /repos/{owner}/{repo}/collaborators/{username}/permission"
    ],
    getCombinedStatusForRef: ["GET /repos/{owner}/{repo}/commits/{ref}/status"],
    getCommit: ["GET /repos/{owner}/{repo}/commits/{ref}"],
    getCommitActivityStats: ["GET /repos/{owner}/{repo}/stats/commit_activity"],
    getCommitComment: ["GET /repos/{owner}/{repo}/comments/{comment_id}"],
    getCommitSignatureProtection: [
      "GET /repos/{owner}/{repo}/branches/{branch}/protection/required_signatures"
    ],
    getCommunityProfileMetrics: ["GET /repos/{owner}/{repo}/community/profile"],
    getContent: ["GET /repos/{owner}/{repo}/contents/{path}"],
    getContributorsStats: ["GET /repos/{owner}/{repo}/stats/contributors"],
    getCustomDeploymentProtectionRule: [
      "GET /repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules/{protection_rule_id}"
    ],
    getDeployKey: ["GET /repos/{owner}/{repo}/keys/{key_id}"],
    getDeployment: ["GET /repos/{owner}/{repo}/deployments/{deployment_id}"],
    getDeploymentBranchPolicy: [
      "GET /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies/{branch_policy_id}"
    ],
    getDeploymentStatus: [
      "GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses/{status_id}"
    ],
    getEnvironment: [
      "GET /repos/{owner}/{repo}/environments/{environment_name}"
    ],
    getLatestPagesBuild: ["GET /repos/{owner}/{repo}/pages/builds/latest"],
    getLatestRelease: ["GET /repos/{owner}/{repo}/releases/latest"],
    getOrgRuleSuite: ["GET /orgs/{org}/rulesets/rule-suites/{rule_suite_id}"],
    getOrgRuleSuites: ["GET /orgs/{org}/rulesets/rule-suites"],
    getOrgRuleset: ["GET /orgs/{org}/rulesets/{ruleset_id}"],
    getOrgRulesets: ["GET /orgs/{org}/rulesets"],
    getPages: ["GET /repos/{owner}/{repo}/pages"],
    getPagesBuild: ["GET /repos/{owner}/{repo}/pages/builds/{build_id}"],
    getPagesDeployment: [
      "GET /repos/{owner}/{repo}/pages/deployments/{pages_deployment_id}"
    ],
    getPagesHealthCheck: ["GET /repos/{owner}/{repo}/pages/health"],
    getParticipationStats: ["GET /repos/{owner}/{repo}/stats/participation"],
    getPullRequestReviewProtection: [
      "GET /repos/{owner}/{repo}/branches/{branch}/protection/required_pull_request_reviews"
    ],
    getPunchCardStats: ["GET /repos/{owner}/{repo}/stats/punch_card"],
    getReadme: ["GET /repos/{owner}/{repo}/readme"],
    getReadmeInDirectory: ["GET /repos/{owner}/{repo}/readme/{dir}"],
    getRelease: ["GET /repos/{owner}/{repo}/releases/{release_id}"],
    getReleaseAsset: ["GET /repos/{owner}/{repo}/releases/assets/{asset_id}"],
    getReleaseByTag: ["GET /repos/{owner}/{repo}/releases/tags/{tag}"],
    getRepoRuleSuite: [
      "GET /repos/{owner}/{repo}/rulesets/rule-suites/{rule_suite_id}"
    ],
    getRepoRuleSuites: ["GET /repos/{owner}/{repo}/rulesets/rule-suites"],
    getRepoRuleset: ["GET /repos/{owner}/{repo}/rulesets/{ruleset_id}"],
    getRepoRulesetHistory: [
      "GET /repos/{owner}/{repo}/rulesets/{ruleset_id}/history"
    ],
    getRepoRulesetVersion: [
      "GET /repos/{owner}/{repo}/rulesets/{ruleset_id}/history/{version_id}"
    ],
    getRepoRulesets: ["GET /repos/{owner}/{repo}/rulesets"],
    getStatusChecksProtection: [
      "GET /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks"
    ],
    getTeamsWithAccessToProtectedBranch: [
      "GET /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/teams"
    ],
    getTopPaths: ["GET /repos/{owner}/{repo}/traffic/popular/paths"],
    getTopReferrers: ["GET /repos/{owner}/{repo}/traffic/popular/referrers"],
    getUsersWithAccessToProtectedBranch: [
      "GET /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/users"
    ],
    getViews: ["GET /repos/{owner}/{repo}/traffic/views"],
    getWebhook: ["GET /repos/{owner}/{repo}/hooks/{hook_id}"],
    getWebhookConfigForRepo: [
      "GET /repos/{owner}/{repo}/hooks/{hook_id}/config"
    ],
    getWebhookDelivery: [
      "GET /repos/{owner}/{repo}/hooks/{hook_id}/deliveries/{delivery_id}"
    ],
    listActivities: ["GET /repos/{owner}/{repo}/activity"],
    listAttestations: [
      "GET /repos/{owner}/{repo}/attestations/{subject_digest}"
    ],
    listAutolinks: ["GET /repos/{owner}/{repo}/autolinks"],
    listBranches: ["GET /repos/{owner}/{repo}/branches"],
    listBranchesForHeadCommit: [
      "GET /repos/{owner}/{repo}/commits/{commit_sha}/branches-where-head"
    ],
    listCollaborators: ["GET /repos/{owner}/{repo}/collaborators"],
    listCommentsForCommit: [
      "GET /repos/{owner}/{repo}/commits/{commit_sha}/comments"
    ],
    listCommitCommentsForRepo: ["GET /repos/{owner}/{repo}/comments"],
    listCommitStatusesForRef: [
      "GET /repos/{owner}/{repo}/commits/{ref}/statuses"
    ],
    listCommits: ["GET /repos/{owner}/{repo}/commits"],
    listContributors: ["GET /repos/{owner}/{repo}/contributors"],
    listCustomDeploymentRuleIntegrations: [
      "GET /repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules/apps"
    ],
    listDeployKeys: ["GET /repos/{owner}/{repo}/keys"],
    listDeploymentBranchPolicies: [
      "GET /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies"
    ],
    listDeploymentStatuses: [
      "GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses"
    ],
    listDeployments: ["GET /repos/{owner}/{repo}/deployments"],
    listForAuthenticatedUser: ["GET /user/repos"],
    listForOrg: ["GET /orgs/{org}/repos"],
    listForUser: ["GET /users/{username}/repos"],
    listForks: ["GET /repos/{owner}/{repo}/forks"],
    listInvitations: ["GET /repos/{owner}/{repo}/invitations"],
    listInvitationsForAuthenticatedUser: ["GET /user/repository_invitations"],
    listLanguages: ["GET /repos/{owner}/{repo}/languages"],
    listPagesBuilds: ["GET /repos/{owner}/{repo}/pages/builds"],
    listPublic: ["GET /repositories"],
    listPullRequestsAssociatedWithCommit: [
      "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls"
    ],
    listReleaseAssets: [
      "GET /repos/{owner}/{repo}/releases/{release_id}/assets"
    ],
    listReleases: ["GET /repos/{owner}/{repo}/releases"],
    listTags: ["GET /repos/{owner}/{repo}/tags"],
    listTeams: ["GET /repos/{owner}/{repo}/teams"],
    listWebhookDeliveries: [
      "GET /repos/{owner}/{repo}/hooks/{hook_id}/deliveries"
    ],
    listWebhooks: ["GET /repos/{owner}/{repo}/hooks"],
    merge: ["POST /repos/{owner}/{repo}/merges"],
    mergeUpstream: ["POST /repos/{owner}/{repo}/merge-upstream"],
    pingWebhook: ["POST /repos/{owner}/{repo}/hooks/{hook_id}/pings"],
    redeliverWebhookDelivery: [
      "POST /repos/{owner}/{repo}/hooks/{hook_id}/deliveries/{delivery_id}/attempts"
    ],
    removeAppAccessRestrictions: [
      "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/apps",
      {},
      { mapToData: "apps" }
    ],
    removeCollaborator: [
      "DELETE /repos/{owner}/{repo}/collaborators/{username}"
    ],
    removeStatusCheckContexts: [
      "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks/contexts",
      {},
      { mapToData: "contexts" }
    ],
    removeStatusCheckProtection: [
      "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks"
    ],
    removeTeamAccessRestrictions: [
      "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/teams",
      {},
      { mapToData: "teams" }
    ],
    removeUserAccessRestrictions: [
      "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/users",
      {},
      { mapToData: "users" }
    ],
    renameBranch: ["POST /repos/{owner}/{repo}/branches/{branch}/rename"],
    replaceAllTopics: ["PUT /repos/{owner}/{repo}/topics"],
    requestPagesBuild: ["POST /repos/{owner}/{repo}/pages/builds"],
    setAdminBranchProtection: [
      "POST /repos/{owner}/{repo}/branches/{branch}/protection/enforce_admins"
    ],
    setAppAccessRestrictions: [
      "PUT /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/apps",
      {},
      { mapToData: "apps" }
    ],
    setStatusCheckContexts: [
      "PUT /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks/contexts",
      {},
      { mapToData: "contexts" }
    ],
    setTeamAccessRestrictions: [
      "PUT /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/teams",
      {},
      { mapToData: "teams" }
    ],
    setUserAccessRestrictions: [
      "PUT /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/users",
      {},
      { mapToData: "users" }
    ],
    testPushWebhook: ["POST /repos/{owner}/{repo}/hooks/{hook_id}/tests"],
    transfer: ["POST /repos/{owner}/{repo}/transfer"],
    update: ["PATCH /repos/{owner}/{repo}"],
    updateBranchProtection: [
      "PUT /repos/{owner}/{repo}/branches/{branch}/protection"
    ],
    updateCommitComment: ["PATCH /repos/{owner}/{repo}/comments/{comment_id}"],
    updateDeploymentBranchPolicy: [
      "PUT /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies/{branch_policy_id}"
    ],
    updateInformationAboutPagesSite: ["PUT /repos/{owner}/{repo}/pages"],
    updateInvitation: [
      "PATCH /repos/{owner}/{repo}/invitations/{invitation_id}"
    ],
    updateOrgRuleset: ["PUT /orgs/{org}/rulesets/{ruleset_id}"],
    updatePullRequestReviewProtection: [
      "PATCH /repos/{owner}/{repo}/branches/{branch}/protection/required_pull_request_reviews"
    ],
    updateRelease: ["PATCH /repos/{owner}/{repo}/releases/{release_id}"],
    updateReleaseAsset: [
      "PATCH /repos/{owner}/{repo}/releases/assets/{asset_id}"
    ],
    updateRepoRuleset: ["PUT /repos/{owner}/{repo}/rulesets/{ruleset_id}"],
    updateStatusCheckPotection: [
      "PATCH /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks",
      {},
      { renamed: ["repos", "updateStatusCheckProtection"] }
    ],
    updateStatusCheckProtection: [
      "PATCH /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks"
    ],
    updateWebhook: ["PATCH /repos/{owner}/{repo}/hooks/{hook_id}"],
    updateWebhookConfigForRepo: [
      "PATCH /repos/{owner}/{repo}/hooks/{hook_id}/config"
    ],
    uploadReleaseAsset: [
      "POST /repos/{owner}/{repo}/releases/{release_id}/assets{?name,label}",
      { baseUrl: "https://uploads.github.com" }
    ]
  },
  search: {
    code: ["GET /search/code"],
    commits: ["GET /search/commits"],
    issuesAndPullRequests: ["GET /search/issues"],
    labels: ["GET /search/labels"],
    repos: ["GET /search/repositories"],
    topics: ["GET /search/topics"],
    users: ["GET /search/users"]
  },
  secretScanning: {
    createPushProtectionBypass: [
      "POST /repos/{owner}/{repo}/secret-scanning/push-protection-bypasses"
    ],
    getAlert: [
      "GET /repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}"
    ],
    getScanHistory: ["GET /repos/{owner}/{repo}/secret-scanning/scan-history"],
    listAlertsForOrg: ["GET /orgs/{org}/secret-scanning/alerts"],
    listAlertsForRepo: ["GET /repos/{owner}/{repo}/secret-scanning/alerts"],
    listLocationsForAlert: [
      "GET /repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}/locations"
    ],
    listOrgPatternConfigs: [
      "GET /orgs/{org}/secret-scanning/pattern-configurations"
    ],
    updateAlert: [
      "PATCH /repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}"
    ],
    updateOrgPatternConfigs: [
      "PATCH /orgs/{org}/secret-scanning/pattern-configurations"
    ]
  },
  securityAdvisories: {
    createFork: [
      "POST /repos/{owner}/{repo}/security-advisories/{ghsa_id}/forks"
    ],
    createPrivateVulnerabilityReport: [
      "POST /repos/{owner}/{repo}/security-advisories/reports"
    ],
    createRepositoryAdvisory: [
      "POST /repos/{owner}/{repo}/security-advisories"
    ],
    createRepositoryAdvisoryCveRequest: [
      "POST /repos/{owner}/{repo}/security-advisories/{ghsa_id}/cve"
    ],
    getGlobalAdvisory: ["GET /advisories/{ghsa_id}"],
    getRepositoryAdvisory: [
      "GET /repos/{owner}/{repo}/security-advisories/{ghsa_id}"
    ],
    listGlobalAdvisories: ["GET /advisories"],
    listOrgRepositoryAdvisories: ["GET /orgs/{org}/security-advisories"],
    listRepositoryAdvisories: ["GET /repos/{owner}/{repo}/security-advisories"],
    updateRepositoryAdvisory: [
      "PATCH /repos/{owner}/{repo}/security-advisories/{ghsa_id}"
    ]
  },
  teams: {
    addOrUpdateMembershipForUserInOrg: [
      "PUT /orgs/{org}/teams/{team_slug}/memberships/{username}"
    ],
    addOrUpdateRepoPermissionsInOrg: [
      "PUT /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}"
    ],
    checkPermissionsForRepoInOrg: [
      "GET /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}"
    ],
    create: ["POST /orgs/{org}/teams"],
    createDiscussionCommentInOrg: [
      "POST /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments"
    ],
    createDiscussionInOrg: ["POST /orgs/{org}/teams/{team_slug}/discussions"],
    deleteDiscussionCommentInOrg: [
      "DELETE /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments/{comment_number}"
    ],
    deleteDiscussionInOrg: [
      "DELETE /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}"
    ],
    deleteInOrg: ["DELETE /orgs/{org}/teams/{team_slug}"],
    getByName: ["GET /orgs/{org}/teams/{team_slug}"],
    getDiscussionCommentInOrg: [
      "GET /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments/{comment_number}"
    ],
    getDiscussionInOrg: [
      "GET /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}"
    ],
    getMembershipForUserInOrg: [
      "GET /orgs/{org}/teams/{team_slug}/memberships/{username}"
    ],
    list: ["GET /orgs/{org}/teams"],
    listChildInOrg: ["GET /orgs/{org}/teams/{team_slug}/teams"],
    listDiscussionCommentsInOrg: [
      "GET /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments"
    ],
    listDiscussionsInOrg: ["GET /orgs/{org}/teams/{team_slug}/discussions"],
    listForAuthenticatedUser: ["GET /user/teams"],
    listMembersInOrg: ["GET /orgs/{org}/teams/{team_slug}/members"],
    listPendingInvitationsInOrg: [
      "GET /orgs/{org}/teams/{team_slug}/invitations"
    ],
    listReposInOrg: ["GET /orgs/{org}/teams/{team_slug}/repos"],
    removeMembershipForUserInOrg: [
      "DELETE /orgs/{org}/teams/{team_slug}/memberships/{username}"
    ],
    removeRepoInOrg: [
      "DELETE /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}"
    ],
    updateDiscussionCommentInOrg: [
      "PATCH /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments/{comment_number}"
    ],
    updateDiscussionInOrg: [
      "PATCH /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}"
    ],
    updateInOrg: ["PATCH /orgs/{org}/teams/{team_slug}"]
  },
  users: {
    addEmailForAuthenticated: [
      "POST /user/emails",
      {},
      { renamed: ["users", "addEmailForAuthenticatedUser"] }
    ],
    addEmailForAuthenticatedUser: ["POST /user/emails"],
    addSocialAccountForAuthenticatedUser: ["POST /user/social_accounts"],
    block: ["PUT /user/blocks/{username}"],
    checkBlocked: ["GET /user/blocks/{username}"],
    checkFollowingForUser: ["GET /users/{username}/following/{target_user}"],
    checkPersonIsFollowedByAuthenticated: ["GET /user/following/{username}"],
    createGpgKeyForAuthenticated: [
      "POST /user/gpg_keys",
      {},
      { renamed: ["users", "createGpgKeyForAuthenticatedUser"] }
    ],
    createGpgKeyForAuthenticatedUser: ["POST /user/gpg_keys"],
    createPublicSshKeyForAuthenticated: [
      "POST /user/keys",
      {},
      { renamed: ["users", "createPublicSshKeyForAuthenticatedUser"] }
    ],
    createPublicSshKeyForAuthenticatedUser: ["POST /user/keys"],
    createSshSigningKeyForAuthenticatedUser: ["POST /user/ssh_signing_keys"],
    deleteAttestationsBulk: [
      "POST /users/{username}/attestations/delete-request"
    ],
    deleteAttestationsById: [
      "DELETE /users/{username}/attestations/{attestation_id}"
    ],
    deleteAttestationsBySubjectDigest: [
      "DELETE /users/{username}/attestations/digest/{subject_digest}"
    ],
    deleteEmailForAuthenticated: [
      "DELETE /user/emails",
      {},
      { renamed: ["users", "deleteEmailForAuthenticatedUser"] }
    ],
    deleteEmailForAuthenticatedUser: ["DELETE /user/emails"],
    deleteGpgKeyForAuthenticated: [
      "DELETE /user/gpg_keys/{gpg_key_id}",
      {},
      { renamed: ["users", "deleteGpgKeyForAuthenticatedUser"] }
    ],
    deleteGpgKeyForAuthenticatedUser: ["DELETE /user/gpg_keys/{gpg_key_id}"],
    deletePublicSshKeyForAuthenticated: [
      "DELETE /user/keys/{key_id}",
      {},
      { renamed: ["users", "deletePublicSshKeyForAuthenticatedUser"] }
    ],
    deletePublicSshKeyForAuthenticatedUser: ["DELETE /user/keys/{key_id}"],
    deleteSocialAccountForAuthenticatedUser: ["DELETE /user/social_accounts"],
    deleteSshSigningKeyForAuthenticatedUser: [
      "DELETE /user/ssh_signing_keys/{ssh_signing_key_id}"
    ],
    follow: ["PUT /user/following/{username}"],
    getAuthenticated: ["GET /user"],
    getById: ["GET /user/{account_id}"],
    getByUsername: ["GET /users/{username}"],
    getContextForUser: ["GET /users/{username}/hovercard"],
    getGpgKeyForAuthenticated: [
      "GET /user/gpg_keys/{gpg_key_id}",
      {},
      { renamed: ["users", "getGpgKeyForAuthenticatedUser"] }
    ],
    getGpgKeyForAuthenticatedUser: ["GET /user/gpg_keys/{gpg_key_id}"],
    getPublicSshKeyForAuthenticated: [
      "GET /user/keys/{key_id}",
      {},
      { renamed: ["users", "getPublicSshKeyForAuthenticatedUser"] }
    ],
    getPublicSshKeyForAuthenticatedUser: ["GET /user/keys/{key_id}"],
    getSshSigningKeyForAuthenticatedUser: [
      "GET /user/ssh_signing_keys/{ssh_signing_key_id}"
    ],
    list: ["GET /users"],
    listAttestations: ["GET /users/{username}/attestations/{subject_digest}"],
    listAttestationsBulk: [
      "POST /users/{username}/attestations/bulk-list{?per_page,before,after}"
    ],
    listBlockedByAuthenticated: [
      "GET /user/blocks",
      {},
      { renamed: ["users", "listBlockedByAuthenticatedUser"] }
    ],
    listBlockedByAuthenticatedUser: ["GET /user/blocks"],
    listEmailsForAuthenticated: [
      "GET /user/emails",
      {},
      { renamed: ["users", "listEmailsForAuthenticatedUser"] }
    ],
    listEmailsForAuthenticatedUser: ["GET /user/emails"],
    listFollowedByAuthenticated: [
      "GET /user/following",
      {},
      { renamed: ["users", "listFollowedByAuthenticatedUser"] }
    ],
    listFollowedByAuthenticatedUser: ["GET /user/following"],
    listFollowersForAuthenticatedUser: ["GET /user/followers"],
    listFollowersForUser: ["GET /users/{username}/followers"],
    listFollowingForUser: ["GET /users/{username}/following"],
    listGpgKeysForAuthenticated: [
      "GET /user/gpg_keys",
      {},
      { renamed: ["users", "listGpgKeysForAuthenticatedUser"] }
    ],
    listGpgKeysForAuthenticatedUser: ["GET /user/gpg_keys"],
    listGpgKeysForUser: ["GET /users/{username}/gpg_keys"],
    listPublicEmailsForAuthenticated: [
      "GET /user/public_emails",
      {},
      { renamed: ["users", "listPublicEmailsForAuthenticatedUser"] }
    ],
    listPublicEmailsForAuthenticatedUser: ["GET /user/public_emails"],
    listPublicKeysForUser: ["GET /users/{username}/keys"],
    listPublicSshKeysForAuthenticated: [
      "GET /user/keys",
      {},
      { renamed: ["users", "listPublicSshKeysForAuthenticatedUser"] }
    ],
    listPublicSshKeysForAuthenticatedUser: ["GET /user/keys"],
    listSocialAccountsForAuthenticatedUser: ["GET /user/social_accounts"],
    listSocialAccountsForUser: ["GET /users/{username}/social_accounts"],
    listSshSigningKeysForAuthenticatedUser: ["GET /user/ssh_signing_keys"],
    listSshSigningKeysForUser: ["GET /users/{username}/ssh_signing_keys"],
    setPrimaryEmailVisibilityForAuthenticated: [
      "PATCH /user/email/visibility",
      {},
      { renamed: ["users", "setPrimaryEmailVisibilityForAuthenticatedUser"] }
    ],
    setPrimaryEmailVisibilityForAuthenticatedUser: [
      "PATCH /user/email/visibility"
    ],
    unblock: ["DELETE /user/blocks/{username}"],
    unfollow: ["DELETE /user/following/{username}"],
    updateAuthenticated: ["PATCH /user"]
  }
};
var endpoints_default = Endpoints;

//# sourceMappingURL=endpoints.js.map

;// CONCATENATED MODULE: ./node_modules/@octokit/plugin-rest-endpoint-methods/dist-src/endpoints-to-methods.js

const endpointMethodsMap = /* @__PURE__ */ new Map();
for (const [scope, endpoints] of Object.entries(endpoints_default)) {
  for (const [methodName, endpoint] of Object.entries(endpoints)) {
    const [route, defaults, decorations] = endpoint;
    const [method, url] = route.split(/ /);
    const endpointDefaults = Object.assign(
      {
        method,
        url
      },
      defaults
    );
    if (!endpointMethodsMap.has(scope)) {
      endpointMethodsMap.set(scope, /* @__PURE__ */ new Map());
    }
    endpointMethodsMap.get(scope).set(methodName, {
      scope,
      methodName,
      endpointDefaults,
      decorations
    });
  }
}
const handler = {
  has({ scope }, methodName) {
    return endpointMethodsMap.get(scope).has(methodName);
  },
  getOwnPropertyDescriptor(target, methodName) {
    return {
      value: this.get(target, methodName),
      // ensures method is in the cache
      configurable: true,
      writable: true,
      enumerable: true
    };
  },
  defineProperty(target, methodName, descriptor) {
    Object.defineProperty(target.cache, methodName, descriptor);
    return true;
  },
  deleteProperty(target, methodName) {
    delete target.cache[methodName];
    return true;
  },
  ownKeys({ scope }) {
    return [...endpointMethodsMap.get(scope).keys()];
  },
  set(target, methodName, value) {
    return target.cache[methodName] = value;
  },
  get({ octokit, scope, cache }, methodName) {
    if (cache[methodName]) {
      return cache[methodName];
    }
    const method = endpointMethodsMap.get(scope).get(methodName);
    if (!method) {
      return void 0;
    }
    const { endpointDefaults, decorations } = method;
    if (decorations) {
      cache[methodName] = decorate(
        octokit,
        scope,
        methodName,
        endpointDefaults,
        decorations
      );
    } else {
      cache[methodName] = octokit.request.defaults(endpointDefaults);
    }
    return cache[methodName];
  }
};
function endpointsToMethods(octokit) {
  const newMethods = {};
  for (const scope of endpointMethodsMap.keys()) {
    newMethods[scope] = new Proxy({ octokit, scope, cache: {} }, handler);
  }
  return newMethods;
}
function decorate(octokit, scope, methodName, defaults, decorations) {
  const requestWithDefaults = octokit.request.defaults(defaults);
  function withDecorations(...args) {
    let options = requestWithDefaults.endpoint.merge(...args);
    if (decorations.mapToData) {
      options = Object.assign({}, options, {
        data: options[decorations.mapToData],
        [decorations.mapToData]: void 0
      });
      return requestWithDefaults(options);
    }
    if (decorations.renamed) {
      const [newScope, newMethodName] = decorations.renamed;
      octokit.log.warn(
        `octokit.${scope}.${methodName}() has been renamed to octokit.${newScope}.${newMethodName}()`
      );
    }
    if (decorations.deprecated) {
      octokit.log.warn(decorations.deprecated);
    }
    if (decorations.renamedParameters) {
      const options2 = requestWithDefaults.endpoint.merge(...args);
      for (const [name, alias] of Object.entries(
        decorations.renamedParameters
      )) {
        if (name in options2) {
          octokit.log.warn(
            `"${name}" parameter is deprecated for "octokit.${scope}.${methodName}()". Use "${alias}" instead`
          );
          if (!(alias in options2)) {
            options2[alias] = options2[name];
          }
          delete options2[name];
        }
      }
      return requestWithDefaults(options2);
    }
    return requestWithDefaults(...args);
  }
  return Object.assign(withDecorations, requestWithDefaults);
}

//# sourceMappingURL=endpoints-to-methods.js.map

;// CONCATENATED MODULE: ./node_modules/@octokit/plugin-rest-endpoint-methods/dist-src/index.js


function restEndpointMethods(octokit) {
  const api = endpointsToMethods(octokit);
  return {
    rest: api
  };
}
restEndpointMethods.VERSION = plugin_rest_endpoint_methods_dist_src_version_VERSION;
function legacyRestEndpointMethods(octokit) {
  const api = endpointsToMethods(octokit);
  return {
    ...api,
    rest: api
  };
}
legacyRestEndpointMethods.VERSION = plugin_rest_endpoint_methods_dist_src_version_VERSION;

//# sourceMappingURL=index.js.map

;// CONCATENATED MODULE: ./node_modules/@octokit/rest/dist-src/version.js
const rest_dist_src_version_VERSION = "22.0.1";


;// CONCATENATED MODULE: ./node_modules/@octokit/rest/dist-src/index.js





const dist_src_Octokit = Octokit.plugin(requestLog, legacyRestEndpointMethods, paginateRest).defaults(
  {
    userAgent: `octokit-rest.js/${rest_dist_src_version_VERSION}`
  }
);


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

// EXTERNAL MODULE: ./packages/publishing/src/http/proxy-env.ts
var proxy_env = __nccwpck_require__(8714);
;// CONCATENATED MODULE: ./packages/publishing/src/http/fetch.ts
// fetch for clients built on it (Octokit): Node's own fetch, and undici's over the suite's
// proxy-aware pool (undici-pool.ts) when a proxy variable is set, since Node's fetch reads
// none of HTTP(S)_PROXY and NO_PROXY (Node 24 only with NODE_USE_ENV_PROXY).

const suiteFetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!(0,proxy_env/* proxyConfigured */.$)(new URL(url).protocol))
        return globalThis.fetch(input, init);
    return (await Promise.all(/* import() */[__nccwpck_require__.e(280), __nccwpck_require__.e(141)]).then(__nccwpck_require__.bind(__nccwpck_require__, 4141))).fetchThroughPool(input, init);
};

;// CONCATENATED MODULE: ./packages/publishing/src/github/rate-budget.ts
function readRateLimit(headers) {
    const [limit, remaining, reset] = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'].map((name) => headers[name] === undefined ? NaN : Number(headers[name]));
    return Number.isFinite(limit) && Number.isFinite(remaining) && Number.isFinite(reset) ? { limit: limit, remaining: remaining, reset: reset } : undefined;
}
/** How many more requests the share allows, `inFlight` of which are already sent; <= 0 when none. */
function requestsAllowed(state, share, inFlight) {
    return state.remaining - inFlight - Math.ceil(state.limit * (1 - share));
}
/** The newest of two states: a later window replaces the old one; within one, the lowest remaining (answers arrive out of order). */
function newerRateLimit(known, seen) {
    if (!known || seen.reset > known.reset)
        return seen;
    return seen.reset < known.reset ? known : { ...known, remaining: Math.min(known.remaining, seen.remaining) };
}

;// CONCATENATED MODULE: ./packages/publishing/src/github/packages.ts
// GitHub Packages REST API for container packages, through @octokit/rest: who owns a
// package (organization or user), the owner's container packages, a package's versions
// (every page), and deleting one version.
//
// On GHCR every manifest of an image is its own version: `name` is its digest and
// `metadata.container.tags` its tags. Deleting a version deletes that manifest.
//
// Rate limits: every request goes through one hook that waits as GitHub documents (see
// retryAdvice in http/check-response.ts) and retries; while one request waits, a shared
// pause holds back the others, so bounded concurrency never hammers an API that asked us
// to slow down.
// With a budget (rate-budget.ts), a request the budget does not allow is not sent: it
// fails with BudgetExhaustedError, which the caller reports as work left for the next run.







/** Secondary rate limits can ask for a minute or more, so a few waits of that length fit in. */
const GITHUB_RETRY = { ...DEFAULT_RETRY, attempts: 6 };
const API_VERSION = '2022-11-28';
const PER_PAGE = 100;
// GitHub's refusals, as api.github.com words them (kairos-io/kairos#4723, posit-dev/positron#15764,
// chizkiyahu/delete-untagged-ghcr-action#40; the emulator has the details). "the last version"
// is GitHub's older wording of the first.
const LAST_TAGGED_VERSION = /cannot delete the last (?:tagged )?version of a package/i;
const DOWNLOADED_PUBLIC_VERSION = /more than 5,?000 downloads/i;
class ContainerPackages {
    octokit;
    log;
    retry;
    /** No request leaves before this time (epoch ms): set by whichever request was told to wait. */
    pausedUntil = 0;
    budget;
    /** The rate limit as GitHub last told it, and the requests sent since that GitHub has not answered. */
    rate;
    inFlight = 0;
    /** Once a request was refused, so is every later one: the run stops, it does not trickle on. */
    spent = false;
    /** The API's host, which a refused token is reported against. */
    apiHost;
    constructor(options) {
        (0,secrets/* addSecret */.Ck)(options.token);
        this.apiHost = new URL(options.apiUrl).host;
        this.log = options.log;
        this.retry = options.retry ?? GITHUB_RETRY;
        this.budget = options.rateLimitBudget;
        this.octokit = new dist_src_Octokit({
            auth: options.token,
            baseUrl: options.apiUrl.replace(/\/+$/, ''),
            userAgent: 'ci-actions/cleanup-staging',
            // Through the proxy the environment names, as every other client of the suite.
            request: { fetch: suiteFetch },
            // Octokit logs every request at info: a debug line for us, or a sweep floods the step log.
            log: { debug: (m) => this.log.debug(m), info: (m) => this.log.debug(m), warn: (m) => this.log.warning(m), error: (m) => this.log.warning(m) },
        });
        this.octokit.hook.wrap('request', (request, requestOptions) => {
            requestOptions.headers['x-github-api-version'] = API_VERSION;
            // The label names the route; an HTTP failure then names the request as sent (HttpStatusError).
            return withRetry(`GitHub API ${requestOptions.method} ${requestOptions.url}`, () => this.paced(async () => request(requestOptions)), {
                policy: this.retry,
                onRetry: (m) => this.log.warning(m),
            });
        });
    }
    /** The primary rate limit as GitHub last told it; undefined before the first answer. */
    rateLimit() {
        return this.rate;
    }
    /** Organization or user: the API paths differ. */
    async owner(login) {
        try {
            const { data } = await this.octokit.rest.users.getByUsername({ username: login });
            return { login: data.login, kind: data.type === 'Organization' ? 'org' : 'user' };
        }
        catch (err) {
            throw this.explain(err, `looking up owner ${login}`, () => new NotFoundError({ kind: 'github-owner', owner: login }, `no GitHub user or organization named "${login}" (GitHub answered 404)`));
        }
    }
    /** The names of every container package of the owner (every page). */
    async listPackages(owner) {
        const { packages } = this.octokit.rest;
        const pages = owner.kind === 'org'
            ? this.octokit.paginate.iterator(packages.listPackagesForOrganization, { org: owner.login, package_type: 'container', per_page: PER_PAGE })
            : this.octokit.paginate.iterator(packages.listPackagesForUser, { username: owner.login, package_type: 'container', per_page: PER_PAGE });
        const names = [];
        try {
            for await (const page of pages)
                names.push(...page.data.map((p) => p.name));
        }
        catch (err) {
            throw this.explain(err, `listing the container packages of ${owner.kind === 'org' ? 'organization' : 'user'} ${owner.login}`);
        }
        return names;
    }
    /** Every version of a container package, newest first as GitHub lists them. */
    async listVersions(owner, name) {
        const { packages } = this.octokit.rest;
        const pages = owner.kind === 'org'
            ? this.octokit.paginate.iterator(packages.getAllPackageVersionsForPackageOwnedByOrg, {
                org: owner.login,
                package_type: 'container',
                package_name: name,
                per_page: PER_PAGE,
            })
            : this.octokit.paginate.iterator(packages.getAllPackageVersionsForPackageOwnedByUser, {
                username: owner.login,
                package_type: 'container',
                package_name: name,
                per_page: PER_PAGE,
            });
        const versions = [];
        try {
            for await (const page of pages) {
                for (const v of page.data) {
                    versions.push({ id: v.id, digest: v.name, tags: v.metadata?.container?.tags ?? [], createdAt: Date.parse(v.created_at) });
                }
            }
        }
        catch (err) {
            throw this.explain(err, `listing the versions of ${describe(owner, name)}`, () => new NotFoundError({ kind: 'github-package', owner: owner.login, name }, `${describe(owner, name)} does not exist, or the token cannot see it (GitHub answered 404; the token needs the packages: read permission and, for a package not linked to this repository, access granted in the package settings)`));
        }
        return versions;
    }
    async deleteVersion(owner, name, version) {
        try {
            if (owner.kind === 'org') {
                await this.octokit.rest.packages.deletePackageVersionForOrg({
                    org: owner.login,
                    package_type: 'container',
                    package_name: name,
                    package_version_id: version.id,
                });
            }
            else {
                await this.octokit.rest.packages.deletePackageVersionForUser({
                    username: owner.login,
                    package_type: 'container',
                    package_name: name,
                    package_version_id: version.id,
                });
            }
            return 'deleted';
        }
        catch (err) {
            const { status, message } = details(err);
            // Gone already (another run, a person, or our own retried request): what we wanted.
            if (status === 404)
                return 'already-gone';
            // The status of a refusal is not part of the rule (400 is what has been seen): the text is.
            if (status !== undefined && status >= 400 && status < 500) {
                if (LAST_TAGGED_VERSION.test(message))
                    return 'last-tagged-version';
                if (DOWNLOADED_PUBLIC_VERSION.test(message))
                    return 'downloaded-public-version';
            }
            throw this.explain(err, `deleting version ${version.id} (${version.digest}) of ${describe(owner, name)}`);
        }
    }
    /** Runs one request after any pause GitHub asked for, and turns slow-down answers into retries. */
    async paced(send) {
        const wait = this.pausedUntil - Date.now();
        if (wait > 0)
            await new Promise((resolve) => setTimeout(resolve, wait));
        // Before the first answer the state is unknown: the first request is what tells it.
        if (this.budget !== undefined && this.rate && (this.spent || requestsAllowed(this.rate, this.budget, this.inFlight) <= 0)) {
            this.spent = true;
            throw new BudgetExhaustedError(`the rate-limit budget is spent: GitHub allows ${this.rate.remaining} more request(s) of ${this.rate.limit} until ${new Date(this.rate.reset * 1000).toISOString()}, ` +
                `and rate-limit-budget (${this.budget}) leaves ${Math.ceil(this.rate.limit * (1 - this.budget))} of them to others`);
        }
        this.inFlight++;
        try {
            const response = await send();
            this.observe(response.headers);
            return response;
        }
        catch (err) {
            const { status, headers, body, request } = answer(err);
            this.observe(headers);
            // Octokit reports a failed fetch as a 500 without a response: a dropped connection, retried as one.
            if (status !== undefined && request && !err.response)
                throw new RetryableError(err.message, undefined, err);
            if (status === undefined || !request)
                throw err;
            const failure = statusError(request.method, request.url, status, headers, body);
            if (!failure.retryable)
                throw err;
            const wait = failure.retryAfterMs;
            if (status === 403 || status === 429) {
                if (wait !== undefined && wait > maxRetryWaitMs(this.retry)) {
                    const limit = failure.waitIsFallback
                        ? `GitHub's API rate-limited the request (HTTP ${status}: ${failure.body.message})`
                        : `GitHub's API rate limit is exhausted until ${new Date(Date.now() + wait).toISOString()} (HTTP ${status}: ${failure.body.message})`;
                    throw new RateLimitError(status, `${limit}; ${tooLongWait(wait, maxRetryWaitMs(this.retry), failure.waitIsFallback)}; run the cleanup again later, or allow a longer wait`, { kind: 'retry-wait' });
                }
                // Every request holds back while one was told to wait: a rate limit is the client's, not the request's.
                if (wait !== undefined)
                    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + wait);
            }
            throw failure;
        }
        finally {
            this.inFlight--;
        }
    }
    observe(headers) {
        const seen = readRateLimit(headers);
        if (seen)
            this.rate = newerRateLimit(this.rate, seen);
    }
    /** A failed request as an error that says what to change. */
    explain(err, operation, notFound) {
        if (err instanceof GitHubApiError)
            return err;
        // withRetry's message names the request and the attempts.
        if (err instanceof GaveUpError)
            return new GitHubApiError(0, `${operation}: ${err.message}`, err.subject);
        const { status, message, headers } = details(err);
        if (status === 404 && notFound)
            return notFound();
        if (status === 401)
            return new GitHubApiError(401, `${operation}: GitHub rejected the token (HTTP 401: ${message})`, {
                kind: 'credentials',
                service: 'github',
                address: this.apiHost,
            });
        if (status === 403) {
            // GitHub names the permission it wanted in X-Accepted-GitHub-Permissions (e.g. packages=write).
            const wanted = headerText(headers['x-accepted-github-permissions']);
            const needs = operation.startsWith('deleting') ? 'packages: write' : 'packages: read';
            return new GitHubApiError(403, `${operation}: the token lacks the \`${needs}\` permission (HTTP 403: ${message}${wanted ? `; GitHub accepts ${wanted}` : ''}). ` +
                `Give the job \`permissions: { ${needs} }\`, and for an organization package give this repository the Admin role under the package's "Manage Actions access" settings`);
        }
        return new GitHubApiError(status ?? 0, `${operation}: ${status ? `HTTP ${status}: ` : ''}${message}`);
    }
}
function describe(owner, name) {
    return `container package "${name}" of ${owner.kind === 'org' ? 'organization' : 'user'} ${owner.login}`;
}
/** What GitHub answered to a failed request, as Octokit's RequestError carries it. */
function answer(err) {
    const e = err;
    const data = e.response?.data;
    return {
        ...(typeof e.status === 'number' ? { status: e.status } : {}),
        ...(e.request ? { request: e.request } : {}),
        headers: e.response?.headers ?? {},
        body: typeof data === 'string' ? data : data === undefined ? '' : JSON.stringify(data),
    };
}
/** A failed request's status, GitHub's message (read as every vendor's is) and headers. */
function details(err) {
    const { status, headers, body } = answer(err);
    return { ...(status !== undefined ? { status } : {}), message: parseErrorBody(body).message || (err.message ?? String(err)), headers };
}
function headerText(value) {
    return value === undefined ? undefined : String(value);
}

// EXTERNAL MODULE: ./packages/publishing/src/http/pumped-get.ts + 1 modules
var pumped_get = __nccwpck_require__(7643);
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
        this.hash = createHash(algorithm === 'sha512' ? 'sha512' : 'sha256');
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

;// CONCATENATED MODULE: ./packages/publishing/src/cleanup/io.ts


/** The real thing: GitHub's REST API through Octokit, registries through RegistryClient. */
function registryIO(options) {
    const retry = options.retry ? { retry: options.retry } : {};
    const budget = options.rateLimitBudget !== undefined ? { rateLimitBudget: options.rateLimitBudget } : {};
    const client = (registry, repositories, credentials, actions = 'pull') => new RegistryClient({
        registry,
        scopes: repositories.map((r) => `repository:${r}:${actions}`),
        log: options.log,
        ...(credentials ? { credentials } : {}),
        ...retry,
    });
    return {
        packages: new ContainerPackages({ token: options.token, apiUrl: options.apiUrl, log: options.log, ...retry, ...budget }),
        staging: (repositories) => client(options.stagingRegistry, repositories, options.stagingCredentials),
        stagingWriter: (repositories) => client(options.stagingRegistry, repositories, options.stagingCredentials, 'pull,push'),
        production: (registry, repositories) => client(registry, repositories, options.productionCredentials),
    };
}

;// CONCATENATED MODULE: ./packages/publishing/src/cleanup/retention.ts


function selectForRetention(rules, images, broken, now) {
    const candidates = new Map();
    const kept = new Map();
    const untag = new Map();
    const tagged = [];
    const untagged = [];
    for (const image of newestFirst(images)) {
        const own = ownTags(image);
        const excluded = rules.excludeTags && [...image.tags, image.digest].find(rules.excludeTags);
        if (excluded)
            kept.set(image.digest, `${excluded} matches exclude-tags`);
        else if (rules.olderThanMs !== undefined && now - image.createdAt < rules.olderThanMs)
            kept.set(image.digest, `younger than ${rules.olderThan} (older-than)`);
        else if (deletesBroken(rules, broken.get(image.digest)))
            candidates.set(image.digest, describeBroken(broken.get(image.digest)));
        else if (own.length === 0 && image.tags.length > 0) {
            kept.set(image.digest, `${describeBroken(broken.get(image.digest) ?? { kind: 'orphaned', missing: [] })}; delete-orphaned-images is off`);
        }
        else if (own.length > 0)
            tagged.push(image);
        else
            untagged.push(image);
    }
    const selected = rules.deleteTags
        ? tagged.filter((image) => selectsEveryTag(rules.deleteTags, image, kept, untag))
        : rules.keepNTagged !== undefined
            ? tagged
            : [];
    if (!rules.deleteTags && rules.keepNTagged === undefined) {
        for (const image of tagged)
            kept.set(image.digest, `tagged ${ownTags(image).join(', ')}; neither delete-tags nor keep-n-tagged selects tagged images`);
    }
    selected.forEach((image, rank) => {
        if (rules.keepNTagged !== undefined && rank < rules.keepNTagged)
            kept.set(image.digest, `one of the newest ${rules.keepNTagged} tagged images (keep-n-tagged)`);
        else if (rules.deleteTags)
            candidates.set(image.digest, `every tag (${ownTags(image).join(', ')}) matches delete-tags`);
        else
            candidates.set(image.digest, `older than the newest ${rules.keepNTagged} tagged images (keep-n-tagged)`);
    });
    untagged.forEach((image, rank) => {
        if (rules.keepNUntagged !== undefined) {
            if (rank < rules.keepNUntagged)
                kept.set(image.digest, `one of the newest ${rules.keepNUntagged} untagged images (keep-n-untagged)`);
            else
                candidates.set(image.digest, `older than the newest ${rules.keepNUntagged} untagged images (keep-n-untagged)`);
        }
        else if (rules.deleteUntagged)
            candidates.set(image.digest, 'untagged (delete-untagged)');
        else
            kept.set(image.digest, 'untagged; delete-untagged is off');
    });
    return { candidates, kept, untag };
}
/**
 * An image delete-tags selects: every tag of its own matches. One with another tag is kept
 * under it, and the tags that do match are to be removed from it.
 */
function selectsEveryTag(deleteTags, image, kept, untag) {
    const own = ownTags(image);
    const matched = own.filter(deleteTags);
    if (matched.length === own.length || deleteTags(image.digest))
        return true;
    const unmatched = own.filter((t) => !deleteTags(t));
    if (matched.length === 0)
        kept.set(image.digest, `tagged ${own.join(', ')}, which delete-tags does not match`);
    else {
        kept.set(image.digest, `also tagged ${unmatched.join(', ')}, which delete-tags does not match`);
        untag.set(image.digest, matched);
    }
    return false;
}
function deletesBroken(rules, broken) {
    if (!broken)
        return false;
    return { ghost: rules.deleteGhostImages, partial: rules.deletePartialImages, orphaned: rules.deleteOrphanedImages }[broken.kind];
}
function describeBroken(broken) {
    const missing = broken.missing.map(shortDigest).join(', ');
    switch (broken.kind) {
        case 'ghost':
            return `ghost image: every platform manifest it lists is gone (${missing})`;
        case 'partial':
            return `partial image: platform manifests it lists are gone (${missing})`;
        case 'orphaned':
            return `orphaned: what it refers to is gone${missing ? ` (${missing})` : ''}`;
    }
}
/** Tags a person gave the image: not the sha256-<hex> tags of referrers and signatures. */
function ownTags(image) {
    return image.tags.filter((t) => referrerTagSubject(t) === undefined);
}
function newestFirst(images) {
    return [...images].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
}
/**
 * The rules the inputs mean. As in dataaxiom/ghcr-cleanup-action, a run that names nothing
 * to delete or keep (exclude-tags, older-than and validate only narrow or report)
 * deletes untagged images: the usual reason to run it.
 */
function retentionRules(given) {
    const selects = [
        given.deleteTags,
        given.keepNTagged,
        given.keepNUntagged,
        given.deleteUntagged,
        given.deleteGhostImages,
        given.deletePartialImages,
        given.deleteOrphanedImages,
    ].some((v) => v !== undefined);
    return {
        ...given,
        deleteUntagged: given.deleteUntagged ?? !selects,
        deleteGhostImages: given.deleteGhostImages ?? false,
        deletePartialImages: given.deletePartialImages ?? false,
        deleteOrphanedImages: given.deleteOrphanedImages ?? false,
    };
}

;// CONCATENATED MODULE: ./packages/publishing/src/cleanup/plan.ts



const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
function planCleanup(input) {
    const byDigest = new Map(input.versions.map((v) => [v.digest, v]));
    // Only relations between versions of this package matter: the rest is already gone.
    const dependents = new Map();
    const listed = new Set();
    for (const [parent, list] of input.dependents) {
        if (!byDigest.has(parent))
            continue;
        const present = list.filter((d) => byDigest.has(d.digest));
        dependents.set(parent, present);
        for (const d of present)
            listed.add(d.digest);
    }
    const images = input.versions.filter((v) => !listed.has(v.digest) || v.tags.some((t) => referrerTagSubject(t) === undefined));
    const { candidates, kept, untag = new Map() } = split(input, images, byDigest);
    const protectedBy = new Map();
    const protect = (root, reason) => {
        if (protectedBy.has(root))
            return;
        protectedBy.set(root, reason);
        const queue = [root];
        for (let node = queue.pop(); node !== undefined; node = queue.pop()) {
            for (const d of dependents.get(node) ?? []) {
                if (protectedBy.has(d.digest))
                    continue;
                protectedBy.set(d.digest, `${d.kind} of kept ${describeVersion(byDigest.get(node))}`);
                queue.push(d.digest);
            }
        }
    };
    for (const [digest, why] of input.protected)
        if (byDigest.has(digest))
            protect(digest, `protected: ${why}`);
    for (const [digest, why] of kept)
        protect(digest, why);
    for (const image of images) {
        if (!candidates.has(image.digest))
            protect(image.digest, image.tags.length > 0 ? `tagged ${image.tags.join(', ')}, not staged by this run` : 'not staged by this run');
    }
    const doomed = new Map();
    const keptReport = new Map(kept);
    const queue = [];
    const consider = (digest, reason) => {
        if (doomed.has(digest))
            return;
        const guard = protectedBy.get(digest);
        if (guard !== undefined)
            keptReport.set(digest, guard);
        else {
            doomed.set(digest, reason);
            queue.push(digest);
        }
    };
    for (const [digest, reason] of candidates)
        consider(digest, reason);
    for (let node = queue.pop(); node !== undefined; node = queue.pop()) {
        for (const d of dependents.get(node) ?? [])
            consider(d.digest, `${d.kind} of ${describeVersion(byDigest.get(node))}`);
    }
    const lastTagged = keepLastTaggedImage(input.versions, candidates, doomed, dependents, byDigest);
    for (const [digest, reason] of lastTagged)
        keptReport.set(digest, reason);
    const decision = (digest, reason) => ({ version: byDigest.get(digest), reason });
    return {
        waves: waves(doomed, dependents).map((wave) => wave.map((digest) => decision(digest, doomed.get(digest)))),
        kept: [...keptReport].map(([digest, reason]) => ({ ...decision(digest, reason), ...(lastTagged.has(digest) ? { warning: true } : {}) })),
        // A protected image keeps every tag too.
        untag: [...untag].filter(([digest]) => !input.protected.has(digest)).map(([digest, tags]) => ({ version: byDigest.get(digest), tags })),
    };
}
const plan_LAST_TAGGED_VERSION = 'GitHub refuses to delete the last tagged version of a package';
/**
 * When `doomed` holds every tagged version of the package, GitHub would refuse the last of
 * them: the newest candidate image with a tagged version in it leaves `doomed` whole, its
 * children too (a child deleted under a kept index would break it). Returns what it keeps, with why.
 */
function keepLastTaggedImage(versions, candidates, doomed, dependents, byDigest) {
    const tagged = versions.filter((v) => v.tags.length > 0);
    if (tagged.length === 0 || tagged.some((v) => !doomed.has(v.digest)))
        return new Map();
    const newestFirst = [...candidates.keys()]
        .filter((digest) => doomed.has(digest))
        .map((digest) => byDigest.get(digest))
        .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
    for (const root of newestFirst) {
        const image = doomedClosure(root.digest, doomed, dependents);
        if (!image.some((digest) => byDigest.get(digest).tags.length > 0))
            continue;
        const kept = new Map([
            [root.digest, `${plan_LAST_TAGGED_VERSION}, and this cleanup would delete every other tagged version (planned: ${doomed.get(root.digest)})`],
        ]);
        for (const digest of image.slice(1))
            kept.set(digest, `${doomed.get(digest)}, kept whole with it as the last tagged image`);
        for (const digest of image)
            doomed.delete(digest);
        return kept;
    }
    return new Map();
}
/** `root` and every doomed version that belongs to it, root first. */
function doomedClosure(root, doomed, dependents) {
    const seen = new Set([root]);
    const queue = [root];
    for (let node = queue.pop(); node !== undefined; node = queue.pop()) {
        for (const d of dependents.get(node) ?? []) {
            if (seen.has(d.digest) || !doomed.has(d.digest))
                continue;
            seen.add(d.digest);
            queue.push(d.digest);
        }
    }
    return [...seen];
}
/** The strategy's choice among images: candidates for deletion and images it keeps, each with why. */
function split(input, images, byDigest) {
    if (input.strategy === 'retention') {
        if (!input.retention)
            throw new Error('the retention strategy needs its rules');
        return selectForRetention(input.retention.rules, images, input.retention.broken, input.now);
    }
    const candidates = new Map();
    const kept = new Map();
    switch (input.strategy) {
        case 'preserve-for-debug':
            for (const digest of input.staged.keys())
                kept.set(digest, `preserve-for-debug: ${input.reason}`);
            break;
        case 'immediate-cleanup':
        case 'post-production-cleanup':
            for (const [digest, named] of input.staged) {
                // A tag this run did not name may be another pipeline's (a rebuild of the same commit,
                // a reproducible build: one digest, one version), which may still need the image.
                // Named by digest alone, none of its tags is known to be this run's.
                const foreign = byDigest.get(digest).tags.filter((t) => !named.includes(t));
                if (foreign.length === 0)
                    candidates.set(digest, 'staged by this run');
                else if (named.length > 0)
                    kept.set(digest, `also tagged ${foreign.join(', ')}, which this run did not stage`);
                else
                    kept.set(digest, `tagged ${foreign.join(', ')}, which this run did not name (staged by digest alone; stage it as repository:tag@digest)`);
            }
            break;
        case 'conditional-preserve':
        case 'scheduled-sweep': {
            const sweep = input.strategy === 'scheduled-sweep';
            const minAgeMs = sweep ? input.maxAgeDays * DAY_MS : input.graceHours * HOUR_MS;
            const newestFirst = [...images].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
            newestFirst.forEach((image, rank) => {
                if (rank < input.keepLast)
                    kept.set(image.digest, `one of the newest ${input.keepLast} images`);
                else if (input.now - image.createdAt < minAgeMs) {
                    kept.set(image.digest, sweep ? `younger than ${input.maxAgeDays} days` : `younger than ${input.graceHours} h: it may belong to a pipeline still running`);
                }
                else
                    candidates.set(image.digest, sweep ? `older than ${input.maxAgeDays} days` : `older than the newest ${input.keepLast} images`);
            });
            break;
        }
    }
    return { candidates, kept };
}
/** Kahn's algorithm over the doomed versions: each wave holds what no remaining doomed version lists. */
function waves(doomed, dependents) {
    const parents = new Map();
    for (const digest of doomed.keys()) {
        for (const d of dependents.get(digest) ?? [])
            if (doomed.has(d.digest))
                parents.set(d.digest, (parents.get(d.digest) ?? 0) + 1);
    }
    const result = [];
    let current = [...doomed.keys()].filter((digest) => !parents.has(digest));
    while (current.length > 0) {
        result.push(current);
        const next = [];
        for (const digest of current) {
            for (const d of dependents.get(digest) ?? []) {
                if (!doomed.has(d.digest))
                    continue;
                const left = parents.get(d.digest) - 1;
                parents.set(d.digest, left);
                if (left === 0)
                    next.push(d.digest);
            }
        }
        current = next;
    }
    return result;
}
function describeVersion(version) {
    return `${shortDigest(version.digest)}${version.tags.length > 0 ? ` (${version.tags.join(', ')})` : ''}`;
}

;// CONCATENATED MODULE: ./packages/publishing/src/cleanup/production-proof.ts
// Whether production serves an image, proven from bytes: the manifest fetched by digest
// and hashed to that digest, and every manifest it lists (platform and attestation
// manifests, nested indexes) fetched and hashed likewise. A 200 to HEAD, or a
// Docker-Content-Digest header, is only the registry's word: a mirror or proxy can give
// either while serving nothing, or something else, and the staging copy is the last one.



/** Undefined when production provably serves the image whole; otherwise what is missing. */
async function unprovenInProduction(production, repository, digest) {
    const seen = new Set([digest]);
    const queue = [digest];
    for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
        const what = current === digest ? 'the image' : `${shortDigest(current)}, which the image lists`;
        const otherBytes = `production serves bytes that do not hash to the digest of ${what}`;
        let raw;
        try {
            raw = await production.getManifest(repository, current);
        }
        catch (err) {
            if (err instanceof DigestMismatchError)
                return otherBytes;
            throw err;
        }
        if (!raw)
            return `production does not serve ${what}`;
        if (sha256Digest(raw.bytes) !== current)
            return otherBytes;
        for (const entry of manifestLinks(raw).listed) {
            if (seen.has(entry.digest))
                continue;
            seen.add(entry.digest);
            queue.push(entry.digest);
        }
    }
    return undefined;
}

;// CONCATENATED MODULE: ./packages/publishing/src/cleanup/read-links.ts




async function readManifestLinks(reader, repository, versions, concurrency, log, 
/** The digests GitHub lists now: asked only after a read failed. */
listedNow) {
    const links = new Map();
    const unreadable = new Map();
    const listed = new Set();
    const present = new Set(versions.map((v) => v.digest));
    const tagged = versions.filter((v) => v.tags.length > 0).map((v) => v.digest);
    // With no tagged version, nothing is listed yet, so every version is unexplained: read
    // them all. (Reading none once left an untagged index's children looking like images.)
    let batch = tagged.length > 0 ? tagged : versions.map((v) => v.digest);
    while (batch.length > 0) {
        const read = await mapLimit(batch, concurrency, async (digest) => [digest, await readOne(reader, repository, digest)]);
        const failed = read.filter((r) => typeof r[1] === 'string');
        const stillListed = failed.length > 0 ? await listedNow() : new Set();
        const nestedIndexes = [];
        for (const [digest, own] of read) {
            if (typeof own === 'string') {
                if (stillListed.has(digest))
                    unreadable.set(digest, own);
                // Deleted meanwhile: GitHub no longer lists it, so it relates to nothing.
                else
                    log.debug(`${repository}@${digest} (${own}) is no longer listed by GitHub: deleted meanwhile`);
                links.set(digest, { listed: [] });
                continue;
            }
            links.set(digest, own);
            for (const entry of own.listed) {
                listed.add(entry.digest);
                if (isIndexMediaType(entry.mediaType) && present.has(entry.digest))
                    nestedIndexes.push(entry.digest);
            }
        }
        const unexplained = versions.filter((v) => !listed.has(v.digest)).map((v) => v.digest);
        batch = [...new Set([...nestedIndexes, ...unexplained])].filter((digest) => !links.has(digest));
    }
    return { links, unreadable };
}
/** The manifest's relations, or why it could not be read. */
async function readOne(reader, repository, digest) {
    try {
        const raw = await reader.getManifest(repository, digest);
        return raw ? manifestLinks(raw) : 'the registry does not serve it';
    }
    catch (err) {
        if (err instanceof AuthenticationError || err instanceof PermissionError)
            throw err;
        return err.message;
    }
}

;// CONCATENATED MODULE: ./packages/publishing/src/cleanup/selectors.ts


function parseImageSelector(text, staging) {
    const value = text.trim();
    if (value.includes('/') || value.includes('@')) {
        const ref = parseReference(value);
        // repository:tag@digest names the image by digest and says the tag is this run's (see plan.ts).
        const named = ref.digest ? { digest: ref.digest, ...(ref.tag ? { tag: ref.tag } : {}) } : { tag: ref.tag ?? 'latest' };
        return { text: value, package: stagingPackageOf(ref, value, staging), ...named };
    }
    if (/^sha\d+:/.test(value)) {
        if (!DIGEST.test(value))
            throw new errors/* DomainError */.J(`"${value}" is not a digest (expected sha256: and 64 lowercase hex digits)`);
        return { text: value, digest: value };
    }
    if (!isTag(value))
        throw new errors/* DomainError */.J(`"${value}" is neither a digest, a tag nor an image reference`);
    return { text: value, tag: value };
}
/**
 * A package to clean: its GHCR name (webauthn-server, team/app) or its staging repository
 * (ghcr.io/acme/webauthn-server), as load-config's images-json gives it.
 */
function parseStagingPackage(text, staging) {
    const value = text.trim();
    const first = value.split('/')[0];
    const startsWithHost = value.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
    // A bare name is the repository it names below the owner: both forms follow the reference grammar.
    let ref;
    try {
        ref = parseReference(startsWithHost ? value : `${staging.registry}/${staging.owner.toLowerCase()}/${value}`);
    }
    catch (err) {
        if (startsWithHost || !(err instanceof ReferenceError))
            throw err;
        throw new errors/* DomainError */.J(`"${value}" is not a package name (${err.reason})`, { cause: err });
    }
    if (ref.digest || ref.tag)
        throw new errors/* DomainError */.J(`"${value}" names an image; a package is named without tag or digest`);
    return stagingPackageOf(ref, value, staging);
}
/** The GHCR package a staging reference is in (the repository below the owner). */
function stagingPackageOf(ref, value, staging) {
    if (ref.registry !== staging.registry)
        throw new errors/* DomainError */.J(`"${value}" is not in the staging registry ${staging.registry}`);
    const [owner, ...rest] = ref.repository.split('/');
    if (owner !== staging.owner.toLowerCase() || rest.length === 0) {
        throw new errors/* DomainError */.J(`"${value}" is not a package of ${staging.owner} (expected ${staging.registry}/${staging.owner.toLowerCase()}/<package>)`);
    }
    return rest.join('/');
}
/** The versions of one package that the selectors name. */
function matchSelectors(selectors, packageName, versions) {
    const byDigest = new Map(versions.map((v) => [v.digest, v]));
    const byTag = new Map(versions.flatMap((v) => v.tags.map((t) => [t, v])));
    const digests = new Map();
    const matched = [];
    for (const selector of selectors) {
        if (selector.package !== undefined && selector.package !== packageName)
            continue;
        const version = selector.digest ? byDigest.get(selector.digest) : byTag.get(selector.tag);
        if (!version)
            continue;
        matched.push(selector);
        const tags = digests.get(version.digest) ?? [];
        if (selector.tag)
            tags.push(selector.tag);
        digests.set(version.digest, tags);
    }
    return { digests, matched };
}
/**
 * `production-repository` entries: `docker.io/acme/app`, or `<package>=docker.io/acme/app`
 * when several packages are cleaned. Returns the repository of each package named.
 * A package's own staging repository is refused: post-production-cleanup would find every
 * image "in production" there, and delete it with every tag it has.
 */
function parseProductionRepositories(entries, packages, staging) {
    const repositories = new Map();
    for (const entry of entries) {
        const eq = entry.indexOf('=');
        const name = eq >= 0 ? entry.slice(0, eq).trim() : packages.length === 1 ? packages[0] : undefined;
        if (name === undefined)
            throw new errors/* DomainError */.J(`"${entry}" does not say which package it is for; with several packages write <package>=<repository>`);
        if (!packages.includes(name))
            throw new errors/* DomainError */.J(`"${entry}" names package "${name}", which is not being cleaned (packages: ${packages.join(', ')})`);
        const ref = parseReference(entry.slice(eq + 1));
        if (ref.tag || ref.digest)
            throw new errors/* DomainError */.J(`"${entry}" has a tag or digest; name the repository only`);
        const own = parseReference(`${staging.registry}/${staging.owner.toLowerCase()}/${name}`);
        if (ref.registry === own.registry && ref.repository === own.repository) {
            throw new errors/* DomainError */.J(`"${entry}" is the staging repository of package ${name} itself; name the production repository its images are promoted to`);
        }
        repositories.set(name, ref);
    }
    return repositories;
}

;// CONCATENATED MODULE: ./packages/publishing/src/cleanup/untag.ts
// Removing one tag of an image that keeps others. GitHub's Packages API deletes versions,
// not tags, and GHCR does not delete a tag through the registry API either; what moves a
// tag is a push. So, as dataaxiom/ghcr-cleanup-action does, the tag is pointed at a new,
// empty manifest of our own (an index with no manifests, or an image with no layers, with
// an annotation naming the tag and the time, so its digest is new), and that new version is
// then deleted through the API, taking the tag with it.
//
// Unlike dataaxiom's, the version deleted is found by the digest of the bytes pushed, never
// by the tag: a build that pushes the same tag meanwhile keeps its image. Cut off between
// the push and the delete, the tag is left on an empty manifest, which no longer pulls (the
// tag was to go) and which the next run deletes: delete-tags matches its only tag.


const UNTAG_ANNOTATION = 'io.github.ci-actions.untagged';
/** The empty manifest a tag is moved to: `original`'s media type, nothing to pull, a digest of its own. */
function placeholderManifest(original, tag, at) {
    const json = JSON.parse(original.bytes.toString('utf8'));
    // No subject: the placeholder must not show up as a referrer of anything.
    const { subject: _subject, ...rest } = json;
    const placeholder = {
        ...rest,
        ...(Array.isArray(json.manifests) ? { manifests: [] } : { layers: [] }),
        annotations: { ...json.annotations, 'org.opencontainers.image.created': at.toISOString(), [UNTAG_ANNOTATION]: tag },
    };
    const bytes = Buffer.from(JSON.stringify(placeholder));
    return { bytes, mediaType: original.mediaType, digest: `sha256:${(0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex')}` };
}
/** Moves each tag to a placeholder, then deletes the placeholders GitHub lists, by digest. */
async function removeTags(github, owner, name, repository, registry, decisions, log, now = () => new Date()) {
    const placeholders = new Map();
    const outcomes = [];
    for (const decision of decisions) {
        const outcome = { decision, removed: [], gone: false, problems: [] };
        outcomes.push(outcome);
        // The plan read every version it kept (unreadable ones keep the package whole), so one
        // not served now was deleted since, tags and all: as a delete finding it gone.
        const original = await registry.getManifest(repository, decision.version.digest);
        if (!original) {
            outcome.removed.push(...decision.tags);
            outcome.gone = true;
            continue;
        }
        for (const tag of decision.tags) {
            const placeholder = placeholderManifest(original, tag, now());
            await registry.putManifest(repository, tag, placeholder);
            placeholders.set(placeholder.digest, { outcome, tag });
        }
    }
    if (placeholders.size === 0)
        return outcomes;
    const listed = new Map((await github.listVersions(owner, name)).map((v) => [v.digest, v]));
    for (const [digest, { outcome, tag }] of placeholders) {
        const version = listed.get(digest);
        if (!version) {
            outcome.problems.push(`${tag} now points at the empty ${shortDigest(digest)}, which GitHub does not list yet; the next run deletes it`);
            continue;
        }
        const deleted = await github.deleteVersion(owner, name, version);
        if (deleted === 'deleted' || deleted === 'already-gone')
            outcome.removed.push(tag);
        else
            outcome.problems.push(`${tag} now points at the empty ${shortDigest(digest)}, which GitHub refused to delete (${deleted})`);
    }
    for (const o of outcomes)
        for (const problem of o.problems)
            log.warning(`${name}@${shortDigest(o.decision.version.digest)}: ${problem}`);
    return outcomes;
}

;// CONCATENATED MODULE: ./packages/publishing/src/cleanup/cleanup.ts
// cleanup-staging: deletes staging package versions only when nothing still needs them.
// For each package: list its versions (GitHub API), learn how they relate (manifests
// from the staging registry), prove promotions in production when the strategy says
// so, plan (plan.ts), then delete wave by wave at bounded concurrency. Everything that
// can refuse (listing, reading, verifying) happens for every package before the first
// delete, so a bad input or an unreachable registry deletes nothing. All I/O goes
// through io.ts, so test/unit/cleanup-properties.test.ts runs this very code on fakes.
//
// With a rate-limit budget (packages.ts), a request the budget does not allow is not
// sent: the run stops there without failing. Stopped while planning, it deletes nothing;
// stopped while deleting, it stops after the requests in flight. Either way what is left
// (packages not looked at, planned deletions not sent) is reported for the next run;
// parents go before children, so what a stop leaves behind are orphans (untagged images
// for the next run), never a broken image.













async function cleanupStaging(options, io = registryIO(options)) {
    const { decision, log } = options;
    const result = {
        strategy: decision.strategy,
        reason: decision.reason,
        dryRun: options.dryRun,
        deleted: [],
        kept: [],
        notFound: [],
        unverified: [],
        invalid: [],
        budgetExhausted: false,
        left: [],
        packagesLeft: [],
        untagged: [],
    };
    const packageWide = decision.strategy === 'conditional-preserve' || decision.strategy === 'scheduled-sweep' || decision.strategy === 'retention';
    // These strategies act on this run's images only; with none staged (the build failed
    // before pushing) there is nothing to look at, so nothing is asked of the API either.
    if (options.staged.length === 0 && !packageWide) {
        log.info(`${decision.strategy}: no staged images were given, so there is nothing of this run to delete`);
        return result;
    }
    const now = options.now?.() ?? Date.now();
    const github = io.packages;
    try {
        await planAndDelete(options, io, result, now, packageWide);
    }
    catch (err) {
        if (!(err instanceof BudgetExhaustedError))
            throw err;
        result.budgetExhausted = true;
        log.warning(`${err.message}: stopping here; the rest is left for the next run`);
    }
    const rate = github.rateLimit();
    if (rate)
        result.rateLimit = rate;
    return result;
}
async function planAndDelete(options, io, result, now, packageWide) {
    const { decision, log } = options;
    const github = io.packages;
    // Until every package is planned, nothing is deleted: running out of budget leaves them all.
    result.packagesLeft = [...options.packages];
    const owner = await github.owner(options.owner);
    const packages = options.packagePattern ? await expandPackages(github, owner, options.packages, options.packagePattern, log) : options.packages;
    result.packagesLeft = [...packages];
    const repository = (name) => `${owner.login.toLowerCase()}/${name}`;
    const staging = io.staging(packages.map(repository));
    const production = productionReaders(options, io);
    const matched = new Set();
    const plans = [];
    for (const name of packages) {
        const versions = await github.listVersions(owner, name);
        log.info(`${options.stagingRegistry}/${repository(name)}: ${versions.length} version(s)`);
        const staged = matchSelectors(options.staged, name, versions);
        staged.matched.forEach((s) => matched.add(s));
        const guarded = new Map([...matchSelectors(options.protected, name, versions).digests.keys()].map((d) => [d, 'listed in the protected input']));
        if (decision.strategy === 'post-production-cleanup' && staged.digests.size > 0) {
            const target = options.productionRepositories.get(name);
            const reader = production.get(target.registry);
            const stagingRepository = formatReference({ registry: options.stagingRegistry, repository: repository(name) });
            const digests = [...staged.digests.keys()];
            const unproven = await mapLimit(digests, options.concurrency * 2, (digest) => productionProof(options, reader, target, promotionOf(options.promotions, stagingRepository, digest), digest));
            digests.forEach((digest, i) => {
                const why = unproven[i];
                if (why === undefined)
                    return;
                guarded.set(digest, why);
                result.unverified.push(entry(name, versions.find((v) => v.digest === digest), why));
            });
        }
        // Only the package-wide strategies, and runs with images to delete, need the relations.
        const needsRelations = packageWide || (decision.strategy !== 'preserve-for-debug' && staged.digests.size > 0);
        const reading = needsRelations
            ? await readManifestLinks(staging, repository(name), versions, options.concurrency * 2, log, async () => new Set((await github.listVersions(owner, name)).map((v) => v.digest)))
            : { links: new Map(), unreadable: new Map() };
        const dependents = dependentsOf(versions, reading.links);
        const broken = findBrokenImages(versions, reading.links);
        if (options.validate) {
            for (const [digest, found] of broken) {
                const version = versions.find((v) => v.digest === digest);
                log.warning(`${name}@${describeVersion(version)}: ${describeBroken(found)}`);
                result.invalid.push(entry(name, version, describeBroken(found)));
            }
        }
        const plan = planCleanup({
            strategy: decision.strategy,
            reason: decision.reason,
            versions,
            dependents,
            staged: staged.digests,
            protected: guarded,
            keepLast: options.keepLast,
            maxAgeDays: options.maxAgeDays,
            graceHours: options.graceHours,
            now,
            ...(options.retention ? { retention: { rules: options.retention, broken } } : {}),
        });
        plans.push({ name, plan: reading.unreadable.size > 0 ? keepAll(name, plan, versions, reading.unreadable, log) : plan, dependents });
    }
    result.packagesLeft = [];
    result.notFound = options.staged.filter((s) => !matched.has(s)).map((s) => s.text);
    for (const text of result.notFound)
        log.warning(`staged image ${text} is not a version of ${packages.join(', ')}: deleted already, or never pushed`);
    for (const { name, plan, dependents } of plans) {
        for (const k of plan.kept) {
            if (k.warning)
                log.warning(`kept ${name}@${describeVersion(k.version)}: ${k.reason}`);
            else
                log.info(`keep ${name}@${describeVersion(k.version)}: ${k.reason}`);
            result.kept.push(entry(name, k.version, k.reason));
        }
        // What GitHub refused to delete, and what belongs to it: kept whole, whatever later waves planned.
        const held = new Map();
        for (const wave of plan.waves) {
            if (options.dryRun) {
                for (const d of wave)
                    log.info(`would delete ${name}@${describeVersion(d.version)}: ${d.reason}`);
                result.deleted.push(...wave.map((d) => entry(name, d.version, d.reason)));
                continue;
            }
            for (const d of wave.filter((d) => held.has(d.version.digest))) {
                const reason = held.get(d.version.digest);
                log.warning(`kept ${name}@${describeVersion(d.version)}: ${reason}`);
                result.kept.push(entry(name, d.version, reason));
            }
            const rest = wave.filter((d) => !held.has(d.version.digest));
            if (result.budgetExhausted) {
                result.left.push(...rest.map((d) => leftEntry(name, d)));
                continue;
            }
            const refused = await deleteWave(github, owner, name, rest, options.concurrency, log, result);
            for (const version of refused)
                holdWhatBelongsTo(version, dependents, held);
        }
        if (plan.untag.length > 0 && !result.budgetExhausted)
            await untag(options, io, owner, name, repository(name), plan, result);
    }
}
/** Removes the tags delete-tags matches from the images kept for their other tags. */
async function untag(options, io, owner, name, repository, plan, result) {
    const reason = 'these tags match delete-tags; the image stays for its other tags';
    if (options.dryRun) {
        for (const u of plan.untag) {
            options.log.info(`would remove ${u.tags.join(', ')} from ${name}@${describeVersion(u.version)}`);
            result.untagged.push({ ...entry(name, u.version, reason), tags: u.tags });
        }
        return;
    }
    const outcomes = await removeTags(io.packages, owner, name, repository, io.stagingWriter([repository]), plan.untag, options.log);
    for (const { decision, removed, gone } of outcomes) {
        if (removed.length === 0)
            continue;
        const why = gone ? `${reason} (already gone: the image was deleted meanwhile)` : reason;
        options.log.info(`removed ${removed.join(', ')} from ${name}@${describeVersion(decision.version)}${gone ? ' (already gone)' : ''}`);
        result.untagged.push({ ...entry(name, decision.version, why), tags: removed });
    }
}
function leftEntry(name, d) {
    return entry(name, d.version, `${d.reason} (left for the next run: the rate-limit budget is spent)`);
}
/** The packages named, and every container package of the owner the pattern matches. */
async function expandPackages(github, owner, named, pattern, log) {
    const matched = (await github.listPackages(owner)).filter(pattern);
    log.info(`expand-packages: ${matched.length > 0 ? matched.join(', ') : 'no container package'} of ${owner.login} matches`);
    return [...new Set([...named, ...matched])];
}
/**
 * A package with a listed version the registry would not serve: that version may be an
 * index listing any manifest of the package, so nothing the plan would delete is deleted.
 */
function keepAll(name, plan, versions, unreadable, log) {
    const named = [...unreadable].map(([digest, why]) => `${shortDigest(digest)} (${why})`).join(', ');
    const reason = `GitHub lists ${named} but the staging registry cannot read it, so anything of ${name} may belong to it: nothing is deleted`;
    log.warning(`${name}: ${reason}`);
    const kept = new Map(plan.kept.map((k) => [k.version.digest, k]));
    for (const d of plan.waves.flat())
        kept.set(d.version.digest, { version: d.version, reason });
    for (const v of versions)
        if (unreadable.has(v.digest) && !kept.has(v.digest))
            kept.set(v.digest, { version: v, reason });
    return { waves: [], kept: [...kept.values()], untag: [] };
}
/** Marks everything that belongs to a version GitHub refused to delete as held, with why. */
function holdWhatBelongsTo(root, dependents, held) {
    const queue = [root.digest];
    for (let node = queue.pop(); node !== undefined; node = queue.pop()) {
        for (const d of dependents.get(node) ?? []) {
            if (held.has(d.digest))
                continue;
            held.set(d.digest, `${d.kind} of ${shortDigest(root.digest)}, which GitHub refused to delete`);
            queue.push(d.digest);
        }
    }
}
const REFUSALS = {
    'last-tagged-version': 'GitHub refuses to delete the last tagged version of a package; delete the package itself to remove it',
    'downloaded-public-version': 'GitHub refuses to delete a version of a public package downloaded more than 5,000 times; only GitHub support can delete it',
};
/** Deletes one wave; returns the versions GitHub refused (kept, with a warning, and not a failure: no re-run could pass). */
async function deleteWave(github, owner, name, wave, concurrency, log, result) {
    let overBudget;
    // Once one delete is refused for the budget, the rest of the wave is not even asked.
    const outcomes = await mapLimit(wave, concurrency, async (d) => overBudget
        ? 'over-budget'
        : github.deleteVersion(owner, name, d.version).catch((err) => {
            if (!(err instanceof BudgetExhaustedError))
                throw err;
            overBudget = err;
            return 'over-budget';
        }));
    if (overBudget) {
        result.budgetExhausted = true;
        log.warning(`${overBudget.message}: stopping here; the rest is left for the next run`);
    }
    const refused = [];
    wave.forEach((d, i) => {
        const outcome = outcomes[i];
        if (outcome === 'over-budget')
            return void result.left.push(leftEntry(name, d));
        if (outcome === 'last-tagged-version' || outcome === 'downloaded-public-version') {
            const reason = `${REFUSALS[outcome]} (planned: ${d.reason})`;
            log.warning(`kept ${name}@${describeVersion(d.version)}: ${reason}`);
            result.kept.push(entry(name, d.version, reason));
            refused.push(d.version);
            return;
        }
        const reason = outcome === 'already-gone' ? `${d.reason} (already gone)` : d.reason;
        log.info(`deleted ${name}@${describeVersion(d.version)}: ${reason}`);
        result.deleted.push(entry(name, d.version, reason));
    });
    return refused;
}
/** The promotion of a staged image, when the pipeline passed what promote-image recorded. */
function promotionOf(promotions, staging, digest) {
    return promotions?.find((p) => p.staging === staging && p.stagedDigest === digest);
}
/**
 * Why the staging copy of an image cannot go yet, or undefined when production provably
 * serves what its promotion produced: the staged digest itself, or the digest promote-image
 * recorded (a platform filter makes a new index, so the staged digest is never in production).
 */
async function productionProof(options, reader, target, promotion, digest) {
    const { log } = options;
    const promoted = promotion?.digest ?? digest;
    const as = promoted === digest ? '' : ` (promoted as ${shortDigest(promoted)})`;
    if (promotion?.dryRun) {
        if (!options.dryRun)
            return `its promotion was a dry run: production ${formatReference(target)} was not written`;
        log.info(`${shortDigest(digest)}${as}: promoted in a dry run; a real run deletes it once production ${formatReference(target)} serves ${shortDigest(promoted)} whole`);
        return undefined;
    }
    const why = await unprovenInProduction(reader, target.repository, promoted);
    if (why === undefined) {
        log.info(`${shortDigest(digest)}${as} is served whole by production ${formatReference(target)}`);
        return undefined;
    }
    return `not proven in production ${formatReference(target)}${as} (${why}): its promotion is not verified`;
}
/** One reader per production registry, with pull scope on every repository it holds. */
function productionReaders(options, io) {
    const scopes = new Map();
    for (const ref of options.productionRepositories.values())
        scopes.set(ref.registry, [...(scopes.get(ref.registry) ?? []), ref.repository]);
    return new Map([...scopes].map(([registry, repositories]) => [registry, io.production(registry, repositories)]));
}
function entry(name, version, reason) {
    return { package: name, digest: version.digest, tags: version.tags, reason };
}

;// CONCATENATED MODULE: ./packages/publishing/src/git/ref-names.ts
// Ref names as `git check-ref-format` judges them (refs.c), so a name is refused before it
// reaches git, a shell or GITHUB_OUTPUT: a name git accepts has no newline, space or control
// character to split or inject anything with, and a tag git would refuse would otherwise fail
// the step after the version was decided.

// Control characters, space, DEL, and ~ ^ : ? * [ \ (revision syntax and globs).
const FORBIDDEN_CHARACTER = /[\x00-\x20\x7f~^:?*[\\]/;
/**
 * Why git would refuse `ref` (a full name such as refs/tags/v1.0.42), or undefined when it
 * takes it. The rules of git-check-ref-format(1), without --allow-onelevel or --normalize.
 */
function refFormatProblem(ref) {
    const forbidden = FORBIDDEN_CHARACTER.exec(ref);
    if (forbidden)
        return `contains ${ref_names_quote(forbidden[0])}`;
    // git's own commands read a leading "-" as an option, so `git check-ref-format` cannot even be asked.
    if (ref.startsWith('-'))
        return 'starts with "-", which git would read as an option';
    if (ref === '@')
        return 'is "@"';
    if (ref.includes('@{'))
        return 'contains "@{"';
    if (ref.includes('..'))
        return 'contains ".."';
    if (ref.endsWith('.'))
        return 'ends with "."';
    if (!ref.includes('/'))
        return 'has a single component (git wants at least refs/<name>)';
    for (const component of ref.split('/')) {
        if (component === '')
            return 'has an empty component (a leading, trailing or doubled "/")';
        if (component.startsWith('.'))
            return `has a component starting with "." (${component})`;
        if (component.endsWith('.lock'))
            return `has a component ending with ".lock" (${component})`;
    }
    return undefined;
}
/** Why `name` is not a valid git branch name (`git check-ref-format --branch`), or undefined when it is one. */
function branchNameProblem(name) {
    const reason = !name
        ? 'is empty'
        : name.startsWith('-')
            ? 'starts with "-", which git would read as an option'
            : name === 'HEAD'
                ? 'is HEAD, which names the checked-out commit'
                : refFormatProblem(`refs/heads/${name}`);
    return reason && `${ref_names_quote(name)} is not a valid git branch name: it ${reason}`;
}
/** `name` when it is a valid git branch name; throws the reason otherwise (for parsedInput). */
function checkBranchName(name) {
    const problem = branchNameProblem(name);
    if (problem)
        throw new errors/* DomainError */.J(problem);
    return name;
}
// JSON quoting escapes every control character but DEL.
function ref_names_quote(text) {
    return JSON.stringify(text).replace(/\x7f/g, '\\u007f');
}

;// CONCATENATED MODULE: ./packages/publishing/src/git/exec.ts
// Runs the real git CLI: the repository actions/checkout left behind is plain git, and git
// itself is the authority on tags, shallow clones and pushes with checkout's credentials.


class exec_GitError extends errors/* DomainError */.J {
    constructor(args, cwd, exitCode, stderr) {
        super(`git ${args.join(' ')} failed in ${cwd} (exit ${exitCode}): ${stderr.trim() || 'no message'}`);
    }
}
/** Runs git and returns its result whatever the exit code, for commands where failure is an answer. */
async function exec_tryGit(cwd, args) {
    const env = {};
    for (const [name, value] of Object.entries(process.env))
        if (value !== undefined)
            env[name] = value;
    // A push without credentials must fail, not wait for a password nobody will type.
    env.GIT_TERMINAL_PROMPT = '0';
    const { exitCode, stdout, stderr } = await getExecOutput('git', args, { cwd, env, silent: true, ignoreReturnCode: true });
    return { exitCode, stdout, stderr };
}
/** Runs git and returns its standard output; throws a GitError with git's message when it fails. */
async function exec_git(cwd, args) {
    const result = await exec_tryGit(cwd, args);
    if (result.exitCode !== 0)
        throw new exec_GitError(args, cwd, result.exitCode, result.stderr);
    return result.stdout;
}

;// CONCATENATED MODULE: ./packages/publishing/src/git/repository.ts
// Questions about the checked-out repository.

async function isRepository(cwd) {
    return (await tryGit(cwd, ['rev-parse', '--git-dir'])).exitCode === 0;
}
/** True in a clone made with --depth (actions/checkout's default fetch-depth: 1). */
async function isShallowRepository(cwd) {
    return (await git(cwd, ['rev-parse', '--is-shallow-repository'])).trim() === 'true';
}
/** The full hash of the commit `revision` names (tags peeled); undefined when there is none. */
async function repository_resolveCommit(cwd, revision) {
    const result = await tryGit(cwd, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]);
    return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

;// CONCATENATED MODULE: ./packages/publishing/src/git/identity.ts
// Who commits and tags when no one configured git: on a fresh runner, the identity GitHub
// gives its own commits (generate-version's release tag, the suite's release commit).

const ACTIONS_BOT = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };
/** `-c user.name=… -c user.email=…` when the repository has no committer configured, else nothing. */
async function identity_identityArgs(cwd) {
    const configured = (await tryGit(cwd, ['config', 'user.email'])).exitCode === 0;
    return configured ? [] : ['-c', `user.name=${ACTIONS_BOT.name}`, '-c', `user.email=${ACTIONS_BOT.email}`];
}

;// CONCATENATED MODULE: ./packages/publishing/src/git/tags.ts
// Tags: listing them with the commits they mark, creating an annotated one, pushing it.




async function listTags(cwd) {
    // One process for all tags: %(*...) reads the object an annotated tag points to.
    const format = '%(refname:strip=2) %(objecttype) %(objectname) %(*objecttype) %(*objectname) %(contents:subject)';
    const out = await git(cwd, ['for-each-ref', `--format=${format}`, 'refs/tags']);
    const tags = [];
    for (const line of out.split('\n').filter(Boolean)) {
        // Ref names cannot contain spaces, so the fields split cleanly up to the subject, which
        // takes the rest; lightweight tags leave the peeled fields empty.
        const [name = '', type, object, peeledType, peeled, ...words] = line.split(' ');
        // For a lightweight tag %(contents:subject) is the commit's, not the tag's.
        const subject = type === 'tag' ? { subject: words.join(' ') } : {};
        if (type === 'commit')
            tags.push({ name, commit: object });
        else if (type === 'tag' && peeledType === 'commit')
            tags.push({ name, commit: peeled, ...subject });
        // A tag of a tag: %(*...) peels one level only, so ask git to peel it all the way.
        else if (type === 'tag' && peeledType === 'tag')
            tags.push({ name, commit: await resolveCommit(cwd, `refs/tags/${name}`), ...subject });
        else
            tags.push({ name, commit: undefined, ...subject });
    }
    return tags;
}
/** The names of the tags whose commit is `commit` or one of its ancestors. */
async function tagsInHistoryOf(cwd, commit) {
    const out = await git(cwd, ['for-each-ref', `--merged=${commit}`, '--format=%(refname:strip=2)', 'refs/tags']);
    return new Set(out.split('\n').filter(Boolean));
}
class TagConflictError extends errors/* DomainError */.J {
    constructor(tag, existing, wanted) {
        super(`tag ${tag} already exists on commit ${existing}, not on ${wanted}; a tag is never moved, so ${wanted} cannot be tagged ${tag}`);
    }
}
/**
 * Creates the annotated tag `name` on `commit`. Idempotent: a tag already on that commit is
 * left as it is ('exists'); a tag of that name on another commit is never moved (TagConflictError).
 */
async function createAnnotatedTag(cwd, name, commit, message) {
    const existing = await resolveCommit(cwd, `refs/tags/${name}`);
    if (existing === commit)
        return 'exists';
    if (existing)
        throw new TagConflictError(name, existing, commit);
    await git(cwd, [...(await identityArgs(cwd)), 'tag', '--annotate', '--message', message, name, commit]);
    return 'created';
}
/** Pushes the tag to `remote`; a no-op when the remote has it already on the same commit. */
async function pushTag(cwd, name, remote = 'origin') {
    const ref = `refs/tags/${name}`;
    try {
        await git(cwd, ['push', remote, `${ref}:${ref}`]);
    }
    catch (err) {
        if (!(err instanceof GitError))
            throw err;
        throw new DomainError(`cannot push tag ${name} to ${remote}: ${err.message}. The job needs "permissions: contents: write" and the credentials ` +
            'actions/checkout keeps (persist-credentials: true, its default); "rejected (already exists)" means another build pushed that tag first.', { cause: err });
    }
}

;// CONCATENATED MODULE: ./packages/publishing/src/git/commit-message.ts
// One commit's message, for the gate's [preserve] marker on events that carry none.

/** The full message of `sha`; undefined when the checkout does not have that commit. */
async function commitMessage(cwd, sha) {
    // --end-of-options: a hash from an event payload is data, never an option.
    const result = await tryGit(cwd, ['log', '-1', '--format=%B', '--end-of-options', `${sha}^{commit}`, '--']);
    return result.exitCode === 0 ? result.stdout.replace(/\n+$/, '') : undefined;
}

;// CONCATENATED MODULE: ./packages/publishing/src/git/index.ts






;// CONCATENATED MODULE: ./packages/publishing/src/cleanup/strategy.ts
// Which cleanup a pipeline gets, decided from what happened in it (the results of its
// jobs, where it ran, what its head commit says). Pure: the table in
// test/unit/cleanup-strategy.test.ts is its specification.

const STRATEGIES = [
    'immediate-cleanup',
    'post-production-cleanup',
    'conditional-preserve',
    'preserve-for-debug',
    'scheduled-sweep',
    'retention',
];
/** `needs.<job>.result` values; '' when the workflow did not pass one. */
const JOB_RESULTS = ['success', 'failure', 'cancelled', 'skipped', ''];
const GATES = [
    ['tests', 'tests'],
    ['scan', 'the security scan'],
    ['promote', 'image promotion'],
    ['publish', 'client publishing'],
];
/** First rule that applies wins; the order is the point (keeping beats deleting). */
function selectStrategy(facts) {
    if (facts.eventName === 'schedule') {
        return { strategy: 'scheduled-sweep', reason: 'scheduled run: sweeping old staging versions that nothing protects' };
    }
    if (facts.preserveMarker && facts.headCommitMessage.includes(facts.preserveMarker)) {
        return { strategy: 'preserve-for-debug', reason: `the head commit message contains ${facts.preserveMarker}` };
    }
    const failed = GATES.filter(([key]) => facts[key] === 'failure').map(([, name]) => name);
    if (failed.length > 0) {
        return { strategy: 'preserve-for-debug', reason: `${failed.join(' and ')} failed: staging images kept for investigation` };
    }
    // Whatever was promoted, on any branch, is deleted from staging only once production has it.
    if (facts.promote === 'success') {
        return {
            strategy: 'post-production-cleanup',
            reason: 'production publishing succeeded; each image is verified in production before its staging copy goes',
        };
    }
    if (facts.eventName.startsWith('pull_request')) {
        return { strategy: 'immediate-cleanup', reason: 'pull-request build finished: its staging images are no longer needed' };
    }
    const branch = facts.ref.replace(/^refs\/heads\//, '');
    // A forced publish counts as a production run: its images were meant for production.
    if (branch !== facts.productionBranch && !facts.forcePublish) {
        return {
            strategy: 'immediate-cleanup',
            reason: `build of ${branch}, not the production branch ${facts.productionBranch}: its staging images are no longer needed`,
        };
    }
    const what = facts.promote === '' ? 'no production publishing result was given' : `production publishing was ${facts.promote}`;
    return { strategy: 'conditional-preserve', reason: `${what}: keeping the newest images` };
}
function parseStrategy(value) {
    const found = STRATEGIES.find((s) => s === value);
    if (!found)
        throw new errors/* DomainError */.J(`unknown strategy "${value}"; expected one of ${STRATEGIES.join(', ')} (or empty to decide from the pipeline's results, or retention when a retention input is set)`);
    return found;
}
function parseJobResult(value) {
    const found = JOB_RESULTS.find((r) => r === value);
    if (found === undefined)
        throw new errors/* DomainError */.J(`"${value}" is not a job result; expected success, failure, cancelled, skipped or empty`);
    return found;
}

;// CONCATENATED MODULE: ./packages/publishing/src/cleanup/interval.ts
// older-than as dataaxiom/ghcr-cleanup-action writes it: "30 days", "12 hours", "1 year",
// singular or plural, seconds to years. A month is 30 days and a year 365: an age limit
// needs no calendar. Pure: test/unit/cleanup-plan.test.ts.

const UNIT_MS = {
    second: 1_000,
    minute: 60_000,
    hour: 3_600_000,
    day: 86_400_000,
    week: 7 * 86_400_000,
    month: 30 * 86_400_000,
    year: 365 * 86_400_000,
};
function parseInterval(text) {
    const match = /^(\d+)\s*([a-z]+?)s?$/i.exec(text.trim());
    const unit = match ? UNIT_MS[match[2].toLowerCase()] : undefined;
    if (!match || unit === undefined) {
        throw new errors/* DomainError */.J(`"${text}" is not an interval; write a number and a unit, e.g. 30 days or 12 hours (units: ${Object.keys(UNIT_MS).join(', ')})`);
    }
    return Number(match[1]) * unit;
}

;// CONCATENATED MODULE: ./packages/publishing/src/cleanup/patterns.ts

function patternMatcher(text, useRegex) {
    const value = text.trim();
    if (!value)
        return undefined;
    if (useRegex) {
        let regex;
        try {
            regex = new RegExp(value);
        }
        catch (err) {
            throw new errors/* DomainError */.J(`"${value}" is not a regular expression (${err.message})`, { cause: err });
        }
        return (candidate) => regex.test(candidate);
    }
    const globs = value
        .split(/[,\n]/)
        .map((g) => g.trim())
        .filter(Boolean)
        .map(globRegExp);
    return (candidate) => globs.some((g) => g.test(candidate));
}
function globRegExp(glob) {
    const body = glob
        .split(/(\*+|\?)/)
        .map((part) => (part.startsWith('*') ? '.*' : part === '?' ? '.' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
        .join('');
    return new RegExp(`^${body}$`);
}

;// CONCATENATED MODULE: ./packages/publishing/src/gate/promotion-record.ts
// What one promotion produced, as promote-image writes it (record-file) for the jobs after
// it: a matrix job cannot expose one output per leg (the legs' outputs overwrite each other),
// so each leg of the stage gate's promote job uploads its record as an artifact, and the
// gate's promotions job reads them all back. Cleanup then verifies in production the digest
// the promotion produced, which a platform filter makes a new index digest, not the staged one.


/** A promotion record (promote-image's record-file, the gate's promoted-images) that is not one. */
class PromotionRecordError extends errors/* DomainError */.J {
    constructor(origin, why) {
        super(`${origin}: ${why}`);
    }
}
const COUNTS = ['blobsCopied', 'blobsMounted', 'blobsSkipped', 'bytesCopied'];
const TIMES = ['startedAt', 'finishedAt'];
/** One record, or a JSON array of records (the gate's promoted-images output), checked field by field. */
function parsePromotionRecords(text, origin) {
    if (text.trim() === '')
        return [];
    let value;
    try {
        value = JSON.parse(text);
    }
    catch (err) {
        throw new PromotionRecordError(origin, `not JSON${jsonFaultAt(err)}; expected promote-image's record-file, or an array of them`);
    }
    const list = Array.isArray(value) ? value : [value];
    return list.map((item, i) => checkRecord(item, list.length > 1 || Array.isArray(value) ? `${origin}[${i}]` : origin));
}
/**
 * Where JSON.parse stopped, from its message, without the text it quotes: that is the file's
 * start, and a file that is not a record (a token, an environment) must not reach the log.
 */
function jsonFaultAt(err) {
    const at = /at position (\d+)/.exec(err.message);
    if (at)
        return ` (at position ${at[1]})`;
    return /end of JSON input/.test(err.message) ? ' (it ends early)' : '';
}
function checkRecord(item, origin) {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
        throw new PromotionRecordError(origin, 'expected an object');
    const r = item;
    const fail = (field, expected) => {
        throw new PromotionRecordError(origin, `${field} is ${JSON.stringify(r[field])}; expected ${expected}`);
    };
    if (typeof r.staging !== 'string')
        return fail('staging', 'a staging repository (registry/namespace/name)');
    try {
        const ref = parseReference(r.staging);
        if (ref.tag || ref.digest)
            fail('staging', 'a repository without tag or digest');
    }
    catch (err) {
        if (err instanceof PromotionRecordError)
            throw err;
        fail('staging', 'a staging repository (registry/namespace/name)');
    }
    for (const field of ['stagedDigest', 'digest'])
        if (typeof r[field] !== 'string' || !DIGEST.test(r[field]))
            fail(field, 'a digest (sha256:<64 hex>)');
    for (const field of ['repositories', 'references'])
        if (!Array.isArray(r[field]) || r[field].length === 0 || r[field].some((x) => typeof x !== 'string'))
            fail(field, 'a non-empty array of image references');
    if (typeof r.platforms !== 'string')
        fail('platforms', 'a string');
    for (const field of COUNTS)
        if (!Number.isSafeInteger(r[field]) || r[field] < 0)
            fail(field, 'a count (an integer, 0 or more)');
    if (typeof r.dryRun !== 'boolean')
        fail('dryRun', 'true or false');
    for (const field of TIMES)
        if (typeof r[field] !== 'string' || Number.isNaN(Date.parse(r[field])))
            fail(field, 'an ISO 8601 time');
    return {
        staging: r.staging,
        stagedDigest: r.stagedDigest,
        digest: r.digest,
        repositories: r.repositories,
        references: r.references,
        platforms: r.platforms,
        blobsCopied: r.blobsCopied,
        blobsMounted: r.blobsMounted,
        blobsSkipped: r.blobsSkipped,
        bytesCopied: r.bytesCopied,
        dryRun: r.dryRun,
        startedAt: r.startedAt,
        finishedAt: r.finishedAt,
    };
}
/**
 * Every promote leg's record, in one list ordered by staging repository: the stage gate's
 * promoted-images. Two records for one staged image (a re-run's leg uploaded it again)
 * must agree, or the run cannot say what production got.
 */
function collectPromotionRecords(files) {
    const byImage = new Map();
    for (const file of files) {
        for (const record of parsePromotionRecords(file.text, file.origin)) {
            const key = `${record.staging}@${record.stagedDigest}`;
            const earlier = byImage.get(key);
            if (earlier && earlier.digest !== record.digest)
                throw new PromotionRecordError(file.origin, `${key} was promoted as ${earlier.digest} and as ${record.digest}`);
            byImage.set(key, record);
        }
    }
    return [...byImage.values()].sort((a, b) => a.staging.localeCompare(b.staging) || a.stagedDigest.localeCompare(b.stagedDigest));
}

;// CONCATENATED MODULE: ./actions/cleanup-staging/inputs.ts
// cleanup-staging's inputs, parsed and checked before anything touches the API or a
// registry: a bad input fails the step with nothing deleted.










function readCleanupInputs() {
    const token = secretInput('token').trim();
    if (!token)
        throw new InputError('token', 'is required and was empty (the default is github.token; a secret that is not defined arrives empty)');
    const retention = retentionInputs();
    const decision = strategyDecision(retention.named);
    const owner = stringInput('owner', { required: true });
    const stagingRegistry = stagingRegistryInput();
    const location = { registry: stagingRegistry, owner };
    const staged = selectors('staged', location);
    const protectedImages = selectors('protected', location);
    // `packages` is dataaxiom's spelling; both are read, as theirs reads both.
    const packagePattern = expandedPackages(decision);
    const named = packagePattern
        ? []
        : ['package', 'packages'].flatMap((input) => addressListInput(input, 'image-reference').map((entry) => parsedInput(input, entry, (text) => parseStagingPackage(text, location))));
    const fromImages = [...staged, ...protectedImages].flatMap((s) => (s.package ? [s.package] : []));
    // A retention run with no package cleans the repository's own, as dataaxiom's does.
    const ownPackage = decision.strategy === 'retention' && !packagePattern && named.length === 0 && fromImages.length === 0 ? repositoryPackage() : [];
    const packages = [...new Set([...named, ...fromImages, ...ownPackage])];
    if (packages.length === 0 && !packagePattern) {
        throw new InputError('package', 'is empty and no staged image reference names a package; name the GHCR package(s) to clean, e.g. webauthn-server');
    }
    const productionEntries = addressListInput('production-repository', 'image-reference');
    const productionRepositories = parsedInput('production-repository', productionEntries.join('\n'), () => parseProductionRepositories(productionEntries, packages, location));
    const unmapped = packages.filter((p) => !productionRepositories.has(p));
    if (decision.strategy === 'post-production-cleanup' && unmapped.length > 0) {
        throw new InputError('production-repository', `is required for post-production-cleanup, which verifies each image in production before deleting its staging copy; missing for: ${unmapped.join(', ')}`);
    }
    const apiUrl = addressInput('github-api-url', 'url') || process.env.GITHUB_API_URL || 'https://api.github.com';
    parsedInput('github-api-url', apiUrl, inputs_parseUrl);
    return {
        decision,
        owner,
        packages,
        ...(packagePattern ? { packagePattern } : {}),
        staged,
        protected: protectedImages,
        // The upper bounds are load-config's for cleanup.keep-last and cleanup.max-age-days, so
        // that what this step would refuse is refused before anything is promoted.
        keepLast: integerInput('keep-last', 5, { min: 0, max: 10_000 }),
        maxAgeDays: integerInput('max-age-days', 14, { min: 1, max: 3650 }),
        graceHours: integerInput('grace-hours', 6, { min: 0 }),
        ...(decision.strategy === 'retention' ? { retention: retentionRules(retention.given) } : {}),
        validate: retention.validate,
        rateLimitBudget: parsedInput('rate-limit-budget', stringInput('rate-limit-budget') || '0.5', parseShare),
        stagingRegistry,
        // GHCR ignores the user name when the password is a token; it only must not be empty.
        stagingCredentials: { username: stringInput('staging-username') || owner, password: secretInput('staging-password') || token },
        productionRepositories,
        promotions: parsedInput('promotions', stringInput('promotions'), (text) => parsePromotionRecords(text, 'promotions')),
        ...productionCredentials(),
        token,
        apiUrl,
        concurrency: integerInput('concurrency', 4, { min: 1, max: 16 }),
        dryRun: booleanInput('dry-run', false),
        retry: retryPolicyInput(),
        logLevel: parsedInput('log-level', stringInput('log-level').toLowerCase() || 'info', parseLogLevel),
        repository: parsedInput('repository', stringInput('repository') || (process.env.GITHUB_REPOSITORY ?? ''), checkRepositoryName),
    };
}
function parseLogLevel(text) {
    const level = LOG_LEVELS.find((l) => l === text);
    if (!level)
        throw new errors/* DomainError */.J(`expected ${LOG_LEVELS.join(', ')}; got "${text}"`);
    return level;
}
/** owner/name or name, as GitHub spells repositories; empty outside a workflow run. */
function checkRepositoryName(text) {
    if (text && !/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\/)?[A-Za-z0-9._-]+$/.test(text))
        throw new errors/* DomainError */.J(`"${text}" is not a repository name; expected owner/name or name, e.g. acme/webauthn-server`);
    return text;
}
function strategyDecision(retentionNamed) {
    const explicit = stringInput('strategy');
    const strategy = explicit ? parsedInput('strategy', explicit, parseStrategy) : retentionNamed.length > 0 ? 'retention' : undefined;
    // A retention input read by a strategy that ignores it would delete other than it says.
    if (strategy !== undefined && strategy !== 'retention' && retentionNamed.length > 0) {
        throw new InputError(retentionNamed[0], `applies to the retention strategy only, and strategy is ${strategy}; leave strategy empty or set it to retention`);
    }
    if (explicit)
        return { strategy: strategy, reason: 'requested by the strategy input' };
    if (strategy === 'retention')
        return { strategy, reason: `retention inputs given: ${retentionNamed.join(', ')}` };
    const result = (name) => parsedInput(name, stringInput(name), parseJobResult);
    const facts = {
        eventName: stringInput('event-name'),
        ref: stringInput('ref'),
        productionBranch: parsedInput('production-branch', stringInput('production-branch', { required: true }), checkBranchName),
        tests: result('tests-result'),
        scan: result('scan-result'),
        promote: result('promote-result'),
        publish: result('publish-result'),
        headCommitMessage: stringInput('head-commit-message'),
        preserveMarker: stringInput('preserve-marker'),
        forcePublish: booleanInput('force-publish', false),
    };
    return selectStrategy(facts);
}
const RETENTION_INPUTS = [
    'delete-tags',
    'tags',
    'exclude-tags',
    'keep-n-tagged',
    'keep-n-untagged',
    'delete-untagged',
    'delete-ghost-images',
    'delete-partial-images',
    'delete-orphaned-images',
    'older-than',
    'validate',
];
/** dataaxiom/ghcr-cleanup-action's inputs, under its names; `named` lists those given. */
function retentionInputs() {
    const named = RETENTION_INPUTS.filter((name) => stringInput(name) !== '');
    const useRegex = booleanInput('use-regex', false);
    const pattern = (name) => parsedInput(name, stringInput(name), (text) => patternMatcher(text, useRegex));
    const count = (name) => (stringInput(name) ? integerInput(name, 0, { min: 0, max: 100_000 }) : undefined);
    const flag = (name) => (stringInput(name) ? booleanInput(name, false) : undefined);
    const olderThan = stringInput('older-than');
    const given = {
        deleteTags: pattern(deleteTagsInput()),
        excludeTags: pattern('exclude-tags'),
        keepNTagged: count('keep-n-tagged'),
        keepNUntagged: count('keep-n-untagged'),
        deleteUntagged: flag('delete-untagged'),
        deleteGhostImages: flag('delete-ghost-images'),
        deletePartialImages: flag('delete-partial-images'),
        deleteOrphanedImages: flag('delete-orphaned-images'),
        ...(olderThan ? { olderThanMs: parsedInput('older-than', olderThan, parseInterval), olderThan } : {}),
    };
    return { given, validate: booleanInput('validate', false), named };
}
/**
 * With expand-packages, package and packages are patterns (globs, or a regular expression
 * with use-regex) over the owner's container packages, listed through the API. Only the
 * package-wide strategies take them: the others act on images named by this run.
 */
function expandedPackages(decision) {
    const text = [stringInput('package'), stringInput('packages')].filter(Boolean).join(',');
    // Not set: on when a package name has a wildcard, as dataaxiom's does (a package name never has one).
    const expand = stringInput('expand-packages') ? booleanInput('expand-packages', false) : /[*?]/.test(text);
    if (!expand)
        return undefined;
    if (decision.strategy !== 'retention' && decision.strategy !== 'scheduled-sweep' && decision.strategy !== 'conditional-preserve') {
        throw new InputError(stringInput('expand-packages') ? 'expand-packages' : 'package', `applies to the package-wide strategies (retention, scheduled-sweep, conditional-preserve), and strategy is ${decision.strategy}`);
    }
    const pattern = parsedInput('packages', text, (value) => patternMatcher(value, booleanInput('use-regex', false)));
    if (!pattern)
        throw new InputError('packages', 'is empty, and expand-packages needs a pattern of the packages to clean, e.g. app-*');
    return pattern;
}
/**
 * delete-tags, or `tags`, its short form in dataaxiom's inputs; the name of the one given
 * (both is refused, as dataaxiom refuses it).
 */
function deleteTagsInput() {
    if (!stringInput('tags'))
        return 'delete-tags';
    if (stringInput('delete-tags'))
        throw new InputError('tags', 'is the short form of delete-tags, and both are given; use one');
    return 'tags';
}
/**
 * The staging registry's host: registry-url (dataaxiom's name: a URL such as https://ghcr.io/)
 * when given, else staging-registry. The registry API is served at the host's root (/v2/),
 * so a URL with a path is refused rather than quietly spoken to elsewhere.
 */
function stagingRegistryInput() {
    const stagingRegistry = addressInput('staging-registry', 'url', { required: true });
    const url = addressInput('registry-url', 'url');
    if (!url)
        return stagingRegistry;
    const host = parsedInput('registry-url', url, registryUrlHost);
    // staging-registry always arrives (its default is ghcr.io): only another value disagrees.
    if (stagingRegistry !== DEFAULT_STAGING_REGISTRY && stagingRegistry !== host)
        throw new InputError('registry-url', `names ${host} and staging-registry names ${stagingRegistry}; give one`);
    return host;
}
const DEFAULT_STAGING_REGISTRY = 'ghcr.io';
function registryUrlHost(text) {
    const url = URL.canParse(text) ? new URL(text) : undefined;
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
        throw new errors/* DomainError */.J(`"${text}" is not a registry URL; expected one such as https://ghcr.io/`);
    if (url.pathname !== '/' || url.search || url.hash)
        throw new errors/* DomainError */.J(`"${text}" has a path; expected the registry's root URL, such as https://ghcr.io/`);
    // Plain HTTP is spoken only to loopback registries (see baseUrl), so http:// elsewhere would not be honoured.
    if (url.protocol === 'http:' && !(0,transport/* isLoopbackHost */.cW)(url.host))
        throw new errors/* DomainError */.J(`"${text}" is plain HTTP; only a loopback registry is spoken to over HTTP`);
    return url.host;
}
/** The repository's name, GitHub's default package name (GITHUB_REPOSITORY is owner/name). */
function repositoryPackage() {
    const name = process.env.GITHUB_REPOSITORY?.split('/')[1];
    return name ? [name.toLowerCase()] : [];
}
/**
 * What the core's failures are about, as cleanup-staging's inputs: an owner or package GitHub
 * does not know, or credentials GitHub or a registry refused.
 */
function cleanupInputFor(inputs) {
    return (subject) => {
        switch (subject.kind) {
            case 'github-owner':
                return 'owner';
            case 'github-package':
                return 'package';
            case 'retry-wait':
                return 'max-retry-wait';
            case 'credentials':
                if (subject.service === 'github')
                    return 'token';
                if (subject.service !== 'registry')
                    return undefined;
                return credentialInputsOf(subject.address, {
                    staging: [inputs.stagingRegistry],
                    production: [...inputs.productionRepositories.values()].map((r) => r.registry),
                });
            default:
                return undefined;
        }
    };
}
function inputs_parseUrl(text) {
    try {
        return new URL(text);
    }
    catch {
        throw new errors/* DomainError */.J(`"${text}" is not a URL, e.g. https://api.github.com`);
    }
}
function parseShare(text) {
    const share = Number(text);
    if (!/^\d*\.?\d+$/.test(text) || share <= 0 || share > 1)
        throw new errors/* DomainError */.J(`"${text}" is not a share of the rate limit; expected a number above 0 and at most 1, e.g. 0.5`);
    return share;
}
function selectors(name, location) {
    return addressListInput(name, 'image-reference').map((value) => parsedInput(name, value, (v) => parseImageSelector(v, location)));
}
function productionCredentials() {
    const credentials = credentialsInput('production');
    return credentials ? { productionCredentials: credentials } : {};
}

;// CONCATENATED MODULE: ./actions/cleanup-staging/main.ts
// cleanup-staging: deletes staging images only when nothing still needs them.






/** The job summary stays far below GitHub's 1 MiB limit even for a sweep of thousands of versions. */
const SUMMARY_ROWS = 300;
function run() {
    return runAction(async () => {
        const inputs = readCleanupInputs();
        const log = leveledLog(inputs.logLevel);
        if (inputs.repository)
            log.info(`repository: ${inputs.repository}`);
        log.info(`strategy: ${inputs.decision.strategy} (${inputs.decision.reason})`);
        const title = `${inputs.dryRun ? 'Plan' : 'Clean up'} ${inputs.packages.join(', ')} (${inputs.decision.strategy})`;
        const result = await group(title, () => namingInputs(cleanupInputFor(inputs), () => cleanupStaging({ ...inputs, log })));
        // Written even when verification failed below: they say what was deleted and what was kept.
        setOutputs(cleanupOutputs(result));
        await main_summary(result);
        if (result.unverified.length > 0) {
            throw new errors/* DomainError */.J(`${result.unverified.length} promoted image(s) are not proven to be served by production, so their staging copies were kept: ` +
                `${result.unverified.map((u) => `${u.package}@${u.digest}`).join(', ')}. Check that promote-image promoted these digests; with a platform filter production serves a new index digest, which cleanup verifies only when given promote-image's records (promotions)`);
        }
    });
}
function cleanupOutputs(result) {
    return {
        strategy: result.strategy,
        reason: result.reason,
        deleted: result.deleted.map((d) => d.digest).join('\n'),
        'deleted-count': String(result.deleted.length),
        kept: JSON.stringify(result.kept),
        'kept-count': String(result.kept.length),
        'dry-run': String(result.dryRun),
        invalid: JSON.stringify(result.invalid),
        'invalid-count': String(result.invalid.length),
        'budget-exhausted': String(result.budgetExhausted),
        left: JSON.stringify(result.left),
        'left-count': String(result.left.length),
        'packages-left': result.packagesLeft.join('\n'),
        'rate-limit-remaining': result.rateLimit ? String(result.rateLimit.remaining) : '',
        untagged: JSON.stringify(result.untagged),
    };
}
async function main_summary(result) {
    const action = result.dryRun ? 'would delete' : 'deleted';
    const rows = [
        ...result.deleted.map((d) => [d.package, shortDigest(d.digest), d.tags.join(', '), action, d.reason]),
        ...result.kept.map((k) => [k.package, shortDigest(k.digest), k.tags.join(', '), 'kept', k.reason]),
        ...result.untagged.map((u) => [u.package, shortDigest(u.digest), u.tags.join(', '), result.dryRun ? 'would remove these tags' : 'tags removed', u.reason]),
        ...result.notFound.map((text) => ['', text, '', 'not found', 'no package lists it: deleted already, or never pushed']),
        ...result.invalid.map((i) => [i.package, shortDigest(i.digest), i.tags.join(', '), 'invalid', i.reason]),
        ...result.left.map((l) => [l.package, shortDigest(l.digest), l.tags.join(', '), 'left for the next run', l.reason]),
        ...result.packagesLeft.map((name) => [name, '', '', 'left for the next run', 'not looked at: the rate-limit budget is spent']),
    ];
    const shown = rows.slice(0, SUMMARY_ROWS);
    if (rows.length > shown.length)
        shown.push(['', '', '', '', `and ${rows.length - shown.length} more: see the step log and the outputs`]);
    shown.push(['', '', '', result.strategy, result.reason]);
    if (result.rateLimit) {
        const { remaining, limit, reset } = result.rateLimit;
        const budget = result.budgetExhausted ? 'the rate-limit budget ran out: run again after the reset for the rest' : 'within the rate-limit budget';
        shown.push(['', '', '', 'rate limit', `${remaining} of ${limit} requests left until ${new Date(reset * 1000).toISOString()}; ${budget}`]);
    }
    await writeSummaryTable(`cleanup-staging${result.dryRun ? ' (dry run)' : ''}`, ['package', 'digest', 'tags', 'action', 'reason'], shown);
}

;// CONCATENATED MODULE: ./actions/cleanup-staging/index.ts
// Bundle entry (dist/cleanup-staging/index.js).

void run();


//# sourceMappingURL=index.js.map