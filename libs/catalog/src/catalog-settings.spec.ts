import { DEFAULT_RETENTION_CRON, loadCatalogSettings } from './catalog-settings';

describe('catalogue settings', () => {
  it('keeps beneficiary references 36 months by default, swept nightly', () => {
    expect(loadCatalogSettings({})).toEqual({ beneficiaryRetentionMonths: 36, beneficiaryRetentionCron: DEFAULT_RETENTION_CRON });
  });

  it('reads the period and the schedule from the environment', () => {
    expect(loadCatalogSettings({ BENEFICIARY_RETENTION_MONTHS: '24', BENEFICIARY_RETENTION_CRON: '0 2 * * 0' })).toEqual({
      beneficiaryRetentionMonths: 24,
      beneficiaryRetentionCron: '0 2 * * 0',
    });
  });

  it.each(['0', '-3', '12.5', 'trois', '241'])('refuses a period of %p months', (months) => {
    expect(() => loadCatalogSettings({ BENEFICIARY_RETENTION_MONTHS: months })).toThrow(/BENEFICIARY_RETENTION_MONTHS/);
  });

  it('refuses a schedule that is not a cron expression', () => {
    expect(() => loadCatalogSettings({ BENEFICIARY_RETENTION_CRON: 'daily' })).toThrow(/BENEFICIARY_RETENTION_CRON/);
  });
});
