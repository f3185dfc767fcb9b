import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { preparedQuery } from '@renum/db';
import { checkDataInvariant, DEVICE_TYPE_LABELS_FR, DeviceStatus, DeviceType, erasureCounts, normalizeSerial, STATUS_LABELS_FR } from '@renum/domain';
import type { Principal } from '@renum/identity';
import { JobProducer, OnJob, queueUnavailable, QueueUnavailableError, QUEUE_ID_PREFIX, Requester } from '@renum/jobs';
import type { JobCatalogue } from '@renum/jobs';
import { DeviceAccess, loadDeviceFacts, refusalFor, seesSerials, verifyDeviceChain } from '@renum/lifecycle';
import { ProblemException, RenumConfig, uuidv7 } from '@renum/platform';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { CertificateFacts, CertificateMedium } from './certificate-facts';
import { renderCertificatePdf } from './certificate-pdf';

/** Statuses a device holds only after it was wiped (DOMAIN.md lifecycle). */
const WIPED_OR_LATER: DeviceStatus[] = ['WIPED', 'REFURBISHING', 'REFURBISHED', 'AVAILABLE', 'RESERVED', 'DISTRIBUTED', 'RECYCLED', 'DISMANTLED'];
const WAIT_MS = 10_000;

export const certificateJobId = (deviceId: string, seq: number) => `${QUEUE_ID_PREFIX.documents}-cert-${deviceId}-${seq}`;

/** The certificate of a head, with its facts when the caller reads the copy without serials (rendered from them). */
const AT_HEAD = 'SELECT id, file_path FROM erasure_certificate WHERE device_id = $1 AND event_seq = $2';
const AT_HEAD_WITH_FACTS = 'SELECT id, file_path, facts FROM erasure_certificate WHERE device_id = $1 AND event_seq = $2';
const BY_ID = 'SELECT id, file_path FROM erasure_certificate WHERE id = $1';
const BY_ID_WITH_FACTS = 'SELECT id, file_path, facts FROM erasure_certificate WHERE id = $1';

type StoredCertificate = { id: string; file_path: string; facts?: CertificateFacts };

export type CertificateAnswer = { kind: 'pdf'; pdf: Buffer; certificateId: string; code: string } | { kind: 'pending'; jobId: string; statusUrl: string };

/**
 * Erasure certificates, generated lazily by a `documents` job and cached per head of the
 * device's event chain: any later event (a transition, a voided erasure) makes a new one, so a
 * certificate never states something the history no longer says.
 *
 * The stored file is the full certificate. A caller that does not see serials (a charity, as
 * `Device` shows it) gets the same certificate — id, QR, facts — without them, rendered here from
 * the facts stored with it (a few milliseconds), not cached.
 */
