// The pom reader (maven/xml.ts), kept instead of an XML library, fuzzed:
//   X1  a generated well-formed document (elements with attributes, text written with the
//       predefined entities and character references, CDATA, comments, processing
//       instructions, a declaration and DOCTYPE) reads back as the tree it was written from;
//   X2  anything else (arbitrary text, token soup, unclosed tags, bad entities, a DOCTYPE
//       with an internal subset and entity expansion, deep nesting, huge attributes) reads
//       as a tree or fails with an XmlError naming a line of the input: never another
//       exception. The reader is one pass of one regular expression with no nested
//       quantifiers that can overlap, and it expands no entity it did not define, so its time
//       is bounded by construction; the sizes here are kept small enough for many runs.
import fc from 'fast-check';
import { parseXml, XmlError, type XmlElement } from '@ci-actions/publishing/maven/xml.js';

const RUNS = 300;

interface Element {
  name: string;
  attributes: [string, string, '"' | "'"][];
  content: Content[];
  selfClosing: boolean;
}
type Content =
  | { kind: 'text'; pieces: { char: string; as: 'literal' | 'named' | 'decimal' | 'hex' }[] }
  | { kind: 'cdata'; text: string }
  | { kind: 'comment'; text: string }
  | { kind: 'pi'; text: string }
  | { kind: 'element'; element: Element };

const NAMED: Record<string, string> = { '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' };

const name = fc.stringMatching(/^[A-Za-z_\u00C0-\u00D6\u4E00-\u4E10][A-Za-z0-9._\-\u00C0-\u00D6\u4E00-\u4E10]{0,8}(:[A-Za-z_][A-Za-z0-9]{0,4})?$/);
/** A character as code points (a grapheme may be several), markup characters and line ends drawn often. */
const char = fc
  .oneof(fc.constantFrom('<', '>', '&', '"', "'", ' ', '\n', '\r', '\t', ']'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }))
  .map((g) => [...g]);
const textContent = fc
  .array(fc.tuple(char, fc.constantFrom<'literal' | 'named' | 'decimal' | 'hex'>('literal', 'named', 'decimal', 'hex')), {
    minLength: 1,
    maxLength: 12,
  })
  .map((chars) => ({ kind: 'text' as const, pieces: chars.flatMap(([points, as]) => points.map((c) => ({ char: c, as }))) }));
const without = (forbidden: RegExp) => fc.string({ unit: 'grapheme', maxLength: 20 }).filter((s) => !forbidden.test(s));

