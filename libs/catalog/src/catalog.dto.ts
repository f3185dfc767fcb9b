import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEVICE_TYPES, DeviceType, Grade, GRADES } from '@renum/domain';
import { badRequest, PageQuery } from '@renum/platform';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** Upper bound of any price or cap we accept: 10,000 € (a typo guard, not a rule). */
export const MAX_CENTS = 1_000_000;

export class PutPriceCapDto {
  @ApiProperty({ description: 'New cap for this device type in the territory, in cents (incl. VAT)', minimum: 0, maximum: MAX_CENTS, example: 15000 })
  @IsInt()
  @Min(0)
  @Max(MAX_CENTS)
  capCents: number;
}

export class PutPriceGridDto {
  @ApiProperty({ description: 'Suggested solidarity price for this type and grade, in cents', minimum: 0, maximum: MAX_CENTS, example: 9000 })
  @IsInt()
  @Min(0)
  @Max(MAX_CENTS)
  priceCents: number;
}

export class CatalogQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DEVICE_TYPES })
  @IsOptional()
  @IsIn(DEVICE_TYPES)
  type?: DeviceType;

  @ApiPropertyOptional({ enum: GRADES })
  @IsOptional()
  @IsIn(GRADES)
  grade?: Grade;

  @ApiPropertyOptional({ minimum: 0, description: 'Only devices at or below this price (cents)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_CENTS)
  maxPriceCents?: number;
}

export const RESERVATION_STATUSES = ['ACTIVE', 'RELEASED', 'EXPIRED', 'DISTRIBUTED'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export class ReservationListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: RESERVATION_STATUSES })
  @IsOptional()
  @IsIn(RESERVATION_STATUSES)
  status?: ReservationStatus;
}

export class AuditListQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'price_cap.changed' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;
}

/** Path segments are not DTOs: checked here, with the same problem document as the pipe's. */
export function parseDeviceType(raw: string): DeviceType {
  const type = raw.toUpperCase();
  if (!(DEVICE_TYPES as readonly string[]).includes(type)) {
    throw badRequest(`« ${raw} » n'est pas un type de matériel.`, [{ field: 'type', message: `doit être l'une des valeurs : ${DEVICE_TYPES.join(', ')}` }]);
  }
  return type as DeviceType;
}

export function parseGrade(raw: string): Grade {
  const grade = raw.toUpperCase();
  if (!(GRADES as readonly string[]).includes(grade)) {
    throw badRequest(`« ${raw} » n'est pas un grade.`, [{ field: 'grade', message: `doit être l'une des valeurs : ${GRADES.join(', ')}` }]);
  }
  return grade as Grade;
}
