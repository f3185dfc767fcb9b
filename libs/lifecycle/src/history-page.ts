import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/**
 * A device's history (its events, its erasure records) is read whole far more often than paged:
 * the device page, the certificate check, integrators that verify the chain. A device has a few
 * dozen events in its whole life (register, collect, wipe, refurbish, publish, a few reservations,
 * an erasure record per medium) and a handful of erasure records, so 200 a page keeps nearly
 * every client that read `{items}` before these lists were paged getting the whole history in
 * one page (a device reserved and released a hundred times would need `nextCursor`); 1,000
 * bounds what one request reads (an event is a few hundred bytes presented).
 */
export const HISTORY_PAGE_DEFAULT = 200;
export const HISTORY_PAGE_MAX = 1000;

/** `?cursor=&limit=` of a device's events and erasure records (API.md conventions), with the larger page above. */
export class HistoryPageQuery {
  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page (nextCursor)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: HISTORY_PAGE_MAX, default: HISTORY_PAGE_DEFAULT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(HISTORY_PAGE_MAX)
  limit?: number;
}
