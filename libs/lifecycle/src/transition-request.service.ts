import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { forbiddenActionDetail, mayEverPerform, TransitionAction } from '@renum/domain';
import type { Principal } from '@renum/identity';
import { JobProducer, QueueAddUnconfirmedError, queueUnavailable, QueueUnavailableError } from '@renum/jobs';
import { ProblemException, RenumConfig } from '@renum/platform';
import { createHash, createHmac } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DeviceAccess } from './device-access';
import { parseTransitionBody } from './transition.dto';
import { eligibilityRefusal, problemOutcome, requestFingerprint, type TransitionAnswer, type TransitionOutcome, withInstance } from './transition.service';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A transition job that spent its attempts on unexpected errors: its transaction rolled back each time. */
export const TRANSITION_FAILED_DETAIL = "Le traitement a échoué après plusieurs essais ; rien n'a été appliqué. Réessayez plus tard avec la même Idempotency-Key.";

/** 202: not answered within the wait; the job's status URL will tell (API.md). */
const pending = (jobId: string) => ({ statusCode: 202 as const, body: { jobId, statusUrl: `/api/v1/jobs/${jobId}` } });

/**
 * API side of a transition: authenticate, validate, check the action is plausible for this
 * caller, enqueue `device.transition` under a job id derived from the device, the caller and
 * the Idempotency-Key, then wait a bounded time for the worker's answer.
 */
