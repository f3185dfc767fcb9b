import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ORGANIZATION_KINDS, ROLES } from '@renum/domain';

// Documentation-only classes (OpenAPI) for what identity answers (auth.service.ts, identity.service.ts).

export class AccessToken {
  @ApiProperty({ description: 'JWT, sent as `Authorization: Bearer …`' }) accessToken: string;
  @ApiProperty({ type: 'integer', description: 'Lifetime in seconds' }) expiresIn: number;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: string;
}

export class Organization {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Atelier Solidaire Démo' }) name: string;
  @ApiProperty({ enum: ORGANIZATION_KINDS }) kind: string;
  @ApiProperty({ format: 'uuid' }) territoryId: string;
  @ApiProperty({ type: String, nullable: true, example: '21690123100019', description: 'SIRET, 14 digits' }) siret: string | null;
}

export class OrganizationList {
  @ApiProperty({ type: () => [Organization] }) items: Organization[];
  @ApiProperty({ type: String, nullable: true, description: 'Cursor of the next page (null on the last one)' }) nextCursor: string | null;
}

export class MeUser {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null when calling with an API key' }) id: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'null when calling with an API key' }) email: string | null;
  @ApiProperty({ enum: ROLES }) role: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Only when calling with an API key' }) apiKeyId?: string;
}

export class Me {
  @ApiProperty({ type: () => MeUser }) user: MeUser;
  @ApiProperty({ type: () => Organization }) organization: Organization;
}

export class CreatedUser {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'email' }) email: string;
  @ApiProperty({ enum: ROLES }) role: string;
  @ApiProperty({ format: 'uuid' }) organizationId: string;
}

export class CreatedApiKey {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'rk_ab12cd34ef56_…', description: 'Shown once (only its hash is kept); send it as X-Api-Key' }) key: string;
}

export class ApiKeySummary {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: string | null;
}

export class ApiKeyList {
  @ApiProperty({ type: () => [ApiKeySummary] }) items: ApiKeySummary[];
  @ApiProperty({ type: String, nullable: true, description: 'Cursor of the next page (null on the last one)' }) nextCursor: string | null;
}

export class UserSummary {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'email' }) email: string;
  @ApiProperty({ enum: ROLES }) role: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Set while the account is disabled: it cannot log in' }) disabledAt: string | null;
}

export class UserList {
  @ApiProperty({ type: () => [UserSummary] }) items: UserSummary[];
  @ApiProperty({ type: String, nullable: true, description: 'Cursor of the next page (null on the last one)' }) nextCursor: string | null;
}

export class RevokedApiKey {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date-time' }) revokedAt: string;
}

export class TerritorySettings {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Métropole de Démo' }) name: string;
  @ApiProperty({ type: 'integer', description: 'Days a new reservation lasts before it expires' }) reservationExpiryDays: number;
  @ApiProperty({ type: 'integer', description: 'ACTIVE reservations one charity may hold at once' }) maxActiveReservations: number;
  @ApiProperty({ type: [String], description: 'Beneficiary categories a hand-over may name (beneficiary.eligibility)' }) eligibilityCodes: string[];
}