const { element } = fc.letrec<{ element: Element; content: Content }>((tie) => ({
  element: fc.record({
    name,
    attributes: fc
      .uniqueArray(fc.tuple(name, fc.string({ unit: 'grapheme', maxLength: 30 }), fc.constantFrom<'"' | "'">('"', "'")), {
        maxLength: 3,
        selector: ([n]) => n,
      })
      .map((attrs) => attrs.map(([n, v, q]): [string, string, '"' | "'"] => [n, v.replace(q === '"' ? /["<&]/g : /['<&]/g, ''), q])),
    content: fc.array(tie('content'), { maxLength: 4, depthIdentifier: 'xml' }),
    selfClosing: fc.boolean(),
  }),
  content: fc.oneof(
    { depthSize: 'small', withCrossShrink: true, depthIdentifier: 'xml' },
    textContent,
    without(/]]>/).map((text) => ({ kind: 'cdata' as const, text })),
    without(/--|-$/).map((text) => ({ kind: 'comment' as const, text })),
    without(/\?>/).map((text) => ({ kind: 'pi' as const, text })),
    tie('element').map((e) => ({ kind: 'element' as const, element: e })),
  ),
}));

function writeText(pieces: { char: string; as: string }[]): string {
  return pieces
    .map(({ char, as }) => {
      const code = char.codePointAt(0)!;
      if (as === 'decimal') return `&#${code};`;
      if (as === 'hex') return `&#x${code.toString(16)};`;
      if (NAMED[char] && (as === 'named' || char === '<' || char === '&')) return `&${NAMED[char]};`;
      return char;
    })
    .join('');
}

function write(e: Element): string {
  const attributes = e.attributes.map(([n, v, q]) => ` ${n}=${q}${v}${q}`).join('');
  if (e.content.length === 0 && e.selfClosing) return `<${e.name}${attributes}/>`;
  const inner = e.content
    .map((c) => {
      switch (c.kind) {
        case 'text':
          return writeText(c.pieces);
        case 'cdata':
          return `<![CDATA[${c.text}]]>`;
        case 'comment':
          return `<!--${c.text}-->`;
        case 'pi':
          return `<?ci ${c.text}?>`;
        case 'element':
          return write(c.element);
      }
    })
    .join('');
  return `<${e.name}${attributes}>${inner}</${e.name}${e.selfClosing ? ' ' : ''}>`;
}

/** The tree the reader should give: each element's own text (text and CDATA, decoded) and its child elements. */
function expected(e: Element): XmlElement {
  const text = e.content.map((c) => (c.kind === 'text' ? c.pieces.map((p) => p.char).join('') : c.kind === 'cdata' ? c.text : '')).join('');
  return { name: e.name, children: e.content.flatMap((c) => (c.kind === 'element' ? [expected(c.element)] : [])), text };
}

const prolog = fc.constantFrom('', '<?xml version="1.0" encoding="UTF-8"?>\n', '<?xml version="1.0"?><!DOCTYPE project>\n<!-- a pom -->\n', '\n  ');
const epilog = fc.constantFrom('', '\n', '<!-- end -->\n', '<?pi after?>');

/** Reads `source`, or fails as the reader may: an XmlError naming a line of it. Anything else fails the property. */
function readOrRefuse(source: string): XmlElement | XmlError {
  try {
    return parseXml(source);
  } catch (err) {
    expect(err).toBeInstanceOf(XmlError);
    const line = Number(/^line (\d+): /.exec((err as Error).message)?.[1]);
    expect(line).toBeGreaterThanOrEqual(1);
    expect(line).toBeLessThanOrEqual(source.split('\n').length);
    return err as XmlError;
  }
}

/** Pieces that confuse a reader: unclosed and unmatched tags, bad entities, a DOCTYPE with entities, CDATA and comment ends. */
const FRAGMENTS = [
  '<a>',
  '</a>',
  '<b/>',
  '<a b="1">',
  '<a b=">">',
  "<a b='",
  '<',
  '>',
  '&',
  '&amp;',
  '&lt',
  '&unknown;',
  '&#;',
  '&#x;',
  '&#xD800;',
  '&#x110000;',
  '&#99999999999999999999;',
  '&#-1;',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '<?',
  '?>',
  '<!DOCTYPE',
  ']>',
  '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>',
  '&lol2;',
  '<!ENTITY x SYSTEM "file:///etc/passwd">',
  '&x;',
  '</ a>',
  '< a>',
  '<a/ >',
  '\n',
  '\r\n',
  ' ',
  'text',
  '\u0000',
  '\uFFFF',
  '名',
];

describe('pom XML reader', () => {
  test('X1: a generated well-formed document reads back as the tree it was written from', () => {
    fc.assert(
      fc.property(prolog, element, epilog, (before, root, after) => {
        expect(parseXml(before + write(root) + after)).toEqual(expected(root));
      }),
      { numRuns: RUNS },
    );
  });

  test('X2: arbitrary text reads or is refused with an XmlError naming a line', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (source) => void readOrRefuse(source)),
      { numRuns: RUNS },
    );
  });

  test('X2: token soup reads or is refused with an XmlError naming a line', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 5 })), { maxLength: 40 }),
        (pieces) => void readOrRefuse(pieces.join('')),
      ),
      { numRuns: RUNS * 3 },
    );
  });

  test('X2: a well-formed document with one fragment spliced in reads or is refused with an XmlError', () => {
    fc.assert(
      fc.property(element, fc.constantFrom(...FRAGMENTS), fc.nat(), (root, fragment, at) => {
        const source = write(root);
        const cut = at % (source.length + 1);
        readOrRefuse(source.slice(0, cut) + fragment + source.slice(cut));
      }),
      { numRuns: RUNS },
    );
  });

  test.each([
    [
      'an internal subset with entity expansion is refused, nothing expanded',
      '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>\n<lolz>&lol2;</lolz>',
      'line 1: a malformed tag',
    ],
    ['an entity it does not define is refused', '<project>&lol2;</project>', 'line 1: unknown entity &lol2;'],
    ['a character reference beyond Unicode is refused', '<project>\n&#x110000;</project>', 'line 2: &#x110000; is not a character'],
    ['a decimal reference far beyond Unicode is refused', '<project>&#99999999999999999999;</project>', 'line 1: &#99999999999999999999; is not a character'],
    ['a surrogate code point is refused', '<project>&#xD800;</project>', 'line 1: &#xD800; is not a character'],
    ['NUL by reference is refused', '<project>&#0;</project>', 'line 1: &#0; is not a character'],
    ['an unclosed tag is refused at the end', '<project>\n<version>1', 'line 2: <version> is never closed'],
  ])('%s', (_what, source, message) => {
    expect(() => parseXml(source)).toThrow(message);
  });

  test('deep nesting neither overflows the stack nor is refused', () => {
    const depth = 100_000;
    const source = '<a>'.repeat(depth) + '</a>'.repeat(depth);
    let element: XmlElement | undefined = parseXml(source);
    let levels = 0;
    while (element) {
      levels++;
      element = element.children[0];
    }
    expect(levels).toBe(depth);
    expect(() => parseXml('<a>'.repeat(depth))).toThrow(XmlError);
  });

  test('a huge attribute value is skipped as any other', () => {
    const value = 'x'.repeat(4 * 1024 * 1024);
    expect(parseXml(`<project name="${value}"><version>1</version></project>`)).toEqual({
      name: 'project',
      text: '',
      children: [{ name: 'version', text: '1', children: [] }],
    });
  });
});
