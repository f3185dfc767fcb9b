import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { SHEET_TEMPLATES, SheetTemplate } from './render';

export const SHEET_TEMPLATE_NAMES = Object.keys(SHEET_TEMPLATES) as SheetTemplate[];

/** Sheets up to this many labels are streamed in the answer; longer ones are made by a job. */
export const SYNC_SHEET_MAX_LABELS = 200;
export const SHEET_MAX_CODES = 5000;

export class SheetRequest {
  @ApiPropertyOptional({ type: [String], minItems: 1, maxItems: SHEET_MAX_CODES, example: ['RN-4F7K-2QXJ'], description: 'Codes as typed or scanned (dashes and case optional). Exactly one of codes / donationId.' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SHEET_MAX_CODES)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  codes?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Every device of this donation the caller may see, in registration order' })
  @IsOptional()
  @IsUUID()
  donationId?: string;

  @ApiProperty({ enum: SHEET_TEMPLATE_NAMES, description: 'avery-l7163 / avery-l7160: A4 PDF; brother-62x29: PDF, one label per page; zebra-zpl-50x25: ZPL (text/plain)' })
  @IsIn(SHEET_TEMPLATE_NAMES)
  template: SheetTemplate;
}

export class SheetJobAccepted {
  @ApiProperty({ example: 'doc-01935c2e-…' }) jobId: string;
  @ApiProperty({ example: '/api/v1/jobs/doc-01935c2e-…' }) statusUrl: string;
  @ApiProperty({ example: '/api/v1/labels/sheets/doc-01935c2e-…' }) downloadUrl: string;
}
