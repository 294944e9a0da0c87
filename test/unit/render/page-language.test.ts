import { describe, expect, it } from 'vitest';
import type { SiteConfig } from '../../../functions/config/site';
import { SUPPORTED_LANGUAGES } from '../../../functions/domain/language';
import { renderArticlePage } from '../../../functions/render/article-page';
import { renderJsonFeed, renderRssFeed } from '../../../functions/render/feeds';
import { messagesFor } from '../../../functions/render/messages';
import { renderNotFoundPage } from '../../../functions/render/not-found-page';
import { inLanguage, openGraphLocale } from '../../../functions/render/page-language';
import { renderRedirectPage } from '../../../functions/render/redirect-page';
import { renderNewsSitemap } from '../../../functions/render/sitemaps';
import { article, SITE, summary } from './support/fixtures';
import { element, elements, jsonLd, meta, parseHtml, textOf } from './support/html-document';

const CORRECTED = [{ at: '2025-06-25T07:05:00.000Z', note: 'Emri i ministrit u saktësua.' }];

/** An Albanian story, with every label a page can show: byline, source, correction. */
const albanian = article({
  language: 'sq',
  title: 'Samiti i NATO-s nis në Hagë',
  body: 'Ai tha "jemi gati" para takimit.',
  corrections: CORRECTED,
});

/** The same newsroom, configured in Albanian (newsroom.config.sq.json): no article says its language. */
const ALBANIAN_SITE: SiteConfig = {
  ...SITE,
  language: 'sq',
  locale: 'sq-AL',
  timeZone: 'Europe/Tirane',
  description: 'Lajmet e fundit nga bota.',
  sections: SITE.sections.map((section) => ({ ...section, name: `${section.name} (sq)` })),
};

describe('an article in another language than the newsroom’s', () => {
  const doc = parseHtml(renderArticlePage(SITE, albanian, [summary()]));

  it('is tagged with its language everywhere a machine reads it', () => {
    expect(element(doc, 'html').attrs.get('lang')).toBe('sq');
    expect(meta(doc, 'og:locale')).toBe('sq_AL');
    const [data] = jsonLd(doc) as { inLanguage: string }[];
    expect(data?.inLanguage).toBe('sq');
  });

  it('labels and dates everything in Albanian, with the 24-hour clock', () => {
    const messages = messagesFor('sq');
    const byline = textOf(elements(doc, 'p').find((p) => p.attrs.get('class') === 'meta') ?? doc);
    expect(byline).toContain('Nga Jane Doe');
    expect(byline).toMatch(/Publikuar 24 qershor 2025,? (në )?10:30/);
    expect(byline).toContain('Përditësuar');
    expect(textOf(element(doc, 'a'))).toBe(messages.skipToContent);
    expect(element(doc, 'nav').attrs.get('aria-label')).toBe('Rubrikat');
    expect(textOf(doc)).toContain('Burimi:');
    expect(textOf(doc)).toContain('Korrigjim, 25 qershor 2025: Emri i ministrit u saktësua.');
    expect(textOf(doc)).toContain('Lajmet e fundit');
    expect(textOf(doc)).toContain('Harta e faqes');
    // Albanian quotation marks in the body.
    expect(textOf(doc)).toContain('Ai tha „jemi gati“ para takimit.');
    const body = textOf(element(doc, 'body'));
    for (const english of ['Published', 'Updated', 'Correction', 'Latest news', 'Skip to content', 'By Jane'])
      expect(body, english).not.toContain(english);
  });

  it("marks the newsroom's own copy (section names, description) as the newsroom's language", () => {
    expect(element(element(doc, 'nav'), 'ul').attrs.get('lang')).toBe('en');
    const footer = element(doc, 'footer');
    expect(
      elements(footer, 'p')
        .find((p) => textOf(p) === SITE.description)
        ?.attrs.get('lang'),
    ).toBe('en');
  });

  it('is filed under its language in the news sitemap and the feeds', () => {
    const now = new Date('2025-06-25T08:00:00.000Z');
    const items = [
      { ...summary(), language: 'sq' },
      summary({ id: '01JYAB6Q0000000000000000CC', slug: 'other' }),
    ];
    const sitemap = renderNewsSitemap(SITE, items, now);
    expect(sitemap.match(/<news:language>([^<]+)<\/news:language>/g)).toEqual([
      '<news:language>sq</news:language>',
      '<news:language>en</news:language>',
    ]);
    const json = JSON.parse(renderJsonFeed(SITE, items)) as {
      language: string;
      items: { language: string }[];
    };
    expect(json.language).toBe('en');
    expect(json.items.map((item) => item.language)).toEqual(['sq', 'en']);
    const rss = renderRssFeed(SITE, items);
    expect(rss.match(/<dc:language>[^<]+<\/dc:language>/g)).toEqual(['<dc:language>sq</dc:language>']);
  });

  it("a moved story's redirect page speaks the story's language", () => {
    const page = parseHtml(
      renderRedirectPage(SITE, '/bota/samiti', { title: albanian.title, language: 'sq' }),
    );
    expect(element(page, 'html').attrs.get('lang')).toBe('sq');
    expect(textOf(element(page, 'h1'))).toBe('Ky lajm është zhvendosur');
  });
});

