export * from './config';
export * from './problem';
export * from './problem.filter';
export * from './validation';
export * from './logging';
export * from './pagination';
export * from './uuid';
export * from './platform.module';
