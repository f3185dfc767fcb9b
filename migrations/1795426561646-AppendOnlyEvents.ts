import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invariant 4: device events are never updated or deleted. A trigger refuses it for every
 * role that does not disable triggers (only a superuser can), which the tamper test does on purpose.
 */
export class AppendOnlyEvents1795426561646 implements MigrationInterface {
  name = 'AppendOnlyEvents1795426561646';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION device_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'device_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER device_event_no_update_delete BEFORE UPDATE OR DELETE ON device_event FOR EACH ROW EXECUTE FUNCTION device_event_append_only()`);
    await q.query(`CREATE TRIGGER device_event_no_truncate BEFORE TRUNCATE ON device_event FOR EACH STATEMENT EXECUTE FUNCTION device_event_append_only()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER device_event_no_truncate ON device_event`);
    await q.query(`DROP TRIGGER device_event_no_update_delete ON device_event`);
    await q.query(`DROP FUNCTION device_event_append_only()`);
  }
}
