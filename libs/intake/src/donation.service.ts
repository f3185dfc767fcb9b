import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DeviceInput, deviceInputProblems, normalizeSerial } from '@renum/domain';
import type { Principal } from '@renum/identity';
import { DeviceRegistry, DuplicateSerialsError, RegisteredSerial, registeredSerials } from '@renum/lifecycle';
import { pgCode, PG_UNIQUE_VIOLATION } from '@renum/db';
import { badRequest, cursorValue, decodeCursor, keysetPage, notFound, Page, ProblemException, uuidv7 } from '@renum/platform';
import { DonationListQuery } from './donation.dto';
import { DataSource, EntityManager } from 'typeorm';

/** Where an already registered device is, in French: this very donation (a re-import) or another one of the donor. */
export function alreadyRegisteredWhere(where: RegisteredSerial, donationId: string): string {
  return where.donationId === donationId
    ? `dans ce don (appareil ${where.code})`
    : `par votre organisation dans le don « ${where.donationReference} » (appareil ${where.code})`;
}

export interface DonationRow {
  id: string;
  donor_organization_id: string;
  territory_id: string;
  reference: string;
  pickup_address: string;
  planned_pickup_date: string | null;
  created_at: Date;
}

@Injectable()
export class DonationService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly registry: DeviceRegistry,
  ) {}

  async create(p: Principal, input: { reference?: string; pickupAddress: string; plannedPickupDate?: string }) {
    const id = uuidv7();
    const reference = input.reference ?? `DON-${new Date().getFullYear()}-${id.slice(-6).toUpperCase()}`;
    try {
      await this.db.query(
        `INSERT INTO donation (id, donor_organization_id, territory_id, reference, pickup_address, planned_pickup_date, created_by_user_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, p.organizationId, p.territoryId, reference, input.pickupAddress, input.plannedPickupDate ?? null, p.userId],
      );
    } catch (error) {
      if (pgCode(error) === PG_UNIQUE_VIOLATION) {
        // Its id, so a system that lost the 201 of its first try (a timeout) carries on with it.
        const [existing] = await this.db.query('SELECT id FROM donation WHERE donor_organization_id = $1 AND reference = $2', [p.organizationId, reference]);
        throw new ProblemException(409, 'donation-reference-taken', 'Référence déjà utilisée', `Votre organisation a déjà un don « ${reference} » : /api/v1/donations/${existing?.id}.`, {
          existingDonationId: existing?.id ?? null,
        });
      }
      throw error;
    }
    return { id, reference, donorOrganizationId: p.organizationId, pickupAddress: input.pickupAddress, plannedPickupDate: input.plannedPickupDate ?? null };
  }

  /** The donor's own donation (to add devices to it): anything else is 404. */
  async ownDonation(p: Principal, id: string, m: EntityManager = this.db.manager): Promise<DonationRow> {
    const [donation] = await m.query('SELECT * FROM donation WHERE id = $1 AND donor_organization_id = $2', [id, p.organizationId]);
    if (!donation) throw notFound('Don');
    return donation;
  }

  /** 1–1000 devices, all or nothing. */
  async registerDevices(p: Principal, donationId: string, devices: DeviceInput[]) {
    const duplicates = duplicateSerials(devices);
    if (duplicates.length) {
      throw badRequest(
        `Numéro(s) de série en double dans la demande : ${[...new Set(duplicates.map((d) => d.serial))].join(', ')}. Rien n'a été créé.`,
        duplicates.map((d) => ({ field: `devices[${d.index}].serialNumber`, message: `en double avec devices[${d.firstIndex}]` })),
      );
    }
    // The rules the DTO cannot state (the CSV import checks the same): placeholder serials, future dates, a disk twice.
    const today = new Date();
    const problems = [
      ...devices.flatMap((d, i) => deviceInputProblems(d, today).map((x) => ({ field: `devices[${i}].${x.path}`, message: x.message }))),
      ...duplicateMediumSerials(devices),
    ];
    if (problems.length) {
      const fields = [...new Set(problems.map((x) => x.field))];
      throw badRequest(`${fields.length} champ(s) invalide(s) : ${fields.join(', ')}. Rien n'a été créé.`, problems);
    }
    try {
      return await this.db.transaction(async (m) => {
        const donation = await this.ownDonation(p, donationId, m);
        const registered = await this.registry.register(
          m,
          { donationId: donation.id, donorOrganizationId: donation.donor_organization_id, territoryId: donation.territory_id },
          devices,
          { userId: p.userId, organizationId: p.organizationId, apiKeyId: p.apiKeyId },
        );
        return { devices: registered.map(({ id, code, status, flags }) => ({ id, code, status, flags })) };
      });
    } catch (error) {
      if (error instanceof DuplicateSerialsError) throw await this.duplicateSerialsProblem(p, donationId, devices, error);
      throw error;
    }
  }

  /** The 409 with, for each device already registered, its place in the request and where it already is. */
  private async duplicateSerialsProblem(p: Principal, donationId: string, devices: DeviceInput[], error: DuplicateSerialsError): Promise<ProblemException> {
    const known = await registeredSerials(this.db.manager, p.organizationId, devices.map((d) => normalizeSerial(d.serialNumber)));
    const errors = devices.flatMap((d, i) => {
      const where = known.get(normalizeSerial(d.serialNumber));
      return where ? [{ field: `devices[${i}].serialNumber`, message: `déjà enregistré ${alreadyRegisteredWhere(where, donationId)}` }] : [];
    });
    if (!errors.length) return error;
    return new ProblemException(error.problem.status, 'duplicate-serial', error.problem.title, error.problem.detail ?? '', { serials: error.serials, errors });
  }

  /** Donor, coordinator of the territory, or a workshop that collected one of its devices. */
  async get(p: Principal, id: string) {
    const scope = donationScope(p, 2);
    const [donation] = await this.db.query(`SELECT d.* FROM donation d WHERE d.id = $1 AND ${scope.sql}`, [id, ...scope.params]);
    if (!donation) throw notFound('Don');
    return (await this.present([donation]))[0];
  }

  /**
   * The donations the caller may see (as `get`), newest first, cursor-paginated: the coordinator's
   * view of its territory, optionally one donor's; a donor's own.
   */
  async list(p: Principal, q: DonationListQuery): Promise<Page<PresentedDonation>> {
    const limit = q.limit ?? 50;
    const scope = donationScope(p, 1);
    const params: unknown[] = [...scope.params];
    const where = [scope.sql];
    if (q.donorOrganizationId) {
      params.push(q.donorOrganizationId);
      where.push(`d.donor_organization_id = $${params.length}`);
    }
    const cursor = decodeCursor(q.cursor, { id: cursorValue.uuid });
    if (cursor) {
      params.push(cursor.id);
      where.push(`d.id < $${params.length}`);
    }
    params.push(limit + 1);
    const rows = await this.db.query(`SELECT d.* FROM donation d WHERE ${where.join(' AND ')} ORDER BY d.id DESC LIMIT $${params.length}`, params);
    const { items, nextCursor } = keysetPage(rows as { id: string }[], limit, (r) => r, (last) => ({ id: last.id }));
    return { items: await this.present(items), nextCursor };
  }

  /** Donations with their device counts per status, in one grouped query whatever their number. */
  private async present(donations: Record<string, any>[]): Promise<PresentedDonation[]> {
    if (!donations.length) return [];
    const counts: { donation_id: string; status: string; n: number }[] = await this.db.query(
      'SELECT donation_id, status, count(*)::int AS n FROM device WHERE donation_id = ANY($1::uuid[]) GROUP BY donation_id, status ORDER BY donation_id, status',
      [donations.map((d) => d.id)],
    );
    return donations.map((donation) => {
      const own = counts.filter((c) => c.donation_id === donation.id);
      return {
        id: donation.id,
        reference: donation.reference,
        donorOrganizationId: donation.donor_organization_id,
        territoryId: donation.territory_id,
        pickupAddress: donation.pickup_address,
        plannedPickupDate: donation.planned_pickup_date, // a DATE is read as its 'YYYY-MM-DD' text (libs/db type parser)
        createdAt: new Date(donation.created_at).toISOString(),
        deviceCount: own.reduce((sum, c) => sum + c.n, 0),
        devicesByStatus: Object.fromEntries(own.map((c) => [c.status, c.n])),
      };
    });
  }
}

