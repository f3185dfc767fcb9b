export * from './renum.module';
export * from './contexts';
export * from './http-app';
