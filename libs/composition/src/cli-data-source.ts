// DataSource for the TypeORM CLI (`npm run migration:generate`).
import 'reflect-metadata';
import { dataSourceOptions } from '@renum/db';
import { loadConfig } from '@renum/platform';
import { DataSource } from 'typeorm';
import { ALL_ENTITIES, ALL_MIGRATIONS } from './contexts';

export default new DataSource(dataSourceOptions(loadConfig().DATABASE_URL, ALL_ENTITIES, ALL_MIGRATIONS));
