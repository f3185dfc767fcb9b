import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@renum/platform';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class RecheckDecisionInput {
  @ApiProperty({ enum: ['CONFIRMED', 'FAILED'] })
  @IsIn(['CONFIRMED', 'FAILED'])
  outcome: 'CONFIRMED' | 'FAILED';

  @ApiPropertyOptional({ example: 'Secteurs non nuls relus à 12 %' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

/**
 * No field: the seed is drawn by the server, never chosen by the workshop whose erasures are
 * sampled (a chosen seed picks the sample, or none). The answer gives it, so an auditor can
 * replay the draw over the same population.
 */
export class RecheckDrawInput {}

export class RecheckListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['PENDING', 'CONFIRMED', 'FAILED'], default: 'PENDING' })
  @IsOptional()
  @IsIn(['PENDING', 'CONFIRMED', 'FAILED'])
  status?: 'PENDING' | 'CONFIRMED' | 'FAILED';
}