describe('the Albanian newsroom config', () => {
  it('turns every label, date and language tag Albanian without any article saying so', () => {
    const doc = parseHtml(renderArticlePage(ALBANIAN_SITE, article({ corrections: CORRECTED }), []));
    expect(element(doc, 'html').attrs.get('lang')).toBe('sq');
    expect(meta(doc, 'og:locale')).toBe('sq_AL');
    // Tirana is UTC+2 in summer: 10:30 UTC is 12:30 there.
    expect(textOf(doc)).toMatch(/Publikuar 24 qershor 2025,? (në )?12:30/);
    // Nothing is marked as another language: the page and the newsroom speak the same one.
    expect(element(element(doc, 'nav'), 'ul').attrs.has('lang')).toBe(false);
    const notFound = parseHtml(renderNotFoundPage(ALBANIAN_SITE));
    expect(textOf(element(notFound, 'h1'))).toBe('Faqja nuk u gjet');
  });

  it('still labels an English story on it in English, and marks the Albanian section names', () => {
    const doc = parseHtml(renderArticlePage(ALBANIAN_SITE, article({ language: 'en' }), []));
    expect(element(doc, 'html').attrs.get('lang')).toBe('en');
    expect(textOf(doc)).toContain('By Jane Doe');
    expect(textOf(doc)).toContain('Published');
    expect(element(element(doc, 'nav'), 'ul').attrs.get('lang')).toBe('sq');
  });
});

describe('inLanguage', () => {
  it("keeps the newsroom's locale for its own language, and a tag's own region otherwise", () => {
    expect(inLanguage(ALBANIAN_SITE, 'sq')).toBe(ALBANIAN_SITE);
    expect(inLanguage(ALBANIAN_SITE, undefined)).toBe(ALBANIAN_SITE);
    expect(inLanguage({ ...ALBANIAN_SITE, language: 'sq-AL' }, 'sq').locale).toBe('sq-AL');
    expect(inLanguage(ALBANIAN_SITE, 'sq-XK').locale).toBe('sq-XK');
    expect(inLanguage(ALBANIAN_SITE, 'en').locale).toBe('en');
    expect(inLanguage(ALBANIAN_SITE, 'en').copyLanguage).toBe('sq');
    expect(inLanguage(ALBANIAN_SITE, 'sq-XK').copyLanguage).toBeUndefined();
    // One derived site per language, so caches keyed by the site keep working.
    expect(inLanguage(SITE, 'sq')).toBe(inLanguage(SITE, 'sq'));
  });

  it('gives Open Graph a language_TERRITORY locale', () => {
    expect(openGraphLocale({ language: 'en' })).toBe('en_US');
    expect(openGraphLocale({ language: 'sq' })).toBe('sq_AL');
    expect(openGraphLocale({ language: 'sq', locale: 'sq-XK' })).toBe('sq_XK');
    expect(openGraphLocale({ language: 'en', locale: 'en-GB' })).toBe('en_GB');
  });
});

describe('the message catalogues', () => {
  it('have every label in every supported language, none left empty or in English where it should not be', () => {
    const en = messagesFor('en');
    for (const language of SUPPORTED_LANGUAGES) {
      const messages = messagesFor(language);
      for (const [key, value] of Object.entries(messages)) {
        const text = typeof value === 'function' ? value('X', 'Y') : JSON.stringify(value);
        expect(text.trim().length, `${language}.${key}`).toBeGreaterThan(0);
      }
    }
    // Albanian differs from English wherever a word is said (brand names such as "JSON Feed" aside).
    const same = Object.keys(en).filter(
      (key) =>
        typeof en[key as keyof typeof en] === 'string' &&
        en[key as keyof typeof en] === messagesFor('sq')[key as keyof typeof en],
    );
    expect(same).toEqual([]);
  });
});
