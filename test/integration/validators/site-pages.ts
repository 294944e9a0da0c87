import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect, inject } from 'vitest';
import { objectKeyForPath } from '../../../functions/render/site-objects';
import { LOCAL_CREDENTIALS } from '../../../local/emulators';
import { adminToken, api, createArticle, editorToken } from '../support/api';
import { edit } from '../support/edit';
import { eventually, page, pathOf } from '../support/site';

/**
 * The page kinds the validators check, made on the shared local stack the way an editor makes them
 * (through the API), then read the way a reader reads them (through the site's origin), so that what
 * is validated is what is served.
 */

/** Every Markdown feature an article page renders: headings at each level, lists, links, quote, code. */
export const FEATURE_BODY = [
  'The alliance met in **The Hague** on Tuesday, its first summit there, with [the communiqué](https://example.org/communique) agreed the night before.',
  '## What was agreed',
  'Allies set a new spending target:',
  '- 3.5% of GDP on core defence\n- 1.5% on resilience and infrastructure\n- a review in 2029',
  '### The timetable',
  '1. Plans by next spring\n2. A first report in a year',
  '#### Who objected',
  '> "We will not be bound by a number," one minister said.',
  'The text is on the [alliance\u2019s site](https://example.org/nato) and in `annex-1.pdf`.',
  '![Leaders at the summit table](https://images.example.org/summit.jpg)',
].join('\n\n');

export const CORRECTION =
  'An earlier version of this article said the summit would be held in Brussels; it is held in The Hague.';

export interface SitePage {
  /** A short name, used as the file name the checker reports. */
  readonly name: string;
  readonly html: string;
}

/** Waits until a site path answers `status` and returns its body. */
export async function served(path: string, status = 200, contains?: string): Promise<string> {
  const response = await eventually(
    async () => {
      const answer = await page(path);
      if (answer.status !== status) return undefined;
      if (contains && !answer.text.includes(contains)) return undefined;
      return answer;
    },
    `${path} to answer ${status}${contains ? ` with ${contains}` : ''}`,
  );
  return response.text;
}

/**
 * An article with every feature a page shows: a photo with caption and credit, summary, tags, a correction,
 * Markdown of all kinds; featured, so it leads the home page.
 */
export async function publishFeatureArticle() {
  const { body } = await createArticle({
    title: 'Allies agree a new spending target in The Hague',
    section: 'bota',
    summary: 'The alliance sets 5% of GDP as its goal, with a review in 2029.',
    author: 'Arta Dade',
    tags: ['NATO', 'defence', 'The Hague'],
    imageUrl: 'https://images.example.org/summit-lead.jpg',
    imageAlt: 'Heads of government seated around the summit table',
    imageCaption: 'Heads of government before the opening session.',
    imageCredit: 'Summit pool photographer',
    imageWidth: 1600,
    imageHeight: 1000,
    // Leads the home page, so the validators check the front page's lead with its picture too.
    featured: true,
    body: FEATURE_BODY,
  });
  const corrected = await edit(body.id, body.version, { correction: CORRECTION });
  const path = pathOf(body.url);
  await served(path, 200, 'class="corrections"');
  return { id: body.id as string, path, url: body.url as string, version: corrected.version as number };
}

/** The page of one of the feature article's tags ("The Hague"), which lists it. */
export const TAG_PAGE_PATH = '/tags/the-hague/';

/** A plain article: no image, no summary, no tags. */
export async function publishPlainArticle() {
  const { body } = await createArticle({
    title: 'Weather: a dry week ahead',
    section: 'bota',
    summary: undefined,
    body: 'Sunny spells across the country, with light winds.',
  });
  const path = pathOf(body.url);
  await served(path);
  return { id: body.id as string, path, url: body.url as string };
}

/**
 * An article in Albanian on the English newsroom: the page is `lang="sq"`, with Albanian labels, and the
 * newsroom's own copy on it (section names, description) is marked `lang="en"`.
 */
export async function publishAlbanianArticle() {
  const { body } = await createArticle({
    title: 'Samiti i NATO-s nis në Hagë',
    section: 'bota',
    language: 'sq',
    summary: 'Udhëheqësit mblidhen për dy ditë.',
    author: 'Arta Dade',
    tags: ['NATO', 'Hagë'],
    body: '## Çfarë u vendos\n\nMinistri tha "jemi gati" para takimit.',
  });
  const path = pathOf(body.url);
  await served(path, 200, 'Lajmet e fundit');
  return { id: body.id as string, path, url: body.url as string };
}

/** An article deleted after publishing: its URL answers 410 with the gone page. */
export async function goneArticlePath(): Promise<string> {
  const { body } = await createArticle({ section: 'culture' });
  const path = pathOf(body.url);
  await served(path);
  const deleted = await api(`/api/articles/${body.id}`, { method: 'DELETE', token: adminToken() });
  expect(deleted.status, deleted.text).toBe(204);
  await served(path, 410);
  return path;
}

/**
 * The redirect page stored at an article's old URL after a slug change. The edge answers that URL with
 * a 301 before the bucket is read, so the page is read from the bucket itself.
 */
export async function redirectPageInBucket(): Promise<string> {
  const { body } = await createArticle({ section: 'sport' });
  const oldPath = pathOf(body.url);
  await served(oldPath);
  const renamed = await edit(body.id, body.version, { slug: `moved-${body.slug}` });
  await served(pathOf(renamed.url));
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: inject('s3Endpoint'),
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    return await eventually(async () => {
      const object = await client.send(
        new GetObjectCommand({ Bucket: inject('bucketName'), Key: objectKeyForPath(oldPath) }),
      );
      const text = (await object.Body?.transformToString()) ?? '';
      return text.includes('http-equiv="refresh"') ? text : undefined;
    }, `the redirect page at ${oldPath} in the bucket`);
  } finally {
    client.destroy();
  }
}

/** A draft's preview, as an editor sees it before publishing. */
export async function draftPreview(): Promise<string> {
  const { body } = await createArticle({
    status: 'draft',
    title: 'Draft: the budget vote',
    imageUrl: 'https://images.example.org/budget.jpg',
    imageAlt: 'The parliament chamber during the vote',
    tags: ['budget'],
    body: FEATURE_BODY,
  });
  const response = await api(`/api/articles/${body.id}/preview`, { token: editorToken() });
  expect(response.status, response.text).toBe(200);
  return response.text;
}

/** A path no article has ever had: the 404 page. */
export const missingPath = () => `/bota/no-such-story-${Date.now()}`;
