import { ProblemException } from '@renum/platform';

// The problem documents of a Redis that does not answer, for every context that queues or reads jobs.

/** 503 when Redis does not answer; `retry` says how to try again (a transition: with the same Idempotency-Key). */
export const queueUnavailable = (retry = 'Réessayez dans quelques instants.') =>
  new ProblemException(503, 'queue-unavailable', 'Service momentanément indisponible', `La file de traitement ne répond pas : rien n'a été appliqué. ${retry}`);

/** 503 on reading a job's state while Redis does not answer: what was sent before is unknown, not undone. */
export const queueUnreadable = () =>
  new ProblemException(503, 'queue-unavailable', 'Service momentanément indisponible', "La file de traitement ne répond pas : l'état de cette tâche ne peut pas être lu pour l'instant. Réessayez dans quelques instants.");
