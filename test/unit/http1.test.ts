import { bodyDecoder, headEnd, HttpProtocolError, parseResponseHead, type Framing } from '@ci-actions/publishing/http/http1.js';

const head = (...lines: string[]) => lines.join('\r\n');

describe('parseResponseHead', () => {
  it.each([
    ['Content-Length', head('HTTP/1.1 200 OK', 'Content-Length: 12'), 'GET', { kind: 'length', length: 12 }, true],
    ['repeated equal Content-Length', head('HTTP/1.1 200 OK', 'Content-Length: 7', 'content-length: 7'), 'GET', { kind: 'length', length: 7 }, true],
    ['chunked wins over Content-Length', head('HTTP/1.1 200 OK', 'Transfer-Encoding: chunked', 'Content-Length: 5'), 'GET', { kind: 'chunked' }, true],
    ['a coding other than chunked last: read to close', head('HTTP/1.1 200 OK', 'Transfer-Encoding: gzip'), 'GET', { kind: 'close' }, false],
    ['no length at all: read to close', head('HTTP/1.1 200 OK'), 'GET', { kind: 'close' }, false],
    ['204 has no body', head('HTTP/1.1 204 No Content'), 'GET', { kind: 'length', length: 0 }, true],
    ['304 has no body', head('HTTP/1.1 304 Not Modified', 'Content-Length: 99'), 'GET', { kind: 'length', length: 0 }, true],
    ['HEAD has no body', head('HTTP/1.1 200 OK', 'Content-Length: 99'), 'HEAD', { kind: 'length', length: 0 }, true],
    ['Connection: close', head('HTTP/1.1 307 Temporary Redirect', 'Connection: close', 'Content-Length: 0'), 'GET', { kind: 'length', length: 0 }, false],
    ['HTTP/1.0 closes by default', head('HTTP/1.0 200 OK', 'Content-Length: 3'), 'GET', { kind: 'length', length: 3 }, false],
    ['HTTP/1.0 with keep-alive', head('HTTP/1.0 200 OK', 'Connection: Keep-Alive', 'Content-Length: 3'), 'GET', { kind: 'length', length: 3 }, true],
  ] as [string, string, string, Framing, boolean][])('%s', (_name, text, method, framing, keepAlive) => {
    const parsed = parseResponseHead(text, method);
    expect(parsed.framing).toEqual(framing);
    expect(parsed.keepAlive).toBe(keepAlive);
  });

  it('reads the status and the header fields, names lower-cased, repeats joined', () => {
    const parsed = parseResponseHead(
      head(
        'HTTP/1.1 307 Temporary Redirect',
        'Location: https://cdn.example/blob?sig=a%20b',
        'Set-Cookie: a=1',
        'Set-Cookie: b=2',
        'Link: <a>',
        'Link: <b>',
        'Content-Length: 0',
      ),
      'GET',
    );
    expect(parsed.status).toBe(307);
    expect(parsed.headers.location).toBe('https://cdn.example/blob?sig=a%20b');
    expect(parsed.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(parsed.headers.link).toBe('<a>, <b>');
  });

  it.each([
    ['not HTTP', 'SSH-2.0-OpenSSH_9.6'],
    ['HTTP/2 status line', 'HTTP/2 200'],
    ['a status that is not three digits', 'HTTP/1.1 20 OK'],
    ['a line without a colon', head('HTTP/1.1 200 OK', 'Content-Length 5')],
    ['a folded header line', head('HTTP/1.1 200 OK', 'X-A: 1', ' continued')],
    ['a name with a space', head('HTTP/1.1 200 OK', 'Content Length: 5')],
    ['conflicting Content-Length', head('HTTP/1.1 200 OK', 'Content-Length: 5', 'Content-Length: 6')],
    ['a negative Content-Length', head('HTTP/1.1 200 OK', 'Content-Length: -1')],
    ['a Content-Length that is not a number', head('HTTP/1.1 200 OK', 'Content-Length: 5x')],
  ])('refuses %s', (_name, text) => {
    expect(() => parseResponseHead(text, 'GET')).toThrow(HttpProtocolError);
  });

  it('finds the end of the head only once the blank line is complete', () => {
    expect(headEnd(Buffer.from('HTTP/1.1 200 OK\r\nA: b\r\n\r'))).toBe(-1);
    expect(headEnd(Buffer.from('HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody'))).toBe(25);
  });
});

/** Feeds `wire` to a decoder cut at every split point, as reads may cut it anywhere. */
function decodeSplit(framing: Framing, wire: Buffer, at: number): { body: string; used: number; complete: boolean } {
  const decoder = bodyDecoder(framing);
  const pieces: Buffer[] = [];
  let used = 0;
  for (const part of [wire.subarray(0, at), wire.subarray(at)]) {
    if (decoder.complete) break;
    used += decoder.feed(part, (p) => pieces.push(Buffer.from(p)));
  }
  return { body: Buffer.concat(pieces).toString('latin1'), used, complete: decoder.complete };
}

describe('body decoders', () => {
  it.each([
    ['Content-Length, then the next response', { kind: 'length', length: 5 }, 'hello' + 'HTTP/1.1', 'hello', 5],
    ['chunked with an extension and trailers', { kind: 'chunked' }, '5;name=x\r\nhello\r\n7\r\n, world\r\n0\r\nDigest: x\r\n\r\n', 'hello, world', 45],
    ['chunked with upper-case hex', { kind: 'chunked' }, 'A\r\n0123456789\r\n0\r\n\r\n', '0123456789', 20],
    ['an empty chunked body', { kind: 'chunked' }, '0\r\n\r\n', '', 5],
  ] as [string, Framing, string, string, number][])('%s, cut at every point', (_name, framing, wire, body, used) => {
    const bytes = Buffer.from(wire, 'latin1');
    for (let at = 0; at <= bytes.length; at++) {
      expect(decodeSplit(framing, bytes, at)).toEqual({ body, used, complete: true });
    }
  });

  it.each([
    ['a chunk size that is not hex', '5x\r\nhello\r\n0\r\n\r\n'],
    ['chunk data longer than its size', '3\r\nhello\r\n0\r\n\r\n'],
    ['a bare LF ending a size line', '5\nhello\r\n0\r\n\r\n'],
  ])('chunked: refuses %s', (_name, wire) => {
    const decoder = bodyDecoder({ kind: 'chunked' });
    expect(() => decoder.feed(Buffer.from(wire), () => {})).toThrow(HttpProtocolError);
  });

  it('a body cut short by the connection is a reset, so it is retried', () => {
    const length = bodyDecoder({ kind: 'length', length: 10 });
    length.feed(Buffer.from('12345'), () => {});
    expect(() => length.end()).toThrow(expect.objectContaining({ code: 'ECONNRESET', message: expect.stringContaining('5 byte(s) of the body missing') }));
    const chunked = bodyDecoder({ kind: 'chunked' });
    chunked.feed(Buffer.from('5\r\nhel'), () => {});
    expect(() => chunked.end()).toThrow(expect.objectContaining({ code: 'ECONNRESET' }));
  });

  it('a close-delimited body completes when the connection ends', () => {
    const decoder = bodyDecoder({ kind: 'close' });
    const pieces: string[] = [];
    decoder.feed(Buffer.from('abc'), (p) => pieces.push(p.toString()));
    expect(decoder.complete).toBe(false);
    decoder.end();
    expect(decoder.complete).toBe(true);
    expect(pieces).toEqual(['abc']);
  });
});
