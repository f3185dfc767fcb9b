export * from './inventory-import.entity';
export * from './import-report';
export * from './import-storage';
export * from './inventory-import.service';
export * from './inventory-import.processor';
export * from './imports.controller';
