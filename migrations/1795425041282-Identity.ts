import { MigrationInterface, QueryRunner } from "typeorm";

export class Identity1795425041282 implements MigrationInterface {
    name = 'Identity1795425041282'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "territory" ("id" uuid NOT NULL, "name" text NOT NULL, "reservation_expiry_days" integer NOT NULL DEFAULT '7', "max_active_reservations" integer NOT NULL DEFAULT '20', "eligibility_codes" text array NOT NULL DEFAULT '{minima_sociaux,demandeur_emploi,etudiant_boursier,senior_isole,autre}', "beneficiary_secret" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2250448f958bc52a8d040b48f82" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "territory_name_key" ON "territory"  ("name") `);
        await queryRunner.query(`CREATE TABLE "organization" ("id" uuid NOT NULL, "territory_id" uuid NOT NULL, "name" text NOT NULL, "kind" text NOT NULL, "siret" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "organization_kind_check" CHECK (kind IN ('DONOR','WORKSHOP','CHARITY','COORDINATOR','RECYCLER')), CONSTRAINT "PK_472c1f99a32def1b0abb219cd67" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "organization_territory_idx" ON "organization"  ("territory_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "organization_territory_name_key" ON "organization"  ("territory_id", "name") `);
        await queryRunner.query(`CREATE TABLE "app_user" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "email" text NOT NULL, "password_hash" text NOT NULL, "role" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "disabled_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "app_user_role_check" CHECK (role IN ('admin','agent','viewer')), CONSTRAINT "PK_22a5c4a3d9b2fb8e4e73fc4ada1" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "app_user_organization_idx" ON "app_user"  ("organization_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "app_user_email_key" ON "app_user"  ("email") `);
        await queryRunner.query(`CREATE TABLE "api_key" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "name" text NOT NULL, "prefix" text NOT NULL, "secret_hash" text NOT NULL, "created_by_user_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_b1bd840641b8acbaad89c3d8d11" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "api_key_organization_idx" ON "api_key"  ("organization_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "api_key_prefix_key" ON "api_key"  ("prefix") `);
        await queryRunner.query(`CREATE TABLE "outbox_message" ("id" uuid NOT NULL, "job_name" text NOT NULL, "payload" jsonb NOT NULL, "run_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_at" TIMESTAMP WITH TIME ZONE, "attempts" integer NOT NULL DEFAULT '0', "last_error" text, CONSTRAINT "PK_2f36ee5236f2793f3e7bd554589" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "outbox_unpublished_idx" ON "outbox_message"  ("created_at") WHERE published_at IS NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."outbox_unpublished_idx"`);
        await queryRunner.query(`DROP TABLE "outbox_message"`);
        await queryRunner.query(`DROP INDEX "public"."api_key_prefix_key"`);
        await queryRunner.query(`DROP INDEX "public"."api_key_organization_idx"`);
        await queryRunner.query(`DROP TABLE "api_key"`);
        await queryRunner.query(`DROP INDEX "public"."app_user_email_key"`);
        await queryRunner.query(`DROP INDEX "public"."app_user_organization_idx"`);
        await queryRunner.query(`DROP TABLE "app_user"`);
        await queryRunner.query(`DROP INDEX "public"."organization_territory_name_key"`);
        await queryRunner.query(`DROP INDEX "public"."organization_territory_idx"`);
        await queryRunner.query(`DROP TABLE "organization"`);
        await queryRunner.query(`DROP INDEX "public"."territory_name_key"`);
        await queryRunner.query(`DROP TABLE "territory"`);
    }

}
