import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
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
export const Allow = (...rules: AccessRule[]) => withPolicy({ rules: rules.length ? rules : [{}] });
export const Public = () => withPolicy({ public: true });

/** OpenAPI extension naming who may call an operation, from its policy (README, `/api/docs`). */
export const ACCESS_EXTENSION = 'x-renum-access';

/** The policy, in words: `anyone, no login`, `any user or API key`, `CHARITY (admin, agent) or COORDINATOR`. */
export function describeAccess(policy: AccessPolicy): string {
  if ('public' in policy) return 'anyone, no login';
  return policy.rules
    .map((r) => `${r.kinds?.length ? r.kinds.join(', ') : 'any user or API key'}${r.roles?.length ? ` (${r.roles.join(', ')})` : ''}`)
    .join(' or ');
}

/** The policy the guard enforces, and the same policy stated in the OpenAPI document. */
function withPolicy(policy: AccessPolicy) {
  return applyDecorators(SetMetadata(ACCESS, policy), ApiExtension(ACCESS_EXTENSION, describeAccess(policy)));
}

export const WORKING_ROLES: Role[] = ['admin', 'agent'];

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest().principal;
});

export const OptionalPrincipal = CurrentPrincipal;
