import { describe, expect, it } from 'vitest';
import { handler as referenceHandler } from '../../../functions/handlers/get-api-reference';
import { handler as documentHandler } from '../../../functions/handlers/get-openapi-document';
import { buildOpenApiDocument } from '../../../functions/openapi/openapi-document';
import { REFERENCE_CACHE_CONTROL } from '../../../functions/openapi/reference-endpoints';
import { renderReferencePage } from '../../../functions/openapi/reference-page';
import { loadSwaggerUiAssets } from '../../../functions/openapi/swagger-ui-assets';
import { cspHash } from '../../../functions/render/csp-hash';

const assets = loadSwaggerUiAssets();
const page = renderReferencePage(assets);

/** The text of every inline element named `tag`. */
function inline(html: string, tag: 'script' | 'style'): string[] {
  return [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((match) => match[1] ?? '');
}

function directive(policy: string, name: string): string[] {
  const found = policy
    .split(';')
    .map((part) => part.trim().split(/\s+/))
    .find(([key]) => key === name);
  return found?.slice(1) ?? [];
}

describe('the API reference page', () => {
  it('inlines Swagger UI, loads nothing from another origin, and fetches the document relatively', () => {
    // The bundle as it is, but for its raw control characters, written as escapes (next test).
    expect(page.html).toContain(
      assets.script.replace(/[^\P{Cc}\t\n\f\r]/gu, (c) => `\\u{${c.codePointAt(0)?.toString(16)}}`),
    );
    expect(page.html).toContain(assets.stylesheet);
    expect(page.html).not.toMatch(/<script[^>]*\ssrc=|<link[^>]*rel="stylesheet"/);
    expect(page.html).toContain('"url":"openapi.json"');
    expect(page.html).toContain('"validatorUrl":null');
  });

  it('has a policy that allows exactly its inline scripts and styles, by hash, and nothing unsafe', () => {
    const scripts = inline(page.html, 'script');
    const styles = inline(page.html, 'style');
    expect(scripts).toHaveLength(2);
    expect(directive(page.contentSecurityPolicy, 'script-src').sort()).toEqual(scripts.map(cspHash).sort());
    expect(directive(page.contentSecurityPolicy, 'style-src').sort()).toEqual(styles.map(cspHash).sort());
    expect(directive(page.contentSecurityPolicy, 'default-src')).toEqual(["'none'"]);
    expect(directive(page.contentSecurityPolicy, 'connect-src')).toEqual(["'self'"]);
    expect(directive(page.contentSecurityPolicy, 'frame-ancestors')).toEqual(["'none'"]);
    expect(page.contentSecurityPolicy).not.toMatch(/unsafe-|https?:|\*/);
  });

  it('writes the characters HTML forbids in a document as JavaScript escapes of the same characters', () => {
    const escaped = renderReferencePage({
      ...assets,
      script: 'var s = "\u0007\u001b\u0085\uffff\t";',
    });
    const [script] = inline(escaped.html, 'script');
    expect(script).toBe('var s = "\\u{7}\\u{1b}\\u{85}\\u{ffff}\t";');
    // The same string to JavaScript.
    expect(new Function(`${script}; return s;`)()).toBe('\u0007\u001b\u0085\uffff\t');
    // Swagger UI's bundle carries some (BEL, ESC, NEL): none reaches the page raw.
    expect(page.html).not.toMatch(/[^\P{Cc}\t\n\f\r]|\p{Noncharacter_Code_Point}/u);
  });

  it('refuses assets that would end their element early', () => {
    expect(() => renderReferencePage({ ...assets, script: 'x = "</script>"' })).toThrow(/cannot be inlined/);
    expect(() => renderReferencePage({ ...assets, stylesheet: 'a{}</STYLE>' })).toThrow(/cannot be inlined/);
  });

  it('is served with its policy, as HTML, cacheable', async () => {
    const result = await referenceHandler();
    expect(result.statusCode).toBe(200);
    expect(result.body).toBe(page.html);
    expect(result.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': REFERENCE_CACHE_CONTROL,
      'content-security-policy': page.contentSecurityPolicy,
      'x-content-type-options': 'nosniff',
    });
  });
});

describe('GET /api/openapi.json', () => {
  it('serves the document as JSON, cacheable', async () => {
    const result = await documentHandler();
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': REFERENCE_CACHE_CONTROL,
    });
    expect(JSON.parse(String(result.body))).toEqual(buildOpenApiDocument());
  });
});
