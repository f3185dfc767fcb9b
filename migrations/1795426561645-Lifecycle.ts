import { MigrationInterface, QueryRunner } from "typeorm";

export class Lifecycle1795426561645 implements MigrationInterface {
    name = 'Lifecycle1795426561645'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "donation" (
                "id" uuid NOT NULL,
                "donor_organization_id" uuid NOT NULL,
                "territory_id" uuid NOT NULL,
                "reference" text NOT NULL,
                "pickup_address" text NOT NULL,
                "planned_pickup_date" date,
                "created_by_user_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_25fb5a541964bc5cfc18fb13a82" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "donation_territory_idx" ON "donation" ("territory_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "donation_donor_reference_key" ON "donation" ("donor_organization_id", "reference")
        `);
        await queryRunner.query(`
            CREATE TABLE "device" (
                "id" uuid NOT NULL,
                "code" text NOT NULL,
                "donation_id" uuid NOT NULL,
                "donor_organization_id" uuid NOT NULL,
                "territory_id" uuid NOT NULL,
                "type" text NOT NULL,
                "brand" text NOT NULL,
                "model" text NOT NULL,
                "serial_number" text NOT NULL,
                "serial_key" text NOT NULL,
                "inventory_number" text,
                "acquisition_date" date,
                "estimated_value_cents" integer,
                "weight_kg" numeric(7, 2),
                "status" text NOT NULL,
                "custodian_organization_id" uuid NOT NULL,
                "last_workshop_id" uuid,
                "reserved_by_organization_id" uuid,
                "grade" text,
                "price_cents" integer,
                "os" text,
                "battery_health_pct" integer,
                "checklist" jsonb,
                "custody_in_at" TIMESTAMP WITH TIME ZONE,
                "no_storage_declared_at" TIMESTAMP WITH TIME ZONE,
                "flags" text array NOT NULL DEFAULT '{}',
                "version" integer NOT NULL DEFAULT '1',
                "event_seq" integer NOT NULL DEFAULT '0',
                "event_hash" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "device_price_check" CHECK (
                    price_cents IS NULL
                    OR price_cents >= 0
                ),
                CONSTRAINT "device_type_check" CHECK (
                    type IN (
                        'LAPTOP',
                        'DESKTOP',
                        'TABLET',
                        'SMARTPHONE',
                        'MONITOR',
                        'PRINTER',
                        'MFP',
                        'OTHER'
                    )
                ),
                CONSTRAINT "device_status_check" CHECK (
                    status IN (
                        'REGISTERED',
                        'COLLECTED',
                        'WIPED',
                        'REFURBISHING',
                        'REFURBISHED',
                        'AVAILABLE',
                        'RESERVED',
                        'DISTRIBUTED',
                        'RECYCLED',
                        'DISMANTLED'
                    )
                ),
                CONSTRAINT "PK_2dc10972aa4e27c01378dad2c72" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "device_code_key" ON "device" ("code")
        `);
        await queryRunner.query(`
            CREATE INDEX "device_custodian_idx" ON "device" ("custodian_organization_id", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "device_donation_idx" ON "device" ("donation_id", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "device_catalog_idx" ON "device" (
                "territory_id",
                "status",
                "type",
                "price_cents",
                "id"
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "device_donor_serial_key" ON "device" ("donor_organization_id", "serial_key")
        `);
        await queryRunner.query(`
            CREATE TABLE "device_medium" (
                "id" uuid NOT NULL,
                "device_id" uuid NOT NULL,
                "kind" text NOT NULL,
                "serial_number" text NOT NULL,
                "serial_key" text NOT NULL,
                "model" text,
                "capacity_gb" integer,
                "source" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "device_medium_kind_check" CHECK (
                    kind IN ('HDD', 'SSD', 'NVME', 'EMMC', 'FLASH', 'OTHER')
                ),
                CONSTRAINT "PK_11841dbdd3656a2677465f63230" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "device_medium_serial_idx" ON "device_medium" ("serial_key")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "device_medium_serial_key" ON "device_medium" ("device_id", "serial_key")
        `);
        await queryRunner.query(`
            CREATE TABLE "erasure_record" (
                "id" uuid NOT NULL,
                "device_id" uuid NOT NULL,
                "medium_id" uuid NOT NULL,
                "medium_serial" text NOT NULL,
                "medium_kind" text,
                "medium_model" text,
                "capacity_gb" integer,
                "level" text NOT NULL,
                "method" text NOT NULL,
                "tool" text NOT NULL,
                "tool_version" text,
                "verification" text NOT NULL,
                "rounds" integer,
                "errors" integer NOT NULL DEFAULT '0',
                "details" jsonb NOT NULL DEFAULT '{}',
                "result" text NOT NULL,
                "failure_reason" text,
                "started_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "ended_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "technician_user_id" uuid,
                "organization_id" uuid NOT NULL,
                "source" text NOT NULL,
                "report_id" uuid,
                "report_sha256" text,
                "voided_at" TIMESTAMP WITH TIME ZONE,
                "void_reason" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "erasure_record_dates_check" CHECK (ended_at >= started_at),
                CONSTRAINT "erasure_record_verification_check" CHECK (verification IN ('NONE', 'SAMPLED', 'FULL')),
                CONSTRAINT "erasure_record_result_check" CHECK (result IN ('PASSED', 'FAILED')),
                CONSTRAINT "erasure_record_level_check" CHECK (level IN ('CLEAR', 'PURGE', 'DESTROY')),
                CONSTRAINT "PK_438c9d94c42c1ff1b5b815a2699" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "erasure_record_report_medium_key" ON "erasure_record" ("report_id", "medium_id")
            WHERE report_id IS NOT NULL
        `);
        await queryRunner.query(`
            CREATE INDEX "erasure_record_device_idx" ON "erasure_record" ("device_id", "ended_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "device_event" (
                "device_id" uuid NOT NULL,
                "seq" integer NOT NULL,
                "action" text NOT NULL,
                "from_status" text,
                "to_status" text NOT NULL,
                "actor_user_id" uuid,
                "organization_id" uuid,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "payload" jsonb NOT NULL,
                "prev_hash" text NOT NULL,
                "hash" text NOT NULL,
                CONSTRAINT "PK_277fc54eb6c63f4839358bf9095" PRIMARY KEY ("device_id", "seq")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "device_party" (
                "device_id" uuid NOT NULL,
                "organization_id" uuid NOT NULL,
                "since" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_622a348213574a05caff6636bcf" PRIMARY KEY ("device_id", "organization_id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "device_party_organization_idx" ON "device_party" ("organization_id", "device_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "idempotency_record" (
                "id" text NOT NULL,
                "device_id" uuid NOT NULL,
                "fingerprint" text NOT NULL,
                "status_code" integer NOT NULL,
                "body" json NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_0dc165e218120167e4a55dcc8d4" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "reservation" (
                "id" uuid NOT NULL,
                "device_id" uuid NOT NULL,
                "charity_organization_id" uuid NOT NULL,
                "territory_id" uuid NOT NULL,
                "status" text NOT NULL,
                "beneficiary_ref_hash" text,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "created_by_user_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "closed_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "reservation_status_check" CHECK (
                    status IN ('ACTIVE', 'RELEASED', 'EXPIRED', 'DISTRIBUTED')
                ),
                CONSTRAINT "PK_48b1f9922368359ab88e8bfa525" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "reservation_charity_idx" ON "reservation" ("charity_organization_id", "status")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "reservation_one_active_per_device" ON "reservation" ("device_id")
            WHERE status = 'ACTIVE'
        `);
        await queryRunner.query(`
            CREATE TABLE "distribution" (
                "id" uuid NOT NULL,
                "device_id" uuid NOT NULL,
                "reservation_id" uuid,
                "charity_organization_id" uuid NOT NULL,
                "territory_id" uuid NOT NULL,
                "price_cents" integer NOT NULL,
                "payment_method" text NOT NULL,
                "beneficiary_ref_hash" text,
                "eligibility" text NOT NULL,
                "postal_code" text NOT NULL,
                "distributed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "returned_at" TIMESTAMP WITH TIME ZONE,
                "return_reason" text,
                CONSTRAINT "distribution_payment_check" CHECK (
                    payment_method IN ('CASH', 'CARD', 'CHEQUE', 'TRANSFER', 'FREE')
                ),
                CONSTRAINT "PK_187eaf203ccf9018df51b40108c" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "distribution_territory_idx" ON "distribution" ("territory_id", "distributed_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "distribution_device_idx" ON "distribution" ("device_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "price_cap" (
                "territory_id" uuid NOT NULL,
                "type" text NOT NULL,
                "cap_cents" integer NOT NULL,
                "updated_by_user_id" uuid,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_1bb2d718a749787a1de6e7eb4a4" PRIMARY KEY ("territory_id", "type")
            )
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP TABLE "price_cap"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."distribution_device_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."distribution_territory_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "distribution"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."reservation_one_active_per_device"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."reservation_charity_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "reservation"
        `);
        await queryRunner.query(`
            DROP TABLE "idempotency_record"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."device_party_organization_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "device_party"
        `);
        await queryRunner.query(`
            DROP TABLE "device_event"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."erasure_record_device_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."erasure_record_report_medium_key"
        `);
        await queryRunner.query(`
            DROP TABLE "erasure_record"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."device_medium_serial_key"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."device_medium_serial_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "device_medium"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."device_donor_serial_key"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."device_catalog_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."device_donation_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."device_custodian_idx"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."device_code_key"
        `);
        await queryRunner.query(`
            DROP TABLE "device"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."donation_donor_reference_key"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."donation_territory_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "donation"
        `);
    }

}
