import { ArgumentsHost, Catch, ExceptionFilter, ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { ProblemException } from '@renum/platform';
import type { Response } from 'express';
import { createHash } from 'node:crypto';

/** The named throttlers of ThrottlerModule (identity.module.ts); each guard below applies its own only. */
export const LOGIN_THROTTLER = 'login';
export const PUBLIC_PAGE_THROTTLER = 'public-page';

/**
 * A guard that applies one named throttler of the module's list: Nest's ThrottlerGuard applies
 * every one it is given, which would count logins against the public pages' limit and the
 * reverse.
 */
abstract class OneThrottlerGuard extends ThrottlerGuard {
  protected abstract readonly throttlerName: string;

  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    this.throttlers = this.throttlers.filter((t) => t.name === this.throttlerName);
    if (this.throttlers.length !== 1) throw new Error(`ThrottlerModule has no throttler named '${this.throttlerName}'`);
  }

  // The throttler suffixes its header with the throttler's name ('Retry-After-login'), which no
  // client or proxy knows: send the standard Retry-After (seconds).
  protected override setResponseHeader(res: Record<string, any>, name: string, value: string | number): void {
    super.setResponseHeader(res, name.startsWith('Retry-After') ? 'Retry-After' : name, value);
  }
}

const retryAfterSeconds = (limit: ThrottlerLimitDetail) => Math.max(1, Math.ceil(limit.timeToBlockExpire));

/** The wait a 429 tells, in French: « 1 seconde », « 42 secondes ». */
export const secondsFr = (n: number) => (n > 1 ? `${n} secondes` : `${n} seconde`);

/** Login attempts are counted per address and per client, so one office cannot lock out another. */
@Injectable()
export class LoginThrottlerGuard extends OneThrottlerGuard {
  protected readonly throttlerName = LOGIN_THROTTLER;

  protected override async getTracker(req: Record<string, any>): Promise<string> {
    const email = typeof req.body?.email === 'string' ? req.body.email.trim().toLowerCase() : '';
    return `${req.ip}|${email}`;
  }

  // Its own message is English ("ThrottlerException: Too Many Requests"); say when to retry, in French.
  protected override async throwThrottlingException(_context: ExecutionContext, limit: ThrottlerLimitDetail): Promise<void> {
    throw new ProblemException(429, 'too-many-requests', 'Trop de requêtes', `Trop de tentatives de connexion. Réessayez dans ${secondsFr(retryAfterSeconds(limit))}.`);
  }
}

/**
 * The public pages (`/d/{code}`, `/verify/{id}`, no login): so many a minute per client address
 * (`PUBLIC_PAGE_RATE_LIMIT`), all pages counted together, so that no one enumerates codes or
 * certificate ids. The address is `req.ip` (Express, `trust proxy` = TRUST_PROXY, loopback by default), an IPv6 one by its
 * /64 as the throttler does. The route answers the refusal with its own page (PageThrottledFilter).
 */
@Injectable()
export class PublicPageThrottlerGuard extends OneThrottlerGuard {
  protected readonly throttlerName = PUBLIC_PAGE_THROTTLER;

  // One count per address for every public page (by default each route counts apart); hashed, so
  // Redis keeps no address in clear.
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return createHash('sha256').update(`${name}|${tracker}`).digest('hex');
  }

  protected override async throwThrottlingException(_context: ExecutionContext, limit: ThrottlerLimitDetail): Promise<void> {
    throw new PageRequestsThrottled(retryAfterSeconds(limit));
  }
}

/** A public page refused for too many requests: the page's route answers it in HTML (PageThrottledFilter). */
export class PageRequestsThrottled extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super('Trop de requêtes', 429);
  }
}

/**
 * Answers PageRequestsThrottled with the route's own French page, status 429 and Retry-After: the
 * public pages are read by people, with a phone, not by API clients that read a problem document.
 */
@Catch(PageRequestsThrottled)
export class PageThrottledFilter implements ExceptionFilter {
  constructor(private readonly render: (retryAfterSeconds: number) => string) {}

  catch(exception: PageRequestsThrottled, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    res
      .status(429)
      .set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Language': 'fr', 'Retry-After': String(exception.retryAfterSeconds) })
      .send(this.render(exception.retryAfterSeconds));
  }
}
