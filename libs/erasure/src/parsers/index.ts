export * from './erasure-report';
export { NwipeLogParser } from './nwipe-log.parser';
