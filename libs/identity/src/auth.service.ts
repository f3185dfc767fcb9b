import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { OrganizationKind, Role } from '@renum/domain';
import { ProblemException, RenumConfig } from '@renum/platform';
import * as argon2 from 'argon2';
import { createHash, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Principal } from './principal';

export interface TokenClaims {
  sub: string;
  email: string;
  org: string;
  kind: OrganizationKind;
  role: Role;
  ter: string;
}

const invalidCredentials = () => new ProblemException(401, 'invalid-credentials', 'Identifiants incorrects', 'E-mail ou mot de passe incorrect.');
const invalidToken = () => new ProblemException(401, 'invalid-token', 'Session invalide ou expirée', 'Reconnectez-vous pour obtenir un nouveau jeton.');
/**
 * What an API key may do, for integrators (the OpenAPI security scheme and the key's creation):
 * `verifyApiKey` gives every key the role `agent` of its organisation.
 */
export const API_KEY_ROLE_NOTE =
  'An API key always acts with the role `agent` of its organisation, never `admin`: it may do what an agent of that organisation may, ' +
  'and is refused (403) what needs an admin — a workshop\'s `publish` (a coordination\'s key may publish), `POST /api/v1/erasures/rechecks/draw`, ' +
  'creating a coordination — as well as managing accounts and API keys, and deciding an erasure re-check (a technician\'s act). ' +
  'For those, log in as a user (Bearer token).';

const invalidKey = () => new ProblemException(401, 'invalid-api-key', 'Clé API invalide', 'Cette clé API est inconnue ou a été révoquée.');

// Verifying against this keeps a login for an unknown e-mail as slow as a wrong password.
const DUMMY_HASH = argon2.hash('renum-timing-equaliser');

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jwt: JwtService,
    private readonly config: RenumConfig,
  ) {}

  async login(email: string, password: string): Promise<{ accessToken: string; expiresIn: number; tokenType: 'Bearer' }> {
    const rows = await this.db.query(
      `SELECT u.id, u.email, u.password_hash, u.role, u.disabled_at, o.id AS org, o.kind, o.territory_id
         FROM app_user u JOIN organization o ON o.id = u.organization_id WHERE u.email = $1`,
      [email.trim().toLowerCase()],
    );
    const user = rows[0];
    const ok = user ? await argon2.verify(user.password_hash, password) : (await argon2.verify(await DUMMY_HASH, password), false);
    if (!ok || user.disabled_at) throw invalidCredentials();
    return this.issueToken({ sub: user.id, email: user.email, org: user.org, kind: user.kind, role: user.role, ter: user.territory_id });
  }

  async issueToken(claims: TokenClaims): Promise<{ accessToken: string; expiresIn: number; tokenType: 'Bearer' }> {
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.JWT_TTL_SECONDS });
    return { accessToken, expiresIn: this.config.JWT_TTL_SECONDS, tokenType: 'Bearer' };
  }

  async verifyAccessToken(token: string): Promise<Principal> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token);
    } catch {
      throw invalidToken();
    }
    return {
      userId: claims.sub,
      apiKeyId: null,
      email: claims.email,
      organizationId: claims.org,
      organizationKind: claims.kind,
      role: claims.role,
      territoryId: claims.ter,
    };
  }

  async verifyApiKey(key: string): Promise<Principal> {
    const match = /^rk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/.exec(key.trim());
    if (!match) throw invalidKey();
    const rows = await this.db.query(
      `SELECT k.id, k.secret_hash, k.revoked_at, o.id AS org, o.kind, o.territory_id
         FROM api_key k JOIN organization o ON o.id = k.organization_id WHERE k.prefix = $1`,
      [match[1]],
    );
    const row = rows[0];
    if (!row || row.revoked_at) throw invalidKey();
    const expected = Buffer.from(row.secret_hash, 'hex');
    const given = Buffer.from(sha256(match[2]), 'hex');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalidKey();
    // An integration acts as an agent of its organisation; events name the key.
    return { userId: null, apiKeyId: row.id, email: null, organizationId: row.org, organizationKind: row.kind, role: 'agent', territoryId: row.territory_id };
  }
}
