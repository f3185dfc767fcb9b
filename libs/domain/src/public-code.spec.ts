import { formatPublicCode, generatePublicCode, malformedCodeDetail, parsePublicCode } from './public-code';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const FORMAT = /^RN-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
const compact = (code: string) => code.replace(/^RN-/, '').replace('-', '');

/** A deterministic PRNG, so a failure can be replayed. */
function seeded(seed: number): (max: number) => number {
  let s = seed >>> 0;
  return (max) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.floor((s / 2 ** 32) * max);
  };
}

/** A random source that replays the given values. */
function seededSeq(values: number[]): (max: number) => number {
  let i = 0;
  return () => values[i++ % values.length];
}

/** The valid code whose first seven symbols are `body`. */
function codeFor(body: string): string {
  for (const c of ALPHABET) {
    const parsed = parsePublicCode(body + c);
    if (parsed.ok) return parsed.code;
  }
  throw new Error(`no check symbol for ${body}`);
}

describe('generatePublicCode', () => {
  it('prints RN-XXXX-XXXX in the Crockford alphabet (no I, L, O, U)', () => {
    for (let i = 0; i < 1000; i++) expect(generatePublicCode()).toMatch(FORMAT);
  });

  it('10,000 generated codes all parse back to themselves and are distinct', () => {
    const codes = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const code = generatePublicCode();
      expect(parsePublicCode(code)).toEqual({ ok: true, code });
      codes.add(code);
    }
    expect(codes.size).toBe(10_000);
  });

  it('uses the random source it is given, symbol by symbol', () => {
    expect(generatePublicCode(() => 0)).toBe(formatPublicCode('0000000' + '0'));
    const code = generatePublicCode(() => 31);
    expect(code.startsWith('RN-ZZZZ-ZZZ')).toBe(true);
    expect(parsePublicCode(code).ok).toBe(true);
  });

  it('the check symbol spans the whole alphabet', () => {
    const checks = new Set<string>();
    const rnd = seeded(1);
    for (let i = 0; i < 5000; i++) checks.add(generatePublicCode(rnd).slice(-1));
    expect(checks.size).toBe(32);
  });

  it('agrees with an independent Luhn mod 32 validation (Wikipedia "Luhn mod N", validating form)', () => {
    // Validation: from the rightmost symbol (the check), factors 1, 2, 1, 2…; sum of the
    // base-32 digits of each product; the code is valid iff the sum is 0 mod 32.
    const luhnValid = (c: string) => {
      let sum = 0;
      for (let i = c.length - 1, factor = 1; i >= 0; i--, factor = 3 - factor) {
        const p = factor * ALPHABET.indexOf(c[i]);
        sum += Math.floor(p / 32) + (p % 32);
      }
      return sum % 32 === 0;
    };
    const rnd = seeded(3);
    for (let i = 0; i < 2000; i++) {
      const c = compact(generatePublicCode(rnd));
      expect([c, luhnValid(c)]).toEqual([c, true]);
      // and the one-off neighbour of the check symbol is invalid for both
      const off = c.slice(0, 7) + ALPHABET[(ALPHABET.indexOf(c[7]) + 1 + (i % 31)) % 32];
      expect([off, luhnValid(off), parsePublicCode(off).ok]).toEqual([off, false, false]);
    }
    // A worked example: body 0000001 → 1 is doubled (factor 2) → sum 2 → check = 32 - 2 = 30 = 'Y'.
    expect(generatePublicCode(seededSeq([0, 0, 0, 0, 0, 0, 1]))).toBe('RN-0000-001Y');
  });
});

describe('parsePublicCode: error detection', () => {
  const rnd = seeded(42);
  const sample = Array.from({ length: 300 }, () => compact(generatePublicCode(rnd)));

  it('every single-symbol substitution (all 8 positions × 31 other symbols) is bad-check', () => {
    let tried = 0;
    const undetected: string[] = [];
    for (const c of sample)
      for (let pos = 0; pos < 8; pos++)
        for (const s of ALPHABET) {
          if (s === c[pos]) continue;
          const typo = c.slice(0, pos) + s + c.slice(pos + 1);
          const r = parsePublicCode(typo);
          if (r.ok || r.reason !== 'bad-check') undetected.push(typo);
          tried++;
        }
    expect(tried).toBe(300 * 8 * 31);
    expect(undetected).toEqual([]);
  });

  /** A valid compact code with `a` at `pos` and `b` at `pos + 1` (pos 6: `b` is the check symbol). */
  function codeWith(pos: number, a: string, b: string, filler: string): string {
    const body = filler.slice(0, 7).split('');
    body[pos] = a;
    if (pos < 6) {
      body[pos + 1] = b;
      return compact(codeFor(body.join('')));
    }
    // The check symbol is a permutation of any single body symbol: vary body[0] until it is `b`.
    for (const x of ALPHABET) {
      body[0] = x;
      const c = compact(codeFor(body.join('')));
      if (c[7] === b) return c;
    }
    throw new Error('unreachable');
  }

  it('adjacent transpositions, exhaustively: all but 0↔Z are caught (990 of 992 pairs, 99.8 %)', () => {
    let tried = 0;
    const missed = new Set<string>();
    const wrongReason: string[] = [];
    for (let pos = 0; pos < 7; pos++)
      for (const a of ALPHABET)
        for (const b of ALPHABET) {
          if (a === b) continue;
          const c = codeWith(pos, a, b, sample[tried % sample.length]);
          if (!parsePublicCode(c).ok) throw new Error(`setup: ${c} should be valid`);
          const swapped = c.slice(0, pos) + b + a + c.slice(pos + 2);
          tried++;
          const r = parsePublicCode(swapped);
          if (r.ok) missed.add(`${a}${b}@${pos}`);
          else if (r.reason !== 'bad-check') wrongReason.push(swapped);
        }
    expect(tried).toBe(7 * 32 * 31);
    expect(wrongReason).toEqual([]);
    // Luhn mod 32 misses exactly the 0↔Z swap (like Luhn mod 10 misses 09↔90), at every position.
    const expectedMisses = [0, 1, 2, 3, 4, 5, 6].flatMap((pos) => [`0Z@${pos}`, `Z0@${pos}`]);
    expect([...missed].sort()).toEqual(expectedMisses.sort());
    expect(1 - missed.size / tried).toBeCloseTo(990 / 992, 10);
  });

  it('adjacent transpositions on random codes: measured detection rate ≥ 99.5 %', () => {
    let tried = 0;
    let caught = 0;
    for (const c of sample)
      for (let pos = 0; pos < 7; pos++) {
        if (c[pos] === c[pos + 1]) continue;
        tried++;
        const swapped = c.slice(0, pos) + c[pos + 1] + c[pos] + c.slice(pos + 2);
        if (!parsePublicCode(swapped).ok) caught++;
      }
    // Analytically 990/992 ≈ 99.80 % of distinct adjacent pairs.
    expect(caught / tried).toBeGreaterThanOrEqual(0.995);
  });
});

