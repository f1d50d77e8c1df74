// The upload's body before its request exists: a blob's GET goes out beside the upload
// session's POST, so the first pieces can arrive before there is a request to write them
// to. They must reach it whole and in order, their memory given back only once written,
// and a failure on either side must end the upload, never complete it.
import { Writable } from 'node:stream';
import { UploadBody } from '@ci-actions/publishing/oci/blob-transfer.js';

function request(): { stream: Writable; received: Buffer[]; ended: () => boolean; destroyed: () => Error | null } {
  const received: Buffer[] = [];
  let ended = false;
  let error: Error | null = null;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      received.push(Buffer.from(chunk));
      callback();
    },
    final(callback) {
      ended = true;
      callback();
    },
    destroy(err, callback) {
      error = err;
      callback(err);
    },
  });
  stream.on('error', () => {});
  return { stream, received, ended: () => ended, destroyed: () => error };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('UploadBody', () => {
  test('pieces written before the request exists reach it in order, each released only once written', async () => {
    const body = new UploadBody();
    const released: number[] = [];
    body.write(Buffer.from('ab'), () => released.push(1));
    body.write(Buffer.from('cd'), () => released.push(2));
    await settle();
    expect(released).toEqual([]);
    const req = request();
    body.open(req.stream);
    body.write(Buffer.from('ef'), () => released.push(3));
    body.end();
    await settle();
    expect(Buffer.concat(req.received).toString()).toBe('abcdef');
    expect(released).toEqual([1, 2, 3]);
    expect(req.ended()).toBe(true);
  });

  test.each([
    ['open before the end', true],
    ['the end before open', false],
  ])('says the body went out only once the request has written it whole (%s)', async (_name, openFirst) => {
    let sent = 0;
    const body = new UploadBody(() => sent++);
    const req = request();
    if (openFirst) body.open(req.stream);
    body.write(Buffer.from('whole'), () => {});
    await settle();
    expect(sent).toBe(0);
    body.end();
    if (!openFirst) {
      await settle();
      expect(sent).toBe(0);
      body.open(req.stream);
    }
    await settle();
    expect(req.ended()).toBe(true);
    expect(sent).toBe(1);
  });

  test('a source that ended before the request exists ends it once it opens, after its pieces', async () => {
    const body = new UploadBody();
    body.write(Buffer.from('whole'), () => {});
    body.end();
    const req = request();
    body.open(req.stream);
    await settle();
    expect(Buffer.concat(req.received).toString()).toBe('whole');
    expect(req.ended()).toBe(true);
  });

  test('a source that failed before the request exists destroys it as it opens: the upload is never completed', async () => {
    const body = new UploadBody();
    body.write(Buffer.from('part'), () => {});
    body.fail(new Error('digest mismatch'));
    const req = request();
    body.open(req.stream);
    await settle();
    expect(req.destroyed()?.message).toBe('digest mismatch');
    expect(req.received).toEqual([]);
    expect(req.ended()).toBe(false);
  });

  test('a failure after the request opened destroys it', async () => {
    const body = new UploadBody();
    const req = request();
    body.open(req.stream);
    body.write(Buffer.from('x'), () => {});
    body.fail(new Error('source went away'));
    await settle();
    expect(req.destroyed()?.message).toBe('source went away');
    expect(req.ended()).toBe(false);
  });
});
