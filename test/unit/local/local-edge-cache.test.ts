import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CACHED_API_PATHS as INFRA_CACHED_API_PATHS,
  SiteDistribution,
} from '../../../infra/constructs/site-distribution';
import type { GatewayRequest, GatewayResponse } from '../../../local/api-gateway';
import {
  CACHED_API_PATHS,
  EdgeCache,
  edgeCacheKey,
  edgeLifetime,
  forwardedToCachedOrigin,
  PUBLIC_API_CACHE_KEY_HEADERS,
  PUBLIC_API_CACHE_TTL,
} from '../../../local/local-server';

describe('the local edge cache mirrors the distribution', () => {
  interface CacheBehavior {
    PathPattern: string;
    CachePolicyId: unknown;
  }
  let behaviours: CacheBehavior[];
  let policies: Record<string, { Properties: { CachePolicyConfig: Record<string, unknown> } }>;

  beforeAll(() => {
    // The distribution's own functions are not what this is about: no bundling.
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Site', { env: { account: '123456789012', region: 'eu-central-1' } });
    new SiteDistribution(stack, 'Site', { apiDomainName: 'api.example.com' });
    const template = Template.fromStack(stack).toJSON() as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const distribution = Object.values(template.Resources).find(
      (resource) => resource.Type === 'AWS::CloudFront::Distribution',
    );
    if (!distribution) throw new Error('no distribution in the template');
    behaviours = (distribution.Properties.DistributionConfig as { CacheBehaviors: CacheBehavior[] })
      .CacheBehaviors;
    policies = template.Resources as unknown as typeof policies;
  }, 60_000);

  it('caches exactly the paths CloudFront caches', () => {
    expect([...CACHED_API_PATHS]).toEqual([...INFRA_CACHED_API_PATHS]);
    const cached = behaviours.filter((behaviour) => typeof behaviour.CachePolicyId === 'object');
    expect(cached.map((behaviour) => behaviour.PathPattern).sort()).toEqual([...CACHED_API_PATHS].sort());
  });

  it('uses the TTLs and the cache key of the PublicApiCache policy', () => {
    for (const behaviour of behaviours.filter((b) => typeof b.CachePolicyId === 'object')) {
      const id = (behaviour.CachePolicyId as { Ref: string }).Ref;
      const config = policies[id]?.Properties.CachePolicyConfig as {
        MinTTL: number;
        DefaultTTL: number;
        MaxTTL: number;
        ParametersInCacheKeyAndForwardedToOrigin: {
          HeadersConfig: { HeaderBehavior: string; Headers: string[] };
          CookiesConfig: { CookieBehavior: string };
        };
      };
      expect({ min: config.MinTTL, default: config.DefaultTTL, max: config.MaxTTL }).toEqual(
        PUBLIC_API_CACHE_TTL,
      );
      const key = config.ParametersInCacheKeyAndForwardedToOrigin;
      expect(key.HeadersConfig.HeaderBehavior).toBe('whitelist');
      expect(key.HeadersConfig.Headers.map((name) => name.toLowerCase())).toEqual([
        ...PUBLIC_API_CACHE_KEY_HEADERS,
      ]);
      expect(key.CookiesConfig.CookieBehavior).toBe('none');
    }
  });
});

describe('edgeLifetime', () => {
  it.each([
    ['public, max-age=30, s-maxage=30, stale-while-revalidate=300', 30, 300, 0],
    ['public, max-age=300, s-maxage=300, stale-while-revalidate=3600', 300, 3600, 0],
    // s-maxage wins over max-age, and the policy's maximum caps it.
    ['public, max-age=10, s-maxage=31536000', 300, 0, 0],
    ['max-age=45', 45, 0, 0],
    ['public, max-age=60, stale-if-error=86400', 60, 0, 86_400],
    // Neither: the policy's default TTL.
    [undefined, 30, 0, 0],
    ['public', 30, 0, 0],
  ])('%s → %d s (+%d s while revalidating, +%d s on errors)', (header, ttl, swr, sie) => {
    expect(edgeLifetime(200, header)).toEqual({
      ttlMs: ttl * 1000,
      staleWhileRevalidateMs: swr * 1000,
      staleIfErrorMs: sie * 1000,
    });
  });

  it.each(['no-store', 'private, no-cache', 'private, max-age=60', 'no-cache', 'max-age=0', 's-maxage=0'])(
    'does not cache %s with a minimum TTL of 0',
    (header) => {
      expect(edgeLifetime(200, header)).toBeUndefined();
    },
  );

  it('keeps no-store answers for the minimum TTL when it is above 0, as CloudFront does', () => {
    expect(edgeLifetime(200, 'no-store', { min: 5, default: 30, max: 300 })?.ttlMs).toBe(5000);
  });

  it.each([201, 204, 304, 400, 401, 404, 500, 503])('does not cache a %d', (status) => {
    expect(edgeLifetime(status, 'public, max-age=60')).toBeUndefined();
  });
});