describe('parsePublicCode: what people and scanners send', () => {
  const code = generatePublicCode(seeded(7));
  const bare = compact(code);
  const ok = { ok: true, code };

  it.each([
    ['canonical', code],
    ['lowercase', code.toLowerCase()],
    ['no dashes', `RN${bare}`],
    ['no dashes, lowercase', `rn${bare.toLowerCase()}`],
    ['no RN prefix', `${bare.slice(0, 4)}-${bare.slice(4)}`],
    ['no RN prefix, no dashes', bare],
    ['spaces instead of dashes', `RN ${bare.slice(0, 4)} ${bare.slice(4)}`],
    ['full URL', `https://renum.example.org/d/${code}`],
    ['full URL with query and fragment', `https://x/d/${code}?utm=label#top`],
    ['full URL, lowercase code', `https://x/d/${code.toLowerCase()}`],
    ['surrounding whitespace', `   ${code}\t `],
    ['keyboard-wedge CR/LF suffix', `${code}\r\n`],
    ['AIM prefix ]Q1 (QR)', `]Q1${code}`],
    ['AIM prefix with a URL', `]Q1https://x/d/${code}\r\n`],
    ['AIM prefix, no RN, no dashes', `]Q1${bare}`],
    ['AIM prefix ]C0 (Code 128)', `]C0${code}`],
  ])('accepts %s', (_, raw) => {
    expect(parsePublicCode(raw)).toEqual(ok);
  });

  it('Crockford read-aliases: O→0, I→1, L→1, in either case', () => {
    const withZeroAndOne = codeFor('10A01B0');
    const c = compact(withZeroAndOne);
    expect(parsePublicCode(c.replace(/0/g, 'O'))).toEqual({ ok: true, code: withZeroAndOne });
    expect(parsePublicCode(c.replace(/0/g, 'o'))).toEqual({ ok: true, code: withZeroAndOne });
    expect(parsePublicCode(c.replace(/1/g, 'I'))).toEqual({ ok: true, code: withZeroAndOne });
    expect(parsePublicCode(c.replace(/1/g, 'l'))).toEqual({ ok: true, code: withZeroAndOne });
    expect(parsePublicCode(`RN-${c.replace(/1/g, 'L').replace(/0/g, 'O')}`)).toEqual({ ok: true, code: withZeroAndOne });
  });

  it.each([
    ['empty', ''],
    ['only whitespace', '  \r\n'],
    ['one symbol short', bare.slice(0, 7)],
    ['one symbol long', bare + '0'],
    ['prefix and one symbol short', `RN-${bare.slice(0, 7)}`],
    ['two codes glued', bare + bare],
    ['U is not Crockford', bare.slice(0, 7) + 'U'],
    ['URL without a code', 'https://x/d/'],
  ])('rejects %s as malformed', (_, raw) => {
    expect(parsePublicCode(raw)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('never throws on null/undefined from a sloppy caller', () => {
    expect(parsePublicCode(undefined as unknown as string)).toEqual({ ok: false, reason: 'malformed' });
    expect(parsePublicCode(null as unknown as string)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('a URL carrying a mistyped code is bad-check, not malformed', () => {
    const typo = bare.slice(0, 7) + ALPHABET[(ALPHABET.indexOf(bare[7]) + 1) % 32];
    expect(parsePublicCode(`https://x/d/${typo}`)).toEqual({ ok: false, reason: 'bad-check' });
  });
});

describe('malformedCodeDetail', () => {
  it.each([
    ['RN-NFQZ-HUZV', /la lettre U n'y figure jamais \(c'est sans doute un V\)/],
    ['RN-ABCD-EFG', /il compte 7 caractère\(s\) après « RN- » au lieu de 8/],
    ['ABCD-EFGHJ', /il compte 9 caractère\(s\)/],
    ['rn abcd efghjk', /il compte 10 caractère\(s\)/],
  ])('tells what is wrong with %s', (typed, message) => {
    expect(parsePublicCode(typed)).toEqual({ ok: false, reason: 'malformed' });
    expect(malformedCodeDetail(typed)).toMatch(message);
    expect(malformedCodeDetail(typed)).toContain(`« ${typed} »`);
  });
});

it('the example code of the docs and the pages is a valid code', () => {
  expect(parsePublicCode('RN-4F7K-2QXJ')).toEqual({ ok: true, code: 'RN-4F7K-2QXJ' });
});
