import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalogue context: the audit journal of settings changes (append-only, enforced by a trigger
 * like device_event) and the coordinator's price grid per device type and grade.
 */
export class Catalog1795430000000 implements MigrationInterface {
  name = 'Catalog1795430000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "audit_event" (
        "id" uuid NOT NULL,
        "territory_id" uuid NOT NULL,
        "actor_user_id" uuid,
        "actor_api_key_id" uuid,
        "actor_organization_id" uuid NOT NULL,
        "action" text NOT NULL,
        "payload" jsonb NOT NULL,
        "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_481efbe8b0a403efe3f47a6528f" PRIMARY KEY ("id")
      )`);
    await q.query(`CREATE INDEX "audit_event_territory_idx" ON "audit_event" ("territory_id", "id")`);
    await q.query(`
      CREATE TABLE "price_grid" (
        "territory_id" uuid NOT NULL,
        "type" text NOT NULL,
        "grade" text NOT NULL,
        "price_cents" integer NOT NULL,
        "updated_by_user_id" uuid,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "price_grid_grade_check" CHECK (grade IN ('A', 'B', 'C')),
        CONSTRAINT "price_grid_price_check" CHECK (price_cents >= 0),
        CONSTRAINT "PK_9e4eb0f52521d8ad3302159b51e" PRIMARY KEY ("territory_id", "type", "grade")
      )`);
    await q.query(`
      CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`);
    await q.query(`CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "price_grid"`);
    await q.query(`DROP TABLE "audit_event"`);
    await q.query(`DROP FUNCTION audit_event_append_only()`);
  }
}
