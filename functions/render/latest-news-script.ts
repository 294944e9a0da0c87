import { cspHash } from './csp-hash';
import { HOUR_CYCLE_BY_LANGUAGE, LIST_DATE_FORMAT } from './dates';

/** The element the refresher fills; the rendered list is complete on its own without JavaScript. */
export const LATEST_NEWS_LIST_ID = 'latest-news';

export const LATEST_NEWS_ENDPOINT = '/api/latest';

// Slugs and section slugs are SLUG_PATTERN (functions/domain/slug.ts, not imported: it brings a slugify
// library into every bundle that renders a page); a unit test keeps the two the same.
const SLUG = '[a-z0-9]+(?:-[a-z0-9]+)*';
/** The path of an article page, `/<section>/<slug>` (functions/domain/article.ts, `articlePath`). */
export const ARTICLE_PATH = new RegExp(`^/${SLUG}/${SLUG}$`);

/**
 * Refreshes the "Latest news" list rendered at publish time, so article pages never need re-rendering
 * when other articles are published. Kept tiny and framework-free. The API's answer is untrusted:
 * entries are built with createElement/textContent (never innerHTML), and an item's URL is reduced to its
 * path, which must be an article path (`/<section>/<slug>`, nothing else: no query, no fragment), and
 * linked root-relative. So the list works on whichever name the page is read on (the custom domain, the
 * `*.cloudfront.net` one, www or apex, localhost or 127.0.0.1: the API's absolute URLs name only one of
 * them) and never links off-site. Any failure leaves the rendered list as it was. It is a constant because the
 * Content-Security-Policy allows it by hash, and that header is the same for every page. It asks for one
 * entry more than it shows, since the page's own article is left out of its own list, and shows times in
 * the newsroom's zone and the page's locale, read from the list's `data-time-zone` and `data-locale`; a
 * headline in another language than the page's is marked with its own `lang`, as rendered ones are.
 *
 * An entry the page already shows is kept (a published time never changes; its headline is updated), and
 * a date formatter is built only for an entry it does not: the first `Intl` formatter with a time zone
 * loads the zone data, a long task of hundreds of milliseconds on a throttled phone (Lighthouse's
 * article-page TBT fell from 430 ms to about 100 ms when the unchanged list stopped building one).
 */
/** The script without its indentation: it is inlined into every article page, and none is in a string. */
const unindented = (source: string) => source.replace(/\n\s+/g, '\n');

export const LATEST_NEWS_SCRIPT = unindented(`(() => {
  const list = document.getElementById(${JSON.stringify(LATEST_NEWS_LIST_ID)});
  if (!list || !window.fetch) return;
  const limit = Number(list.getAttribute('data-limit')) || 10;
  fetch(${JSON.stringify(`${LATEST_NEWS_ENDPOINT}?limit=`)} + (limit + 1), { headers: { accept: 'application/json' }, credentials: 'omit' })
    .then((response) => (response.ok ? response.json() : null))
    .then((body) => {
      const items = body && Array.isArray(body.items) ? body.items : [];
      const lang = document.documentElement.lang || undefined;
      const primary = (tag) => String(tag || '').toLowerCase().split('-')[0];
      const locale = list.getAttribute('data-locale') || lang;
      const cycle = ${JSON.stringify(HOUR_CYCLE_BY_LANGUAGE)}[primary(lang)];
      const options = { ...${JSON.stringify(LIST_DATE_FORMAT)}, ...(cycle ? { hourCycle: cycle } : {}) };
      const articlePath = new RegExp(${JSON.stringify(ARTICLE_PATH.source)});
      let format;
      const formatter = () => {
        if (format) return format;
        try {
          format = new Intl.DateTimeFormat(locale, { ...options, timeZone: list.getAttribute('data-time-zone') || 'UTC' });
        } catch {
          format = new Intl.DateTimeFormat(lang, { ...options, timeZone: 'UTC' });
        }
        return format;
      };
      const shown = new Map();
      for (const entry of list.children) {
        const link = entry.querySelector('a');
        if (link) shown.set(link.getAttribute('href'), entry);
      }
      const entries = [];
      for (const item of items) {
        if (!item || typeof item.title !== 'string' || typeof item.url !== 'string') continue;
        let path;
        try {
          const url = new URL(item.url, location.href);
          path = url.search || url.hash ? '' : url.pathname;
        } catch {
          continue;
        }
        if (!articlePath.test(path) || path === location.pathname) continue;
        if (entries.length >= limit) break;
        const kept = shown.get(path);
        if (kept) {
          const link = kept.querySelector('a');
          if (link.textContent !== item.title) link.textContent = item.title;
          entries.push(kept);
          continue;
        }
        const entry = document.createElement('li');
        const link = document.createElement('a');
        link.href = path;
        link.textContent = item.title;
        if (typeof item.language === 'string' && primary(item.language) !== primary(lang)) link.lang = item.language;
        entry.append(link);
        const published = typeof item.publishedAt === 'string' ? new Date(item.publishedAt) : null;
        if (published && !Number.isNaN(published.getTime())) {
          const time = document.createElement('time');
          time.dateTime = published.toISOString();
          time.textContent = formatter().format(published);
          entry.append(' ', time);
        }
        entries.push(entry);
      }
      const same = entries.length === list.children.length && entries.every((entry, i) => entry === list.children[i]);
      if (entries.length > 0 && !same) list.replaceChildren(...entries);
    })
    .catch(() => {});
})();`);

export const LATEST_NEWS_SCRIPT_HASH = cspHash(LATEST_NEWS_SCRIPT);
