import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../../functions/render/bounded-cache';

const byLength = () => new BoundedCache<string, string>(10, (_key, value) => value.length);

describe('BoundedCache', () => {
  it('keeps entries while they fit', () => {
    const cache = byLength();
    cache.set('a', 'aaaa');
    cache.set('b', 'bbbb');
    expect(cache.get('a')).toBe('aaaa');
    expect(cache.get('b')).toBe('bbbb');
    expect(cache.size).toBe(8);
    expect(cache.count).toBe(2);
  });

  it('forgets the least recently used entries first, never holding more than its size', () => {
    const cache = byLength();
    cache.set('a', 'aaaa');
    cache.set('b', 'bbbb');
    cache.get('a'); // `b` is now the least recently used
    cache.set('c', 'cccc');
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('aaaa');
    expect(cache.get('c')).toBe('cccc');
    expect(cache.size).toBeLessThanOrEqual(10);
  });

  it('stays within its size whatever is put in it', () => {
    const cache = byLength();
    for (let index = 0; index < 1_000; index += 1) {
      cache.set(`key-${index % 37}`, 'x'.repeat(index % 7));
      expect(cache.size).toBeLessThanOrEqual(10);
    }
  });

  it('replaces an entry set again, counting only its new size', () => {
    const cache = byLength();
    cache.set('a', 'aaaaaaaa');
    cache.set('a', 'aa');
    expect(cache.get('a')).toBe('aa');
    expect(cache.size).toBe(2);
  });

  it('does not keep an entry larger than the whole budget, nor evict others for it', () => {
    const cache = byLength();
    cache.set('a', 'aaaa');
    cache.set('huge', 'h'.repeat(11));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.get('a')).toBe('aaaa');
  });

  it('deletes', () => {
    const cache = byLength();
    cache.set('a', 'aaaa');
    cache.delete('a');
    cache.delete('missing');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
