import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemException } from '@renum/platform';
import type { Request } from 'express';
import { ACCESS, AccessPolicy, meetsRules } from './access.decorator';
import { AuthService } from './auth.service';
import type { Principal } from './principal';

const unauthorized = (detail: string) => new ProblemException(401, 'unauthorized', 'Authentification requise', detail);

/** Global guard: authenticates (JWT or API key) and applies the route's access policy. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS, [context.getHandler(), context.getClass()]);
    if (!policy) {
      // A programming error: fail loudly rather than leave a route open.
      throw new Error(`Route ${context.getClass().name}.${context.getHandler().name} declares no access policy`);
    }
    const req = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const principal = await this.authenticate(req, 'public' in policy);
    if ('public' in policy) return true;
    if (!principal) throw unauthorized('Connectez-vous (Authorization: Bearer …) ou fournissez une clé X-Api-Key.');
    // A route that checks its rules after finding the resource (AllowAfterLookup) answers 404 first.
    if (policy.afterLookup) return true;
    if (!meetsRules(policy.rules, principal)) throw new ProblemException(403, 'forbidden', 'Accès refusé', "Votre organisation ou votre rôle ne permet pas cette action.");
    return true;
  }

  private async authenticate(req: Request & { principal?: Principal }, optional: boolean): Promise<Principal | undefined> {
    const header = req.headers.authorization;
    const apiKey = req.headers['x-api-key'];
    try {
      if (typeof header === 'string' && /^Bearer\s+/i.test(header)) {
        req.principal = await this.auth.verifyAccessToken(header.replace(/^Bearer\s+/i, '').trim());
      } else if (typeof apiKey === 'string' && apiKey) {
        req.principal = await this.auth.verifyApiKey(apiKey);
      }
    } catch (error) {
      if (!optional) throw error;
    }
    return req.principal;
  }
}
