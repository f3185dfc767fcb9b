import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { OrganizationKind, Role } from '@renum/domain';
import { badRequest, cursorValue, decodeCursor, forbidden, keysetPage, notFound, PageQuery, ProblemException, uuidv7 } from '@renum/platform';
import { pgCode, PG_UNIQUE_VIOLATION } from '@renum/db';
import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager, MoreThan } from 'typeorm';
import { recordAudit } from './audit-log';
import { sha256 } from './auth.service';
import { ApiKey, AppUser, Organization, Territory } from './identity.entities';
import type { Principal } from './principal';

export class BootstrapError extends Error {}

const emailTaken = () => new ProblemException(409, 'email-taken', 'E-mail déjà utilisé', 'Un compte existe déjà avec cette adresse e-mail.');

@Injectable()
export class IdentityService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** First territory, its coordinator organisation and admin. All or nothing. */
  async bootstrap(territoryName: string, email: string, password: string) {
    email = email.trim().toLowerCase();
    if (password.length < 10) throw new BootstrapError('Le mot de passe doit faire au moins 10 caractères.');
    return this.db.transaction(async (m) => {
      if (await m.exists(AppUser, { where: { email } })) {
        throw new BootstrapError(`Un utilisateur ${email} existe déjà : rien n'a été modifié.`);
      }
      if (await m.exists(Territory, { where: { name: territoryName } })) {
        throw new BootstrapError(`Le territoire « ${territoryName} » existe déjà : rien n'a été modifié.`);
      }
      const territory = await this.createTerritory(m, territoryName);
      const org = await this.insertOrganization(m, territory.id, `Coordination ${territoryName}`, 'COORDINATOR');
      const user = await this.insertUser(m, org.id, email, password, 'admin');
      return { territory, organization: org, user };
    });
  }

  async createTerritory(m: EntityManager, name: string): Promise<Territory> {
    const territory = m.create(Territory, { id: uuidv7(), name, beneficiarySecret: randomBytes(32).toString('hex') });
    await m.insert(Territory, territory);
    return territory;
  }

  async insertOrganization(m: EntityManager, territoryId: string, name: string, kind: OrganizationKind, siret?: string): Promise<Organization> {
    const org = m.create(Organization, { id: uuidv7(), territoryId, name, kind, siret: siret ?? null });
    // ON CONFLICT DO NOTHING, not a caught unique violation: the transaction stays usable, so the
    // answer can name the one already there (or created meanwhile), spelled as it was registered.
    const inserted = await m.query(
      `INSERT INTO organization (id, territory_id, name, kind, siret) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING created_at`,
      [org.id, territoryId, name, kind, org.siret],
    );
    if (inserted.length === 0) {
      const [same] = await m.query('SELECT name FROM organization WHERE territory_id = $1 AND lower(name) = lower($2)', [territoryId, name]);
      const existing = same?.name ?? name;
      throw new ProblemException(409, 'organization-exists', 'Organisation déjà existante', `Une organisation « ${existing} » existe déjà sur ce territoire (les majuscules ne comptent pas).`, { existingName: existing });
    }
    org.createdAt = inserted[0].created_at;
    return org;
  }

  async insertUser(m: EntityManager, organizationId: string, email: string, password: string, role: Role) {
    const user = { id: uuidv7(), organizationId, email: email.trim().toLowerCase(), role, passwordHash: await argon2.hash(password) };
    try {
      await m.insert(AppUser, user);
    } catch (error) {
      if (pgCode(error) === PG_UNIQUE_VIOLATION) throw emailTaken();
      throw error;
    }
    return { id: user.id, email: user.email, role: user.role, organizationId };
  }

  createOrganization(p: Principal, name: string, kind: OrganizationKind, siret?: string) {
    // Another coordination is a peer of the caller's: only an admin of a coordination creates one
    // (an agent would otherwise create one, make itself its admin, and administer its own).
    if (kind === 'COORDINATOR' && p.role !== 'admin') {
      throw new ProblemException(403, 'forbidden', 'Accès refusé', "Seul un administrateur de la coordination peut créer une autre organisation coordinatrice.");
    }
    return this.db.transaction(async (m) => {
      const org = await this.insertOrganization(m, p.territoryId, name, kind, siret);
      await recordAudit(m, p, 'organization.created', { organizationId: org.id, name: org.name, kind: org.kind });
      return present(org);
    });
  }

  /** By name, then id (names are unique per territory, the id only breaks ties of the collation). */
  async listOrganizations(p: Principal, q: PageQuery = {}) {
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, { n: cursorValue.text, i: cursorValue.uuid });
    const rows: Organization[] = await this.db
      .getRepository(Organization)
      .createQueryBuilder('o')
      .where('o.territory_id = :t', { t: p.territoryId })
      .andWhere(after ? '(o.name, o.id) > (:n, :i)' : 'true', after ?? {})
      .orderBy('o.name', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .limit(limit + 1)
      .getMany();
    return keysetPage(rows, limit, present, (last) => ({ n: last.name, i: last.id }));
  }

  /** The organisation if the caller's territory holds it; invisible is 404. */
  async visibleOrganization(p: Principal, id: string): Promise<Organization> {
    const org = await this.db.getRepository(Organization).findOne({ where: { id, territoryId: p.territoryId } });
    if (!org) throw notFound('Organisation');
    return org;
  }

  /**
   * Who manages an organisation's accounts and API keys: its own admin, or a coordinator of the
   * territory: an admin or agent for the organisations it onboards, an admin only for a
   * coordination. Never an API key (a key that mints keys or admins outlives its own
   * revocation), and never a coordinator agent for its own or another coordination (either way
   * it could make itself an admin of the coordination).
   *
   * Visibility is decided first, as for `GET /organizations/{id}`: every member of a territory
   * sees all its organisations, so another territory's is 404 (invisible) and one of the
   * caller's territory it may not manage is 403, saying who may. The routes let every caller
   * through to here (`@Allow()`), else a role that never manages accounts would get 403 for an
   * organisation it cannot even see.
   */
  async manageableOrganization(p: Principal, id: string): Promise<Organization> {
    const org = await this.visibleOrganization(p, id);
    if (p.apiKeyId !== null) {
      throw forbidden('Les comptes et les clés API se gèrent depuis une session utilisateur, pas avec une clé API.');
    }
    // A token outlives the account's disabling (JWT_TTL_SECONDS): enough to read, but an account
    // or a key made meanwhile would outlive it for good, so these checks read the account itself.
    const [caller] = await this.db.query('SELECT disabled_at FROM app_user WHERE id = $1', [p.userId]);
    if (!caller || caller.disabled_at) {
      throw new ProblemException(401, 'invalid-token', 'Session invalide ou expirée', 'Ce compte a été désactivé : il ne gère plus les comptes ni les clés API. Reconnectez-vous avec un compte actif.');
    }
    const isOwnAdmin = p.organizationId === org.id && p.role === 'admin';
    const isOnboardingCoordinator = p.organizationKind === 'COORDINATOR' && (org.kind === 'COORDINATOR' ? p.role === 'admin' : p.role !== 'viewer');
    if (!isOwnAdmin && !isOnboardingCoordinator) {
      throw forbidden(
        org.kind === 'COORDINATOR'
          ? `Seul un administrateur d'une coordination du territoire peut gérer les comptes et les clés API de « ${org.name} ».`
          : `Seul l'administrateur de « ${org.name} », ou un coordinateur du territoire (administrateur ou agent), peut gérer ses comptes et ses clés API.`,
      );
    }
    return org;
  }

  async createUser(p: Principal, organizationId: string, email: string, password: string, role: Role) {
    const org = await this.manageableOrganization(p, organizationId);
    return this.db.transaction(async (m) => {
      const user = await this.insertUser(m, org.id, email, password, role);
      await recordAudit(m, p, 'user.created', { userId: user.id, organizationId: org.id, email: user.email, role: user.role });
      return { id: user.id, email: user.email, role: user.role, organizationId: org.id };
    });
  }

  async createApiKey(p: Principal, organizationId: string, name: string) {
    const org = await this.manageableOrganization(p, organizationId);
    const prefix = randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 12);
    const secret = randomBytes(32).toString('base64url');
    const id = uuidv7();
    await this.db.transaction(async (m) => {
      await m.getRepository(ApiKey).insert({ id, organizationId: org.id, name, prefix, secretHash: sha256(secret), createdByUserId: p.userId });
      await recordAudit(m, p, 'api_key.created', { apiKeyId: id, organizationId: org.id, name });
    });
    return { id, name, key: `rk_${prefix}_${secret}` };
  }

  /** An organisation's accounts, oldest first (by id, UUID v7), for who manages them. */
  async listUsers(p: Principal, organizationId: string, q: PageQuery = {}) {
    const org = await this.manageableOrganization(p, organizationId);
    return this.pageOfOrganization(AppUser, org.id, q, presentUser);
  }

  /**
   * Disables an account (someone who left) or enables it again; journaled. A disabled account
   * cannot log in; a session already open ends with its token (JWT_TTL_SECONDS). Nobody disables
   * their own account: an organisation would lose its last admin by a slip.
   */
  async setUserDisabled(p: Principal, organizationId: string, userId: string, disabled: boolean) {
    const org = await this.manageableOrganization(p, organizationId);
    if (userId === p.userId) {
      throw new ProblemException(409, 'own-account', 'Votre propre compte', "Vous ne pouvez pas désactiver votre propre compte : demandez-le à un autre administrateur ou au coordinateur.");
    }
    return this.db.transaction(async (m) => {
      const [rows] = await m.query(
        `UPDATE app_user u SET disabled_at = CASE WHEN $3::boolean THEN coalesce(u.disabled_at, now()) END FROM app_user before
          WHERE u.id = $1 AND u.organization_id = $2 AND before.id = u.id
          RETURNING u.id, u.email, u.role, u.created_at, u.disabled_at, (before.disabled_at IS NOT NULL) <> $3::boolean AS changed`,
        [userId, org.id, disabled],
      );
      if (!rows.length) throw notFound('Compte');
      if (rows[0].changed) await recordAudit(m, p, disabled ? 'user.disabled' : 'user.enabled', { userId, organizationId: org.id, email: rows[0].email });
      const r = rows[0];
      return presentUser({ id: r.id, email: r.email, role: r.role, createdAt: r.created_at, disabledAt: r.disabled_at } as AppUser);
    });
  }

  /** Oldest first, by id (UUID v7: creation order). */
  async listApiKeys(p: Principal, organizationId: string, q: PageQuery = {}) {
    const org = await this.manageableOrganization(p, organizationId);
    return this.pageOfOrganization(ApiKey, org.id, q, (k) => ({ id: k.id, name: k.name, createdAt: k.createdAt, revokedAt: k.revokedAt }));
  }

  /** One page of an organisation's accounts or API keys, by id (UUID v7: creation order). */
  private async pageOfOrganization<E extends AppUser | ApiKey, T>(entity: new () => E, organizationId: string, q: PageQuery, present: (row: E) => T) {
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor, { i: cursorValue.uuid });
    const rows = (await this.db.getRepository<AppUser | ApiKey>(entity).find({
      where: { organizationId, ...(after ? { id: MoreThan(after.i) } : {}) },
      order: { id: 'ASC' },
      take: limit + 1,
    })) as E[];
    return keysetPage(rows, limit, present, (last) => ({ i: last.id }));
  }

  async revokeApiKey(p: Principal, organizationId: string, keyId: string) {
    const org = await this.manageableOrganization(p, organizationId);
    return this.db.transaction(async (m) => {
      // `before` is the row as it was (a second revocation changes nothing and is not journaled again).
      const [rows] = await m.query(
        `UPDATE api_key k SET revoked_at = coalesce(k.revoked_at, now()) FROM api_key before
          WHERE k.id = $1 AND k.organization_id = $2 AND before.id = k.id RETURNING k.revoked_at, before.revoked_at IS NULL AS newly`,
        [keyId, org.id],
      );
      if (!rows.length) throw notFound('Clé API');
      if (rows[0].newly) await recordAudit(m, p, 'api_key.revoked', { apiKeyId: keyId, organizationId: org.id });
      return { id: keyId, revokedAt: rows[0].revoked_at };
    });
  }

  /** The caller's territory and the rules it sets for reservations and hand-overs (every member reads them). */
  async territorySettings(p: Principal): Promise<TerritorySettingsView> {
    const [row] = await this.db.query(`SELECT ${SETTINGS_COLUMNS} FROM territory WHERE id = $1`, [p.territoryId]);
    return presentSettings(row);
  }

  /** A coordinator changes them; journaled with the values before and after. They apply to the next reservations and hand-overs. */
  async updateTerritorySettings(p: Principal, changes: Partial<Omit<TerritorySettingsView, 'id' | 'name'>>): Promise<TerritorySettingsView> {
    const fields = (Object.keys(SETTINGS_FIELDS) as (keyof typeof SETTINGS_FIELDS)[]).filter((f) => changes[f] !== undefined);
    if (fields.length === 0) {
      throw badRequest('Rien à modifier : indiquez reservationExpiryDays, maxActiveReservations ou eligibilityCodes.', [{ field: '(body)', message: 'au moins un réglage attendu' }]);
    }
    return this.db.transaction(async (m) => {
      const [before] = await m.query(`SELECT ${SETTINGS_COLUMNS} FROM territory WHERE id = $1 FOR UPDATE`, [p.territoryId]);
      const sets = fields.map((f, i) => `${SETTINGS_FIELDS[f]} = $${i + 2}`);
      const [[after]] = await m.query(`UPDATE territory SET ${sets.join(', ')} WHERE id = $1 RETURNING ${SETTINGS_COLUMNS}`, [p.territoryId, ...fields.map((f) => changes[f])]);
      const was = presentSettings(before);
      const now = presentSettings(after);
      await recordAudit(m, p, 'territory.settings_changed', { from: pick(was, fields), to: pick(now, fields) });
      return now;
    });
  }

  async me(p: Principal) {
    const org = await this.db.getRepository(Organization).findOneByOrFail({ id: p.organizationId });
    return {
      user: { id: p.userId, email: p.email, role: p.role, ...(p.apiKeyId ? { apiKeyId: p.apiKeyId } : {}) },
      organization: present(org),
    };
  }
}

