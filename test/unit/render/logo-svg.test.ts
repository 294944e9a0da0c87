import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE } from '../../../functions/config/site';
import { DEFAULT_LOGO } from '../../../functions/render/json-ld';
import { LOGO_HEIGHT, LOGO_WIDTH, renderLogoSvg } from '../../../functions/render/logo-svg';

function fontSizeOf(svg: string): number {
  return Number(/font-size="(\d+)"/.exec(svg)?.[1]);
}

describe('renderLogoSvg', () => {
  it("is a 600 × 60 wordmark of the newsroom's name, the size the structured data announces", () => {
    const svg = renderLogoSvg(DEFAULT_SITE);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="600" height="60"/);
    expect(svg).toContain(`>${DEFAULT_SITE.name}</text>`);
    expect(DEFAULT_LOGO).toEqual({ url: '/logo.svg', width: LOGO_WIDTH, height: LOGO_HEIGHT });
  });

  it('escapes the name: no markup from the config reaches the SVG', () => {
    const svg = renderLogoSvg({ name: '<script>alert(1)</script> & "Co"' });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;');
  });

  it('sets a long name smaller instead of letting it run out of the box', () => {
    expect(fontSizeOf(renderLogoSvg({ name: 'Flash News' }))).toBe(36);
    const long = fontSizeOf(renderLogoSvg({ name: 'Gazeta e Përditshme e Lajmeve të Shqipërisë' }));
    expect(long).toBeLessThan(36);
    expect(long * 0.62 * 43).toBeLessThanOrEqual(LOGO_WIDTH - 40);
  });
});
