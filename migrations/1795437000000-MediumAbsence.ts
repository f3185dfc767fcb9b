import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A medium the donor declared but that is not in the device, as the workshop holding it declares
 * (`POST /devices/{device}/media/{mediumId}/absence`): marked, never deleted, so the declaration
 * stays beside the medium as its event stays in the device history.
 */
export class MediumAbsence1795437000000 implements MigrationInterface {
  name = 'MediumAbsence1795437000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "device_medium" ADD "absent_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "device_medium" ADD "absence_reason" text`);
    await queryRunner.query(
      `ALTER TABLE "device_medium" ADD CONSTRAINT "device_medium_absence_check" CHECK ((absent_at IS NULL) = (absence_reason IS NULL))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "device_medium" DROP CONSTRAINT "device_medium_absence_check"`);
    await queryRunner.query(`ALTER TABLE "device_medium" DROP COLUMN "absence_reason"`);
    await queryRunner.query(`ALTER TABLE "device_medium" DROP COLUMN "absent_at"`);
  }
}