export function present(org: Organization) {
  return { id: org.id, name: org.name, kind: org.kind, territoryId: org.territoryId, siret: org.siret };
}

export interface TerritorySettingsView {
  id: string;
  name: string;
  reservationExpiryDays: number;
  maxActiveReservations: number;
  eligibilityCodes: string[];
}

/** Settings a coordinator may change, and their columns (never the beneficiary secret). */
const SETTINGS_FIELDS = { reservationExpiryDays: 'reservation_expiry_days', maxActiveReservations: 'max_active_reservations', eligibilityCodes: 'eligibility_codes' } as const;
const SETTINGS_COLUMNS = 'id, name, reservation_expiry_days, max_active_reservations, eligibility_codes';

function presentSettings(row: Record<string, any>): TerritorySettingsView {
  return { id: row.id, name: row.name, reservationExpiryDays: row.reservation_expiry_days, maxActiveReservations: row.max_active_reservations, eligibilityCodes: row.eligibility_codes };
}

function pick<T extends object, K extends keyof T>(value: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, value[k]])) as Pick<T, K>;
}

function presentUser(u: AppUser) {
  return { id: u.id, email: u.email, role: u.role, createdAt: new Date(u.createdAt).toISOString(), disabledAt: u.disabledAt ? new Date(u.disabledAt).toISOString() : null };
}
