import { describe, expect, it } from 'vitest';
import {
  etagOf,
  header,
  idempotencyKey,
  ifMatchVersion,
  MAX_BODY_BYTES,
  pathParameter,
  readJsonBody,
} from '../../../functions/http/request';
import { refusal } from '../../support/refusal';
import { httpEvent, JSON_HEADERS } from './event';

/** A JSON document of exactly `bytes` UTF-8 bytes, written with `character` (which may be multi-byte). */
function jsonOfBytes(bytes: number, character: string): string {
  const width = Buffer.byteLength(character);
  const overhead = Buffer.byteLength('{"body":""}');
  const count = Math.floor((bytes - overhead) / width);
  const padding = 'x'.repeat(bytes - overhead - count * width);
  const text = `{"body":"${character.repeat(count)}${padding}"}`;
  expect(Buffer.byteLength(text)).toBe(bytes);
  return text;
}

describe('header', () => {
  it('finds a header whatever the case of its name', () => {
    const event = httpEvent({ headers: { 'Content-Type': 'application/json', 'if-match': '"1"' } });
    expect(header(event, 'content-type')).toBe('application/json');
    expect(header(event, 'If-Match')).toBe('"1"');
    expect(header(event, 'authorization')).toBeUndefined();
  });

  it('copes with an event without headers', () => {
    const event = { ...httpEvent(), headers: undefined } as unknown as Parameters<typeof header>[0];
    expect(header(event, 'content-type')).toBeUndefined();
  });
});

describe('pathParameter', () => {
  it('returns the parameter, or a 400 when it is missing', () => {
    const event = { ...httpEvent(), pathParameters: { id: 'abc' } };
    expect(pathParameter(event, 'id')).toBe('abc');
    expect(refusal(() => pathParameter(httpEvent(), 'id')).status).toBe(400);
  });
});

