import type { SiteConfig } from '../config/site';
import { escapeHtml } from './html';

/** Google asks for a publisher logo that fits 600 × 60; the wordmark is exactly that. */
export const LOGO_WIDTH = 600;
export const LOGO_HEIGHT = 60;

/** Approximate advance of a bold serif glyph, in ems: enough to keep a long name inside the box. */
const GLYPH_WIDTH_EM = 0.62;

/**
 * The newsroom's name as a wordmark in the site's brand colour (`/logo.svg`), so the NewsArticle data's
 * publisher logo always answers, even for a newsroom whose config names no logo of its own. A long name
 * is set smaller rather than cut. The name is text, escaped: no markup from the config reaches the SVG.
 */
export function renderLogoSvg(site: Pick<SiteConfig, 'name'>): string {
  const name = site.name.trim();
  const fontSize = Math.max(
    12,
    Math.min(36, Math.floor((LOGO_WIDTH - 40) / (GLYPH_WIDTH_EM * Math.max(1, [...name].length)))),
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${LOGO_WIDTH}" height="${LOGO_HEIGHT}" viewBox="0 0 ${LOGO_WIDTH} ${LOGO_HEIGHT}" role="img" aria-label="${escapeHtml(name)}">`,
    `<rect width="${LOGO_WIDTH}" height="${LOGO_HEIGHT}" fill="#a3001b"/>`,
    `<text x="20" y="${Math.round(LOGO_HEIGHT / 2 + fontSize * 0.35)}" font-family="Georgia, 'Times New Roman', serif" font-size="${fontSize}" font-weight="700" fill="#ffffff">${escapeHtml(name)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
