import { describe, expect, it } from 'vitest';
import { elements, executableScripts, parseHtml, textOf } from './html-document';
import { parseXml, xmlText } from './xml-document';

// The assertions elsewhere are only as good as these readers; they must see what browsers and XML
// parsers see, including the broken documents the renderer must never produce.
describe('test XML reader', () => {
  it.each([
    ['a second CDATA terminator', '<a><![CDATA[x]]>]]></a>'],
    ['a bare ampersand', '<a>x & y</a>'],
    ['a bare less-than', '<a>x < y</a>'],
    ['a mismatched end tag', '<a><b></a></b>'],
    ['an unclosed element', '<a><b></b>'],
    ['text after the root', '<a></a>x'],
    ['a control character', '<a>\u0001</a>'],
  ])('rejects %s', (_name, xml) => {
    expect(() => parseXml(xml)).toThrow();
  });

  it('reads CDATA, entities and attributes', () => {
    const root = parseXml('<?xml version="1.0"?><a x="1 &amp; 2"><![CDATA[<b>]]> &lt;c&gt;</a>');
    expect(root.attrs.get('x')).toBe('1 & 2');
    expect(xmlText(root)).toBe('<b> <c>');
  });
});

describe('test HTML reader', () => {
  it('ends a script at the first </script, as browsers do', () => {
    const doc = parseHtml('<script>var a = "</script><script>alert(1)</script>";</script>');
    expect(executableScripts(doc)).toHaveLength(2);
  });

  it('sees attributes, void elements and character references', () => {
    const doc = parseHtml('<p class="x" data-a=\'1\' hidden>a &amp; b<img src=y onerror=z>c</p>');
    const [p] = elements(doc, 'p');
    expect(p?.attrs.get('class')).toBe('x');
    expect(p?.attrs.has('hidden')).toBe(true);
    expect(elements(doc, 'img')[0]?.attrs.get('onerror')).toBe('z');
    expect(textOf(p ?? '')).toBe('a & bc');
  });
});
