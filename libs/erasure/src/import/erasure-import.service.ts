import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { normalizeSerial } from '@renum/domain';
import type { Principal } from '@renum/identity';
import { ErasureFacts, ErasureRecorder } from '@renum/lifecycle';
import { ProblemException, RenumConfig, uuidv7 } from '@renum/platform';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ParsedDiskErasure, ParsedErasureReport, parseErasureReport, UnsupportedReportError } from '../parsers';
import { RecheckService } from '../recheck/recheck.service';
import { reportText } from './report-file';

export interface ImportAnswer {
  reportId: string;
  sha256: string;
  alreadyImported: boolean;
  tool: string;
  toolVersion: string | null;
  matched: { code: string; deviceId: string; mediumSerial: string; result: 'PASSED' | 'FAILED'; erasureId: string; mediumAdded: boolean; matchedBy: 'MEDIUM_SERIAL' | 'HOST_SERIAL' | 'HOST_ASSET_TAG' }[];
  unmatched: { mediumSerial: string; model: string | null; devicePath: string; reason: string }[];
  warnings: string[];
}

interface Candidate {
  id: string;
  code: string;
}

type Match = { device: Candidate; by: ImportAnswer['matched'][number]['matchedBy'] } | { reason: string };

const GIB = 1024 ** 3;
const HOUR = 3600_000;

/**
 * nwipe's times are the wiping machine's clock, without a zone, read as UTC (see the parser).
 * A machine whose clock keeps local time (Windows PCs keep the hardware clock so) therefore
 * logs end times up to the widest zone offset, UTC+14, ahead of the server: those are accepted,
 * with a warning, instead of the 5 minutes a time typed by hand is allowed. The data invariant
 * does not rely on it: an erasure counts after a custody-in only if it was also recorded after.
 */
export const IMPORT_MAX_AHEAD_MS = 14 * HOUR;
/** Ahead by less than this, the clock has only drifted (the tolerance of a time typed by hand). */
const CLOCK_DRIFT_MS = 5 * 60_000;

/**
 * `POST /erasures/import`: keeps the file and its SHA-256, parses it with the tool's parser and
 * records one erasure per identified disk on the device of the caller's custody it belongs to.
 */