export interface PresentedDonation {
  id: string;
  reference: string;
  donorOrganizationId: string;
  territoryId: string;
  pickupAddress: string;
  plannedPickupDate: string | null;
  createdAt: string;
  deviceCount: number;
  devicesByStatus: Record<string, number>;
}

/**
 * Which donations an organisation sees, as one SQL condition on alias `d` with its parameters
 * numbered from `first`: a coordinator its territory's, a donor its own, a workshop those it
 * collected a device of.
 */
function donationScope(p: Principal, first: number): { sql: string; params: unknown[] } {
  const [t, k, o] = [first, first + 1, first + 2].map((n) => `$${n}`);
  return {
    sql: `d.territory_id = ${t}
          AND (${k} = 'COORDINATOR' OR d.donor_organization_id = ${o}
               OR (${k} = 'WORKSHOP' AND EXISTS (SELECT 1 FROM device v JOIN device_party dp ON dp.device_id = v.id
                                                WHERE v.donation_id = d.id AND dp.organization_id = ${o})))`,
    params: [p.territoryId, p.organizationKind, p.organizationId],
  };
}

function duplicateSerials(devices: DeviceInput[]) {
  const first = new Map<string, number>();
  const duplicates: { index: number; firstIndex: number; serial: string }[] = [];
  devices.forEach((d, index) => {
    const key = normalizeSerial(d.serialNumber ?? '');
    if (first.has(key)) duplicates.push({ index, firstIndex: first.get(key)!, serial: d.serialNumber });
    else first.set(key, index);
  });
  return duplicates;
}

/** A disk is in one device: the same medium serial in two devices of one request is refused (as in a CSV file). */
function duplicateMediumSerials(devices: DeviceInput[]): { field: string; message: string }[] {
  const first = new Map<string, string>();
  const problems: { field: string; message: string }[] = [];
  devices.forEach((d, i) => {
    const own = new Set<string>(); // a repeat inside one device is deviceInputProblems' report
    (d.media ?? []).forEach((medium, k) => {
      const key = normalizeSerial(medium.serialNumber ?? '');
      if (!key || own.has(key)) return;
      own.add(key);
      const where = first.get(key);
      if (where === undefined) first.set(key, `devices[${i}].media[${k}]`);
      else {
        problems.push({
          field: `devices[${i}].media[${k}].serialNumber`,
          message: `support de stockage « ${medium.serialNumber} » déjà déclaré dans ${where} : un même disque ne peut pas être dans deux appareils`,
        });
      }
    });
  });
  return problems;
}
