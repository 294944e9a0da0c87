import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE, loadSiteConfig } from '../../../functions/config/site';
import { formatArticleDate, formatListDate } from '../../../functions/render/dates';

describe('loadSiteConfig', () => {
  it('defaults to Flash News, UTC and the configured sections, Bota first', () => {
    const site = loadSiteConfig({});
    expect(site).toMatchObject({ name: 'Flash News', language: 'en', timeZone: 'UTC' });
    expect(site.sections[0]).toEqual(expect.objectContaining({ slug: 'bota', name: 'Bota' }));
    expect(site.sections).toBe(DEFAULT_SITE.sections);
  });

  it('takes the name, public URL (without a trailing slash) and time zone from the environment', () => {
    const site = loadSiteConfig({
      SITE_NAME: 'Lajme',
      SITE_BASE_URL: 'https://news.example.com/',
      SITE_TIME_ZONE: 'Europe/Tirane',
    });
    expect(site).toMatchObject({
      name: 'Lajme',
      baseUrl: 'https://news.example.com',
      timeZone: 'Europe/Tirane',
    });
  });

  it('refuses a time zone that does not exist, at start rather than on the first page', () => {
    expect(() => loadSiteConfig({ SITE_TIME_ZONE: 'Mars/Olympus' })).toThrow(/SITE_TIME_ZONE/);
  });
});

describe('dates shown to readers', () => {
  it("are in the newsroom's time zone and name it", () => {
    const evening = '2026-11-27T23:30:00.000Z';
    expect(formatArticleDate(evening, { language: 'en', timeZone: 'UTC' })).toMatch(
      /November 27, 2026.*11:30.*UTC/,
    );
    expect(formatArticleDate(evening, { language: 'en', timeZone: 'Europe/Tirane' })).toMatch(
      /November 28, 2026.*12:30.*GMT\+1/,
    );
    expect(formatListDate(evening, { language: 'en', timeZone: 'Europe/Tirane' })).toMatch(/Nov 28.*GMT\+1/);
  });
});
