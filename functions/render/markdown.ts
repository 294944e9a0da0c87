import markdownIt, { type Env, type MarkdownIt, type Token } from 'markdown-it';
import { primaryLanguage } from '../domain/language';
import { BoundedCache } from './bounded-cache';
import { type SafeHtml, trustedHtml } from './html';
import { DEFAULT_IMAGE_BOX } from './responsive-image';
import { isAllowedLinkTarget, isExternalLink } from './safe-url';

/**
 * Article bodies are untrusted Markdown. Raw HTML is off, so markdown-it escapes every character of text
 * and attributes itself; link and image targets are limited to http(s), mailto and relative references.
 */

interface RenderEnv extends Env {
  readonly baseUrl: string;
}

function baseUrlOf(env: Env | undefined): string {
  // Stryker disable next-line ConditionalExpression,OptionalChaining,StringLiteral: env always has baseUrl
  return typeof env?.baseUrl === 'string' ? env.baseUrl : '';
}

function stringAttr(value: string | number | null | undefined): string {
  // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: href and src are always set
  return value === null || value === undefined ? '' : String(value);
}

const EXTERNAL_LINK_REL = 'nofollow noopener noreferrer';

/**
 * Whether linkify could find a link in `text`. Its `test` runs a large Unicode-aware expression over
 * every paragraph, and again over the paragraph's text runs, looking for a scheme: a quarter of the time
 * of rendering a body. With fuzzy links off, everything it can find has `//` (`http://`, `https://`,
 * `ftp://` and protocol-relative links) or `@` (`mailto:` and bare e-mail addresses), so text with
 * neither is answered at once; the rest still gets the full test.
 */
export function mayContainLink(text: string): boolean {
  return text.includes('//') || text.includes('@');
}

/**
 * Typographic quotes by language (markdown-it's `quotes`: double open, double close, single open, single
 * close). Albanian writes „…“ (its other convention, «…», reads as French to most of its readers online);
 * a language not listed gets English quotes, the library's default.
 */
const QUOTES_BY_LANGUAGE: Readonly<Record<string, string>> = {
  en: '“”‘’',
  sq: '„“‘’',
};

/** The quotes of a BCP 47 tag's primary language (`sq-AL` → `sq`). */
export function quotesFor(language: string): string {
  return QUOTES_BY_LANGUAGE[primaryLanguage(language)] ?? QUOTES_BY_LANGUAGE.en ?? '“”‘’';
}

/**
 * The heading levels of a body, placed under the page's `<h1>` (the headline) with no level skipped:
 * Markdown `#` and `##` are both the body's top level (`<h2>`), `###` is `<h3>` and so on; a heading is
 * then at most one level below the nearest heading before it that is shallower in the Markdown, so
 * `## A` then `#### B` gives `<h2>` then `<h3>`, and a body that starts at `####` starts at `<h2>`.
 */
export function outlineLevels(markdownLevels: readonly number[]): number[] {
  const open: { readonly from: number; readonly level: number }[] = [];
  return markdownLevels.map((markdownLevel) => {
    const from = Math.max(markdownLevel, 2);
    while (open.length > 0 && (open.at(-1)?.from ?? 0) >= from) open.pop();
    const level = (open.at(-1)?.level ?? 1) + 1;
    open.push({ from, level });
    return level;
  });
}

function createRenderer(quotes: string): MarkdownIt {
  // Typography is limited to quotes (and apostrophes): markdown-it leaves code, link targets and autolinks
  // alone, and the other replacements (`(c)`, `--`, `+-`) would change what a writer typed in plain text.
  const md = markdownIt({ html: false, linkify: true, typographer: true, quotes });
  md.disable('replacements');
  md.validateLink = isAllowedLinkTarget;

  // Stated rather than inherited: `mayContainLink` is only sound with fuzzy links (bare domains) off.
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: these are the defaults
  md.linkify.set({ fuzzyLink: false, fuzzyIP: false, fuzzyEmail: true });
  const fullTest = md.linkify.test.bind(md.linkify);
  md.linkify.test = (text) => mayContainLink(text) && fullTest(text);

  // The page's h1 is the headline; body headings sit below it so the outline stays in order.
  // Stryker disable next-line StringLiteral: the name only finds the rule again, which nothing does
  md.core.ruler.push('outline_headings', (state) => {
    const opens = state.tokens.filter((token) => token.type === 'heading_open');
    if (opens.length === 0) return;
    const levels = outlineLevels(opens.map((token) => Number(token.tag.slice(1))));
    const byOpen = new Map(opens.map((token, index) => [token, `h${levels[index]}`]));
    let tag = '';
    for (const token of state.tokens) {
      if (token.type === 'heading_open') tag = byOpen.get(token) ?? token.tag;
      if (token.type === 'heading_open' || token.type === 'heading_close') token.tag = tag;
    }
  });

  md.renderer.rules.link_open = (tokens, index, options, env, self) => {
    const token = tokens[index];
    // Stryker disable next-line OptionalChaining: the token exists
    const href = stringAttr(token?.attrGet('href'));
    // Stryker disable next-line ConditionalExpression,LogicalOperator: always true
    if (token && href && isExternalLink(href, baseUrlOf(env))) token.attrSet('rel', EXTERNAL_LINK_REL);
    return self.renderToken(tokens, index, options);
  };

  const renderImage = md.renderer.rules.image;
  md.renderer.rules.image = (tokens, index, options, env, self) => {
    const token = tokens[index];
    // Stryker disable next-line OptionalChaining: the token exists
    const src = stringAttr(token?.attrGet('src'));
    // A mailto: image is meaningless; show its description instead of a broken image.
    if (!token || src === '' || /^mailto:/i.test(src)) {
      return md.utils.escapeHtml(
        // Stryker disable next-line LogicalOperator,ArrayDeclaration,StringLiteral: never reached
        token ? self.renderInlineAsText(token.children ?? [], options, env ?? {}) : '',
      );
    }
    // Markdown has no syntax for a size, so every body image gets the default 16:9 box, which the
    // stylesheet fits the picture into (letterboxed, never cropped): the space is reserved before it
    // loads and nothing below it moves. Lazy loading keeps it off the critical path.
    token.attrSet('width', String(DEFAULT_IMAGE_BOX.width));
    token.attrSet('height', String(DEFAULT_IMAGE_BOX.height));
    token.attrSet('loading', 'lazy');
    token.attrSet('decoding', 'async');
    return renderImage
      ? renderImage(tokens, index, options, env, self)
      : self.renderToken(tokens, index, options);
  };

  return md;
}

