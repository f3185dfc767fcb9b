import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERASURE_LEVELS, ERASURE_RESULTS, ErasureLevel, ErasureResult, MEDIUM_KINDS, MediumKind, Verification, VERIFICATIONS } from '@renum/domain';
import { Transform } from 'class-transformer';
import { trim } from '@renum/platform';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** API.md `ErasureInput`: one medium's erasure (or destruction), typed by a technician. */
export class ErasureInput {
  @ApiProperty({ example: 'S3Z9NB0K123456X' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  mediumSerial: string;

  @ApiPropertyOptional({ description: 'true when mediumSerial is a disk the device did not list, one or two symbols off a listed one (else refused as a likely typo)' })
  @IsOptional()
  @IsBoolean()
  newMedium?: boolean;

  @ApiPropertyOptional({ enum: MEDIUM_KINDS })
  @IsOptional()
  @IsIn(MEDIUM_KINDS)
  mediumKind?: MediumKind;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  mediumModel?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  capacityGb?: number;

  @ApiProperty({ enum: ERASURE_LEVELS })
  @IsIn(ERASURE_LEVELS)
  level: ErasureLevel;

  @ApiProperty({ example: 'PRNG Stream' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  method: string;

  @ApiProperty({ example: 'nwipe' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  tool: string;

  @ApiPropertyOptional({ example: '0.42' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  toolVersion?: string;

  @ApiProperty({ enum: VERIFICATIONS })
  @IsIn(VERIFICATIONS)
  verification: Verification;

  @ApiProperty({ enum: ERASURE_RESULTS })
  @IsIn(ERASURE_RESULTS)
  result: ErasureResult;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  rounds?: number;

  @ApiProperty({ example: '2026-08-21T09:12:50Z' })
  @IsISO8601({ strict: true })
  startedAt: string;

  @ApiProperty({ example: '2026-08-21T10:02:18Z' })
  @IsISO8601({ strict: true })
  endedAt: string;

  @ApiPropertyOptional({ description: 'Errors the tool reported' })
  @IsOptional()
  @IsInt()
  @Min(0)
  errors?: number;

  @ApiPropertyOptional({ description: "SHA-256 of the tool's report, hex" })
  @IsOptional()
  @Matches(/^[a-f0-9]{64}$/i, { message: 'doit être une empreinte SHA-256 en hexadécimal (64 caractères)' })
  reportSha256?: string;
}
