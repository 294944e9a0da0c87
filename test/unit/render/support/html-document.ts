/**
 * A small HTML tokenizer for assertions on the renderer's output: enough of the HTML parsing rules
 * (raw-text script/style, void elements, comments, quoted and unquoted attributes, character
 * references) to see what a browser would see, without adding a parser package.
 */

export interface HtmlElement {
  readonly name: string;
  readonly attrs: ReadonlyMap<string, string>;
  readonly children: HtmlNode[];
  readonly parent?: HtmlElement;
}

export type HtmlNode = HtmlElement | string;

const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);
const RAW_TEXT_ELEMENTS = new Set(['script', 'style', 'textarea', 'title']);

const NAMED_REFERENCES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (reference, body: string) => {
    if (body.startsWith('#x') || body.startsWith('#X'))
      return String.fromCodePoint(Number.parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(Number.parseInt(body.slice(1), 10));
    return NAMED_REFERENCES[body.toLowerCase()] ?? reference;
  });
}

const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function parseAttributes(source: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const match of source.matchAll(ATTRIBUTE)) {
    const name = (match[1] ?? '').toLowerCase();
    if (!attrs.has(name)) attrs.set(name, decodeEntities(match[2] ?? match[3] ?? match[4] ?? ''));
  }
  return attrs;
}

export function parseHtml(source: string): HtmlElement {
  const root: HtmlElement = { name: '#document', attrs: new Map(), children: [] };
  let current: HtmlElement = root;
  let position = 0;
  const tag =
    /<!--[\s\S]*?-->|<!doctype[^>]*>|<\/([a-zA-Z][\w-]*)\s*>|<([a-zA-Z][\w-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/gi;
  while (position < source.length) {
    tag.lastIndex = position;
    const match = tag.exec(source);
    if (!match) {
      current.children.push(decodeEntities(source.slice(position)));
      break;
    }
    if (match.index > position) current.children.push(decodeEntities(source.slice(position, match.index)));
    position = tag.lastIndex;
    const [whole, closing, opening, attributes] = match;
    if (whole.startsWith('<!')) continue;
    if (closing !== undefined) {
      const name = closing.toLowerCase();
      let element: HtmlElement | undefined = current;
      while (element && element.name !== name) element = element.parent;
      if (element?.parent) current = element.parent;
      continue;
    }
    const name = (opening ?? '').toLowerCase();
    const element: HtmlElement = {
      name,
      attrs: parseAttributes(attributes ?? ''),
      children: [],
      parent: current,
    };
    current.children.push(element);
    if (VOID_ELEMENTS.has(name)) continue;
    if (RAW_TEXT_ELEMENTS.has(name)) {
      // Raw text runs to the first matching end tag, whatever it contains: exactly how browsers read it.
      const end = source.toLowerCase().indexOf(`</${name}`, position);
      const text = source.slice(position, end === -1 ? source.length : end);
      element.children.push(name === 'title' || name === 'textarea' ? decodeEntities(text) : text);
      position = end === -1 ? source.length : source.indexOf('>', end) + 1;
      continue;
    }
    current = element;
  }
  return root;
}

export function isElement(node: HtmlNode): node is HtmlElement {
  return typeof node !== 'string';
}

export function allElements(root: HtmlElement): HtmlElement[] {
  const found: HtmlElement[] = [];
  const visit = (element: HtmlElement): void => {
    for (const child of element.children) {
      if (isElement(child)) {
        found.push(child);
        visit(child);
      }
    }
  };
  visit(root);
  return found;
}

export function elements(root: HtmlElement, name: string): HtmlElement[] {
  return allElements(root).filter((element) => element.name === name);
}

export function element(root: HtmlElement, name: string): HtmlElement {
  const found = elements(root, name);
  if (found.length === 0) throw new Error(`No <${name}> element`);
  return found[0] as HtmlElement;
}

export function byId(root: HtmlElement, id: string): HtmlElement | undefined {
  return allElements(root).find((candidate) => candidate.attrs.get('id') === id);
}

export function textOf(node: HtmlNode): string {
  return typeof node === 'string' ? node : node.children.map(textOf).join('');
}

export function meta(root: HtmlElement, key: string): string | undefined {
  return elements(root, 'meta')
    .find((candidate) => candidate.attrs.get('property') === key || candidate.attrs.get('name') === key)
    ?.attrs.get('content');
}

export function metaAll(root: HtmlElement, key: string): string[] {
  return elements(root, 'meta')
    .filter((candidate) => candidate.attrs.get('property') === key || candidate.attrs.get('name') === key)
    .map((candidate) => candidate.attrs.get('content') ?? '');
}

export function linkHref(root: HtmlElement, rel: string): string | undefined {
  return elements(root, 'link')
    .find((candidate) => candidate.attrs.get('rel') === rel)
    ?.attrs.get('href');
}

export function jsonLd(root: HtmlElement): unknown[] {
  return elements(root, 'script')
    .filter((script) => script.attrs.get('type') === 'application/ld+json')
    .map((script) => JSON.parse(textOf(script)) as unknown);
}

export function executableScripts(root: HtmlElement): HtmlElement[] {
  return elements(root, 'script').filter((script) => script.attrs.get('type') !== 'application/ld+json');
}
