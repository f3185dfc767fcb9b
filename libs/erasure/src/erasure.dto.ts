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

export class RecheckDrawInput {
  @ApiPropertyOptional({ description: 'Seed to replay a draw (audit); random when absent' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  seed?: string;
}

export class RecheckListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['PENDING', 'CONFIRMED', 'FAILED'], default: 'PENDING' })
  @IsOptional()
  @IsIn(['PENDING', 'CONFIRMED', 'FAILED'])
  status?: 'PENDING' | 'CONFIRMED' | 'FAILED';
}