describe('the cache key and what reaches the origin', () => {
  it('keys on path, query and Origin', () => {
    const base = edgeCacheKey('/api/latest', 'limit=5', {});
    expect(edgeCacheKey('/api/latest', 'limit=5', { authorization: 'Bearer x', cookie: 'a=b' })).toBe(base);
    expect(edgeCacheKey('/api/latest', 'limit=6', {})).not.toBe(base);
    expect(edgeCacheKey('/api/sections', 'limit=5', {})).not.toBe(base);
    expect(edgeCacheKey('/api/latest', 'limit=5', { origin: 'https://app.example' })).not.toBe(base);
  });

  it('forwards only the key headers: no token, no cookie, not the viewer Host', () => {
    expect(
      forwardedToCachedOrigin({
        host: 'localhost:3000',
        origin: 'https://app.example',
        authorization: 'Bearer x',
        cookie: 'a=b',
        'accept-language': 'sq',
      }),
    ).toEqual({ origin: 'https://app.example' });
  });
});

describe('EdgeCache', () => {
  const request: GatewayRequest = {
    method: 'GET',
    url: '/api/latest',
    headers: {},
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
  };

  /** An origin whose answers are numbered, with a clock the test moves. */
  function setUp(cacheControl = 'public, max-age=30, s-maxage=30, stale-while-revalidate=300') {
    const clock = { now: 1_000_000 };
    const calls: number[] = [];
    let status = 200;
    let pending: ((answer: GatewayResponse) => void) | undefined;
    let hold = false;
    const origin = async (): Promise<GatewayResponse> => {
      calls.push(calls.length + 1);
      const answer: GatewayResponse = {
        statusCode: status,
        headers: { 'cache-control': status === 200 ? cacheControl : 'no-store' },
        body: Buffer.from(String(calls.length)),
      };
      if (!hold) return answer;
      return new Promise((resolve) => {
        pending = () => resolve(answer);
      });
    };
    const cache = new EdgeCache(origin, () => clock.now);
    const body = async (key = 'k') => (await cache.get(key, request)).body.toString();
    return {
      cache,
      clock,
      calls,
      body,
      setStatus: (value: number) => {
        status = value;
      },
      holdAnswers: () => {
        hold = true;
      },
      release: () => pending?.(undefined as unknown as GatewayResponse),
    };
  }

  it('answers from the cache within the TTL, with its age, and asks the origin again after it', async () => {
    const { cache, clock, calls, body } = setUp('public, s-maxage=30');
    const first = await cache.get('k', request);
    expect(first.age).toBeUndefined();
    clock.now += 12_500;
    const second = await cache.get('k', request);
    expect(second.age).toBe(12);
    expect(second.body.toString()).toBe('1');
    clock.now += 20_000;
    expect(await body()).toBe('2');
    expect(calls).toHaveLength(2);
  });

  it('serves a stale answer while one request refreshes it in the background', async () => {
    const { clock, calls, body } = setUp();
    await body();
    clock.now += 31_000;
    expect(await Promise.all([body(), body(), body()])).toEqual(['1', '1', '1']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toHaveLength(2);
    expect(await body()).toBe('2');
    // Past stale-while-revalidate the answer is too old to serve: the origin answers the request.
    clock.now += 331_000;
    expect(await body()).toBe('3');
  });

  it('keeps at most a thousand answers, dropping the oldest', async () => {
    const { calls, body } = setUp();
    for (let key = 0; key <= 1000; key += 1) await body(`k${key}`);
    expect(await body('k1000')).toBe('1001');
    expect(await body('k1')).toBe('2');
    expect(await body('k0')).toBe('1002');
    expect(calls).toHaveLength(1002);
  });

  it('keeps keys apart and does not cache what must not be cached', async () => {
    const { calls, body, setStatus } = setUp();
    expect([await body('a'), await body('b'), await body('a')]).toEqual(['1', '2', '1']);
    setStatus(400);
    expect([await body('c'), await body('c')]).toEqual(['3', '4']);
    expect(calls).toHaveLength(4);
  });

  it('serves a stale answer when the origin fails, within stale-if-error', async () => {
    const { clock, body, setStatus } = setUp('public, s-maxage=30, stale-if-error=60');
    await body();
    setStatus(503);
    clock.now += 45_000;
    expect(await body()).toBe('1');
    clock.now += 60_000;
    expect(await body()).toBe('3');
  });

  it('empties itself on a write, and never stores an answer fetched before the write', async () => {
    const { cache, calls, body, holdAnswers, release } = setUp();
    await body();
    cache.invalidateAll();
    expect(await body()).toBe('2');
    cache.invalidateAll();
    holdAnswers();
    const racing = body();
    await new Promise((resolve) => setImmediate(resolve));
    cache.invalidateAll();
    release();
    expect(await racing).toBe('3');
    // The answer that raced the write was passed on but not kept.
    const next = body();
    await new Promise((resolve) => setImmediate(resolve));
    release();
    expect(await next).toBe('4');
    expect(calls).toHaveLength(4);
  });
});
