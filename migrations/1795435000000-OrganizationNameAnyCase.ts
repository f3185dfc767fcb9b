import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organisation names are unique per territory whatever their case: « Mairie de Lyon » and
 * « mairie de Lyon » typed by two coordinators are one town hall, and two rows would split its
 * devices and accounts. The case-sensitive index stays: it serves the list's order by name.
 */
export class OrganizationNameAnyCase1795435000000 implements MigrationInterface {
  name = 'OrganizationNameAnyCase1795435000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Names differing only in case were allowed until now: say which, rather than fail on the index.
    const twins: { names: string }[] = await queryRunner.query(
      `SELECT string_agg(name, ' / ' ORDER BY name) AS names FROM organization GROUP BY territory_id, lower(name) HAVING count(*) > 1`,
    );
    if (twins.length > 0) {
      throw new Error(`Organisations de même nom à la casse près sur un territoire : ${twins.map((t) => `« ${t.names} »`).join(' ; ')}. Fusionnez-les ou renommez-les, puis relancez la migration.`);
    }
    await queryRunner.query(`CREATE UNIQUE INDEX "organization_territory_lower_name_key" ON "organization" ("territory_id", lower("name"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."organization_territory_lower_name_key"`);
  }
}
