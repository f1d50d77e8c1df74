// Just enough XML to read a pom: elements, text, comments, CDATA, the declaration and a
// DOCTYPE, with the five predefined entities and character references. Attributes are
// skipped (a pom's data is all in elements). A file that is not well-formed is reported with
// the line where reading stopped, because Central rejects it too.
//
// Not fast-xml-parser (measured for #15): 5.12 brings seven packages and about 225 KB to the
// publish-clients bundle (1.50 MB), and accepts what Central refuses (a second root element,
// HTML entities such as &nbsp; when told to decode character references), so checking a pom
// with it would need this file's strictness written again around it.
import { DomainError } from '../errors.js';

export interface XmlElement {
  /** As written, prefix included (a pom has none). */
  name: string;
  children: XmlElement[];
  /** The element's own text, entities decoded (not its children's). */
  text: string;
}

export class XmlError extends DomainError {
  constructor(message: string, source: string, at: number) {
    super(`line ${source.slice(0, at).split('\n').length}: ${message}`);
  }
}

const TOKEN =
  /<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<\/\s*([^\s>]+)\s*>|<([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<|[^<]+/g;

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function parseXml(source: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  for (const match of source.matchAll(TOKEN)) {
    const [token, cdata, closing, opening, , selfClosing] = match;
    const at = match.index;
    const current = stack[stack.length - 1];
    if (token === '<') throw new XmlError('a malformed tag (or a "<" in text: write &lt;)', source, at);
    if (cdata !== undefined) {
      if (!current) throw new XmlError('CDATA outside the root element', source, at);
      current.text += cdata;
    } else if (closing !== undefined) {
      if (!current) throw new XmlError(`</${closing}> closes nothing`, source, at);
      if (closing !== current.name) throw new XmlError(`</${closing}> closes <${current.name}>`, source, at);
      stack.pop();
    } else if (opening !== undefined) {
      if (!current && root) throw new XmlError(`a second root element <${opening}>`, source, at);
      const element: XmlElement = { name: opening, children: [], text: '' };
      if (current) current.children.push(element);
      else root = element;
      if (!selfClosing) stack.push(element);
    } else if (!token.startsWith('<')) {
      if (current) current.text += decodeEntities(token, source, at);
      else if (token.trim()) throw new XmlError('text outside the root element', source, at);
    }
  }
  if (stack.length > 0) throw new XmlError(`<${stack[stack.length - 1].name}> is never closed`, source, source.length);
  if (!root) throw new XmlError('no root element', source, source.length);
  return root;
}

export function childElement(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

export function childElements(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children.filter((c) => c.name === name) ?? [];
}

/** The trimmed text of the named child, '' when there is none. */
export function childText(element: XmlElement | undefined, name: string): string {
  return childElement(element, name)?.text.trim() ?? '';
}

function decodeEntities(text: string, source: string, at: number): string {
  return text.replace(/&([^;\s&]*);?/g, (whole, entity: string, offset: number) => {
    // Where the reference is, so a long text reports the line it is on.
    const where = at + offset;
    if (!whole.endsWith(';')) throw new XmlError(`"&" that starts no entity (write &amp;)`, source, where);
    if (entity in ENTITIES) return ENTITIES[entity];
    const code = /^#x([0-9a-fA-F]+)$/.exec(entity)?.[1] ?? /^#([0-9]+)$/.exec(entity)?.[1];
    if (code === undefined) throw new XmlError(`unknown entity &${entity};`, source, where);
    const point = entity.startsWith('#x') ? parseInt(code, 16) : Number(code);
    if (!isXmlChar(point)) throw new XmlError(`&${entity}; is not a character`, source, where);
    return String.fromCodePoint(point);
  });
}

/** XML 1.0's Char: a reference to anything else (NUL, a surrogate, beyond Unicode) is not well-formed. */
function isXmlChar(point: number): boolean {
  return (
    point === 0x9 ||
    point === 0xa ||
    point === 0xd ||
    (point >= 0x20 && point <= 0xd7ff) ||
    (point >= 0xe000 && point <= 0xfffd) ||
    (point >= 0x10000 && point <= 0x10ffff)
  );
}
