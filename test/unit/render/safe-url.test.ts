import { describe, expect, it } from 'vitest';
import { articleImage } from '../../../functions/render/article-image';
import { httpUrl, isAllowedLinkTarget, isExternalLink } from '../../../functions/render/safe-url';

const BASE = 'https://news.example.com';

describe('httpUrl (hero and share images)', () => {
  it('keeps an http hero image, not only https', () => {
    expect(httpUrl('http://img.example.com/hero.jpg')).toBe('http://img.example.com/hero.jpg');
    expect(articleImage({ imageUrl: 'http://img.example.com/hero.jpg', imageAlt: 'Crowd' })).toEqual({
      url: 'http://img.example.com/hero.jpg',
      alt: 'Crowd',
    });
  });

  it('keeps an https image, normalised as a browser would read it', () => {
    expect(httpUrl('https://img.example.com/hero.jpg')).toBe('https://img.example.com/hero.jpg');
    expect(httpUrl('HTTPS://IMG.Example.COM/Hero.jpg')).toBe('https://img.example.com/Hero.jpg');
    expect(httpUrl('https://img.example.com/a b.jpg')).toBe('https://img.example.com/a%20b.jpg');
  });

  it('keeps an image whose URL was pasted with spaces around it', () => {
    expect(httpUrl('  https://img.example.com/hero.jpg\n')).toBe('https://img.example.com/hero.jpg');
  });

  it.each([
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a data: URL', 'data:image/png;base64,iVBORw0KGgo='],
    ['an ftp URL', 'ftp://files.example.com/hero.jpg'],
    ['a protocol-relative URL', '//img.example.com/hero.jpg'],
    ['a path on this site', '/images/hero.jpg'],
    ['a scheme that merely ends in http', 'xhttp://img.example.com/hero.jpg'],
    ['text before the URL', 'see https://img.example.com/hero.jpg'],
    ['an http URL with no host', 'http://'],
    ['an https URL that does not parse', 'https://[img.example.com/hero.jpg'],
    ['nothing', ''],
  ])('drops %s', (_, value) => {
    expect(httpUrl(value)).toBeUndefined();
  });

  it.each([
    'https:img.example.com/hero.jpg',
    'http:/img.example.com/hero.jpg',
    'https:\\\\img.example.com/hero.jpg',
    'https:/https://img.example.com/hero.jpg',
  ])('drops %j, an http(s) URL without its two slashes that a browser would still guess at', (value) => {
    expect(httpUrl(value)).toBeUndefined();
  });

  it('has no image when there is no URL', () => {
    expect(httpUrl(undefined)).toBeUndefined();
    expect(articleImage({ imageUrl: undefined, imageAlt: 'Crowd' })).toBeUndefined();
  });
});

describe('isAllowedLinkTarget (links and images in article Markdown)', () => {
  it.each([
    'https://example.org/report',
    'http://example.org/report',
    'HTTPS://EXAMPLE.ORG/REPORT',
    'Http://example.org/',
    'mailto:desk@example.com',
    'MAILTO:desk@example.com',
    '/bota/some-story',
    'bota/some-story',
    '#notes',
    '?page=2',
    '',
  ])('lets %j become a link', (target) => {
    expect(isAllowedLinkTarget(target)).toBe(true);
  });

  it.each(['/wiki/Category:News', '?time=12:30', '#notes:1', './a:b'])(
    'lets a relative link with a colon after its first / ? or # through: %j',
    (target) => {
      expect(isAllowedLinkTarget(target)).toBe(true);
    },
  );

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'vbscript:msgbox(1)',
    'data:text/html;base64,PHNjcmlwdD4=',
    'file:///etc/passwd',
    'ftp://files.example.org/',
    'tel:+355400000',
    'x-custom+scheme.v1:payload',
  ])('refuses the scheme of %j', (target) => {
    expect(isAllowedLinkTarget(target)).toBe(false);
  });

  it.each([
    ['a tab', 'java\tscript:alert(1)'],
    ['a line break', 'java\nscript:alert(1)'],
    ['a NUL', 'java\u0000script:alert(1)'],
    ['a leading space', ' javascript:alert(1)'],
    ['DEL', 'java\u007fscript:alert(1)'],
    ['a C1 control', 'java\u0085script:alert(1)'],
    ['the last C1 control', 'java\u009fscript:alert(1)'],
  ])('sees through %s hidden in a scheme', (_, target) => {
    expect(isAllowedLinkTarget(target)).toBe(false);
  });

  it.each([
    ['a backslash', '\\\\evil.example/x'],
    ['a slash and a backslash', '/\\evil.example/x'],
    ['a slash, a tab and a backslash', '/\t\\evil.example/x'],
  ])('refuses a link that browsers read as another host: %s', (_, target) => {
    expect(isAllowedLinkTarget(target)).toBe(false);
  });

  it.each(['1javascript:alert(1)', '_x:alert(1)', 'é:alert(1)', '1a:b/c'])(
    'refuses a colon that comes before any / ? or #: %j',
    (target) => {
      expect(isAllowedLinkTarget(target)).toBe(false);
    },
  );
});

describe('isExternalLink (rel hints on links that leave the site)', () => {
  it.each([
    'https://example.org/',
    'http://example.org/',
    'HTTPS://EXAMPLE.ORG/',
    '//example.org/report',
    'https://news.example.com.evil.example/',
  ])('marks %j as leaving the site', (href) => {
    expect(isExternalLink(href, BASE)).toBe(true);
  });

  it.each([
    'https://news.example.com/bota/story',
    'HTTPS://NEWS.EXAMPLE.COM/',
    '//news.example.com/bota/story',
    '/bota/story',
    'bota/story',
    '#notes',
    'mailto:desk@example.com',
    'mailto:?body=Read%20this:%20https://example.org/story',
  ])('does not mark %j, which stays on the site or is no web link', (href) => {
    expect(isExternalLink(href, BASE)).toBe(false);
  });

  it('treats a link it cannot read as leaving the site', () => {
    expect(isExternalLink('https://[example.org/', BASE)).toBe(true);
    expect(isExternalLink('https://example.org/', '')).toBe(true);
  });
});
