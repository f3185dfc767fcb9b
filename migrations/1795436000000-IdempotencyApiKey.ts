import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The API key that asked for a stored transition answer: `GET /jobs/{id}` shows it, once the job
 * left Redis, to that key alone, as it does while the job is in Redis (an API key has no user, so
 * the organisation and user alone let every key of the organisation read it). Earlier answers
 * asked by a key cannot be told apart from those of another key: none reads them through the
 * job any more (a replay with the same Idempotency-Key still gets them).
 */
export class IdempotencyApiKey1795436000000 implements MigrationInterface {
  name = 'IdempotencyApiKey1795436000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "idempotency_record" ADD "api_key_id" uuid`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "idempotency_record" DROP COLUMN "api_key_id"`);
  }
}
