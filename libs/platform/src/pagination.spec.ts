import { cursorValue, decodeCursor, encodeCursor } from './pagination';
import { ProblemException } from './problem';

const ID = '0190f5a2-7b3c-7d4e-8f60-123456789abc';
const shape = { t: cursorValue.oneOf(['LAPTOP', 'DESKTOP'] as const), p: cursorValue.int, i: cursorValue.uuid };
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('decodeCursor', () => {
  it('gives back what encodeCursor wrote, and nothing for no cursor', () => {
    expect(decodeCursor(encodeCursor({ t: 'LAPTOP', p: 1200, i: ID }), shape)).toEqual({ t: 'LAPTOP', p: 1200, i: ID });
    expect(decodeCursor(undefined, shape)).toBeUndefined();
    expect(decodeCursor('', shape)).toBeUndefined();
  });

  it.each([
    ['a value that is not a UUID', b64({ t: 'LAPTOP', p: 0, i: 'zz' })],
    ['a number too large for an integer column', b64({ t: 'LAPTOP', p: 2 ** 31, i: ID })],
    ['a price that is text', b64({ t: 'LAPTOP', p: '12', i: ID })],
    ['a fractional price', b64({ t: 'LAPTOP', p: 1.5, i: ID })],
    ['an unknown type', b64({ t: 'SPACESHIP', p: 0, i: ID })],
    ['a missing key', b64({ t: 'LAPTOP', p: 0 })],
    ['a list', b64(['LAPTOP', 0, ID])],
    ['null', b64(null)],
    ['garbage', '%%%not-base64'],
  ])('refuses %s with a 400 on the field cursor', (_what, cursor) => {
    let error: unknown;
    try {
      decodeCursor(cursor, shape);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProblemException);
    expect((error as ProblemException).problem).toMatchObject({
      status: 400,
      type: 'https://renum.fr/problems/validation-error',
      errors: [{ field: 'cursor', message: 'curseur invalide : reprenez la liste depuis le début' }],
    });
  });
});

describe('cursorValue.epochMicros', () => {
  it('takes a timestamp to the microsecond as a safe integer, nothing PostgreSQL could not read exactly', () => {
    expect(cursorValue.epochMicros(1_767_225_600_123_456)).toBe(true);
    expect(cursorValue.epochMicros(-1)).toBe(true);
    for (const v of [2 ** 53, 1.5, '1767225600123456', null, 1e300]) expect(cursorValue.epochMicros(v)).toBe(false);
  });
});
