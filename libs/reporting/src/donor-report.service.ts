import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Principal } from '@renum/identity';
import { notFound, UUID_PATTERN } from '@renum/platform';
import { DataSource } from 'typeorm';
import { toCsv } from './csv';
import { absentMediumFr, byInventoryNumber, dateFr, eurosCell, inventoryExitStatement, ReportDeviceInput, ReportRow, reportRow, reuseSummary, ReuseSummary } from './donor-report';
import { renderDonorReportPdf } from './donor-report-pdf';

export interface DonorReport {
  donation: { id: string; reference: string; donorName: string; donatedAt: Date; territoryName: string };
  issuedAt: Date;
  rows: ReportRow[];
  summary: ReuseSummary;
  statement: string;
}

/** `GET /donations/{id}/report.pdf|.csv`: what became of each device a donor gave. */
@Injectable()
export class DonorReportService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The donor who gave it or a coordinator of its territory; anyone else gets 404. */
  async build(p: Principal, donationId: string): Promise<DonorReport> {
    if (!UUID_PATTERN.test(donationId)) throw notFound('Don');
    const [donation] = await this.db.query(
      `SELECT dn.id, dn.reference, dn.created_at, o.name AS donor_name, t.name AS territory_name
         FROM donation dn JOIN organization o ON o.id = dn.donor_organization_id JOIN territory t ON t.id = dn.territory_id
        WHERE dn.id = $1 AND ((dn.donor_organization_id = $2 AND $3 = 'DONOR') OR (dn.territory_id = $4 AND $3 = 'COORDINATOR'))`,
      [donationId.toLowerCase(), p.organizationId, p.organizationKind, p.territoryId],
    );
    if (!donation) throw notFound('Don');
    // Three set-based reads, whatever the number of devices (no query per device).
    const devices: Record<string, any>[] = await this.db.query(
      `SELECT id, code, type, brand, model, serial_number, inventory_number, to_char(acquisition_date, 'YYYY-MM-DD') AS acquisition_date, estimated_value_cents,
              status, flags, custody_in_at, no_storage_declared_at
         FROM device WHERE donation_id = $1 ORDER BY code`,
      [donation.id],
    );
    devices.sort((a, b) => byInventoryNumber(a as { inventory_number: string | null }, b as { inventory_number: string | null }));
    const media: Record<string, any>[] = await this.db.query(
      `SELECT m.device_id, m.serial_number, m.absent_at, m.absence_reason FROM device_medium m JOIN device d ON d.id = m.device_id WHERE d.donation_id = $1`,
      [donation.id],
    );
    const erasures: Record<string, any>[] = await this.db.query(
      `SELECT e.device_id, e.medium_serial, e.level, e.result, e.started_at, e.ended_at, e.created_at, e.voided_at FROM erasure_record e JOIN device d ON d.id = e.device_id WHERE d.donation_id = $1`,
      [donation.id],
    );
    const donatedAt = new Date(donation.created_at);
    const rows = devices.map((d) =>
      reportRow(
        {
          code: d.code,
          type: d.type,
          brand: d.brand,
          model: d.model,
          serialNumber: d.serial_number,
          inventoryNumber: d.inventory_number,
          acquisitionDate: d.acquisition_date,
          estimatedValueCents: d.estimated_value_cents,
          status: d.status,
          flags: d.flags ?? [],
          custodyInAt: d.custody_in_at ? new Date(d.custody_in_at) : null,
          noStorageDeclaredAt: d.no_storage_declared_at ? new Date(d.no_storage_declared_at) : null,
          media: media
            .filter((m) => m.device_id === d.id)
            .map((m) => ({ serialNumber: m.serial_number, ...(m.absent_at ? { absence: { at: new Date(m.absent_at), reason: m.absence_reason } } : {}) })),
          erasures: erasures
            .filter((e) => e.device_id === d.id)
            .map((e) => ({ mediumSerial: e.medium_serial, level: e.level, result: e.result, startedAt: new Date(e.started_at), endedAt: new Date(e.ended_at), recordedAt: new Date(e.created_at), voided: e.voided_at !== null })),
        } satisfies ReportDeviceInput,
        donatedAt,
      ),
    );
    const summary = reuseSummary(rows);
    const issuedAt = new Date();
    const info = { id: donation.id, reference: donation.reference, donorName: donation.donor_name, donatedAt, territoryName: donation.territory_name };
    return { donation: info, issuedAt, rows, summary, statement: inventoryExitStatement(summary, info, issuedAt) };
  }

  async csv(p: Principal, donationId: string): Promise<{ body: string; filename: string }> {
    const r = await this.build(p, donationId);
    const header = ['Numéro d’inventaire', 'Code Renum', 'Type', 'Marque et modèle', 'Numéro de série', 'Date d’acquisition', 'Valeur estimée (€)', 'Effacement des données', 'Date de l’effacement', 'Devenir', 'Statut détaillé', 'Base REEN', 'Supports déclarés absents par l’atelier'];
    const rows = r.rows.map((x) => [
      x.inventoryNumber,
      x.code,
      x.typeLabel,
      x.brandModel,
      x.serialNumber,
      dateFr(x.acquisitionDate),
      eurosCell(x.estimatedValueCents),
      x.erasureLabel,
      dateFr(x.erasedAt),
      x.fateLabel,
      x.statusLabel,
      x.reenExcluded ? 'Exclu (plus de 10 ans)' : 'Compté',
      x.absentMedia.map(absentMediumFr).join(' ; '),
    ]);
    return { body: toCsv(header, rows), filename: `rapport-don-${safeName(r.donation.reference)}.csv` };
  }

  async pdf(p: Principal, donationId: string): Promise<{ body: Buffer; filename: string }> {
    const r = await this.build(p, donationId);
    return { body: await renderDonorReportPdf(r), filename: `rapport-don-${safeName(r.donation.reference)}.pdf` };
  }
}

const safeName = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);

