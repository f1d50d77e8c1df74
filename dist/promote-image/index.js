import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
import * as __WEBPACK_EXTERNAL_MODULE__http_client_left_out_js_cae0a8ec__ from "./http-client-left-out.js";
/******/ var __webpack_modules__ = ({

/***/ 708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");

/***/ }),

/***/ 692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

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
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
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
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
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
function getExecOutput(commandLine, args, options) {
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
;// CONCATENATED MODULE: ./packages/core/src/config/problems.ts
// A configuration problem carries everything a person needs to fix it without
// opening the schema: the file, where in it, which key, and what was expected.
function formatProblem(p) {
    const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
    return p.keyPath ? `${where}: ${p.keyPath}: ${p.message}` : `${where}: ${p.message}`;
}
class ConfigError extends Error {
    problems;
    constructor(problems) {
        const n = problems.length;
        super(`${n === 1 ? 'a problem' : `${n} problems`} in ${problems[0]?.file ?? 'the configuration'}:\n` + problems.map((p) => `  ${formatProblem(p)}`).join('\n'));
        this.name = 'ConfigError';
        this.problems = problems;
    }
}

;// CONCATENATED MODULE: ./packages/core/src/secrets.ts
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

;// CONCATENATED MODULE: ./packages/core/src/action/run.ts
// The one way an action entry runs: every failure becomes a failed step with a message
// a person can act on, and configuration problems also become file annotations in the
// Actions UI. Outputs are written by the entry only after its work succeeded.



async function runAction(work) {
    // Credentials the core learns (tokens from token services) are masked as they appear.
    setSecretMask((secret) => core_setSecret(secret));
    try {
        await work();
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
        setFailed(redact(err instanceof Error ? err.message : String(err)));
    }
}
function setOutputs(outputs) {
    for (const [name, value] of Object.entries(outputs))
        setOutput(name, value);
}

;// CONCATENATED MODULE: ./packages/core/src/action/summary.ts
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

;// CONCATENATED MODULE: ./packages/core/src/address-credentials.ts
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
    addSecret(userinfo);
    const colon = userinfo.indexOf(':');
    // With a user name, the password alone may be printed too (a URL parser splits them); without, it is a token.
    const password = colon >= 0 ? userinfo.slice(colon + 1) : userinfo;
    addSecret(password);
    addSecret(decoded(password));
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

;// CONCATENATED MODULE: ./packages/core/src/http/retry.ts
// Retry policy for registry and API calls: 429 honours Retry-After, 5xx and dropped
// connections back off exponentially with full jitter, a bounded number of times. Two
// limits on waiting are kept apart: the backoff cap bounds the waits we choose ourselves,
// and the longest wait a server may ask for (Retry-After, rate limits; Docker Hub asks for
// minutes) bounds the waits we agree to. A longer request fails the run at once, saying so,
// rather than sleeping through the job's time limit.
/** The max-retry-wait input's default, in seconds, and its bounds. */
const MAX_RETRY_WAIT = { defaultSeconds: 300, minSeconds: 0, maxSeconds: 3600 };
const DEFAULT_MAX_RETRY_WAIT_MS = MAX_RETRY_WAIT.defaultSeconds * 1000;
const DEFAULT_RETRY = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryWaitMs: DEFAULT_MAX_RETRY_WAIT_MS };
/**
 * An error worth another attempt; `retryAfterMs` when the server said how long to wait. Its
 * message says what happened to which request; withRetry puts the operation in front.
 */
class RetryableError extends Error {
    retryAfterMs;
    cause;
    constructor(message, retryAfterMs, cause) {
        super(message);
        this.retryAfterMs = retryAfterMs;
        this.cause = cause;
        this.name = 'RetryableError';
    }
}
/**
 * The end of retrying: attempts used up, or a server asking for a longer wait than we
 * honour. Never retried again by an enclosing withRetry (a token request inside a blob
 * copy), so attempts do not multiply.
 */
class GaveUpError extends Error {
    attempts;
    cause;
    constructor(message, attempts, cause) {
        super(message);
        this.attempts = attempts;
        this.cause = cause;
        this.name = 'GaveUpError';
    }
}
const RETRYABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET']);
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
            const retryable = err instanceof RetryableError || isRetryableNetworkError(err);
            if (!retryable)
                throw err;
            const failure = `${what}: ${err.message}`;
            if (attempt >= policy.attempts)
                throw new GaveUpError(`${failure}; gave up after ${attempts(attempt)}`, attempt, err);
            const asked = err instanceof RetryableError ? err.retryAfterMs : undefined;
            const delay = retryDelay(policy, attempt, asked);
            if (delay === undefined) {
                throw new GaveUpError(`${failure}; the server asked to wait ${seconds(asked)} before another attempt, longer than max-retry-wait ` +
                    `(${seconds(maxRetryWaitMs(policy))}); raise the input max-retry-wait to wait that long (gave up after ${attempts(attempt)})`, attempt, err);
            }
            options.onRetry?.(`${failure}; attempt ${attempt + 1} of ${policy.attempts} in ${(delay / 1000).toFixed(1)}s`);
            await sleep(delay);
        }
    }
}
function attempts(n) {
    return n === 1 ? '1 attempt' : `${n} attempts`;
}
function seconds(ms) {
    return `${Math.ceil(ms / 1000)}s`;
}

;// CONCATENATED MODULE: ./packages/core/src/action/inputs.ts
// Typed reading of action inputs. Every error names the input and says what was
// expected, so a person can fix the workflow file without reading our code.




