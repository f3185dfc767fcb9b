import { ApiProperty } from '@nestjs/swagger';
import { trim } from '@renum/platform';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** Why a medium the donor declared is not in the device, written by the technician. */
export class MediumAbsenceInput {
  @ApiProperty({
    maxLength: 1000,
    example: 'Une seule baie, occupée par le SSD effacé ; le disque déclaré en second n’est pas dans l’appareil.',
    description: "Required: kept for good in the device's history, shown on the erasure certificate and the donor's report",
  })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'un motif écrit est obligatoire' })
  @MaxLength(1000)
  reason: string;
}
