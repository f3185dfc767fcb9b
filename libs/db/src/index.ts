export * from './naming.strategy';
export * from './data-source-options';
export * from './write-together';
export * from './transaction-opened-with';
export * from './prepared-statements';
