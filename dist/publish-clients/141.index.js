export const id = 141;
export const ids = [141];
export const modules = {

/***/ 4141:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   dispatcher: () => (/* binding */ dispatcher),
/* harmony export */   fetchThroughPool: () => (/* binding */ fetchThroughPool),
/* harmony export */   sendThroughPool: () => (/* binding */ sendThroughPool)
/* harmony export */ });
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var undici_7__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5280);
/* harmony import */ var _request_error_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5510);
/* harmony import */ var _transport_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3336);
// The proxy-aware transport, loaded only when a proxy variable is set (proxy-env.ts):
// undici's EnvHttpProxyAgent, which keeps connections alive per origin and sends them
// through HTTP_PROXY/HTTPS_PROXY unless NO_PROXY names the host. Its NO_PROXY matches host
// names and ports (`example.com`, `.example.com`, `127.0.0.1:5000`, `*`), never address
// ranges, and loopback is not exempt: with a proxy set, 127.0.0.1 and localhost are proxied
// unless listed, as curl does. HTTPS goes through a CONNECT tunnel and is verified against
// Node's CA store, so NODE_EXTRA_CA_CERTS still adds private CAs. undici is imported whole:
// its index is what gives dispatchers their request and connect methods, and proxies tunnel
// through connect. It is undici 7 under the name undici-7 (package.json), so that the undici 6
// @actions/github and @actions/http-client share stays the one at node_modules/undici: with
// undici 7 there, npm gave each of them its own copy of 6, and generate-version's bundle grew
// from 1.3 MB to 2.3 MB.




/** Parallel connections per origin: blob copies run a few at a time, HEAD checks many. */
const CONNECTIONS_PER_ORIGIN = 32;
/** Idle connections close before servers commonly drop them (nginx 75 s, load balancers 60 s). */
const KEEP_ALIVE_MS = 15_000;
let shared;
/** Made on first use, reading the proxy variables of the process then. */
function dispatcher() {
    return (shared ??= new undici_7__WEBPACK_IMPORTED_MODULE_1__/* .EnvHttpProxyAgent */ .J2({
        connections: CONNECTIONS_PER_ORIGIN,
        keepAliveTimeout: KEEP_ALIVE_MS,
        keepAliveMaxTimeout: KEEP_ALIVE_MS,
        // Plain-HTTP requests go to the proxy with their absolute URI, as curl and Go send them:
        // proxies commonly allow CONNECT to port 443 only, and an insecure registry is on 5000.
        proxyTunnel: false,
    }));
}
/** `send` (transport.ts) through the pool. */
async function sendThroughPool(request) {
    const url = new URL(request.url);
    const idleMs = request.idleTimeoutMs ?? _transport_js__WEBPACK_IMPORTED_MODULE_3__/* .DEFAULT_IDLE_TIMEOUT_MS */ .C9;
    try {
        const res = await dispatcher().request({
            origin: url.origin,
            path: `${url.pathname}${url.search}`,
            method: request.method,
            headers: request.headers ?? {},
            body: requestBody(request.body),
            headersTimeout: idleMs,
            bodyTimeout: idleMs,
        });
        return { status: res.statusCode, headers: res.headers, body: res.body, url: request.url };
    }
    catch (err) {
        throw (0,_request_error_js__WEBPACK_IMPORTED_MODULE_2__/* .requestError */ .Un)(request.method, request.url, (0,_request_error_js__WEBPACK_IMPORTED_MODULE_2__/* .undiciTimeout */ .qS)(err, idleMs));
    }
}
function requestBody(body) {
    if (body === undefined || Buffer.isBuffer(body))
        return body;
    // A writer may reuse a piece once its write is called back (the pumped GET lends its read
    // buffers so), and a stream calls back once it has queued the piece, before undici has
    // sent it: each piece is copied, or a reused buffer would go out overwritten.
    const pipe = new node_stream__WEBPACK_IMPORTED_MODULE_0__.Transform({ transform: (piece, _encoding, done) => done(null, Buffer.from(piece)) });
    body(pipe);
    return pipe;
}
/** fetch through the pool, for clients built on fetch (Octokit). */
const fetchThroughPool = ((input, init) => (0,undici_7__WEBPACK_IMPORTED_MODULE_1__/* .fetch */ .hd)(input, { ...init, dispatcher: dispatcher() }));


/***/ })

};

//# sourceMappingURL=141.index.js.map