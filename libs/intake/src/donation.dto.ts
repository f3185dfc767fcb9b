import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEVICE_NUMBER_RULES, DEVICE_TEXT_MAX, DEVICE_TYPES, DeviceType, isCalendarDay, MAX_MEDIA_PER_DEVICE, MEDIUM_KINDS, MediumKind } from '@renum/domain';
import { Transform, Type } from 'class-transformer';
import { PageQuery, trim } from '@renum/platform';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';

// Bounds come from the domain (DEVICE_TEXT_MAX, DEVICE_NUMBER_RULES), shared with the CSV import;
// the domain's deviceInputProblems adds the rules a decorator cannot say (placeholder serials, future dates…).
const { estimatedValueCents: VALUE, weightKg: WEIGHT, capacityGb: CAPACITY } = DEVICE_NUMBER_RULES;

/** A day of the calendar, as the DATE column keeps it: a time or an offset would be dropped silently. */
const IsCalendarDay = () =>
  ValidateBy({
    name: 'isCalendarDay',
    validator: { validate: (value) => typeof value === 'string' && isCalendarDay(value), defaultMessage: () => 'doit être un jour AAAA-MM-JJ, sans heure, par exemple 2026-12-01' },
  });

export class CreateDonationDto {
  @ApiPropertyOptional({ example: 'DON-2026-014', description: 'Your own reference; generated if absent' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  reference?: string;

  @ApiProperty({ example: 'Hôtel de ville, 1 place de la Mairie, 69100 Villeurbanne' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  pickupAddress: string;

  @ApiPropertyOptional({ example: '2026-12-01', description: 'YYYY-MM-DD' })
  @IsOptional()
  @IsCalendarDay()
  plannedPickupDate?: string;
}

export class MediumInputDto {
  @ApiProperty({ enum: MEDIUM_KINDS })
  @IsIn(MEDIUM_KINDS)
  kind: MediumKind;

  @ApiProperty()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(DEVICE_TEXT_MAX.mediumSerialNumber)
  serialNumber: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(DEVICE_TEXT_MAX.mediumModel)
  model?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(CAPACITY.min)
  @Max(CAPACITY.max)
  capacityGb?: number;
}

/** API.md `DeviceInput`. */
export class DeviceInputDto {
  @ApiProperty({ enum: DEVICE_TYPES })
  @IsIn(DEVICE_TYPES)
  type: DeviceType;

  @ApiProperty({ example: 'Dell' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(DEVICE_TEXT_MAX.brand)
  brand: string;

  @ApiProperty({ example: 'Latitude 5490' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(DEVICE_TEXT_MAX.model)
  model: string;

  @ApiProperty({ example: '7XKQ2M2' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(DEVICE_TEXT_MAX.serialNumber)
  serialNumber: string;

  @ApiPropertyOptional({ example: 'VLO-2019-0042', description: "The donor's own inventory number" })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(DEVICE_TEXT_MAX.inventoryNumber)
  inventoryNumber?: string;

  @ApiPropertyOptional({ example: '2019-03-14', description: 'YYYY-MM-DD, not after today' })
  @IsOptional()
  @IsISO8601({ strict: true })
  acquisitionDate?: string;

  @ApiPropertyOptional({ example: 15000 })
  @IsOptional()
  @IsInt()
  @Min(VALUE.min)
  @Max(VALUE.max)
  estimatedValueCents?: number;

  @ApiPropertyOptional({ example: 2.1 })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: WEIGHT.decimals })
  @Min(WEIGHT.min)
  @Max(WEIGHT.max)
  weightKg?: number;

  @ApiPropertyOptional({ type: [MediumInputDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_MEDIA_PER_DEVICE)
  @ValidateNested({ each: true })
  @Type(() => MediumInputDto)
  media?: MediumInputDto[];
}

export class RegisterDevicesDto {
  @ApiProperty({ type: [DeviceInputDto], minItems: 1, maxItems: 1000 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => DeviceInputDto)
  devices: DeviceInputDto[];
}

export class DonationListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "One donor's donations (a coordinator's filter; a donor sees only its own anyway)" })
  @IsOptional()
  @IsUUID()
  donorOrganizationId?: string;
}
