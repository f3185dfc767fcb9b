import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { OrganizationKind, Role } from '@renum/domain';
import { forbidden } from '@renum/platform';
import type { Principal } from './principal';

export const ACCESS = 'renum:access';

export interface AccessRule {
  kinds?: OrganizationKind[];
  roles?: Role[];
}

/** `afterLookup`: the guard lets every authenticated caller in; the handler applies `rules` itself (see AllowAfterLookup). */
export type AccessPolicy = { public: true } | { rules: AccessRule[]; afterLookup?: true };

/**
 * Every endpoint says who may call it. A route with no policy is refused (secure by default).
 * `@Allow()` = any authenticated user; `@Allow({kinds:['COORDINATOR']})` = coordinators, etc.
 * Finer checks (custody, territory, "that organisation's admin") live in the use case.
 */
export const Allow = (...rules: AccessRule[]) => withPolicy({ rules: rules.length ? rules : [{}] });
export const Public = () => withPolicy({ public: true });

/**
 * A route for `rules` whose refusal must not tell a caller that a resource it cannot see exists:
 * the guard lets every authenticated caller in, and the handler calls `checkAfterLookup` with the
 * same rules, so an invisible resource is 404 whoever asks and 403 only for one the caller sees.
 * The OpenAPI document states the rules, as for `@Allow`.
 */
export const AllowAfterLookup = (...rules: AccessRule[]) => withPolicy({ rules, afterLookup: true });

/** Whether the caller meets one of the rules (the guard's test). */
export function meetsRules(rules: AccessRule[], p: Principal): boolean {
  return rules.some((r) => (!r.kinds || r.kinds.includes(p.organizationKind)) && (!r.roles || r.roles.includes(p.role)));
}

/**
 * For a route declared with `AllowAfterLookup(...rules)`: nothing when the caller meets the rules;
 * otherwise `lookup` answers 404 for a resource it cannot see, and a 403 (`refusal`) follows.
 */
export async function checkAfterLookup(p: Principal, rules: AccessRule[], lookup: () => Promise<unknown>, refusal: string): Promise<void> {
  if (meetsRules(rules, p)) return;
  await lookup();
  throw forbidden(refusal);
}

/** OpenAPI extension naming who may call an operation, from its policy (README, `/api/docs`). */
export const ACCESS_EXTENSION = 'x-renum-access';

/** The policy, in words: `anyone, no login`, `any user or API key`, `CHARITY (admin, agent) or COORDINATOR`. */
export function describeAccess(policy: AccessPolicy): string {
  if ('public' in policy) return 'anyone, no login';
  return policy.rules
    .map((r) => `${r.kinds?.length ? r.kinds.join(', ') : 'any user or API key'}${r.roles?.length ? ` (${r.roles.join(', ')})` : ''}`)
    .join(' or ')
    .concat(policy.afterLookup ? ' (checked once the resource is found: 404 for one the caller may not see, whoever asks)' : '');
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
