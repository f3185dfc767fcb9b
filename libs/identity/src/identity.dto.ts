import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ORGANIZATION_KINDS, OrganizationKind, Role, ROLES } from '@renum/domain';
import { Transform } from 'class-transformer';
import { asName, trim } from '@renum/platform';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'coordination@demo.renum.fr' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  password: string;
}

export class CreateOrganizationDto {
  @ApiProperty({ example: 'Mairie de Villeurbanne', description: 'Unique in the territory whatever its case, accents typed either way or spaces' })
  @Transform(asName)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: ORGANIZATION_KINDS })
  @IsIn(ORGANIZATION_KINDS)
  kind: OrganizationKind;

  @ApiPropertyOptional({ example: '21690266800013', description: 'SIRET, 14 chiffres' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.replace(/\s/g, '') : value))
  @Matches(/^\d{14}$/, { message: 'le SIRET doit compter 14 chiffres' })
  siret?: string;
}

export class CreateUserDto {
  @ApiProperty()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 10 })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  password: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'GLPI de la mairie' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;
}

/** What a coordinator sets for its territory; each field is optional, at least one is given. */
export class TerritorySettingsDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 90, description: 'Days a new reservation lasts before it expires' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  reservationExpiryDays?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, description: 'ACTIVE reservations one charity may hold at once' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  maxActiveReservations?: number;

  @ApiPropertyOptional({ type: [String], minItems: 1, maxItems: 50, example: ['minima_sociaux', 'etudiant_boursier'], description: 'Beneficiary categories a hand-over may name' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique({ message: 'chaque code ne doit figurer qu’une fois' })
  @Matches(/^[a-z0-9_]{2,50}$/, { each: true, message: 'chaque code : 2 à 50 caractères parmi a-z, 0-9 et _ (par exemple minima_sociaux)' })
  eligibilityCodes?: string[];
}

export class UserStatusDto {
  @ApiProperty({ description: 'true: the account can no longer log in (sessions already open end within the token lifetime); false: enabled again' })
  @IsBoolean()
  disabled: boolean;
}
