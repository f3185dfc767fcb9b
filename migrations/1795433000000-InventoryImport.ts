import { MigrationInterface, QueryRunner } from 'typeorm';

export class InventoryImport1795433000000 implements MigrationInterface {
  name = 'InventoryImport1795433000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "inventory_import" ("id" uuid NOT NULL, "donation_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "created_by_user_id" uuid, "created_by_api_key_id" uuid, "sha256" text NOT NULL, "filename" text NOT NULL, "size_bytes" integer NOT NULL, "job_id" text NOT NULL, "status" text NOT NULL DEFAULT 'QUEUED', "format" text, "total_rows" integer, "next_row" integer NOT NULL DEFAULT '0', "created_count" integer NOT NULL DEFAULT '0', "already_registered" jsonb NOT NULL DEFAULT '[]', "result" jsonb, "failure_reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_b676f0683aff731c34913764d8f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "inventory_import_donation_idx" ON "inventory_import" ("donation_id", "created_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."inventory_import_donation_idx"`);
    await queryRunner.query(`DROP TABLE "inventory_import"`);
  }
}
