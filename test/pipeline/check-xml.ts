// A small strict XML 1.0 parser for the JUnit reports: well-formedness (one root, matching tags, quoted
// unique attributes, only the five predefined entities and character references, no character XML
// cannot hold) is checked, and the document comes back as a tree to assert on.

export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly (XmlElement | string)[];
}

const NAME = /[A-Za-z_:][\w.:-]*/y;
const SPACE = /[ \t\r\n]*/y;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

class Parser {
  pos = 0;
  constructor(private readonly s: string) {
    for (const c of s) {
      const code = c.codePointAt(0)!;
      if (!isXmlChar(code)) this.fail(`character U+${code.toString(16)} is not allowed in XML`);
    }
  }

  fail(message: string): never {
    throw new Error(`XML: ${message} at offset ${this.pos}`);
  }

  skipSpace(): void {
    SPACE.lastIndex = this.pos;
    SPACE.exec(this.s);
    this.pos = SPACE.lastIndex;
  }

  name(): string {
    NAME.lastIndex = this.pos;
    const m = NAME.exec(this.s);
    if (!m) this.fail('name expected');
    this.pos = NAME.lastIndex;
    return m[0];
  }

  expect(text: string): void {
    if (!this.s.startsWith(text, this.pos)) this.fail(`${JSON.stringify(text)} expected`);
    this.pos += text.length;
  }

  /** Character data up to `end`, with references replaced; `<` is never allowed in it. */
  chars(end: string): string {
    let out = '';
    while (this.pos < this.s.length && !this.s.startsWith(end, this.pos)) {
      const c = this.s[this.pos]!;
      if (c === '<') this.fail("'<' in character data");
      if (c === '&') {
        const semi = this.s.indexOf(';', this.pos);
        if (semi < 0) this.fail('unterminated reference');
        const ref = this.s.slice(this.pos + 1, semi);
        const code = /^#x[0-9a-fA-F]+$/.test(ref)
          ? parseInt(ref.slice(2), 16)
          : /^#[0-9]+$/.test(ref)
            ? Number(ref.slice(1))
            : undefined;
        if (code !== undefined) {
          if (!isXmlChar(code)) this.fail(`reference to a character XML cannot hold (${ref})`);
          out += String.fromCodePoint(code);
        } else if (ENTITIES[ref] !== undefined) out += ENTITIES[ref];
        else this.fail(`unknown entity &${ref};`);
        this.pos = semi + 1;
        continue;
      }
      if (this.s.startsWith(']]>', this.pos)) this.fail("']]>' in character data");
      out += c;
      this.pos++;
    }
    return out;
  }

  element(): XmlElement {
    this.expect('<');
    const name = this.name();
    const attrs: Record<string, string> = {};
    for (;;) {
      const before = this.pos;
      this.skipSpace();
      if (this.s.startsWith('/>', this.pos)) {
        this.pos += 2;
        return { name, attrs, children: [] };
      }
      if (this.s[this.pos] === '>') {
        this.pos++;
        break;
      }
      if (this.pos === before) this.fail('space expected before an attribute');
      const key = this.name();
      if (key in attrs) this.fail(`duplicate attribute ${key}`);
      this.skipSpace();
      this.expect('=');
      this.skipSpace();
      const quote = this.s[this.pos];
      if (quote !== '"' && quote !== "'") this.fail('quoted attribute value expected');
      this.pos++;
      attrs[key] = this.chars(quote);
      this.expect(quote);
    }
    const children: (XmlElement | string)[] = [];
    for (;;) {
      if (this.pos >= this.s.length) this.fail(`</${name}> expected`);
      if (this.s.startsWith('</', this.pos)) {
        this.pos += 2;
        const close = this.name();
        if (close !== name) this.fail(`</${name}> expected, found </${close}>`);
        this.skipSpace();
        this.expect('>');
        return { name, attrs, children };
      }
      if (this.s.startsWith('<!--', this.pos)) {
        const end = this.s.indexOf('-->', this.pos);
        if (end < 0) this.fail('unterminated comment');
        this.pos = end + 3;
        continue;
      }
      if (this.s[this.pos] === '<') children.push(this.element());
      else children.push(this.chars('<'));
    }
  }

  document(): XmlElement {
    if (this.s.startsWith('<?xml', this.pos)) {
      const end = this.s.indexOf('?>', this.pos);
      if (end < 0) this.fail('unterminated XML declaration');
      this.pos = end + 2;
    }
    this.skipSpace();
    const root = this.element();
    this.skipSpace();
    if (this.pos !== this.s.length) this.fail('content after the root element');
    return root;
  }
}

/** Parses a whole document; throws on anything that is not well-formed XML. */
export function parseXml(text: string): XmlElement {
  return new Parser(text).document();
}

/** Child elements, optionally of one name. */
export function elements(e: XmlElement, name?: string): XmlElement[] {
  return e.children.filter((c): c is XmlElement => typeof c !== 'string' && (!name || c.name === name));
}

/** The element's text content (its string children joined). */
export function textOf(e: XmlElement): string {
  return e.children.filter((c): c is string => typeof c === 'string').join('');
}
