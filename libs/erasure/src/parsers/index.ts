export * from './erasure-report';
export { NwipeLogParser, nwipeLogParser } from './nwipe-log.parser';
