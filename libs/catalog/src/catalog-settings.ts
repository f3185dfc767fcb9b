/**
 * Settings of the catalogue context that RenumConfig does not hold (yet): read once from the
 * environment and validated, so a bad value stops the process at start-up like RenumConfig does.
 */
export abstract class CatalogSettings {
  /** Months after a distribution (or the close of a reservation) before the beneficiary reference hash is erased. */
  beneficiaryRetentionMonths: number;
  /** When the retention sweep runs (cron pattern, Europe/Paris). */
  beneficiaryRetentionCron: string;
}

export const DEFAULT_RETENTION_MONTHS = 36;
export const DEFAULT_RETENTION_CRON = '17 3 * * *';

export function loadCatalogSettings(env: NodeJS.ProcessEnv = process.env): CatalogSettings {
  const rawMonths = env.BENEFICIARY_RETENTION_MONTHS?.trim();
  const months = rawMonths ? Number(rawMonths) : DEFAULT_RETENTION_MONTHS;
  if (!Number.isInteger(months) || months < 1 || months > 240) {
    throw new Error(`Configuration invalide : BENEFICIARY_RETENTION_MONTHS doit être un nombre entier de mois entre 1 et 240 (reçu « ${rawMonths} »)`);
  }
  const cron = env.BENEFICIARY_RETENTION_CRON?.trim() || DEFAULT_RETENTION_CRON;
  if (cron.split(/\s+/).length < 5) {
    throw new Error(`Configuration invalide : BENEFICIARY_RETENTION_CRON doit être une expression cron (reçu « ${cron} »)`);
  }
  return { beneficiaryRetentionMonths: months, beneficiaryRetentionCron: cron };
}
