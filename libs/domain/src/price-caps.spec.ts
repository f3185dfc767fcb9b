import { formatEuros } from './lifecycle';
import { isWithinCap, LEGAL_PRICE_CAPS_CENTS } from './price-caps';

describe('legal price caps (décret du 7 novembre 2022, DOMAIN.md)', () => {
  it.each([
    ['LAPTOP', 18000],
    ['DESKTOP', 15000],
    ['TABLET', 10000],
    ['SMARTPHONE', 10000],
    ['MONITOR', 3000],
    ['PRINTER', 3000],
    ['MFP', 17000],
  ] as const)('%s: %i cents', (type, cents) => {
    expect(LEGAL_PRICE_CAPS_CENTS[type]).toBe(cents);
  });

  it('OTHER has a (coordinator-editable) default cap', () => {
    expect(Number.isInteger(LEGAL_PRICE_CAPS_CENTS.OTHER)).toBe(true);
  });

  it('isWithinCap: 0 ≤ integer price ≤ cap', () => {
    expect(isWithinCap(18000, 18000)).toBe(true);
    expect(isWithinCap(0, 18000)).toBe(true);
    expect(isWithinCap(18001, 18000)).toBe(false);
    expect(isWithinCap(-1, 18000)).toBe(false);
    expect(isWithinCap(99.5, 18000)).toBe(false);
    expect(isWithinCap(Number.NaN, 18000)).toBe(false);
    expect(isWithinCap(Number.POSITIVE_INFINITY, 18000)).toBe(false);
  });

  it('formats cents as French euros', () => {
    expect(formatEuros(18000)).toBe('180,00 €');
    expect(formatEuros(5)).toBe('0,05 €');
  });
});
