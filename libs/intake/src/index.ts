export * from './intake.module';
export * from './donation.service';
export * from './inventory-csv';
export * from './import';
