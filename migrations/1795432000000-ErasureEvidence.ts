import { MigrationInterface, QueryRunner } from "typeorm";

export class ErasureEvidence1795432000000 implements MigrationInterface {
    name = 'ErasureEvidence1795432000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "erasure_report" (
                "id" uuid NOT NULL,
                "organization_id" uuid NOT NULL,
                "sha256" text NOT NULL,
                "filename" text NOT NULL,
                "size_bytes" integer NOT NULL,
                "tool" text NOT NULL,
                "tool_version" text,
                "host_system_serial" text,
                "host_asset_tag" text,
                "host_model" text,
                "storage_path" text NOT NULL,
                "summary" jsonb,
                "uploaded_by_user_id" uuid,
                "uploaded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_66de5ea362aa6b6b239d0afda7d" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "erasure_report_org_sha256_key" ON "erasure_report" ("organization_id", "sha256")
        `);
        await queryRunner.query(`
            CREATE TABLE "erasure_certificate" (
                "id" uuid NOT NULL,
                "device_id" uuid NOT NULL,
                "event_seq" integer NOT NULL,
                "event_hash" text,
                "file_path" text NOT NULL,
                "sha256" text NOT NULL,
                "facts" jsonb NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_dcf55886f4eb3c568e782b8f432" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "erasure_certificate_device_seq_key" ON "erasure_certificate" ("device_id", "event_seq")
        `);
        await queryRunner.query(`
            CREATE TABLE "erasure_draw" (
                "erasure_id" uuid NOT NULL,
                "organization_id" uuid NOT NULL,
                "selected" boolean NOT NULL,
                "seed" text NOT NULL,
                "drawn_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_7350c17a3e796e3188397c47dda" PRIMARY KEY ("erasure_id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "erasure_draw_org_idx" ON "erasure_draw" ("organization_id", "drawn_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "erasure_recheck" (
                "id" uuid NOT NULL,
                "erasure_id" uuid NOT NULL,
                "device_id" uuid NOT NULL,
                "organization_id" uuid NOT NULL,
                "territory_id" uuid NOT NULL,
                "erased_by_user_id" uuid,
                "status" text NOT NULL,
                "decided_by_user_id" uuid,
                "decided_at" TIMESTAMP WITH TIME ZONE,
                "note" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "erasure_recheck_status_check" CHECK (status IN ('PENDING', 'CONFIRMED', 'FAILED')),
                CONSTRAINT "PK_58229e28340158771f3555f8bb6" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "erasure_recheck_territory_idx" ON "erasure_recheck" ("territory_id", "status", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "erasure_recheck_org_status_idx" ON "erasure_recheck" ("organization_id", "status", "id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "erasure_recheck_erasure_key" ON "erasure_recheck" ("erasure_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "data_incident" (
                "id" uuid NOT NULL,
                "device_id" uuid NOT NULL,
                "erasure_id" uuid NOT NULL,
                "recheck_id" uuid,
                "territory_id" uuid NOT NULL,
                "holder_organization_id" uuid NOT NULL,
                "device_status" text NOT NULL,
                "status" text NOT NULL,
                "detail" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "data_incident_status_check" CHECK (status IN ('OPEN', 'CLOSED')),
                CONSTRAINT "PK_26ea885adb51596d5d4ce570d91" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "data_incident_territory_idx" ON "data_incident" ("territory_id", "id")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."data_incident_territory_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "data_incident"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."erasure_recheck_erasure_key"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."erasure_recheck_org_status_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."erasure_recheck_territory_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "erasure_recheck"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."erasure_draw_org_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "erasure_draw"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."erasure_certificate_device_seq_key"
        `);
        await queryRunner.query(`
            DROP TABLE "erasure_certificate"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."erasure_report_org_sha256_key"
        `);
        await queryRunner.query(`
            DROP TABLE "erasure_report"
        `);

    }

}
