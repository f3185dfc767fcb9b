import { DEFAULT_ELIGIBILITY_CODES, OrganizationKind, Role } from '@renum/domain';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('territory')
export class Territory {
  @PrimaryColumn('uuid')
  id: string;

  @Index('territory_name_key', { unique: true })
  @Column('text')
  name: string;

  /** Default expiry of a reservation, in days. */
  @Column('int', { default: 7 })
  reservationExpiryDays: number;

  /** How many ACTIVE reservations one charity may hold at once. */
  @Column('int', { default: 20 })
  maxActiveReservations: number;

  @Column('text', { array: true, default: () => `'{${DEFAULT_ELIGIBILITY_CODES.join(',')}}'` })
  eligibilityCodes: string[];

  /** HMAC key for beneficiary references: two territories never share hashes. Never exposed. */
  @Column('text', { select: false })
  beneficiarySecret: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

@Entity('organization')
@Index('organization_territory_name_key', ['territoryId', 'name'], { unique: true })
// Unique on (territory_id, lower(name)): an expression TypeORM cannot describe, made by its migration.
@Index('organization_territory_lower_name_key', { synchronize: false })
@Check('organization_kind_check', `kind IN ('DONOR','WORKSHOP','CHARITY','COORDINATOR','RECYCLER')`)
export class Organization {
  @PrimaryColumn('uuid')
  id: string;

  @Index('organization_territory_idx')
  @Column('uuid')
  territoryId: string;

  @Column('text')
  name: string;

  @Column('text')
  kind: OrganizationKind;

  @Column('text', { nullable: true })
  siret: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

@Entity('app_user')
@Check('app_user_role_check', `role IN ('admin','agent','viewer')`)
export class AppUser {
  @PrimaryColumn('uuid')
  id: string;

  @Index('app_user_organization_idx')
  @Column('uuid')
  organizationId: string;

  /** Stored lower-cased: one account per address whatever the case typed. */
  @Index('app_user_email_key', { unique: true })
  @Column('text')
  email: string;

  @Column('text', { select: false })
  passwordHash: string;

  @Column('text')
  role: Role;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  disabledAt: Date | null;
}

@Entity('api_key')
export class ApiKey {
  @PrimaryColumn('uuid')
  id: string;

  @Index('api_key_organization_idx')
  @Column('uuid')
  organizationId: string;

  @Column('text')
  name: string;

  /** Public part of the key, to find the row without scanning. */
  @Index('api_key_prefix_key', { unique: true })
  @Column('text')
  prefix: string;

  /** SHA-256 of the secret part: keys are 256-bit random, so a slow hash adds nothing. */
  @Column('text', { select: false })
  secretHash: string;

  @Column('uuid', { nullable: true })
  createdByUserId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;
}

/**
 * Append-only journal of a territory's settings changes (price caps, price grid) and account
 * administration (organisations, users, API keys): who did what, from which value to which. A trigger refuses UPDATE, DELETE and TRUNCATE.
 */
@Entity('audit_event')
@Index('audit_event_territory_idx', ['territoryId', 'id'])
export class AuditEvent {
  /** UUID v7: ordered by time, so it is also the pagination key. */
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') territoryId: string;
  @Column('uuid', { nullable: true }) actorUserId: string | null;
  @Column('uuid', { nullable: true }) actorApiKeyId: string | null;
  @Column('uuid') actorOrganizationId: string;
  /** e.g. `price_cap.changed`, `user.created` (AuditAction). */
  @Column('text') action: string;
  @Column('jsonb') payload: Record<string, unknown>;
  @Column('timestamptz', { default: () => 'now()' }) at: Date;
}

export const IDENTITY_ENTITIES = [Territory, Organization, AppUser, ApiKey, AuditEvent];
