import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { OrganizationKind, Role } from '@renum/domain';
import type { Principal } from './principal';

export const ACCESS = 'renum:access';

export interface AccessRule {
  kinds?: OrganizationKind[];
  roles?: Role[];
}

export type AccessPolicy = { public: true } | { rules: AccessRule[] };

/**
 * Every endpoint says who may call it. A route with no policy is refused (secure by default).
 * `@Allow()` = any authenticated user; `@Allow({kinds:['COORDINATOR']})` = coordinators, etc.
 * Finer checks (custody, territory, "that organisation's admin") live in the use case.
 */
export const Allow = (...rules: AccessRule[]) => SetMetadata(ACCESS, { rules: rules.length ? rules : [{}] } satisfies AccessPolicy);
export const Public = () => SetMetadata(ACCESS, { public: true } satisfies AccessPolicy);

export const WORKING_ROLES: Role[] = ['admin', 'agent'];

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest().principal;
});

export const OptionalPrincipal = CurrentPrincipal;