describe('readJsonBody', () => {
  it('parses a JSON object', () => {
    expect(readJsonBody(httpEvent({ headers: JSON_HEADERS, body: '{"title":"Hi","n":1}' }))).toEqual({
      title: 'Hi',
      n: 1,
    });
  });

  it.each([
    'application/json; charset=utf-8',
    'Application/JSON',
    'application/merge-patch+json',
    'application/vnd.flash-news.article+json; charset=UTF-8',
    'application/json ;charset=utf-8',
  ])('accepts the content type %j', (contentType) => {
    expect(readJsonBody(httpEvent({ headers: { 'content-type': contentType }, body: '{"a":1}' }))).toEqual({
      a: 1,
    });
  });

  it.each([
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/jsonp',
    'application/geo+json-seq',
    'x-application/vnd.flash-news.article+json',
  ])('refuses the content type %j with 415', (contentType) => {
    const error = refusal(() =>
      readJsonBody(httpEvent({ headers: { 'content-type': contentType }, body: '{}' })),
    );
    expect(error.status).toBe(415);
    expect(error.code).toBe('unsupported_media_type');
  });

  it('refuses a body without a content type with 415', () => {
    expect(refusal(() => readJsonBody(httpEvent({ body: '{"a":1}' }))).status).toBe(415);
  });

  it('checks the content type before the size', () => {
    const huge = 'x'.repeat(MAX_BODY_BYTES + 1);
    expect(
      refusal(() => readJsonBody(httpEvent({ headers: { 'content-type': 'text/plain' }, body: huge })))
        .status,
    ).toBe(415);
  });

  it('accepts a body of exactly 1 MiB', () => {
    const body = jsonOfBytes(MAX_BODY_BYTES, 'x');
    expect(readJsonBody(httpEvent({ headers: JSON_HEADERS, body }))).toHaveProperty('body');
  });

  it('refuses a body one byte over 1 MiB with 413', () => {
    const error = refusal(() =>
      readJsonBody(httpEvent({ headers: JSON_HEADERS, body: jsonOfBytes(MAX_BODY_BYTES + 1, 'x') })),
    );
    expect(error.status).toBe(413);
    expect(error.code).toBe('payload_too_large');
  });

  it('counts bytes, not characters: multi-byte text under 1 MiB characters but over 1 MiB bytes is 413', () => {
    const body = jsonOfBytes(MAX_BODY_BYTES + 3, 'ë');
    expect(body.length).toBeLessThan(MAX_BODY_BYTES);
    expect(refusal(() => readJsonBody(httpEvent({ headers: JSON_HEADERS, body }))).status).toBe(413);
  });

  it('accepts multi-byte text that fits in 1 MiB of bytes', () => {
    const body = jsonOfBytes(MAX_BODY_BYTES, '€');
    expect(readJsonBody(httpEvent({ headers: JSON_HEADERS, body }))).toHaveProperty('body');
  });

  it('counts the decoded bytes of a base64 body', () => {
    const fits = Buffer.from(jsonOfBytes(MAX_BODY_BYTES, 'x')).toString('base64');
    expect(fits.length).toBeGreaterThan(MAX_BODY_BYTES);
    expect(
      readJsonBody(httpEvent({ headers: JSON_HEADERS, body: fits, isBase64Encoded: true })),
    ).toHaveProperty('body');
    const over = Buffer.from(jsonOfBytes(MAX_BODY_BYTES + 1, 'x')).toString('base64');
    expect(
      refusal(() => readJsonBody(httpEvent({ headers: JSON_HEADERS, body: over, isBase64Encoded: true })))
        .status,
    ).toBe(413);
  });

  it('decodes a base64 body', () => {
    const body = Buffer.from('{"title":"Ëndërr"}').toString('base64');
    expect(readJsonBody(httpEvent({ headers: JSON_HEADERS, body, isBase64Encoded: true }))).toEqual({
      title: 'Ëndërr',
    });
  });

  it.each([
    ['a missing body', undefined],
    ['an empty body', ''],
    ['whitespace', '  \n '],
    ['truncated JSON', '{"title": "Hi"'],
    ['a trailing comma', '{"title": "Hi",}'],
    ['single quotes', "{'title': 'Hi'}"],
    ['not JSON at all', 'title=Hi'],
  ])('refuses %s with 400 invalid_json', (_, body) => {
    const error = refusal(() => readJsonBody(httpEvent({ headers: JSON_HEADERS, body })));
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_json');
  });

  it('refuses bytes that are not UTF-8 with 400 invalid_json', () => {
    const body = Buffer.concat([
      Buffer.from('{"title":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]).toString('base64');
    const error = refusal(() =>
      readJsonBody(httpEvent({ headers: JSON_HEADERS, body, isBase64Encoded: true })),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_json');
  });

  it.each([
    ['0xC3 0x28', [0xc3, 0x28]],
    ['0xFF', [0xff]],
    ['0xFE 0xFF', [0xfe, 0xff]],
    ['a UTF-8-encoded surrogate', [0xed, 0xa0, 0x80]],
  ])('refuses %s inside a JSON string with 400 invalid_json', (_, invalid) => {
    const body = Buffer.concat([Buffer.from('{"title":"a'), Buffer.from(invalid), Buffer.from('b"}')]);
    const error = refusal(() =>
      readJsonBody(
        httpEvent({ headers: JSON_HEADERS, body: body.toString('base64'), isBase64Encoded: true }),
      ),
    );
    expect(error).toMatchObject({ status: 400, code: 'invalid_json' });
  });

  it.each([
    ['a lone high surrogate', '{"title":"a\uD800b"}'],
    ['a lone low surrogate', '{"title":"a\uDC00b"}'],
    ['surrogates in the wrong order', '{"title":"\uDC00\uD800"}'],
  ])('refuses a text body with %s (no UTF-8 decodes to it) with 400 invalid_json', (_, body) => {
    const error = refusal(() => readJsonBody(httpEvent({ headers: JSON_HEADERS, body })));
    expect(error).toMatchObject({ status: 400, code: 'invalid_json' });
  });

  it('accepts a text body with a surrogate pair, and an escaped one', () => {
    expect(readJsonBody(httpEvent({ headers: JSON_HEADERS, body: '{"title":"a😀b"}' }))).toEqual({
      title: 'a😀b',
    });
    expect(readJsonBody(httpEvent({ headers: JSON_HEADERS, body: '{"title":"\\ud83d\\ude00"}' }))).toEqual({
      title: '😀',
    });
  });

  it('refuses an empty base64 body with 400', () => {
    const error = refusal(() =>
      readJsonBody(httpEvent({ headers: JSON_HEADERS, body: '', isBase64Encoded: true })),
    );
    expect(error.code).toBe('invalid_json');
  });

  it('returns JSON that is not an object as it is, for the schema to refuse', () => {
    expect(readJsonBody(httpEvent({ headers: JSON_HEADERS, body: '[1,2]' }))).toEqual([1, 2]);
    expect(readJsonBody(httpEvent({ headers: JSON_HEADERS, body: 'null' }))).toBeNull();
  });

  it('never leaks the parser message', () => {
    const error = refusal(() => readJsonBody(httpEvent({ headers: JSON_HEADERS, body: '{"a":' })));
    expect(error.message).toBe('The request body is not valid UTF-8 JSON');
  });
});

describe('ifMatchVersion', () => {
  const withIfMatch = (value: string) => httpEvent({ headers: { 'if-match': value } });

  it('refuses a missing If-Match with 428 when it is required', () => {
    const error = refusal(() => ifMatchVersion(httpEvent(), true));
    expect(error.status).toBe(428);
    expect(error.code).toBe('precondition_required');
  });

  it('treats a blank If-Match as missing', () => {
    expect(refusal(() => ifMatchVersion(withIfMatch('   '), true)).status).toBe(428);
    expect(ifMatchVersion(withIfMatch(''), false)).toBeUndefined();
  });

  it('returns undefined for a missing If-Match when it is optional', () => {
    expect(ifMatchVersion(httpEvent(), false)).toBeUndefined();
  });

  it('refuses If-Match: * with 428, required or not', () => {
    expect(refusal(() => ifMatchVersion(withIfMatch('*'), true)).status).toBe(428);
    expect(refusal(() => ifMatchVersion(withIfMatch(' * '), false)).status).toBe(428);
  });

  it.each([
    ['"3"', 3],
    ['3', 3],
    [' "42" ', 42],
    ['"123456789012345"', 123456789012345],
    ['42', 42],
  ])('reads %j as version %i', (value, version) => {
    expect(ifMatchVersion(withIfMatch(value), true)).toBe(version);
  });

  it('reads the value the ETag of a response carries', () => {
    expect(ifMatchVersion(withIfMatch(etagOf(7)), true)).toBe(7);
  });

  it.each([
    '"abc"',
    'W/"x1"',
    '"-1"',
    '"1.5"',
    '"1", "2"',
    '"1234567890123456"',
    'w/"3"',
    'W/"3"',
    '"3',
    '3"',
  ])(
    'reads %j (garbage, unbalanced or weak: If-Match compares strongly) as -1, which matches no version',
    (value) => {
      expect(ifMatchVersion(withIfMatch(value), true)).toBe(-1);
    },
  );
});

describe('etagOf', () => {
  it('is a strong, quoted version number', () => {
    expect(etagOf(1)).toBe('"1"');
    expect(etagOf(12)).toBe('"12"');
  });
});

describe('idempotencyKey', () => {
  const withKey = (value: string) => httpEvent({ headers: { 'idempotency-key': value } });

  it('is undefined when not sent', () => {
    expect(idempotencyKey(httpEvent())).toBeUndefined();
  });

  it.each(['a', '8e0b2f9c-4b5e-4a8e-9a55-5f3c1a2b7d10', 'create:article/2026-03-01#1', 'k'.repeat(255)])(
    'accepts %j',
    (value) => {
      expect(idempotencyKey(withKey(value))).toBe(value);
    },
  );

  it.each(['', 'has space', 'k'.repeat(256), 'clé', 'tab\there', 'line\nbreak'])(
    'refuses %j with 400',
    (value) => {
      const error = refusal(() => idempotencyKey(withKey(value)));
      expect(error.status).toBe(400);
      expect(error.details).toEqual([
        { field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
      ]);
    },
  );
});

describe('refusals of a request', () => {
  const withHeaders = (headers: Record<string, string>, body?: string) => httpEvent({ headers, body });

  it.each<[string, () => unknown]>([
    ['a missing path parameter', () => pathParameter(httpEvent(), 'id')],
    ['a body that is not JSON', () => readJsonBody(withHeaders({ 'content-type': 'text/plain' }, '{}'))],
    [
      'a body over the limit',
      () => readJsonBody(withHeaders(JSON_HEADERS, jsonOfBytes(MAX_BODY_BYTES + 1, 'x'))),
    ],
    ['an empty body', () => readJsonBody(withHeaders(JSON_HEADERS, ''))],
    ['a lone surrogate', () => readJsonBody(withHeaders(JSON_HEADERS, '{"a":"\uD800"}'))],
    ['malformed JSON', () => readJsonBody(withHeaders(JSON_HEADERS, '{"a":'))],
    ['a missing If-Match', () => ifMatchVersion(httpEvent(), true)],
    ['If-Match: *', () => ifMatchVersion(withHeaders({ 'if-match': '*' }), true)],
    ['a malformed Idempotency-Key', () => idempotencyKey(withHeaders({ 'idempotency-key': 'has space' }))],
  ])('tell the caller why, for %s', (_, action) => {
    expect(refusal(action).message).toMatch(/\w/);
  });
});
