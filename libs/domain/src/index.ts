export * from './vocabulary';
export * from './device-input';
export * from './public-code';
export * from './price-caps';
export * from './event-chain';
export * from './erasure-invariant';
export * from './lifecycle';
export * from './medium-absence';
