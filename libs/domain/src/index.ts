export * from './vocabulary';
export * from './device-input';
