import { OrganizationKind, Role } from '@renum/domain';

/** Who is calling: a person (JWT) or an integration (API key), always within one organisation. */
export interface Principal {
  userId: string | null;
  apiKeyId: string | null;
  email: string | null;
  organizationId: string;
  organizationKind: OrganizationKind;
  role: Role;
  territoryId: string;
}

export function actorOf(p: Principal) {
  return { organizationId: p.organizationId, kind: p.organizationKind, role: p.role, territoryId: p.territoryId };
}
