/**
 * A strict, small XML reader for assertions on feeds and sitemaps: it rejects what an XML parser
 * rejects in practice (mismatched or unclosed elements, a bare `<` or `&`, text after the root, forbidden
 * characters), and returns a tree to query. Namespaces are kept as written (`news:title`).
 */

export interface XmlElement {
  readonly name: string;
  readonly attrs: ReadonlyMap<string, string>;
  readonly children: (XmlElement | string)[];
}

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string, where: number): string {
  if (text.includes('<')) throw new Error(`Bare '<' in text near ${where}`);
  if (text.includes(']]>')) throw new Error(`']]>' in text near ${where}`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: detecting characters XML forbids.
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text))
    throw new Error(`Forbidden character near ${where}`);
  return text.replace(/&([^;]*);|&/g, (reference, body: string | undefined) => {
    if (body === undefined) throw new Error(`Bare '&' near ${where}`);
    if (/^#x[0-9a-f]+$/i.test(body)) return String.fromCodePoint(Number.parseInt(body.slice(2), 16));
    if (/^#[0-9]+$/.test(body)) return String.fromCodePoint(Number.parseInt(body.slice(1), 10));
    const value = PREDEFINED[body];
    if (value === undefined) throw new Error(`Unknown entity ${reference} near ${where}`);
    return value;
  });
}

export function parseXml(source: string): XmlElement {
  let position = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const token =
    /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<\/([\w:.-]+)\s*>|<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  while (position < source.length) {
    token.lastIndex = position;
    const match = token.exec(source);
    const textEnd = match ? match.index : source.length;
    const text = source.slice(position, textEnd);
    if (text.length > 0) {
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(decode(text, position));
      else if (text.trim() !== '') throw new Error(`Text outside the root element near ${position}`);
    }
    if (!match) break;
    if (match.index !== textEnd) throw new Error('Tokenizer out of step');
    position = token.lastIndex;
    const [whole, cdata, closing, opening, attributes, selfClosing] = match;
    if (whole.startsWith('<?') || whole.startsWith('<!--')) continue;
    if (cdata !== undefined) {
      const parent = stack[stack.length - 1];
      if (!parent) throw new Error('CDATA outside the root element');
      parent.children.push(cdata);
      continue;
    }
    if (closing !== undefined) {
      const open = stack.pop();
      if (open?.name !== closing) throw new Error(`</${closing}> closes <${open?.name}> near ${match.index}`);
      continue;
    }
    const attrs = new Map<string, string>();
    for (const attribute of (attributes ?? '').matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      attrs.set(attribute[1] ?? '', decode(attribute[2] ?? attribute[3] ?? '', match.index));
    }
    const element: XmlElement = { name: opening ?? '', attrs, children: [] };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else if (root) throw new Error('Second root element');
    else root = element;
    if (!selfClosing) stack.push(element);
  }
  if (stack.length > 0) throw new Error(`Unclosed <${stack[stack.length - 1]?.name}>`);
  if (!root) throw new Error('No root element');
  return root;
}

export function childElements(element: XmlElement, name?: string): XmlElement[] {
  return element.children.filter(
    (child): child is XmlElement => typeof child !== 'string' && (name === undefined || child.name === name),
  );
}

export function descendants(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  for (const child of childElements(element)) {
    if (child.name === name) found.push(child);
    found.push(...descendants(child, name));
  }
  return found;
}

export function xmlText(element: XmlElement): string {
  return element.children.map((child) => (typeof child === 'string' ? child : xmlText(child))).join('');
}

export function childText(element: XmlElement, name: string): string | undefined {
  const child = childElements(element, name)[0];
  return child === undefined ? undefined : xmlText(child);
}
