export * from './identity.entities';
export * from './principal';
export * from './access.decorator';
export * from './auth.service';
export * from './identity.service';
export * from './identity.module';
export * from './audit-log';
export { PublicPageThrottlerGuard, PageThrottledFilter, PageRequestsThrottled, secondsFr } from './throttling';
