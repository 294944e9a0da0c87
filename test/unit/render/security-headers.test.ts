import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderArticlePage } from '../../../functions/render/article-page';
import { renderHomePage } from '../../../functions/render/home-page';
import { renderNotFoundPage } from '../../../functions/render/not-found-page';
import { renderRedirectPage } from '../../../functions/render/redirect-page';
import { renderSectionPage } from '../../../functions/render/section-page';
import { SECURITY_HEADERS, securityHeadersForHttp } from '../../../functions/render/security-headers';
import { article, hostileArticle, SITE, summaries } from './support/fixtures';
import { elements, executableScripts, parseHtml, textOf } from './support/html-document';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((tokens) => tokens[0])
      .map(([name, ...values]) => [name as string, values]),
  );
}

const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

const csp = directives(SECURITY_HEADERS.contentSecurityPolicy);

const pages = [
  renderArticlePage(SITE, article(), summaries(3)),
  renderArticlePage(SITE, hostileArticle(), []),
  renderHomePage(SITE, summaries(10)),
  renderSectionPage(SITE, SITE.sections[0] ?? { slug: 'bota', name: 'Bota', description: '' }, summaries(3)),
  renderNotFoundPage(SITE),
  renderRedirectPage(SITE, '/bota/x'),
];

describe('SECURITY_HEADERS', () => {
  it('has exactly the shape the CloudFront response-headers policy is built from', () => {
    expect(Object.keys(SECURITY_HEADERS).sort()).toEqual(
      [
        'contentSecurityPolicy',
        'crossOriginOpenerPolicy',
        'frameOptions',
        'permissionsPolicy',
        'referrerPolicy',
        'strictTransportSecurity',
      ].sort(),
    );
    expect(Object.keys(SECURITY_HEADERS.strictTransportSecurity).sort()).toEqual([
      'includeSubdomains',
      'maxAgeSeconds',
      'preload',
    ]);
    expect(SECURITY_HEADERS.frameOptions).toBe('DENY');
    expect(SECURITY_HEADERS.strictTransportSecurity.maxAgeSeconds).toBeGreaterThanOrEqual(31_536_000);
  });

  it('denies by default and allows only what the pages use', () => {
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'https:', 'data:']);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
    expect(SECURITY_HEADERS.contentSecurityPolicy).not.toContain('unsafe-inline');
    expect(SECURITY_HEADERS.contentSecurityPolicy).not.toContain('unsafe-eval');
  });

  it.each(pages.map((html, index) => [index, html]))(
    'page %i: every inline script and style is allowed by hash, and the same on every page',
    (_index, html) => {
      const doc = parseHtml(html as string);
      const scriptHashes = csp.get('script-src') ?? [];
      const styleHashes = csp.get('style-src') ?? [];
      expect(scriptHashes).toHaveLength(1);
      expect(styleHashes).toHaveLength(1);
      for (const script of executableScripts(doc)) expect(scriptHashes).toContain(hash(textOf(script)));
      const styles = elements(doc, 'style');
      expect(styles).toHaveLength(1);
      expect(styleHashes).toContain(hash(textOf(styles[0] ?? '')));
      // Style attributes would need 'unsafe-hashes'; the pages have none.
      expect((html as string).match(/\sstyle=/gi)).toBeNull();
    },
  );
});

describe('securityHeadersForHttp', () => {
  it('gives the same policy as HTTP headers, plus nosniff', () => {
    const headers = securityHeadersForHttp();
    expect(headers).toEqual({
      'Content-Security-Policy': SECURITY_HEADERS.contentSecurityPolicy,
      'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': SECURITY_HEADERS.referrerPolicy,
      'Permissions-Policy': SECURITY_HEADERS.permissionsPolicy,
      'Cross-Origin-Opener-Policy': SECURITY_HEADERS.crossOriginOpenerPolicy,
      'X-Content-Type-Options': 'nosniff',
    });
    for (const value of Object.values(headers)) expect(value).not.toMatch(/[\r\n]/);
  });
});
