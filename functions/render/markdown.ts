import markdownIt, { type Env, type MarkdownIt } from 'markdown-it';
import { type SafeHtml, trustedHtml } from './html';
import { isAllowedLinkTarget, isExternalLink } from './safe-url';

/**
 * Article bodies are untrusted Markdown. Raw HTML is off, so markdown-it escapes every character of text
 * and attributes itself; link and image targets are limited to http(s), mailto and relative references.
 */

interface RenderEnv extends Env {
  readonly baseUrl: string;
}

function baseUrlOf(env: Env | undefined): string {
  return typeof env?.baseUrl === 'string' ? env.baseUrl : '';
}

function stringAttr(value: string | number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

const EXTERNAL_LINK_REL = 'nofollow noopener noreferrer';

function createRenderer(): MarkdownIt {
  const md = markdownIt({ html: false, linkify: true, typographer: false });
  md.validateLink = isAllowedLinkTarget;

  // The page's h1 is the headline; body headings sit below it so the outline stays in order.
  md.core.ruler.push('demote_headings', (state) => {
    for (const token of state.tokens) {
      if (token.type === 'heading_open' || token.type === 'heading_close') {
        const level = Number(token.tag.slice(1));
        token.tag = `h${Math.min(level + 1, 6)}`;
      }
    }
  });

  md.renderer.rules.link_open = (tokens, index, options, env, self) => {
    const token = tokens[index];
    const href = stringAttr(token?.attrGet('href'));
    if (token && href && isExternalLink(href, baseUrlOf(env))) token.attrSet('rel', EXTERNAL_LINK_REL);
    return self.renderToken(tokens, index, options);
  };

  const renderImage = md.renderer.rules.image;
  md.renderer.rules.image = (tokens, index, options, env, self) => {
    const token = tokens[index];
    const src = stringAttr(token?.attrGet('src'));
    // A mailto: image is meaningless; show its description instead of a broken image.
    if (!token || src === '' || /^mailto:/i.test(src)) {
      return md.utils.escapeHtml(
        token ? self.renderInlineAsText(token.children ?? [], options, env ?? {}) : '',
      );
    }
    // Body images come without dimensions; lazy loading keeps them off the critical path.
    token.attrSet('loading', 'lazy');
    token.attrSet('decoding', 'async');
    return renderImage
      ? renderImage(tokens, index, options, env, self)
      : self.renderToken(tokens, index, options);
  };

  return md;
}

const renderer = createRenderer();

export function renderMarkdown(markdown: string, baseUrl: string): SafeHtml {
  const env: RenderEnv = { baseUrl };
  return trustedHtml(renderer.render(markdown, env));
}

/**
 * Plain text of the body's opening, for meta descriptions when the editor wrote no summary. Cut at a
 * word boundary so the snippet never ends mid-word.
 */
export function plainTextExcerpt(markdown: string, maxLength: number): string {
  const parts: string[] = [];
  for (const block of renderer.parse(markdown, {})) {
    if (block.type !== 'inline') continue;
    for (const child of block.children ?? []) {
      if (child.type === 'text' || child.type === 'code_inline') parts.push(child.content);
      else if (child.type === 'softbreak' || child.type === 'hardbreak') parts.push(' ');
    }
    parts.push(' ');
    if (parts.join('').length > maxLength) break;
  }
  const text = parts.join('').replace(/\s+/g, ' ').trim();
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > maxLength / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s.,;:!?-]+$/, '')}…`;
}
