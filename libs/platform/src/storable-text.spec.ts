import { MAX_BODY_DEPTH, refuseUnstorableText, unstorableTextPath } from './storable-text';

describe('unstorableTextPath', () => {
  it('accepts any real text, emoji (surrogate pairs) included', () => {
    expect(unstorableTextPath({ name: 'Atelier « Éole » 🚲', tags: ['a', 'é'], n: 3, none: null }, '')).toBeUndefined();
  });

  it.each([
    [{ pickupAddress: 'rue\u0000x' }, 'pickupAddress'],
    [{ devices: [{ brand: 'ok' }, { brand: 'HP\ud800' }] }, 'devices[1].brand'],
    [{ notes: 'fin\udc00' }, 'notes'],
    [{ ['bad\u0000key']: 1 }, 'bad\u0000key'],
    ['\u0000', ''],
  ])('names the first field holding U+0000 or a lone surrogate', (value, path) => {
    expect(unstorableTextPath(value, '')).toBe(path);
  });

  it('refuses a body nested deeper than any Renum accepts with a 400, instead of overflowing the stack', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
    expect(() => refuseUnstorableText(deep)).toThrow(expect.objectContaining({ status: 400 }));
    let fits: unknown = 'x';
    for (let i = 0; i < MAX_BODY_DEPTH; i++) fits = { a: fits };
    expect(() => refuseUnstorableText(fits)).not.toThrow();
    expect(() => refuseUnstorableText({ a: fits })).toThrow(expect.objectContaining({ status: 400 }));
  });
});
