// The multipart/form-data writer the Central Portal upload uses (maven/multipart.ts), read
// back by an independent parser (undici's, behind Response.formData()) for generated field
// names, file names and contents: contents holding the boundary itself, its delimiter, CRLFs
// and dashes, names in any script. The part that comes back is the part written.
import fc from 'fast-check';
import { multipartFile } from '@ci-actions/publishing/maven/multipart.js';

const RUNS = 300;
const FIXED = 'ci-actions-0123456789abcdef01234567';

/**
 * Names as a form field or file may have them, quotes and line breaks included (escaped as
 * %22, %0D, %0A); but not those escapes written out, which the encoding cannot tell apart.
 */
const name = fc
  .array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.constantFrom('"', '\r', '\n', '\r\n', '%', ' ')), { minLength: 1, maxLength: 6 })
  .map((pieces) => pieces.join(''))
  .filter((s) => s.length > 0 && !/%(22|0D|0A)/i.test(s));

/** Content built from pieces that confuse a multipart reader: the boundary, its delimiters, CRLFs, dashes, and random bytes. */
const content = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc
        .constantFrom(FIXED, `--${FIXED}`, `\r\n--${FIXED}`, `\r\n--${FIXED}--\r\n`, '\r\n', '--', '\r\n\r\n', 'Content-Disposition: form-data; name="x"')
        .map((s) => Buffer.from(s)),
    ),
    { maxLength: 12 },
  )
  .map((pieces) => new Uint8Array(Buffer.concat(pieces)));

/** What an independent parser reads from a body: each entry's field, file name, type and bytes. */
async function parsed(body: Buffer, contentType: string) {
  const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  return Promise.all(
    [...form.entries()].map(async ([field, value]) => {
      if (typeof value === 'string') return { field, value };
      return { field, filename: value.name, contentType: value.type, content: new Uint8Array(await value.arrayBuffer()) };
    }),
  );
}

describe('multipart/form-data writer', () => {
  test('any field, file name and content reads back as the one part written', async () => {
    await fc.assert(
      fc.asyncProperty(name, name, content, fc.boolean(), async (field, filename, bytes, collide) => {
        // The first boundary drawn is one the content holds, when asked: the writer must draw again.
        const drawn = collide ? [FIXED, 'ci-actions-second'] : ['ci-actions-second'];
        const { body, contentType } = multipartFile(
          { field, filename, contentType: 'application/octet-stream', content: bytes },
          () => drawn.shift() ?? 'ci-actions-spare',
        );
        expect(await parsed(body, contentType)).toEqual([{ field, filename, contentType: 'application/octet-stream', content: bytes }]);
      }),
      { numRuns: RUNS },
    );
  });

  test('content holding the first boundary drawn is written with another', () => {
    const bytes = Buffer.from(`before\r\n--${FIXED}\r\nafter`);
    const { contentType } = multipartFile(
      { field: 'bundle', filename: 'b.zip', contentType: 'application/zip', content: bytes },
      (() => {
        const drawn = [FIXED, 'ci-actions-second'];
        return () => drawn.shift()!;
      })(),
    );
    expect(contentType).toBe('multipart/form-data; boundary=ci-actions-second');
  });

  test('a quote or line break in a name is escaped as browsers do, and read back as it was', async () => {
    const { body, contentType } = multipartFile({ field: 'a"b', filename: 'x\r\ny.zip', contentType: 'application/zip', content: new Uint8Array([1]) });
    expect(body.toString('latin1')).toContain('name="a%22b"; filename="x%0D%0Ay.zip"');
    expect(await parsed(body, contentType)).toEqual([{ field: 'a"b', filename: 'x\r\ny.zip', contentType: 'application/zip', content: new Uint8Array([1]) }]);
  });
});
