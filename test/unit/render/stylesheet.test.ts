import { describe, expect, it } from 'vitest';
import { STYLESHEET } from '../../../functions/render/stylesheet';

function variables(block: string): Map<string, string> {
  return new Map([...block.matchAll(/--([a-z]+):(#[0-9a-f]{3,6})/gi)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

function luminance(hex: string): number {
  const full = hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex;
  const [r, g, b] = [1, 3, 5].map((i) => {
    const channel = Number.parseInt(full.slice(i, i + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
}

const light = variables(STYLESHEET.slice(0, STYLESHEET.indexOf('@media')));
const darkBlock = /@media \(prefers-color-scheme:dark\)\{:root\{([^}]*)\}/.exec(STYLESHEET)?.[1] ?? '';
const dark = new Map([...light, ...variables(darkBlock)]);

describe('STYLESHEET', () => {
  it.each([
    ['light', light],
    ['dark', dark],
  ])('meets WCAG AA contrast for text in the %s scheme', (_scheme, colours) => {
    const get = (name: string) => colours.get(name) ?? '';
    for (const background of ['bg', 'panel']) {
      expect(contrast(get('fg'), get(background))).toBeGreaterThanOrEqual(4.5);
      expect(contrast(get('muted'), get(background))).toBeGreaterThanOrEqual(4.5);
      expect(contrast(get('link'), get(background))).toBeGreaterThanOrEqual(4.5);
    }
    expect(contrast('#ffffff', get('brand'))).toBeGreaterThanOrEqual(4.5);
  });

  it('uses the system font stack, a readable measure, visible focus and a skip link', () => {
    expect(STYLESHEET).toMatch(/font:[^;]*system-ui/);
    expect(STYLESHEET).toMatch(/max-width:70ch/);
    expect(STYLESHEET).toMatch(/:focus-visible\{outline:3px solid/);
    expect(STYLESHEET).toMatch(/\.skip-link:focus\{/);
    expect(STYLESHEET).toMatch(/img\{max-width:100%;height:auto\}/);
  });

  it('loads nothing: no imports, fonts or external URLs that would block rendering or need CSP', () => {
    expect(STYLESHEET).not.toMatch(/@import|@font-face|url\(/);
    expect(STYLESHEET).not.toMatch(/<\/style/i);
  });

  it('sizes every heading level, none smaller than the body text', () => {
    const rem = (value: string | undefined) => Number(/^([\d.]+)rem$/.exec(value ?? '')?.[1] ?? Number.NaN);
    const body = rem(/body\{[^}]*font:([\d.]+rem)\//.exec(STYLESHEET)?.[1]);
    expect(body).toBeGreaterThan(1);
    const sizes = new Map<string, number>();
    for (const [, selectors, size] of STYLESHEET.matchAll(/(?:^|\})([h1-6,]+)\{font-size:([\d.]+rem)\}/gm)) {
      for (const selector of (selectors ?? '').split(',')) sizes.set(selector, rem(size));
    }
    for (const level of ['h2', 'h3', 'h4', 'h5', 'h6']) {
      expect(sizes.get(level), level).toBeGreaterThanOrEqual(body);
    }
    // Deeper is never larger.
    expect(sizes.get('h2')).toBeGreaterThan(sizes.get('h3') ?? 0);
    expect(sizes.get('h3')).toBeGreaterThan(sizes.get('h4') ?? 0);
  });
});