@Injectable()
export class TransitionRequestService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: DeviceAccess,
    private readonly jobs: JobProducer,
    private readonly config: RenumConfig,
  ) {}

  async request(p: Principal, deviceRef: string, idempotencyKey: string | undefined, body: unknown): Promise<TransitionOutcome | { statusCode: 202; body: { jobId: string; statusUrl: string } }> {
    const key = (idempotencyKey ?? '').trim();
    if (!key || key.length > 200 || !/^[\x21-\x7e]+$/.test(key)) {
      throw new ProblemException(400, 'idempotency-key-required', key ? 'Idempotency-Key invalide' : 'Idempotency-Key manquante', "Chaque transition doit porter un en-tête Idempotency-Key (1 à 200 caractères visibles, par exemple un UUID), réutilisé tel quel en cas de nouvel essai.");
    }
    const dto = parseTransitionBody(body);
    const action = dto.action as TransitionAction;
    const refusal = !mayEverPerform(action, { kind: p.organizationKind, role: p.role }, dto.override === true)
      ? forbiddenActionDetail(action)
      : dto.override === true && p.organizationKind !== 'COORDINATOR'
        ? 'Seul un coordinateur peut forcer une action (override).'
        : undefined;
    if (refusal) {
      await this.access.resolve(p, deviceRef); // a device the caller cannot see is 404, even then
      throw new ProblemException(403, 'forbidden-action', 'Action non autorisée', refusal);
    }
    // A device named by its id goes to the worker unlooked-up: the worker checks the caller may see
    // it, on the locked row (one database round trip less per transition). A public code is
    // turned into the id here.
    const deviceId = this.access.idOf(deviceRef) ?? (await this.access.resolve(p, deviceRef));
    const payload = await this.minimise(p, action, deviceId, { ...dto });
    delete payload.action;
    const jobId = `tr-${sha256([deviceId, p.organizationId, p.userId ?? '', p.apiKeyId ?? '', key].join('|')).slice(0, 40)}`;
    const fingerprint = requestFingerprint(action, payload);
    if (action === 'distribute') {
      const refusal = await this.eligibilityOutsideList(p, (dto.beneficiary as { eligibility: string }).eligibility);
      // A replay of a hand-over applied before its category left the list gets its stored answer.
      if (refusal) return withInstance((await this.storedOutcome(jobId, fingerprint)) ?? problemOutcome(refusal), deviceId);
    }

    // No read of the stored answer first: a key already applied gets its stored answer from the
    // worker (under the row lock), with the fingerprint it was stored under.
    let job, outcome;
    try {
      ({ job, outcome } = await this.jobs.enqueueAndWait<'device.transition', TransitionAnswer>(
        'device.transition',
        {
          deviceId,
          action,
          payload,
          actor: { userId: p.userId, apiKeyId: p.apiKeyId, organizationId: p.organizationId, kind: p.organizationKind, role: p.role, territoryId: p.territoryId },
          key: jobId,
          fingerprint,
        },
        // An answer not stored under the key (device unknown or unseen) holds only for the requests
        // that were waiting for it: a retry is decided afresh.
        { jobId, stale: (answer) => answer.ephemeral === true },
        this.config.TRANSITION_WAIT_MS,
      ));
    } catch (error) {
      // Sent but not confirmed: the job may run once Redis catches up, so « nothing applied » would
      // be a lie that a retry under a new key turns into a double. The status URL tells what happened.
      if (error instanceof QueueAddUnconfirmedError) return pending(jobId);
      if (error instanceof QueueUnavailableError) throw queueUnavailable('Réessayez avec la même Idempotency-Key.');
      throw error;
    }
    // The job under this id may be another request's (same key, other payload) still in Redis.
    if (outcome.state === 'completed') return withInstance(answerFor(outcome.value, fingerprint), deviceId);
    const after = await this.storedOutcome(jobId, fingerprint);
    if (after) return withInstance(after, deviceId);
    if (outcome.state === 'timeout') return pending(jobId);
    throw new ProblemException(500, 'transition-failed', 'Transition non appliquée', TRANSITION_FAILED_DETAIL);
  }

  private async storedOutcome(id: string, fingerprint: string): Promise<TransitionOutcome | undefined> {
    const [row] = await this.db.query('SELECT fingerprint, status_code, body FROM idempotency_record WHERE id = $1', [id]);
    return row ? answerFor({ statusCode: row.status_code, body: row.body, fingerprint: row.fingerprint }, fingerprint) : undefined;
  }

  /** A category outside the territory's list is answered before enqueueing (eligibilityRefusal). */
  private async eligibilityOutsideList(p: Principal, eligibility: string) {
    const [territory] = await this.db.query('SELECT eligibility_codes FROM territory WHERE id = $1', [p.territoryId]);
    return eligibilityRefusal(eligibility, territory?.eligibility_codes ?? []);
  }

  /**
   * The charity a beneficiary reference belongs to, which keys its hash so that the charity finds
   * its file again (reserve → distribute, after-sales): the acting charity; for a coordinator, the
   * one its forced reserve names, or the one that holds the reservation it forces the hand-over of.
   */
  private async charityOfReference(p: Principal, action: TransitionAction, deviceId: string, payload: Record<string, unknown>): Promise<string> {
    if (p.organizationKind === 'CHARITY') return p.organizationId;
    if (action === 'reserve') return (payload.charityOrganizationId as string | undefined) ?? p.organizationId;
    // Read before the worker's lock: a reservation changing hands meanwhile leaves the hand-over refused or keyed to the old holder.
    const [device] = await this.db.query('SELECT reserved_by_organization_id FROM device WHERE id = $1 AND territory_id = $2', [deviceId, p.territoryId]);
    return device?.reserved_by_organization_id ?? p.organizationId;
  }

  /**
   * Beneficiary references never travel further than this: they are replaced by an HMAC keyed
   * with the territory's secret and the charity, so two charities never share a hash and the
   * raw reference reaches neither Redis, nor the database, nor the logs.
   */
  private async minimise(p: Principal, action: TransitionAction, deviceId: string, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
    const ref = (payload.beneficiary as { ref?: string } | undefined)?.ref ?? (payload.beneficiaryRef as string | undefined);
    if (ref === undefined) return payload;
    const [territory] = await this.db.query('SELECT beneficiary_secret FROM territory WHERE id = $1', [p.territoryId]);
    const charity = await this.charityOfReference(p, action, deviceId, payload);
    const refHash = createHmac('sha256', territory.beneficiary_secret).update(`${charity}\n${ref.trim()}`).digest('hex');
    if (payload.beneficiary) {
      const { ref: _ref, ...rest } = payload.beneficiary as Record<string, unknown>;
      payload.beneficiary = { ...rest, refHash };
    }
    if (payload.beneficiaryRef !== undefined) {
      delete payload.beneficiaryRef;
      payload.beneficiaryRefHash = refHash;
    }
    return payload;
  }
}

/** The stored answer if it answers this request; a key reused for another request is refused. */
function answerFor(answer: TransitionAnswer, fingerprint: string): TransitionOutcome {
  if (answer.fingerprint !== fingerprint) {
    throw new ProblemException(422, 'idempotency-key-reused', 'Idempotency-Key déjà utilisée', 'Cette Idempotency-Key a déjà servi pour une autre demande sur ce matériel : utilisez une nouvelle clé.');
  }
  return { statusCode: answer.statusCode, body: answer.body };
}
