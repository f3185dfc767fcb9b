import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who asked for a stored transition answer, so `GET /jobs/{id}` can show it to its requester
 * once the job left Redis, refusals included (their body names no organisation).
 */
export class IdempotencyRequester1795434000000 implements MigrationInterface {
  name = 'IdempotencyRequester1795434000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "idempotency_record" ADD "organization_id" uuid`);
    await queryRunner.query(`ALTER TABLE "idempotency_record" ADD "user_id" uuid`);
    // Earlier applied answers name their organisation in their event; their user is not known.
    await queryRunner.query(
      `UPDATE "idempotency_record" SET "organization_id" = ("body"->'event'->>'organizationId')::uuid WHERE "body"->'event'->>'organizationId' IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "idempotency_record" DROP COLUMN "user_id"`);
    await queryRunner.query(`ALTER TABLE "idempotency_record" DROP COLUMN "organization_id"`);
  }
}