@Injectable()
export class ErasureImportService {
  private readonly logger = new Logger('ErasureImport');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly recorder: ErasureRecorder,
    private readonly rechecks: RecheckService,
    @Inject(RenumConfig) private readonly config: RenumConfig,
  ) {}

  async import(p: Principal, file: { buffer?: Buffer; originalname?: string; size?: number } | undefined): Promise<ImportAnswer> {
    const text = reportText(file?.buffer);
    const buffer = file!.buffer!;
    const sha256 = createHash('sha256').update(buffer).digest('hex');
    const [existing] = await this.db.query('SELECT id, summary FROM erasure_report WHERE organization_id = $1 AND sha256 = $2', [p.organizationId, sha256]);
    const before = existing?.summary as ImportAnswer | undefined;
    // Imported whole already: the same answer. With disks it could not place (a device not yet
    // collected, say), it runs again for them: the disks recorded then are not recorded twice.
    if (before && before.unmatched.length === 0) return { ...before, alreadyImported: true };

    let report: ParsedErasureReport;
    try {
      report = parseErasureReport(text);
    } catch (error) {
      const detail = error instanceof UnsupportedReportError ? error.message : `Le journal n’a pas pu être lu : ${(error as Error).message}`;
      throw new ProblemException(422, 'unsupported-report', 'Rapport d’effacement illisible', detail);
    }

    // The file first (content-addressed, so a retry rewrites the same bytes), then its row.
    const dir = join(this.config.STORAGE_DIR, 'erasure-reports');
    await mkdir(dir, { recursive: true });
    const storagePath = join(dir, sha256);
    await writeFile(storagePath, buffer);
    const filename = (file?.originalname || 'rapport.log').slice(0, 255);
    await this.db.query(
      `INSERT INTO erasure_report (id, organization_id, sha256, filename, size_bytes, tool, tool_version, host_system_serial, host_asset_tag, host_model, storage_path, uploaded_by_user_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT (organization_id, sha256) DO NOTHING`,
      [
        uuidv7(), p.organizationId, sha256, filename, buffer.length, report.tool, report.toolVersion ?? null, report.host.systemSerial ?? null,
        report.host.assetTag ?? null, [report.host.manufacturer, report.host.productName].filter(Boolean).join(' ') || null, storagePath, p.userId,
      ],
    );
    // An import interrupted earlier resumes here: records dedupe by (report, medium).
    const [{ id: reportId }] = await this.db.query('SELECT id FROM erasure_report WHERE organization_id = $1 AND sha256 = $2', [p.organizationId, sha256]);

    const answer: ImportAnswer = { reportId, sha256, alreadyImported: false, tool: report.tool, toolVersion: report.toolVersion ?? null, matched: [], unmatched: [], warnings: [...report.warnings] };
    if (before) answer.warnings.unshift('Ce rapport avait déjà été importé avec des disques non rattachés : ils ont été cherchés à nouveau, les effacements déjà enregistrés ne sont pas dupliqués.');
    const byDevice = new Map<string, { device: Candidate; disks: { disk: ParsedDiskErasure; by: ImportAnswer['matched'][number]['matchedBy'] }[] }>();
    const hostMatch = await this.matchHost(p, report);
    let clockAheadMs = 0; // the most the log's end times are ahead of the server, within the tolerance

    for (const disk of report.disks) {
      const label = `Disque ${disk.devicePath}${disk.model ? ` (${disk.model})` : ''}${disk.serial ? ` n° ${disk.serial}` : ''}`;
      disk.warnings.forEach((w) => answer.warnings.push(`${label} : ${w}`));
      if (!disk.serial) {
        answer.warnings.push(`${label} : aucun numéro de série dans le journal, effacement non enregistré. Identifiez le disque et saisissez l’effacement à la main.`);
        continue;
      }
      // Checked here, disk by disk: the recorder's refusal would abort the whole file.
      const endedAt = endOf(disk);
      const ahead = endedAt.getTime() - Date.now();
      if (ahead > IMPORT_MAX_AHEAD_MS) {
        answer.unmatched.push({
          mediumSerial: disk.serial,
          model: disk.model ?? null,
          devicePath: disk.devicePath,
          reason: `Fin d’effacement lue dans le journal (${shownAsRead(endedAt)}) plus de 14 h après l’heure actuelle : l’horloge de la machine d’effacement est déréglée, effacement non enregistré. Corrigez sa date et son heure puis effacez à nouveau, ou saisissez l’effacement à la main.`,
        });
        continue;
      }
      clockAheadMs = Math.max(clockAheadMs, ahead);
      if (disk.result === 'FAILED') {
        answer.warnings.push(`${label} : effacement en ÉCHEC (${disk.failureReasons.join(' ; ') || 'raison non précisée'}). Le disque doit être effacé à nouveau ou détruit.`);
      }
      const match = await this.matchDisk(p, disk.serial, hostMatch);
      if ('reason' in match) {
        answer.unmatched.push({ mediumSerial: disk.serial, model: disk.model ?? null, devicePath: disk.devicePath, reason: match.reason });
        continue;
      }
      const entry = byDevice.get(match.device.id) ?? { device: match.device, disks: [] };
      entry.disks.push({ disk, by: match.by });
      byDevice.set(match.device.id, entry);
    }
    if (clockAheadMs > CLOCK_DRIFT_MS) {
      const by = clockAheadMs < 0.75 * HOUR ? `${Math.round(clockAheadMs / 60_000)} min` : `${Math.round(clockAheadMs / HOUR)} h`;
      answer.warnings.push(
        `L’horloge de la machine d’effacement semble en avance d’environ ${by} (réglée sur l’heure locale plutôt qu’en UTC ?) : les heures du journal sont reprises telles qu’elles y sont lues.`,
      );
    }

    for (const { device, disks } of byDevice.values()) {
      // One transaction per device, its row locked: all of its disks or none.
      await this.db.transaction(async (m) => {
        const locked = await this.recorder.lockHeldDevice(m, p, device.id);
        const recorded: { erasureId: string; passedLogical: boolean }[] = [];
        for (const { disk, by } of disks) {
          const r = await this.recorder.record(m, locked, this.facts(disk, report, reportId, sha256), p, { maxAheadMs: IMPORT_MAX_AHEAD_MS });
          answer.matched.push({ code: device.code, deviceId: device.id, mediumSerial: disk.serial!, result: r.result, erasureId: r.id, mediumAdded: r.mediumAdded, matchedBy: by });
          if (r.wasAbsent) {
            answer.warnings.push(`Disque n° ${disk.serial} (${device.code}) : ce support avait été déclaré absent de l'appareil ; le journal montre qu'il y est, il compte de nouveau pour la sortie du matériel.`);
          }
          if (!r.countsForCustody) {
            answer.warnings.push(`Disque n° ${disk.serial} (${device.code}) : effacement commencé avant la dernière prise en charge du matériel par l’atelier, il ne compte pas pour sa sortie : effacez à nouveau ce disque.`);
          }
          if (!r.duplicate) recorded.push({ erasureId: r.id, passedLogical: r.result === 'PASSED' && disk.level !== 'DESTROY' });
        }
        const sample = recorded.filter((r) => r.passedLogical).map((r) => r.erasureId);
        if (sample.length) await this.rechecks.drawAtRecording(m, p, sample);
      });
    }

    await this.db.query('UPDATE erasure_report SET summary = $2 WHERE id = $1', [reportId, JSON.stringify(answer)]);
    this.logger.log(`report ${sha256.slice(0, 12)} imported: ${answer.matched.length} matched, ${answer.unmatched.length} unmatched`);
    return answer;
  }

  private facts(d: ParsedDiskErasure, report: ParsedErasureReport, reportId: string, sha256: string): ErasureFacts {
    const endedAt = endOf(d);
    const startedAt = new Date(d.startedAt ?? endedAt);
    return {
      mediumSerial: d.serial!,
      mediumKind: d.mediumKind,
      mediumModel: d.model,
      capacityGb: d.sizeBytes ? Math.round(d.sizeBytes / 1e9) : undefined,
      level: d.level,
      method: d.method,
      tool: report.tool,
      toolVersion: report.toolVersion,
      verification: d.verification,
      // The parser already refuses PASSED for a failed, aborted, erroneous or hidden-area disk.
      result: d.result,
      failureReason: d.result === 'FAILED' ? d.failureReasons.join(' ; ') || 'Échec signalé par l’outil' : undefined,
      rounds: d.rounds,
      errors: d.passErrors + d.verifyErrors + d.fdatasyncErrors,
      details: {
        devicePath: d.devicePath,
        sizeBytes: d.sizeBytes ?? null,
        capacityGib: d.sizeBytes ? +(d.sizeBytes / GIB).toFixed(1) : null,
        prng: d.prng ?? null,
        blanking: d.blanking ?? null,
        passErrors: d.passErrors,
        verifyErrors: d.verifyErrors,
        fdatasyncErrors: d.fdatasyncErrors,
        ioRetries: d.ioRetries,
        hiddenSectors: d.hiddenSectors,
        toolStatus: d.status,
        warnings: d.warnings,
        host: report.host,
      },
      startedAt,
      endedAt,
      source: report.tool.toUpperCase(),
      reportId,
      reportSha256: sha256,
    };
  }

  /** Devices in the caller's custody whose serial or inventory number is the host's. */
  private async matchHost(p: Principal, report: ParsedErasureReport): Promise<Match | undefined> {
    const { systemSerial, assetTag } = report.host;
    if (systemSerial) {
      const rows: Candidate[] = await this.db.query('SELECT id, code FROM device WHERE custodian_organization_id = $1 AND serial_key = $2', [p.organizationId, normalizeSerial(systemSerial)]);
      if (rows.length === 1) return { device: rows[0], by: 'HOST_SERIAL' };
      if (rows.length > 1) return { reason: `Plusieurs matériels sous votre garde ont le numéro de série ${systemSerial} : identifiez le disque à la main.` };
    }
    if (assetTag) {
      const rows: Candidate[] = await this.db.query(
        `SELECT id, code FROM device WHERE custodian_organization_id = $1 AND upper(regexp_replace(inventory_number, '\\s', '', 'g')) = $2`,
        [p.organizationId, normalizeSerial(assetTag)],
      );
      if (rows.length === 1) return { device: rows[0], by: 'HOST_ASSET_TAG' };
      if (rows.length > 1) return { reason: `Plusieurs matériels sous votre garde ont le numéro d’inventaire ${assetTag} : identifiez le disque à la main.` };
    }
    return undefined;
  }

  private async matchDisk(p: Principal, serial: string, host: Match | undefined): Promise<Match> {
    const rows: Candidate[] = await this.db.query(
      `SELECT DISTINCT d.id, d.code FROM device_medium m JOIN device d ON d.id = m.device_id
        WHERE m.serial_key = $1 AND d.custodian_organization_id = $2`,
      [normalizeSerial(serial), p.organizationId],
    );
    if (rows.length === 1) return { device: rows[0], by: 'MEDIUM_SERIAL' };
    if (rows.length > 1) return { reason: `Le disque n° ${serial} figure sur plusieurs matériels sous votre garde : saisissez l’effacement à la main sur le bon.` };
    return (
      host ?? {
        reason: 'Aucun matériel sous la garde de votre atelier ne porte ce disque, ni le numéro de série ou d’inventaire de la machine du journal. Vérifiez que le matériel a bien été collecté (prise en charge) par votre atelier : un effacement ne compte que s’il a commencé après la prise en charge. Sinon, saisissez l’effacement à la main.',
      }
    );
  }
}

/** When a disk's erasure ended, as recorded (the log's time read as UTC; now if it has none). */
function endOf(d: ParsedDiskErasure): Date {
  return new Date(d.endedAt ?? d.startedAt ?? Date.now());
}

/** A log time as it is written in the log (it was read as UTC): `2026/08/21 10:02:18`. */
function shownAsRead(at: Date): string {
  return at.toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, '/');
}
