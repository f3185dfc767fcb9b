import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { preparedQuery } from '@renum/db';
import { malformedCodeDetail, parsePublicCode } from '@renum/domain';
import type { Principal } from '@renum/identity';
import { notFound, ProblemException, UUID_PATTERN } from '@renum/platform';
import { DataSource, EntityManager } from 'typeorm';

/**
 * Which devices an organisation may see (issue "Visibility"), as one SQL condition on alias
 * `d`, with its parameters numbered from `first`:
 * - a coordinator: its territory;
 * - a donor: the devices it gave, and their fate;
 * - a workshop: what it holds or has held, plus devices of its territory awaiting collection;
 * - a charity: the territory's catalogue and reserved devices (so a late reserver is told
 *   409 reserved-by-another, not 404), plus what it reserved or distributed;
 * - a recycler: what it received.
 */
export function visibilitySql(p: Pick<Principal, 'organizationKind' | 'organizationId' | 'territoryId'>, first: number): { sql: string; params: unknown[] } {
  const t = `$${first}`;
  const o = `$${first + 1}`;
  const party = `EXISTS (SELECT 1 FROM device_party dp WHERE dp.device_id = d.id AND dp.organization_id = ${o})`;
  const byKind: Record<Principal['organizationKind'], string> = {
    COORDINATOR: `d.territory_id = ${t}`,
    DONOR: `(d.territory_id = ${t} AND d.donor_organization_id = ${o})`,
    WORKSHOP: `(d.territory_id = ${t} AND (d.status = 'REGISTERED' OR ${party}))`,
    CHARITY: `(d.territory_id = ${t} AND (d.status IN ('AVAILABLE', 'RESERVED') OR ${party}))`,
    RECYCLER: `(d.territory_id = ${t} AND ${party})`,
  };
  const params = p.organizationKind === 'COORDINATOR' ? [p.territoryId] : [p.territoryId, p.organizationId];
  return { sql: byKind[p.organizationKind], params };
}

/** The `{device}` path parameter, as every controller documents it. */
export const DEVICE_PARAM = { name: 'device', description: 'Device id or public code (RN-4F7K-2QXJ; dashes and case optional). A code whose check symbol or length is wrong answers 404 with type invalid-code, saying what to fix' };

export const badCodeDetail = (raw: string) => `« ${raw} » n'est pas un code Renum valide : le caractère de contrôle ne correspond pas. Vérifiez la saisie.`;

/**
 * A `{device}` no device can answer to. API.md answers an unknown device with 404; the type and
 * the detail tell a mistyped code (caught by its check symbol, before any lookup) from an unknown one.
 */
const mistypedDevice = (detail: string) => new ProblemException(404, 'invalid-code', 'Code mal saisi', detail);

/** Resolves `{device}` (id or public code, any case, with or without dashes) for a caller. */
@Injectable()
export class DeviceAccess {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The visible device row id, or 404 (invisible and unknown look the same). */
  async resolve(p: Principal, ref: string, manager: EntityManager = this.db.manager): Promise<string> {
    const where = this.identify(ref);
    const scope = visibilitySql(p, 2);
    // Every request about a device runs it: planned once per connection.
    const rows = await preparedQuery<{ id: string }>(manager, `SELECT d.id FROM device d WHERE ${where} = $1 AND ${scope.sql}`, [this.key(ref), ...scope.params]);
    if (!rows[0]) throw notFound('Matériel');
    return rows[0].id;
  }

  /** The device id `ref` names if it is one (lowercased), without asking the database. */
  idOf(ref: string): string | undefined {
    return UUID_PATTERN.test(ref) ? ref.toLowerCase() : undefined;
  }

  private identify(ref: string): string {
    return this.idOf(ref) ? 'd.id' : 'd.code';
  }

  private key(ref: string): string {
    const id = this.idOf(ref);
    if (id) return id;
    const parsed = parsePublicCode(ref);
    if (parsed.ok) return parsed.code;
    // Neither an id nor a code: no device can answer to it, so the typing is what to fix (a wrong
    // check symbol, a symbol missing or one too many), not a search for a device.
    throw mistypedDevice(parsed.reason === 'bad-check' ? badCodeDetail(ref) : malformedCodeDetail(ref));
  }
}
