import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { badRequest } from './problem';
import { UUID_PATTERN } from './uuid';

/** `?cursor=&limit=` of every list (API.md conventions). */
export class PageQuery {
  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page (nextCursor)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function encodeCursor(values: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/**
 * The page of a keyset query run with `LIMIT limit + 1`: the extra row only tells that another
 * page follows, which starts after the last row kept (`cursorOf` gives its position).
 */
export function keysetPage<R, T>(rows: R[], limit: number, present: (row: R) => T, cursorOf: (last: R) => Record<string, string | number>): Page<T> {
  const page = rows.slice(0, limit);
  return { items: page.map(present), nextCursor: rows.length > limit ? encodeCursor(cursorOf(page[page.length - 1])) : null };
}

/** A check of one decoded cursor value; the cursor's values go into SQL casts (`::uuid`, `::int`). */
export type CursorCheck<T> = (value: unknown) => value is T;

export const cursorValue = {
  uuid: ((v) => typeof v === 'string' && UUID_PATTERN.test(v)) as CursorCheck<string>,
  /** A PostgreSQL `integer`: a larger number fails the cast as surely as a string does. */
  int: ((v) => Number.isInteger(v) && Math.abs(v as number) <= 2 ** 31 - 1) as CursorCheck<number>,
  oneOf: <T extends string>(values: readonly T[]): CursorCheck<T> => (v): v is T => values.includes(v as T),
  /**
   * A PostgreSQL `timestamptz` as whole microseconds since the epoch (its full precision, which a
   * JS Date would cut to milliseconds); read with `extract(epoch …)`, a numeric, so exact.
   */
  epochMicros: ((v) => Number.isSafeInteger(v)) as CursorCheck<number>,
  /** A name as stored (an organisation's is at most 200 characters). */
  text: ((v) => typeof v === 'string' && v.length <= 200) as CursorCheck<string>,
};

export const invalidCursor = () =>
  badRequest('Curseur de pagination invalide : reprenez la liste depuis le début.', [{ field: 'cursor', message: 'curseur invalide : reprenez la liste depuis le début' }]);

/**
 * The position a client sends back is untrusted: every value is checked against `shape`, so a
 * tampered cursor is a 400 here rather than a 500 from PostgreSQL.
 */
export function decodeCursor<S extends Record<string, CursorCheck<string | number>>>(
  cursor: string | undefined,
  shape: S,
): { [K in keyof S]: S[K] extends CursorCheck<infer T> ? T : never } | undefined {
  if (!cursor) return undefined;
  let value: Record<string, unknown> | undefined;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalidCursor();
  for (const [key, check] of Object.entries(shape)) if (!check(value[key])) throw invalidCursor();
  return value as { [K in keyof S]: S[K] extends CursorCheck<infer T> ? T : never };
}
