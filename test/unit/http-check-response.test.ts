// checkResponse's two pure halves, over each vendor's answers: what an error body says
// (parseErrorBody) and whether, and after how long, another attempt may help (retryAdvice).
// The shapes are the vendors' own, as cited in packages/publishing/src/http/check-response.ts.
import { parseErrorBody, RATE_LIMIT_FALLBACK_MS, retryAdvice, statusError, type RetryAdvice } from '@ci-actions/publishing/http/check-response.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const SECONDARY = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';

describe('parseErrorBody', () => {
  test.each<[string, string, { code?: string; message: string }]>([
    // OCI distribution-spec, "Error Codes"
    [
      'OCI: the first code, every message with its detail string',
      JSON.stringify({
        errors: [
          { code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { Tag: 'v1' } },
          { code: 'NAME_UNKNOWN', message: 'repository name not known to registry', detail: 'acme/app' },
        ],
      }),
      { code: 'MANIFEST_UNKNOWN', message: 'manifest unknown; repository name not known to registry acme/app' },
    ],
    [
      'OCI: DENIED from GHCR',
      '{"errors":[{"code":"DENIED","message":"permission_denied: write_package"}]}',
      { code: 'DENIED', message: 'permission_denied: write_package' },
    ],
    // distribution's token server and auth.docker.io
    [
      "a token service's errors beside Docker Hub's details, saying the same: said once, the code kept",
      '{"errors":[{"code":"UNAUTHORIZED","message":"incorrect username or password"}],"details":"incorrect username or password"}',
      { code: 'UNAUTHORIZED', message: 'incorrect username or password' },
    ],
    ["Docker Hub's token service", '{"details":"incorrect username or password"}', { message: 'incorrect username or password' }],
    // Docker Hub API reference, ErrorResponse
    ["Docker Hub's API", '{"errinfo":{},"message":"Incorrect authentication credentials"}', { message: 'Incorrect authentication credentials' }],
    ["Docker Hub's API, detail", '{"detail":"Object not found"}', { message: 'Object not found' }],
    // Central Portal, api-doc
    ['Central Portal, error object', '{"error":{"message":"Invalid publishing type"}}', { message: 'Invalid publishing type' }],
    ['Central Portal, error string', '{"error":"Deployment not found"}', { message: 'Deployment not found' }],
    // GitHub, "Troubleshooting the REST API" and "Client errors"
    ['GitHub', '{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}', { message: 'Not Found' }],
    [
      'GitHub, a 422 with field errors',
      '{"message":"Validation Failed","errors":[{"resource":"Issue","field":"title","code":"missing_field"}]}',
      { code: 'missing_field', message: 'Validation Failed (Issue.title: missing_field)' },
    ],
    ['plain text', '  upstream connect error  \n', { message: 'upstream connect error' }],
    ['an HTML page, shortened', `<html>${'x'.repeat(400)}</html>`, { message: `<html>${'x'.repeat(294)}...` }],
    ['JSON of no known shape is quoted', '{"oops":true}', { message: '{"oops":true}' }],
    ['a JSON string is quoted', '"just text"', { message: '"just text"' }],
    ['empty', '', { message: '' }],
  ])('%s', (_name, body, expected) => {
    expect(parseErrorBody(body)).toEqual(expected);
  });
});

describe('retryAdvice', () => {
  const reset = (seconds: number) => String(NOW / 1000 + seconds);
  test.each<[string, number, Record<string, string>, string, RetryAdvice]>([
    // Every vendor: server errors and timeouts back off, or wait as asked
    ['503 backs off', 503, {}, '', { retryable: true }],
    ['503 with Retry-After waits as asked', 503, { 'retry-after': '1' }, '', { retryable: true, waitMs: 1000 }],
    ['502 from a proxy', 502, {}, '', { retryable: true }],
    ['408', 408, {}, '', { retryable: true }],
    ['501 is an answer', 501, {}, '', { retryable: false }],
    ['505 is an answer', 505, {}, '', { retryable: false }],
    ['400', 400, {}, 'bad', { retryable: false }],
    ['404, whatever its Retry-After', 404, { 'retry-after': '1' }, 'Not Found', { retryable: false }],
    ['401', 401, {}, 'unauthorized', { retryable: false }],
    // Rate limits (GitHub's "Rate limits for the REST API"; registries' and Docker Hub's 429)
    ['429 with Retry-After (a registry, Docker Hub, the portal)', 429, { 'retry-after': '2' }, '', { retryable: true, waitMs: 2000 }],
    ['429 with an HTTP-date Retry-After', 429, { 'retry-after': new Date(NOW + 5000).toUTCString() }, '', { retryable: true, waitMs: 5000 }],
    ['429 without headers or message: at least a minute', 429, {}, '', { retryable: true, waitMs: RATE_LIMIT_FALLBACK_MS, fallback: true }],
    ['GitHub secondary limit, 403 with retry-after', 403, { 'retry-after': '30' }, SECONDARY, { retryable: true, waitMs: 30_000 }],
    ['GitHub secondary limit, 403 without headers: at least a minute', 403, {}, SECONDARY, { retryable: true, waitMs: RATE_LIMIT_FALLBACK_MS, fallback: true }],
    [
      'GitHub primary limit exhausted: until the reset',
      403,
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset(90) },
      'API rate limit exceeded for installation ID 1.',
      { retryable: true, waitMs: 90_000 },
    ],
    [
      'GitHub primary limit already reset',
      403,
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset(-5) },
      'API rate limit exceeded',
      { retryable: true, waitMs: 0 },
    ],
    [
      'Retry-After wins over the reset',
      429,
      { 'retry-after': '3', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset(600) },
      SECONDARY,
      { retryable: true, waitMs: 3000 },
    ],
    [
      'a permission 403 is not a rate limit',
      403,
      { 'x-ratelimit-remaining': '4999', 'x-accepted-github-permissions': 'packages=write' },
      'Resource not accessible by integration',
      { retryable: false },
    ],
    ["a registry's DENIED 403", 403, {}, 'requested access to the resource is denied', { retryable: false }],
  ])('%s', (_name, status, headers, message, expected) => {
    expect(retryAdvice(status, headers, message, NOW)).toEqual(expected);
  });
});

describe('statusError', () => {
  test('names the request without its query, the status and the message; a retryable one carries the wait', () => {
    const err = statusError(
      'GET',
      'https://ghcr.io/v2/acme/app/blobs/sha256:ab?token=secret',
      429,
      { 'retry-after': '4' },
      '{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}',
      NOW,
    );
    expect(err.message).toBe('GET https://ghcr.io/v2/acme/app/blobs/sha256:ab: HTTP 429: slow down');
    expect(err).toMatchObject({ status: 429, retryable: true, retryAfterMs: 4000, body: { code: 'TOOMANYREQUESTS', message: 'slow down' } });
  });

  test('without a body the message is the status alone', () => {
    const err = statusError('DELETE', 'https://central.sonatype.com/api/v1/publisher/deployment/1', 400, {}, '', NOW);
    expect(err.message).toBe('DELETE https://central.sonatype.com/api/v1/publisher/deployment/1: HTTP 400');
    expect(err.retryable).toBe(false);
  });
});