@Injectable()
export class CertificateService {
  private readonly logger = new Logger('ErasureCertificate');
  private folderReady?: Promise<unknown>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: DeviceAccess,
    private readonly jobs: JobProducer,
    @Inject(RenumConfig) private readonly config: RenumConfig,
  ) {}

  /** `GET /devices/{device}/erasure-certificate.pdf`. */
  async get(p: Principal, ref: string): Promise<CertificateAnswer> {
    const deviceId = await this.access.resolve(p, ref);
    const full = seesSerials(p.organizationKind);
    const [device] = await this.db.query('SELECT id, code, status, event_seq, custody_in_at, no_storage_declared_at FROM device WHERE id = $1', [deviceId]);
    if (!WIPED_OR_LATER.includes(device.status)) {
      throw new ProblemException(409, 'not-wiped', 'Matériel pas encore effacé', `Le certificat d’effacement est disponible une fois le matériel passé à l’étape « effacé » (statut actuel : ${STATUS_LABELS_FR[device.status as DeviceStatus]}).`);
    }
    // A disk found since the wipe (or an erasure voided by a re-check): no certificate until it is erased.
    const verdict = checkDataInvariant((await loadDeviceFacts(this.db.manager, device)).custody);
    if (!verdict.ok) {
      // A charity learns how many media lack a proof, not their serials, as a refused transition tells it.
      const refusal = refusalFor(p.organizationKind, {
        code: 'erasure-not-proven',
        status: 409,
        title: 'Effacement non prouvé',
        detail: `Pas de certificat d’effacement : ${verdict.detail} L’atelier doit effacer ces supports, ou enregistrer leur destruction.`,
        missingMedia: verdict.missing,
      });
      throw new ProblemException(refusal.status, refusal.code, refusal.title, refusal.detail, refusal.missingMedia ? { missingMedia: refusal.missingMedia } : {});
    }
    const [row]: StoredCertificate[] = await this.db.query(full ? AT_HEAD : AT_HEAD_WITH_FACTS, [deviceId, device.event_seq]);
    const cached = row ? await this.copyFor(row, full) : undefined;
    if (cached) return { kind: 'pdf', pdf: cached.pdf, certificateId: cached.id, code: device.code };

    const jobId = certificateJobId(deviceId, device.event_seq);
    const requester: Requester = { userId: p.userId, apiKeyId: p.apiKeyId, organizationId: p.organizationId, kind: p.organizationKind, role: p.role, territoryId: p.territoryId };
    let outcome;
    try {
      ({ outcome } = await this.jobs.enqueueAndWait<'erasure.certificate', { certificateId: string; eventSeq: number }>(
        'erasure.certificate',
        { deviceId, seq: device.event_seq, requester },
        // Stored but its file is lost: a job that finished before this request would only answer
        // with that file again, so it runs again (one still running is waited for).
        { jobId, attempts: 3, stale: () => row !== undefined },
        WAIT_MS,
      ));
    } catch (error) {
      if (error instanceof QueueUnavailableError) throw queueUnavailable();
      throw error;
    }
    if (outcome.state === 'completed') {
      const made = await this.byId(outcome.value.certificateId, full);
      if (made) return { kind: 'pdf', pdf: made.pdf, certificateId: made.id, code: device.code };
    }
    if (outcome.state === 'failed') {
      // The next request runs the job again (enqueueAndWait does not reuse a failure it did not wait for).
      throw new ProblemException(500, 'certificate-failed', 'Certificat non généré', 'La génération du certificat a échoué. Réessayez ; si le problème persiste, contactez le coordinateur.');
    }
    return { kind: 'pending', jobId, statusUrl: `/api/v1/jobs/${jobId}` };
  }

  private async byId(id: string, full: boolean) {
    const [row]: StoredCertificate[] = await this.db.query(full ? BY_ID : BY_ID_WITH_FACTS, [id]);
    return row ? this.copyFor(row, full) : undefined;
  }

  /** The stored file, or the copy without serials rendered from the stored facts (the same id and QR). */
  private async copyFor(row: StoredCertificate, full: boolean) {
    if (full) return this.load(row);
    // Never the file (it states the serials); the facts column is NOT NULL.
    return { id: row.id, pdf: await renderCertificatePdf(row.facts as CertificateFacts, { omitSerials: true }) };
  }

  private async load(row: { id: string; file_path: string }) {
    try {
      return { id: row.id, pdf: await readFile(row.file_path) };
    } catch {
      return undefined; // file lost: the job writes it again
    }
  }

  /** The `documents` job: renders and stores the certificate of the device at its current head. */
  @OnJob('erasure.certificate')
  async generate(data: JobCatalogue['erasure.certificate']) {
    const { facts, existing } = await this.collectFacts(data.deviceId);
    if (existing && (await this.load(existing))) return { certificateId: existing.id, eventSeq: facts.eventSeq };
    if (existing) facts.certificateId = existing.id;
    facts.verifyUrl = `${this.config.PUBLIC_URL.replace(/\/$/, '')}/verify/${facts.certificateId}`;
    const pdf = await renderCertificatePdf(facts);
    const filePath = await this.store(`${facts.certificateId}.pdf`, pdf);
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    if (existing) {
      // Its file was lost: the same certificate, written again.
      await this.db.query('UPDATE erasure_certificate SET file_path = $2, sha256 = $3 WHERE id = $1', [existing.id, filePath, sha256]);
    } else {
      // The job run at WIPED and one asked by a request may render the same head at once: the
      // first insert wins; the other drops its file, whose QR names a certificate that never was.
      const [inserted] = await preparedQuery(
        this.db.manager,
        `INSERT INTO erasure_certificate (id, device_id, event_seq, event_hash, file_path, sha256, facts) VALUES ($1,$2,$3,$4,$5,$6,$7)
         ON CONFLICT (device_id, event_seq) DO NOTHING RETURNING id`,
        [facts.certificateId, data.deviceId, facts.eventSeq, facts.eventHash, filePath, sha256, JSON.stringify(facts)],
      );
      if (!inserted) {
        await rm(filePath, { force: true });
        const [winner] = await this.db.query('SELECT id FROM erasure_certificate WHERE device_id = $1 AND event_seq = $2', [data.deviceId, facts.eventSeq]);
        return { certificateId: winner.id, eventSeq: facts.eventSeq };
      }
    }
    this.logger.log(`certificate ${facts.certificateId} for device ${data.deviceId} at event ${facts.eventSeq}`);
    return { certificateId: facts.certificateId, eventSeq: facts.eventSeq };
  }

  /** Writes a certificate file; the folder is made once per process, or again if it went away. */
  private async store(name: string, pdf: Buffer): Promise<string> {
    const dir = join(this.config.STORAGE_DIR, 'erasure-certificates');
    const filePath = join(dir, name);
    this.folderReady ??= mkdir(dir, { recursive: true }).catch((error) => {
      this.folderReady = undefined; // tried again by the next job
      throw error;
    });
    await this.folderReady;
    try {
      await writeFile(filePath, pdf);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(dir, { recursive: true });
      await writeFile(filePath, pdf);
    }
    return filePath;
  }

  /**
   * Everything the certificate says, and the certificate already stored for this head if any,
   * read by one statement, so on one snapshot (this runs at every wipe: one round trip, not seven).
   */
  async collectFacts(deviceId: string): Promise<{ facts: CertificateFacts; existing: { id: string; file_path: string } | null }> {
    const [row]: { d: Record<string, any>; media: Record<string, any>[]; erasures: Record<string, any>[]; last_workshop_name: string | null; existing: { id: string; file_path: string } | null }[] =
      await preparedQuery(
        this.db.manager,
        `SELECT row_to_json(d) AS d,
                (SELECT coalesce(json_agg(dm ORDER BY dm.created_at, dm.id), '[]') FROM device_medium dm WHERE dm.device_id = d.id) AS media,
                (SELECT coalesce(json_agg(e ORDER BY e.ended_at DESC, e.id DESC), '[]')
                   FROM (SELECT e.*, o.name AS organization_name FROM erasure_record e JOIN organization o ON o.id = e.organization_id
                          WHERE e.device_id = d.id) e) AS erasures,
                (SELECT name FROM organization WHERE id = d.last_workshop_id) AS last_workshop_name,
                (SELECT json_build_object('id', c.id, 'file_path', c.file_path) FROM erasure_certificate c
                  WHERE c.device_id = d.id AND c.event_seq = d.event_seq) AS existing
           FROM device d WHERE d.id = $1`,
        [deviceId],
      );
    const { d, media, erasures } = row;
    const custodyIn = d.custody_in_at ? new Date(d.custody_in_at) : null;
    const counts = (e: Record<string, any>) =>
      erasureCounts({ result: e.result, voided: e.voided_at !== null, startedAt: new Date(e.started_at), recordedAt: new Date(e.created_at) }, custodyIn);
    const certMedia: CertificateMedium[] = media.map((medium) => {
      const mine = erasures.filter((e) => e.medium_id === medium.id || normalizeSerial(e.medium_serial) === medium.serial_key);
      const e = mine.find(counts);
      return {
        serial: medium.serial_number,
        model: medium.model ?? e?.medium_model ?? null,
        kind: medium.kind,
        capacityGb: medium.capacity_gb ?? e?.capacity_gb ?? null,
        ...(medium.absent_at ? { absent: { at: new Date(medium.absent_at).toISOString(), reason: medium.absence_reason } } : {}),
        erasure: e
          ? {
              id: e.id,
              level: e.level,
              method: e.method,
              tool: e.tool,
              toolVersion: e.tool_version,
              verification: e.verification,
              result: e.result,
              startedAt: new Date(e.started_at).toISOString(),
              endedAt: new Date(e.ended_at).toISOString(),
              technician: e.technician_user_id ? `tech. ${String(e.technician_user_id).replace(/-/g, '').slice(-8)}` : null,
              organization: e.organization_name,
              reportSha256: e.report_sha256,
              source: e.source,
            }
          : null,
      };
    });
    // The workshop that erased, else the last that held the device.
    const workshopName: string | null = erasures.find(counts)?.organization_name ?? row.last_workshop_name;
    const reportHashes = [...new Set(certMedia.map((x) => x.erasure?.reportSha256).filter((h): h is string => !!h))];
    const facts: CertificateFacts = {
      certificateId: uuidv7(),
      issuedAt: new Date().toISOString(),
      verifyUrl: '',
      device: {
        code: d.code,
        type: d.type,
        typeLabel: DEVICE_TYPE_LABELS_FR[d.type as DeviceType],
        brand: d.brand,
        model: d.model,
        serialNumber: d.serial_number,
        status: d.status,
        statusLabel: STATUS_LABELS_FR[d.status as DeviceStatus],
      },
      workshop: workshopName !== null ? { name: workshopName } : null,
      custodyInAt: d.custody_in_at ? new Date(d.custody_in_at).toISOString() : null,
      noStorage: d.no_storage_declared_at !== null,
      media: certMedia,
      reportHashes,
      eventSeq: d.event_seq,
      eventHash: d.event_hash,
    };
    return { facts, existing: row.existing };
  }

  /** The public verification: the certificate's facts and whether the history still verifies. */
  async verification(certificateId: string) {
    const [row] = await this.db.query('SELECT id, device_id, event_seq, event_hash, facts, created_at FROM erasure_certificate WHERE id = $1', [certificateId]);
    if (!row) return undefined;
    const chain = await verifyDeviceChain(this.db.manager, row.device_id);
    const [event] = await this.db.query('SELECT hash FROM device_event WHERE device_id = $1 AND seq = $2', [row.device_id, row.event_seq]);
    const sameEvent = !!event && event.hash === row.event_hash;
    const [voided] = await this.db.query(
      'SELECT count(*)::int AS n FROM erasure_record WHERE id = ANY($1::uuid[]) AND voided_at IS NOT NULL',
      [(row.facts as CertificateFacts).media.map((x) => x.erasure?.id).filter(Boolean)],
    );
    // A disk found since (opened for repair, or named by a later log) was never covered by this
    // certificate; nor was one it lists as absent from the device that an erasure record found since.
    const listed = (row.facts as CertificateFacts).media;
    const [unlisted] = await this.db.query(
      'SELECT count(*)::int AS n FROM device_medium WHERE device_id = $1 AND (NOT (serial_number = ANY($2::text[])) OR (absent_at IS NULL AND serial_number = ANY($3::text[])))',
      [row.device_id, listed.map((x) => x.serial), listed.filter((x) => x.absent).map((x) => x.serial)],
    );
    const [device] = await this.db.query('SELECT status FROM device WHERE id = $1', [row.device_id]);
    return {
      facts: row.facts as CertificateFacts,
      chain,
      sameEvent,
      valid: chain.valid && sameEvent,
      voidedErasures: voided.n as number,
      unlistedMedia: unlisted.n as number,
      currentStatusLabel: STATUS_LABELS_FR[device.status as DeviceStatus],
    };
  }
}
