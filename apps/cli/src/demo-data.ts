import { OrganizationKind, Role } from '@renum/domain';
import { IdentityService } from '@renum/identity';
import { DataSource } from 'typeorm';

export const DEMO_TERRITORY = 'Métropole de Démo';
export const DEMO_PASSWORD = 'renum-demo-2026';

/** One organisation of each kind, one user each (README "Demo logins" lists them). */
export const DEMO_ORGANIZATIONS: { name: string; kind: OrganizationKind; email: string; role: Role }[] = [
  { name: 'Coordination Renum Démo', kind: 'COORDINATOR', email: 'coordination@demo.renum.fr', role: 'admin' },
  { name: 'Mairie de Démo-sur-Rhône', kind: 'DONOR', email: 'mairie@demo.renum.fr', role: 'agent' },
  { name: 'Atelier Solidaire Démo', kind: 'WORKSHOP', email: 'atelier@demo.renum.fr', role: 'agent' },
  { name: 'Association Entraide Démo', kind: 'CHARITY', email: 'association@demo.renum.fr', role: 'agent' },
  { name: 'Recyclerie DEEE Démo', kind: 'RECYCLER', email: 'recyclerie@demo.renum.fr', role: 'agent' },
];

/** Loads demo data into an empty database; returns false (and changes nothing) otherwise. */
export async function seedDemo(db: DataSource): Promise<boolean> {
  const identity = new IdentityService(db);
  return db.transaction(async (m) => {
    const [{ count }] = await m.query('SELECT count(*)::int AS count FROM territory');
    if (count > 0) return false;
    const territory = await identity.createTerritory(m, DEMO_TERRITORY);
    for (const o of DEMO_ORGANIZATIONS) {
      const org = await identity.insertOrganization(m, territory.id, o.name, o.kind);
      await identity.insertUser(m, org.id, o.email, DEMO_PASSWORD, o.role);
    }
    return true;
  });
}