/** One renderer per set of quotes, built on first use: a site renders in one language. */
const renderers = new Map<string, MarkdownIt>();

function rendererFor(language: string): MarkdownIt {
  const quotes = quotesFor(language);
  let renderer = renderers.get(quotes);
  if (renderer === undefined) {
    renderer = createRenderer(quotes);
    renderers.set(quotes, renderer);
  }
  return renderer;
}

export function renderMarkdown(markdown: string, baseUrl: string, language: string): SafeHtml {
  const env: RenderEnv = { baseUrl };
  return trustedHtml(rendererFor(language).render(markdown, env));
}

/** The text of `parts` as a reader sees it: runs of whitespace are one space. */
function collapsedText(parts: readonly string[]): string {
  return parts.join('').replace(/\s+/g, ' ').trim();
}

function excerptOf(tokens: readonly Token[], maxLength: number): string {
  const parts: string[] = [];
  for (const block of tokens) {
    // Stryker disable next-line ConditionalExpression,ArrayDeclaration: spaces collapse
    if (block.type !== 'inline') continue;
    // Stryker disable next-line ArrayDeclaration: always has children
    for (const child of block.children ?? []) {
      if (child.type === 'text' || child.type === 'code_inline') parts.push(child.content);
      else if (child.type === 'softbreak' || child.type === 'hardbreak') parts.push(' ');
    }
    parts.push(' ');
    // Enough text to cut (the rest of the body cannot change the excerpt): the length that counts is
    // the collapsed one, or a body that goes on could lose its ellipsis.
    // Stryker disable next-line ConditionalExpression: only saves time
    if (collapsedText(parts).length > maxLength) break;
  }
  const text = collapsedText(parts);
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > maxLength / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s.,;:!?-]+$/, '')}…`;
}

/**
 * Plain text of the body's opening, for meta descriptions when the editor wrote no summary. Cut at a
 * word boundary so the snippet never ends mid-word.
 */
export function plainTextExcerpt(markdown: string, maxLength: number, language: string): string {
  return excerptOf(rendererFor(language).parse(markdown, {}), maxLength);
}

export interface RenderedBody {
  readonly html: SafeHtml;
  /** `plainTextExcerpt` of the same body. */
  readonly excerpt: string;
}

interface CachedBody {
  readonly markdown: string;
  readonly baseUrl: string;
  /** The quotes the body was rendered with (its language's). */
  readonly quotes: string;
  readonly excerptLength: number;
  readonly body: RenderedBody;
}

/**
 * The last rendered body of each article, within about 16 million characters (Markdown, HTML and
 * excerpt: some 800 articles of 10 KB). Markdown is nearly all of an article page's cost, and a revision
 * is often rendered again: an edit of the title, summary or tags leaves the body as it was, and batches
 * are retried. Entries are found by article id (hashing a 10 KB key would cost a third of rendering it)
 * and used only when the Markdown is the same string, so neither an edit without a new version nor two
 * articles can ever be given another body's HTML.
 */
const BODY_CACHE_CHARACTERS = 16_000_000;
const renderedBodies = new BoundedCache<string, CachedBody>(
  BODY_CACHE_CHARACTERS,
  (_id, { markdown, body }) => markdown.length + body.html.toString().length + body.excerpt.length,
);

/**
 * markdown-it builds its HTML by appending thousands of small pieces, and V8 keeps such a string as a
 * tree of them: some 90 KB of heap objects for 13 KB of text, which the garbage collector has to copy and
 * mark for as long as the cache holds it. Reading a character makes V8 flatten the tree into one run.
 */
function flattened(text: string): string {
  text.charCodeAt(0);
  return text;
}

/**
 * An article's body as HTML and its excerpt, from one parse, reused while the article's body is
 * unchanged.
 */
export function renderArticleBody(
  articleId: string,
  markdown: string,
  baseUrl: string,
  excerptLength: number,
  language: string,
): RenderedBody {
  const quotes = quotesFor(language);
  const cached = renderedBodies.get(articleId);
  if (
    cached !== undefined &&
    cached.markdown === markdown &&
    cached.baseUrl === baseUrl &&
    cached.quotes === quotes &&
    cached.excerptLength === excerptLength
  ) {
    return cached.body;
  }
  const env: RenderEnv = { baseUrl };
  const md = rendererFor(language);
  const tokens = md.parse(markdown, env);
  // The excerpt is read before rendering, which sets attributes on link and image tokens.
  const excerpt = excerptOf(tokens, excerptLength);
  const html = flattened(md.renderer.render(tokens, md.options, env));
  const body = { html: trustedHtml(html), excerpt };
  renderedBodies.set(articleId, { markdown, baseUrl, quotes, excerptLength, body });
  return body;
}
