import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEVICE_TYPES, DeviceType, MEDIUM_KINDS, MediumKind } from '@renum/domain';
import { Transform, Type } from 'class-transformer';
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
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

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

  @ApiPropertyOptional({ example: '2026-12-01' })
  @IsOptional()
  @IsISO8601({ strict: true })
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
  @MaxLength(100)
  serialNumber: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  model?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
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
  @MaxLength(100)
  brand: string;

  @ApiProperty({ example: 'Latitude 5490' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  model: string;

  @ApiProperty({ example: '7XKQ2M2' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  serialNumber: string;

  @ApiPropertyOptional({ example: 'VLO-2019-0042', description: "The donor's own inventory number" })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  inventoryNumber?: string;

  @ApiPropertyOptional({ example: '2019-03-14' })
  @IsOptional()
  @IsISO8601({ strict: true })
  acquisitionDate?: string;

  @ApiPropertyOptional({ example: 15000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  estimatedValueCents?: number;

  @ApiPropertyOptional({ example: 2.1 })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(10000)
  weightKg?: number;

  @ApiPropertyOptional({ type: [MediumInputDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(16)
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
