import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DEVICE_TYPE_LABELS_FR, DeviceType, malformedCodeDetail, parsePublicCode } from '@renum/domain';
import type { Principal } from '@renum/identity';
import { badCodeDetail, DeviceAccess, visibilitySql } from '@renum/lifecycle';
import { notFound, ProblemException, RenumConfig } from '@renum/platform';
import { DataSource } from 'typeorm';
import type { LabelContent } from './render';

/** What a label needs from the database: nothing else is read (no serial, no inventory number). */
interface LabelRow {
  id: string;
  code: string;
  type: DeviceType;
  organization_name: string | null;
}

const LABEL_COLUMNS = `d.id, d.code, d.type, o.name AS organization_name`;
const LABEL_FROM = `device d LEFT JOIN organization o ON o.id = d.custodian_organization_id`;
/** Rows per query when a sheet is read page by page (long sheets are never loaded at once). */
const PAGE = 500;

/** Devices a caller asked labels for, resolved and checked before anything is printed. */
export type LabelSelection = { kind: 'devices'; deviceIds: string[] } | { kind: 'donation'; donationId: string; count: number };

/** Reads what is printed on labels, always within what the caller may see. */
@Injectable()
export class LabelSource {
  private readonly publicUrl: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: DeviceAccess,
    config: RenumConfig,
  ) {
    this.publicUrl = config.PUBLIC_URL.replace(/\/+$/, '');
  }

  /** The URL a label's QR encodes, the public device page. */
  urlOf(code: string): string {
    return `${this.publicUrl}/d/${code}`;
  }

  private toLabel(row: LabelRow): LabelContent {
    return {
      code: row.code,
      url: this.urlOf(row.code),
      typeLabel: DEVICE_TYPE_LABELS_FR[row.type] ?? row.type,
      // Organisations have no separate short name yet: the renderers shorten the name to fit.
      organizationShortName: row.organization_name ?? undefined,
    };
  }

  /** One device's label (404 if the caller may not see it). */
  async single(p: Principal, ref: string): Promise<LabelContent> {
    const id = await this.access.resolve(p, ref);
    const [row] = await this.db.query(`SELECT ${LABEL_COLUMNS} FROM ${LABEL_FROM} WHERE d.id = $1`, [id]);
    return this.toLabel(row);
  }

  /**
   * Checks a list of typed or scanned codes, every one at once (a technician fixes a 200-code
   * list in one go): the mistyped ones are a 400 naming each, else those the caller may not see
   * (or that do not exist) a 404 naming each. Returns device ids in the order given (duplicates
   * kept: someone may want two labels for one device).
   */
  async resolveCodes(p: Principal, codes: string[]): Promise<string[]> {
    const parsed = codes.map((raw) => parsePublicCode(raw));
    const mistyped = parsed.flatMap((r, i) =>
      r.ok ? [] : [{ raw: codes[i], field: `codes[${i}]`, message: r.reason === 'bad-check' ? badCodeDetail(codes[i]) : malformedCodeDetail(codes[i]) }],
    );
    if (mistyped.length) {
      const detail = mistyped.length === 1 ? mistyped[0].message : `${mistyped.length} codes mal saisis : ${mistyped.map((m) => `« ${m.raw} »`).join(', ')}. Corrigez-les (RN-XXXX-XXXX) et renvoyez la liste.`;
      throw new ProblemException(400, 'invalid-code', 'Code mal saisi', detail, {
        code: mistyped[0].raw,
        codes: mistyped.map((m) => m.raw),
        errors: mistyped.map(({ field, message }) => ({ field, message })),
      });
    }
    const canonical = parsed.map((r) => (r as { code: string }).code);
    const scope = visibilitySql(p, 2);
    const rows: { id: string; code: string }[] = await this.db.query(
      `SELECT d.id, d.code FROM device d WHERE d.code = ANY($1) AND ${scope.sql}`,
      [[...new Set(canonical)], ...scope.params],
    );
    const byCode = new Map(rows.map((r) => [r.code, r.id]));
    const missing = [...new Set(canonical.filter((code) => !byCode.has(code)))];
    if (missing.length) {
      throw new ProblemException(404, 'not-found', 'Introuvable', `Matériel(s) introuvable(s) ou non visible(s) pour votre organisation : ${missing.join(', ')}. Retirez-les de la liste.`, {
        code: codes[canonical.indexOf(missing[0])],
        codes: missing,
      });
    }
    return canonical.map((code) => byCode.get(code)!);
  }

  /**
   * How many devices of a donation the caller may see; 404 when none (unknown or invisible), 422
   * when the caller's own donation (or one of the coordinator's territory) has no device yet:
   * a donor who prints labels before the import is done is not told the donation does not exist.
   */
  async countDonation(p: Principal, donationId: string): Promise<number> {
    const scope = visibilitySql(p, 2);
    const [row] = await this.db.query(`SELECT count(*)::int AS n FROM device d WHERE d.donation_id = $1 AND ${scope.sql}`, [donationId, ...scope.params]);
    if (row.n) return row.n;
    const [empty] = await this.db.query(
      `SELECT reference FROM donation
        WHERE id = $1 AND territory_id = $2 AND ($3 = 'COORDINATOR' OR donor_organization_id = $4)
          AND NOT EXISTS (SELECT 1 FROM device WHERE donation_id = $1)`,
      [donationId, p.territoryId, p.organizationKind, p.organizationId],
    );
    if (empty) {
      throw new ProblemException(
        422,
        'donation-without-devices',
        'Don sans appareil',
        `Le don « ${empty.reference} » ne contient encore aucun appareil : enregistrez ou importez ses appareils, puis imprimez les étiquettes.`,
      );
    }
    throw notFound('Don');
  }

  /**
   * Labels of a selection, read `PAGE` rows at a time, in print order. Re-applies the caller's
   * visibility (a job runs later than the request): a device no longer visible is skipped.
   */
  async *labels(p: Principal, selection: LabelSelection): AsyncGenerator<LabelContent> {
    if (selection.kind === 'devices') {
      const scope = visibilitySql(p, 2);
      for (let i = 0; i < selection.deviceIds.length; i += PAGE) {
        const ids = selection.deviceIds.slice(i, i + PAGE);
        const rows: LabelRow[] = await this.db.query(`SELECT ${LABEL_COLUMNS} FROM ${LABEL_FROM} WHERE d.id = ANY($1) AND ${scope.sql}`, [[...new Set(ids)], ...scope.params]);
        const byId = new Map(rows.map((r) => [r.id, r]));
        for (const id of ids) {
          const row = byId.get(id);
          if (row) yield this.toLabel(row);
        }
      }
      return;
    }
    // A donation in registration order (UUID v7 ids), by keyset pages.
    const scope = visibilitySql(p, 3);
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: LabelRow[] = await this.db.query(
        `SELECT ${LABEL_COLUMNS} FROM ${LABEL_FROM} WHERE d.donation_id = $1 AND d.id > $2 AND ${scope.sql} ORDER BY d.id LIMIT ${PAGE}`,
        [selection.donationId, after, ...scope.params],
      );
      for (const row of rows) yield this.toLabel(row);
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1].id;
    }
  }
}