class InputError extends Error {
    input;
    constructor(input, message) {
        super(`input "${input}": ${message}`);
        this.input = input;
        this.name = 'InputError';
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
    addSecret(value);
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
/** Runs a parser over an input's value, naming the input in any error it throws. */
function parsedInput(name, value, parse) {
    try {
        return parse(value);
    }
    catch (err) {
        throw new InputError(name, err.message);
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

;// CONCATENATED MODULE: ./packages/core/src/action/log.ts

/** The core's log, written to the step's log. */
const actionLog = {
    info: (m) => info(m),
    warning: (m) => warning(m),
    debug: (m) => core_debug(m),
};

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: ./packages/core/src/action/event.ts
// The event that started the run, as the runner describes it. Read from the runner's files and
// variables directly: @actions/github's context would load its HTTP client with it.

/** The webhook payload of the event that started the run (GITHUB_EVENT_PATH); undefined outside a runner. */
function eventPayload() {
    const file = process.env.GITHUB_EVENT_PATH;
    return file ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

;// CONCATENATED MODULE: ./packages/core/src/action/index.ts






;// CONCATENATED MODULE: ./packages/core/src/util/concurrency.ts
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

;// CONCATENATED MODULE: ./packages/core/src/util/format.ts
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

;// CONCATENATED MODULE: ./packages/core/src/util/progress.ts

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

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: ./packages/core/src/oci/digest.ts

function sha256Digest(bytes) {
    return `sha256:${(0,external_node_crypto_namespaceObject.createHash)('sha256').update(bytes).digest('hex')}`;
}
class DigestMismatchError extends Error {
    constructor(message) {
        super(message);
        this.name = 'DigestMismatchError';
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
        this.hash = (0,external_node_crypto_namespaceObject.createHash)(algorithm === 'sha512' ? 'sha512' : 'sha256');
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

;// CONCATENATED MODULE: ./packages/core/src/oci/blob-transfer.ts

async function streamBlob(from, to, blob, progress) {
    await to.client.retrying(`copy ${blob.digest} to ${to.client.registry}/${to.repository}`, async () => {
        progress.update(blob.digest, 0);
        let moved = 0;
        // Stops the source when the upload ends first (refused, failed).
        const source = new AbortController();
        try {
            await to.client.uploadBlob(to.repository, blob.digest, blob.size, (upload) => {
                const writer = new VerifyingWriter(blob.digest, blob.size, upload, (n) => progress.update(blob.digest, (moved += n)));
                from.client
                    .readBlob(from.repository, blob.digest, writer, source.signal)
                    .then(() => writer.end())
                    .catch((err) => upload.destroy(err));
            });
        }
        finally {
            source.abort();
        }
    });
    progress.finished();
}

;// CONCATENATED MODULE: ./packages/core/src/oci/types.ts
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

;// CONCATENATED MODULE: ./packages/core/src/oci/platforms.ts
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

;// CONCATENATED MODULE: ./packages/core/src/oci/referrer-index.ts
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

;// CONCATENATED MODULE: ./packages/core/src/oci/referrer-tags.ts
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

;// CONCATENATED MODULE: ./packages/core/src/oci/image-graph.ts
// What a promotion must move, found on the source by digest only, so a tag moved while
// we look cannot change what is promoted. An image is a tree: a top manifest (an index
// or an image manifest), the manifests it lists, and the blobs they reference. Artifacts
// that refer to the image (signatures, SBOMs) are trees of their own, found through the
// referrers API or its tag fallback.






class UnknownManifestError extends Error {
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
/** Artifacts referring to any of `subjects`, and artifacts referring to those in turn. */
async function findReferrers(client, repository, subjects, concurrency) {
    const fetched = new Map();
    const fallbackIndexes = new Map();
    const seen = new Set(subjects);
    let pending = subjects;
    while (pending.length > 0) {
        const found = await mapLimit(pending, concurrency, async (subject) => ({ subject, ...(await client.referrers(repository, subject)) }));
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
/** cosign's signature, attestation and SBOM tags (`sha256-<hex>.sig`, ...) about any of `subjects`, with what they hold. */
async function findCosignTags(client, repository, subjects, concurrency) {
    const wanted = new Set(subjects);
    const tags = (await client.listTags(repository)).filter((tag) => wanted.has(cosignTagSubject(tag) ?? ''));
    const manifests = await mapLimit(tags, concurrency, (tag) => client.getManifest(repository, tag));
    // A tag removed between the listing and the read is left out.
    return tags.flatMap((tag, i) => (manifests[i] ? [{ tag, manifest: manifests[i] }] : []));
}

;// CONCATENATED MODULE: ./packages/core/src/oci/reference.ts
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
class ReferenceError extends Error {
    reason;
    constructor(reference, reason) {
        super(`"${reference}" is not a valid image reference: ${reason}`);
        this.reason = reason;
        this.name = 'ReferenceError';
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

;// CONCATENATED MODULE: external "node:net"
const external_node_net_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");
var external_node_net_default = /*#__PURE__*/__nccwpck_require__.n(external_node_net_namespaceObject);
;// CONCATENATED MODULE: external "node:stream"
const external_node_stream_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");
;// CONCATENATED MODULE: ./packages/core/src/http/http1.ts
class HttpProtocolError extends Error {
    constructor(message) {
        super(message);
        this.name = 'HttpProtocolError';
    }
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

;// CONCATENATED MODULE: ./packages/core/src/http/request-error.ts
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
class RequestError extends Error {
    request;
    cause;
    code;
    constructor(request, cause) {
        super(`${request}: ${cause.message}`);
        this.request = request;
        this.cause = cause;
        this.name = 'RequestError';
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

;// CONCATENATED MODULE: ./packages/core/src/http/pumped-get.ts
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
/** Read buffers per connection, so at most about 2 MB of a body waits in the sink. */
const READ_BUFFERS = 8;
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
    const head = requestHead(url, request.headers ?? {});
    if (request.signal?.aborted)
        throw abortError(request.signal);
    // TLS is loaded on first use, as in transport.ts.
    const secure = url.protocol === 'https:' ? (await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 692, 23))).default : undefined;
    for (;;) {
        const connection = takeIdle(url.origin) ?? new Connection(url, secure);
        try {
            return await connection.exchange(request, head, sink);
        }
        catch (err) {
            // A kept-alive connection the server had closed: nothing was received, so another is safe.
            if (err instanceof StaleConnectionError)
                continue;
            throw requestError('GET', request.url, err);
        }
    }
}
class StaleConnectionError extends Error {
}
class Connection {
    socket;
    origin;
    free = [];
    allocated = 0;
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
        const host = url.hostname.replace(/^\[|\]$/g, '');
        const onread = { buffer: () => this.nextReadBuffer(), callback: (n, buffer) => this.onRead(n, buffer) };
        if (secure) {
            const options = { host, port: Number(url.port) || 443, onread, ALPNProtocols: ['http/1.1'], ...(external_node_net_default().isIP(host) ? {} : { servername: host }) };
            this.socket = secure.connect(options);
        }
        else {
            this.socket = external_node_net_default().connect({ host, port: Number(url.port) || 80, onread });
        }
        this.socket.setNoDelay(true);
        this.socket.on('timeout', () => this.socket.destroy(idleTimeout(this.idleTimeoutMs)));
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
            clearTimeout(this.idleTimer);
            this.socket.ref();
            this.idleTimeoutMs = request.idleTimeoutMs ?? 60_000;
            this.socket.setTimeout(this.idleTimeoutMs);
            this.socket.write(head);
        });
    }
    nextReadBuffer() {
        const buffer = this.free.pop();
        if (buffer)
            return buffer;
        this.allocated++;
        return Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
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
            if (--holders === 0)
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
        if (this.allocated >= READ_BUFFERS && this.free.length <= 1) {
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
        exchange.resolve({ status: head.status, headers: head.headers, url: exchange.url, body: external_node_stream_namespaceObject.Readable.from(exchange.kept) });
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

;// CONCATENATED MODULE: external "node:http"
const external_node_http_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");
var external_node_http_default = /*#__PURE__*/__nccwpck_require__.n(external_node_http_namespaceObject);
;// CONCATENATED MODULE: ./packages/core/src/http/transport.ts
// HTTP over node:http/https with keep-alive, streaming bodies both ways. Registries on
// loopback are spoken to over plain HTTP (as Docker, crane and skopeo do), other hosts
// only over HTTPS unless listed as insecure.


const httpAgent = new (external_node_http_default()).Agent({ keepAlive: true, maxSockets: 32 });
// TLS is loaded on first use: it is a tenth of an action's start-up, and loopback needs none.
let httpsClient;
const loadHttps = () => (httpsClient ??= Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 708, 23)).then(({ default: https }) => ({ https, agent: new https.Agent({ keepAlive: true, maxSockets: 32 }) })));
function isLoopbackHost(host) {
    const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    return name === 'localhost' || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name);
}
function baseUrl(host, insecureHosts = []) {
    return `${isLoopbackHost(host) || insecureHosts.includes(host) ? 'http' : 'https'}://${host}`;
}
async function send(request) {
    const url = new URL(request.url);
    const { request: open, agent } = url.protocol === 'https:' ? await loadHttps().then((c) => ({ request: c.https.request, agent: c.agent })) : { request: (external_node_http_default()).request, agent: httpAgent };
    return new Promise((resolve, reject) => {
        const req = open(url, { method: request.method, headers: request.headers, agent }, (res) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res, url: request.url }));
        req.setTimeout(request.idleTimeoutMs ?? 60_000, () => req.destroy(idleTimeout(request.idleTimeoutMs ?? 60_000)));
        req.on('error', (err) => reject(requestError(request.method, request.url, err)));
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

;// CONCATENATED MODULE: ./packages/core/src/oci/challenge.ts
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

;// CONCATENATED MODULE: ./packages/core/src/oci/errors.ts

/** A registry's answer that ends an operation: status, the registry's error code and message. */
class RegistryError extends Error {
    operation;
    status;
    code;
    constructor(operation, status, code, detail) {
        super(redact(`${operation}: HTTP ${status}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`));
        this.operation = operation;
        this.status = status;
        this.code = code;
        this.name = 'RegistryError';
    }
}
/** The registry refused an operation to these credentials (401/403 after authenticating). */
class PermissionError extends RegistryError {
    registry;
    constructor(registry, operation, status, code, detail) {
        super(operation, status, code, detail);
        this.registry = registry;
        this.name = 'PermissionError';
    }
}
/** Distribution's error body: {"errors":[{"code":"MANIFEST_UNKNOWN","message":"..."}]}. */
function parseRegistryErrors(body) {
    const text = body.toString('utf8').trim();
    try {
        const json = JSON.parse(text);
        if (Array.isArray(json.errors) && json.errors.length > 0) {
            return {
                code: json.errors[0].code,
                detail: json.errors.map((e) => [e.message, typeof e.detail === 'string' ? e.detail : ''].filter(Boolean).join(' ')).join('; '),
            };
        }
    }
    catch {
        // Not JSON: fall through to the raw text.
    }
    return { detail: text.slice(0, 300) };
}

;// CONCATENATED MODULE: ./packages/core/src/oci/auth.ts
// Registry authentication as Docker does it: an unauthenticated request gets 401 with a
// challenge; for Bearer, a token for the needed scopes comes from the realm (with Basic
// credentials, or anonymously); for Basic, the credentials go on every request. One
// token covers every scope a client declared up front (pull on the source, pull,push on
// the destination, pull on a mount source), so a promotion costs one token request per
// registry. Tokens are cached and refreshed shortly before they expire.
//
// The token service is retried like any other request: a 5xx, a 429 or a dropped
// connection says nothing about the credentials, and only its 401 or 403 blames them.






class AuthenticationError extends Error {
    registry;
    constructor(registry, message) {
        super(redact(message));
        this.registry = registry;
        this.name = 'AuthenticationError';
    }
}
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
            addBasicCredentials(credentials.username, credentials.password);
        else
            addSecret(credentials.password);
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
                throw new AuthenticationError(this.registry, `${this.registry} requires credentials (Basic auth) and none were given`);
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
        if (service)
            url.searchParams.set('service', service);
        for (const scope of this.scopes)
            url.searchParams.append('scope', scope);
        const headers = { Accept: 'application/json' };
        const { username, password } = this.credentials;
        if (username && password) {
            headers.Authorization = this.basic();
            url.searchParams.set('account', username);
        }
        const request = describeRequest('GET', url.toString());
        // Answers that are not a token and not a refusal: the token service's fault, not the credentials'.
        const serviceFault = (status, detail) => new RegistryError(`${this.registry}: the token service (${request})`, status, undefined, detail);
        const body = await withRetry(`${this.registry}: the token service`, async () => {
            const res = await send({ method: 'GET', url: url.toString(), headers });
            const answer = await readBody(res, 1024 * 1024);
            if (res.status === 401 || res.status === 403) {
                const who = username ? `the credentials of user "${username}"` : 'anonymous access';
                throw new AuthenticationError(this.registry, `${this.registry}: the token service (${request}) rejected ${who} (HTTP ${res.status}${prefixed(errorText(answer))})`);
            }
            if (isRetryableStatus(res.status))
                throw new RetryableError(`${request}: HTTP ${res.status}${prefixed(errorText(answer))}`, parseRetryAfter(headerValue(res.headers['retry-after'])));
            if (res.status !== 200)
                throw serviceFault(res.status, errorText(answer));
            return answer;
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
        addSecret(value);
        // The spec's default lifetime is 60 s when expires_in is absent.
        const issuedAt = parsed.issued_at ? Date.parse(parsed.issued_at) : NaN;
        const start = Number.isNaN(issuedAt) ? this.now() : Math.min(issuedAt, this.now());
        const lifetimeMs = (parsed.expires_in ?? 60) * 1000;
        this.token = { value, expiresAt: start + lifetimeMs, renewAt: start + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 4) };
    }
}
function errorText(body) {
    const text = body.toString('utf8').trim();
    if (!text)
        return '';
    try {
        const json = JSON.parse(text);
        return json.errors?.map((e) => e.message).join('; ') ?? json.details ?? json.message ?? '';
    }
    catch {
        return text.slice(0, 200);
    }
}
function prefixed(detail) {
    return detail ? `: ${detail}` : '';
}
function headerValue(value) {
    return Array.isArray(value) ? value[0] : value;
}

;// CONCATENATED MODULE: ./packages/core/src/oci/registry-client.ts
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
    constructor(options) {
        this.registry = options.registry;
        this.base = baseUrl(apiHost(options.registry), options.insecureRegistries);
        this.log = options.log;
        this.retry = options.retry ?? DEFAULT_RETRY;
        this.auth = new RegistryAuth(options.registry, options.credentials ?? {}, options.scopes, { policy: this.retry, onRetry: (m) => this.log.warning(m) });
    }
    /** The manifest's exact bytes, or undefined when the registry does not have it. */
    getManifest(repository, reference) {
        const operation = `GET ${this.registry}/${repository} manifest ${reference}`;
        return this.retrying(operation, async () => {
            const res = await this.request('GET', `/v2/${repository}/manifests/${reference}`, { headers: { Accept: ACCEPT_MANIFESTS }, ok: [200, 404], operation });
            if (res.status === 404) {
                await discardBody(res);
                return undefined;
            }
            const bytes = await readBody(res, 4 * 1024 * 1024);
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
            await discardBody(res);
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
            await discardBody(res);
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
            await discardBody(res);
            return res.status !== 404;
        });
    }
    hasBlob(repository, digest) {
        const operation = `HEAD ${this.registry}/${repository} blob ${digest}`;
        return this.retrying(operation, async () => {
            const res = await this.request('HEAD', `/v2/${repository}/blobs/${digest}`, { ok: [200, 404], operation });
            await discardBody(res);
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
            await discardBody(res);
            if (res.status === 201)
                return true;
            const location = res.headers.location;
            if (location)
                await this.request('DELETE', location, { ok: [204, 200, 404], operation: `cancel upload ${digest}` }).then(discardBody, () => { });
            return false;
        });
    }
    /** Reads a blob into `sink`, following the registry's redirect to its storage; resolves once all of it went through. */
    async readBlob(repository, digest, sink, signal) {
        const operation = `GET ${this.registry}/${repository} blob ${digest}`;
        await this.request('GET', `/v2/${repository}/blobs/${digest}`, { ok: [200], operation, into: { sink, ...(signal ? { signal } : {}) } });
    }
    /** Uploads a blob of known digest and size: POST an upload session, PUT the bytes. */
    async uploadBlob(repository, digest, size, body) {
        const operation = `upload ${digest} to ${this.registry}/${repository}`;
        const start = await this.request('POST', `/v2/${repository}/blobs/uploads/`, { headers: { 'Content-Length': '0' }, ok: [202], operation });
        await discardBody(start);
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
        await discardBody(res);
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
                    await discardBody(res);
                    return { page: [], next: undefined };
                }
                const body = JSON.parse((await readBody(res)).toString('utf8'));
                return { page: body.tags ?? [], next: nextLink(registry_client_headerValue(res.headers.link)) };
            });
            tags.push(...page);
            path = next;
        }
        return tags;
    }
    /**
     * Artifacts whose `subject` is `digest`: the referrers API where the registry has it,
     * else the tag schema fallback (a `sha256-<hex>` tag holding an index of referrers),
     * returned too so a copy can reproduce it.
     */
    referrers(repository, digest) {
        const operation = `referrers of ${this.registry}/${repository}@${digest}`;
        return this.retrying(operation, async () => {
            if (this.referrersApi !== false) {
                const res = await this.request('GET', `/v2/${repository}/referrers/${digest}`, {
                    headers: { Accept: MediaType.OciIndex },
                    ok: [200, 404, 400, 405],
                    operation,
                });
                const contentType = String(res.headers['content-type'] ?? '');
                if (res.status === 200 && contentType.startsWith(MediaType.OciIndex)) {
                    this.referrersApi = true;
                    return { manifests: JSON.parse((await readBody(res)).toString('utf8')).manifests ?? [] };
                }
                await discardBody(res);
                // A registry with the API answers 200 even when nothing refers to the digest.
                this.referrersApi = false;
            }
            const fallbackIndex = await this.getManifest(repository, referrersTag(digest));
            if (!fallbackIndex)
                return { manifests: [] };
            return { manifests: JSON.parse(fallbackIndex.bytes.toString('utf8')).manifests ?? [], fallbackIndex };
        });
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
            const res = await send({ method: 'GET', url: `${this.base}/v2/` });
            await discardBody(res);
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
                ? await getInto({ url, headers, ...(options.into.signal ? { signal: options.into.signal } : {}) }, options.into.sink)
                : await send({ method, url, headers, ...(options.body ? { body: options.body } : {}) });
            this.noteRateLimit(res);
            if (res.status === 401 && attempt === 0) {
                await discardBody(res);
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
                await discardBody(res);
                // Blob storage behind a redirect gets no registry credentials (sameOrigin above).
                url = new URL(res.headers.location, url).toString();
                redirects++;
                continue;
            }
            if (options.ok.includes(res.status))
                return res;
            const errorBody = await readBody(res, 64 * 1024).catch(() => Buffer.alloc(0));
            const { code, detail } = parseRegistryErrors(errorBody);
            if (isRetryableStatus(res.status)) {
                throw new RetryableError(`${describeRequest(method, url)}: HTTP ${res.status}${detail ? `: ${detail}` : ''}`, parseRetryAfter(registry_client_headerValue(res.headers['retry-after'])));
            }
            if (res.status === 401 || res.status === 403) {
                throw new PermissionError(this.registry, options.operation, res.status, code ?? 'DENIED', `${detail || 'access denied'} (the credentials for ${this.registry} lack the permission for this)`);
            }
            throw new RegistryError(options.operation, res.status, code, detail);
        }
    }
    noteRateLimit(res) {
        const remaining = registry_client_headerValue(res.headers['ratelimit-remaining']);
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
function registry_client_headerValue(value) {
    return Array.isArray(value) ? value[0] : value;
}
function sameOrigin(a, b) {
    return new URL(a).origin === new URL(b).origin;
}

;// CONCATENATED MODULE: ./packages/core/src/oci/promote.ts










class PromoteError extends Error {
}
/**
 * Small requests (HEAD checks, manifests, referrer lookups) in flight at once, up to the
 * connection pool's size: each is a round trip, and waiting for them is what a promotion
 * of an image that is mostly there spends its time on.
 */
const CHECKS_IN_FLIGHT = 32;
async function promoteImage(options) {
    const { source, destinations, log } = options;
    if (destinations.length === 0)
        throw new PromoteError('no destination given');
    for (const d of destinations) {
        if (d.digest)
            throw new PromoteError(`destination ${formatReference(d)} has a digest; a destination names a repository and optionally a tag`);
    }
    const concurrency = Math.max(1, options.concurrency ?? 4);
    const clients = createClients(options);
    const src = clients.get(source.registry);
    // Every registry's authentication starts now, side by side; a failure surfaces at that
    // registry's first request, which awaits the same attempt (so nothing awaits it here).
    for (const client of clients.values())
        void awaitedLater(client.authenticate());
    const fetched = await src.getManifest(source.repository, source.digest ?? source.tag ?? 'latest');
    if (!fetched)
        throw new PromoteError(`source ${formatReference(source)} not found in ${source.registry}`);
    log.info(`source ${formatReference(source)} is ${fetched.digest}${source.digest ? '' : ' (resolved once; everything below is fetched by digest)'}`);
    const { root, dropped } = selectRoot(fetched, options.platforms ?? [], options.attestations ?? true);
    const children = childDescriptors(root);
    const platforms = isIndexMediaType(root.mediaType) ? describePlatforms(children) : 'single platform';
    if (dropped.length > 0)
        log.info(`platform filter leaves out ${dropped.length} manifest(s); the destination index is new: ${root.digest}`);
    // Each tree (the image, each referring artifact) is walked once, and only when some
    // destination lacks its top manifest: a registry accepts a manifest only once everything
    // it references is there, so a top manifest present means its whole tree is.
    const walks = new Map();
    const treeOf = (top) => walks.get(top.digest) ?? walks.set(top.digest, walkTree(src, source.repository, top, concurrency)).get(top.digest);
    // Destination repositories, each once, in the order given.
    const repositories = [...new Map(destinations.map((d) => [`${d.registry}/${d.repository}`, d])).values()];
    // Whether each already holds the image is asked while the source's referrers are looked
    // up; the image is walked as soon as one does not.
    const holdsRoot = repositories.map((d) => awaitedLater(clients.get(d.registry).hasManifest(d.repository, root.digest)));
    for (const lookup of holdsRoot) {
        lookup.then((held) => {
            // treeOf caches the walk; whoever needs the tree awaits that same promise.
            if (!held)
                void awaitedLater(treeOf(root));
        }, () => { });
    }
    // Signatures and SBOMs: OCI referrers, and cosign's tags, looked up side by side. A cosign
    // tag about the source index is left out when a platform filter makes a new one.
    const withReferrers = options.referrers ?? true;
    const cosignLookup = withReferrers
        ? awaitedLater(findCosignTags(src, source.repository, [root.digest, ...children.map((c) => c.digest)], CHECKS_IN_FLIGHT))
        : Promise.resolve([]);
    const referrers = withReferrers
        ? await findReferrers(src, source.repository, [fetched.digest, ...children.map((c) => c.digest)], CHECKS_IN_FLIGHT)
        : { manifests: [], fallbackIndexes: new Map() };
    const cosignTags = await cosignLookup;
    if (referrers.manifests.length > 0)
        log.info(`${referrers.manifests.length} artifact(s) refer to the image (signatures, SBOMs): they are promoted too`);
    if (cosignTags.length > 0)
        log.info(`${cosignTags.length} cosign tag(s) hold the image's signatures, attestations or SBOM: ${cosignTags.map((t) => t.tag).join(', ')}; they are promoted too`);
    const result = {
        sourceDigest: fetched.digest,
        digest: root.digest,
        mediaType: root.mediaType,
        platforms,
        refs: [],
        previousDigests: {},
        unchangedTags: [],
        blobs: [],
        blobsCopied: 0,
        blobsMounted: 0,
        blobsSkipped: 0,
        bytesCopied: 0,
        manifestsPushed: 0,
        manifestsSkipped: 0,
        dryRun: options.dryRun ?? false,
    };
    const tops = [...new Map([root, ...referrers.manifests, ...cosignTags.map((t) => t.manifest)].map((m) => [m.digest, m])).values()];
    const tagsBefore = new Map();
    // Where each blob is already known to be, per registry: a later repository mounts from it.
    const holders = new Map();
    const holderKey = (registry, digest) => `${registry}|${digest}`;
    for (const [index, dest] of repositories.entries()) {
        const client = clients.get(dest.registry);
        const where = `${dest.registry}/${dest.repository}`;
        const present = [await holdsRoot[index], ...(await mapLimit(referrers.manifests, CHECKS_IN_FLIGHT, (t) => client.hasManifest(dest.repository, t.digest)))];
        const trees = await Promise.all(tops.filter((_, i) => !present[i]).map(treeOf));
        result.manifestsSkipped += present.filter(Boolean).length;
        if (trees.length === 0) {
            log.info(`${where} already holds the image${referrers.manifests.length > 0 ? ' and every artifact referring to it' : ''}`);
        }
        const blobs = [...new Map(trees.flatMap((t) => t.blobs).map((b) => [b.digest, b])).values()];
        if (blobs.length > 0)
            log.info(`${where}: ${blobs.length} blob(s) to check, ${formatBytes(sum(blobs))}`);
        for (const b of blobs)
            if (!holders.has(holderKey(dest.registry, b.digest)) && dest.registry === source.registry)
                holders.set(holderKey(dest.registry, b.digest), source.repository);
        // Whether the manifests under each top are there already is asked during the copy.
        const innerHeld = new Map();
        for (const tree of trees) {
            for (const manifest of tree.manifests.slice(0, -1)) {
                if (!innerHeld.has(manifest.digest))
                    innerHeld.set(manifest.digest, awaitedLater(client.hasManifest(dest.repository, manifest.digest)));
            }
        }
        // Every blob is checked at once, largest first, and each one missing starts moving as
        // soon as its check answers, so the copy begins one round trip after the plan does.
        const progress = new TransferProgress(`copying to ${where}`, log);
        const moving = limiter(concurrency);
        const moves = [];
        const byLargest = [...blobs].sort((a, b) => b.size - a.size);
        const plan = await mapLimit(byLargest, CHECKS_IN_FLIGHT, async (blob) => {
            const exists = await client.hasBlob(dest.repository, blob.digest);
            const from = exists ? undefined : holders.get(holderKey(dest.registry, blob.digest));
            const planned = { destination: where, digest: blob.digest, size: blob.size, action: exists ? 'skip' : from ? 'mount' : 'copy' };
            log.info(`${options.dryRun ? 'would ' : ''}${planned.action} ${shortDigest(blob.digest)} (${formatBytes(blob.size)})${from ? ` from ${from}` : ''} -> ${where}`);
            if (planned.action !== 'skip' && !options.dryRun) {
                progress.expect(planned.action === 'copy' ? blob.size : 0);
                const move = moving(async () => {
                    if (from && (await client.mountBlob(dest.repository, blob.digest, from))) {
                        result.blobsMounted++;
                        progress.finished();
                        return;
                    }
                    if (from) {
                        log.info(`${dest.registry} declined to mount ${shortDigest(blob.digest)}; streaming it`);
                        progress.expect(blob.size, 0);
                    }
                    await streamBlob({ client: src, repository: source.repository }, { client, repository: dest.repository }, blob, progress);
                    result.blobsCopied++;
                    result.bytesCopied += blob.size;
                });
                moves.push(awaitedLater(move));
            }
            return planned;
        }).catch(async (err) => {
            await Promise.allSettled(moves); // nothing left running behind the failure
            throw err;
        });
        result.blobs.push(...plan);
        await Promise.all(moves);
        if (moves.length > 0)
            progress.report();
        result.blobsSkipped += plan.filter((p) => p.action === 'skip').length;
        for (const b of blobs)
            holders.set(holderKey(dest.registry, b.digest), dest.repository);
        // What each tag of this repository points at now, read while the manifests go up by
        // digest (which moves no tag).
        for (const d of destinations) {
            if (d.tag && d.registry === dest.registry && d.repository === dest.repository)
                tagsBefore.set(d, awaitedLater(client.resolveDigest(d.repository, d.tag)));
        }
        const indexedByApi = new Set();
        // Manifests children first, by digest: nothing is tagged yet. A level's manifests list
        // only blobs and manifests of earlier levels, so each level goes at once.
        for (const tree of trees) {
            for (const level of manifestLevels(tree)) {
                await mapLimit(level, CHECKS_IN_FLIGHT, async (manifest) => {
                    if (manifest !== tree.top && (await innerHeld.get(manifest.digest))) {
                        result.manifestsSkipped++;
                        return;
                    }
                    if (!options.dryRun && (await client.putManifest(dest.repository, manifest.digest, manifest))) {
                        const subject = subjectOf(manifest);
                        if (subject)
                            indexedByApi.add(subject);
                    }
                    result.manifestsPushed++;
                });
            }
        }
        // A destination without the referrers API finds artifacts through the fallback tag; one
        // that indexed the subject (it said so with OCI-Subject) needs no tag.
        for (const [subject, index] of referrers.fallbackIndexes) {
            if (indexedByApi.has(subject))
                continue;
            const tag = referrersTag(subject);
            const merged = mergeReferrerIndex(index, await client.getManifest(dest.repository, tag));
            if (merged && !options.dryRun)
                await client.putManifest(dest.repository, tag, merged);
        }
        // cosign's tags go before the image's own, so whoever verifies finds the signatures as soon
        // as the image is tagged. One already there with other contents (signed at the
        // destination too) is left as it is: cosign keeps every signature in that one manifest.
        await mapLimit(cosignTags, CHECKS_IN_FLIGHT, async ({ tag, manifest }) => {
            const current = await client.resolveDigest(dest.repository, tag);
            if (current === manifest.digest)
                return;
            if (current) {
                log.warning(`${where}:${tag} already holds other contents (${shortDigest(current)}); it is left as it is, without the source's ${shortDigest(manifest.digest)}`);
                return;
            }
            if (!options.dryRun)
                await client.putManifest(dest.repository, tag, manifest);
            log.info(`${options.dryRun ? 'would tag' : 'tagged'} ${where}:${tag} -> ${shortDigest(manifest.digest)}`);
        });
    }
    // Tags last, once every repository holds the whole image.
    for (const dest of destinations) {
        const client = clients.get(dest.registry);
        const ref = dest.tag ? `${dest.registry}/${dest.repository}:${dest.tag}` : `${dest.registry}/${dest.repository}@${root.digest}`;
        result.refs.push(ref);
        if (!dest.tag)
            continue;
        const previous = (await tagsBefore.get(dest)) ?? '';
        result.previousDigests[ref] = previous;
        if (previous === root.digest) {
            result.unchangedTags.push(ref);
            log.info(`${ref} already points at ${shortDigest(previous)}`);
            continue;
        }
        if (!options.dryRun)
            await client.putManifest(dest.repository, dest.tag, root);
        log.info(`${options.dryRun ? 'would tag' : 'tagged'} ${ref} -> ${shortDigest(root.digest)}${previous ? ` (was ${shortDigest(previous)})` : ''}`);
    }
    const limits = [...clients.values()].map((c) => c.rateLimitRemaining).filter(Boolean);
    if (limits.length > 0)
        result.rateLimitRemaining = limits.join(', ');
    return result;
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
        const isDestination = options.destinations.some((d) => d.registry === registry);
        const credentials = isDestination ? (options.destinationCredentials ?? options.sourceCredentials) : options.sourceCredentials;
        clients.set(registry, new RegistryClient({
            registry,
            scopes: [...set],
            log: options.log,
            ...(credentials ? { credentials } : {}),
            ...(options.insecureRegistries ? { insecureRegistries: options.insecureRegistries } : {}),
            ...(options.retry ? { retry: options.retry } : {}),
        }));
    }
    return clients;
}
function sum(items) {
    return items.reduce((n, b) => n + b.size, 0);
}

;// CONCATENATED MODULE: ./packages/core/src/dockerhub/description.ts
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
class DockerHubError extends Error {
    refusedCredentials;
    constructor(message, 
    /** Docker Hub refused the credentials, or what they may do: the fix is in the credential inputs. */
    refusedCredentials = false) {
        super(redact(message));
        this.refusedCredentials = refusedCredentials;
        this.name = 'DockerHubError';
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
        addSecret(password);
    }
    /** Logs in; done before a promotion so bad credentials fail before anything moves. */
    async login() {
        const res = await this.call('POST', '/v2/auth/token', { identifier: this.username, secret: this.password }, false);
        const token = res.json.access_token;
        if (!token)
            throw new DockerHubError(`${this.apiUrl}: the token response has no access_token`);
        addSecret(token);
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
        const request = describeRequest(method, `${this.apiUrl}${path}`);
        return withRetry('Docker Hub API', async () => {
            const bytes = Buffer.from(JSON.stringify(body));
            const headers = { 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': String(bytes.length) };
            if (authenticated)
                headers.Authorization = `Bearer ${this.token}`;
            const res = await send({ method, url: `${this.apiUrl}${path}`, headers, body: bytes });
            const text = (await readBody(res, 1024 * 1024)).toString('utf8');
            if (isRetryableStatus(res.status))
                throw new RetryableError(`${request}: HTTP ${res.status}${detail(text)}`, parseRetryAfter(res.headers['retry-after']));
            if (res.status === 401 && !authenticated)
                throw new DockerHubError(`Docker Hub rejected the credentials of user "${this.username}" (HTTP 401${detail(text)})`, true);
            if (res.status === 401 || res.status === 403) {
                throw new DockerHubError(`${request}: HTTP ${res.status}${detail(text)}; the user "${this.username}" needs admin rights on the repository and a password or an access token with read/write/delete scope`, true);
            }
            if (res.status === 404)
                throw new DockerHubError(`${request}: HTTP 404; the repository does not exist on Docker Hub`);
            if (res.status < 200 || res.status >= 300)
                throw new DockerHubError(`${request}: HTTP ${res.status}${detail(text)}`);
            return { status: res.status, json: text ? JSON.parse(text) : {} };
        }, { policy: this.retry, onRetry: (m) => this.log.warning(m) });
    }
}
function detail(text) {
    try {
        const json = JSON.parse(text);
        const message = json.message ?? json.detail;
        return message ? `: ${message}` : '';
    }
    catch {
        return text ? `: ${text.slice(0, 200)}` : '';
    }
}

;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
var external_node_path_default = /*#__PURE__*/__nccwpck_require__.n(external_node_path_namespaceObject);
;// CONCATENATED MODULE: ./packages/core/src/dockerhub/readme-urls.ts
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

;// CONCATENATED MODULE: ./packages/core/src/util/workspace-path.ts
// Paths an input or the configuration names are read only inside the workspace, and only as
// regular files and directories: `/proc/self/environ` as a README would publish the step's
// secrets, `/dev/zero` would fill the memory, a FIFO would block the step for ever. Each path
// is resolved with its symlinks first, so a link in the checkout cannot point the read
// elsewhere, and a file is read with a size bound, from the very file that was checked.



/** A path refused, with what was given, what it resolved to and what was expected; the caller names the input or key. */
class WorkspacePathError extends Error {
    given;
    constructor(given, message) {
        super(message);
        this.given = given;
        this.name = 'WorkspacePathError';
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
    return {
        source,
        destinations,
        sourceCredentials: credentialsInput('source'),
        destinationCredentials: credentialsInput('destination'),
        platforms,
        attestations: booleanInput('attestations', true),
        referrers: booleanInput('referrers', true),
        concurrency: integerInput('concurrency', 4, { min: 1, max: 32 }),
        dryRun: booleanInput('dry-run', false),
        insecureRegistries: addressListInput('insecure-registries', 'url'),
        retry: retryPolicyInput(),
    };
}
/** The optional Docker Hub description update; undefined when neither text is asked for. */
function readDescriptionInputs(promote) {
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
    const { username = '', password = '' } = hubCredentials ?? promote.destinationCredentials ?? {};
    if (!username)
        throw new InputError('dockerhub-username', 'is required to update the Docker Hub description (or destination-username, when those credentials may edit it)');
    return {
        apiUrl: (addressInput('dockerhub-api-url', 'url') || DOCKER_HUB_API).replace(/\/+$/, ''),
        update,
        username,
        password,
        credentialInputs: hubCredentials ? 'dockerhub-username/dockerhub-password' : 'destination-username/destination-password',
        required: booleanInput('dockerhub-description-required', false),
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
        const inputs = readPromoteInputs();
        try {
            await promote(inputs);
        }
        catch (err) {
            throw attributeToInputs(err, inputs);
        }
    });
}
/** A refused login or permission names the credential inputs of the registry that refused. */
function attributeToInputs(err, inputs) {
    if (!(err instanceof AuthenticationError) && !(err instanceof PermissionError))
        return err;
    const sides = [
        ...(err.registry === inputs.source.registry ? ['source'] : []),
        ...(inputs.destinations.some((d) => d.registry === err.registry) ? ['destination'] : []),
    ];
    if (sides.length === 0)
        return err;
    return new InputError(sides.map((s) => `${s}-username/${s}-password`).join(', '), err.message);
}
async function promote(inputs) {
    const description = readDescriptionInputs(inputs);
    let hub;
    if (description) {
        hub = new DockerHubClient(description.apiUrl, description.username, description.password, actionLog, inputs.retry);
        // Bad Docker Hub credentials fail the step before any blob moves.
        if (!inputs.dryRun)
            await namingCredentials(description, () => hub.login());
    }
    const title = `${inputs.dryRun ? 'Plan' : 'Promote'} ${formatReference(inputs.source)} -> ${inputs.destinations.map(formatReference).join(', ')}`;
    const result = await group(title, () => promoteImage({ ...inputs, log: actionLog }));
    if (result.rateLimitRemaining)
        info(`Docker Hub rate limit remaining: ${result.rateLimitRemaining}`);
    const described = hub && description && !inputs.dryRun
        ? await group(`Docker Hub description of ${description.update.repository}`, () => updateDescription(hub, description))
        : undefined;
    setOutputs({ ...promoteOutputs(result), 'description-updated': String(described?.updated ?? false) });
    await main_summary(result, description && described ? { repository: description.update.repository, ...described } : undefined);
}
async function namingCredentials(description, work) {
    try {
        return await work();
    }
    catch (err) {
        throw err instanceof DockerHubError && err.refusedCredentials ? new InputError(description.credentialInputs, err.message) : err;
    }
}
/**
 * The images are promoted by now: a description Docker Hub refuses is cosmetic, and failing
 * the step would hold up what follows it (cleanup) for it. It warns, unless
 * dockerhub-description-required says the description matters as much as the images.
 */
async function updateDescription(hub, description) {
    try {
        await namingCredentials(description, () => hub.updateDescription(description.update));
        return { updated: true };
    }
    catch (err) {
        if (description.required)
            throw err;
        const problem = err.message;
        warning(`the images are promoted, but the Docker Hub description of ${description.update.repository} was not updated: ${problem} (dockerhub-description-required: true fails the step instead)`);
        return { updated: false, problem };
    }
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
}

;// CONCATENATED MODULE: ./actions/promote-image/index.ts
// Bundle entry (dist/promote-image/index.js).

void run();


//# sourceMappingURL=index.js.map