import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { answerUnparsableRequestsWithProblems, JSON_BODY_LIMIT_MB, ProblemFilter, RenumConfig, renumValidationPipe, trustProxySetting } from '@renum/platform';
import { ACCESS_EXTENSION, API_KEY_ROLE_NOTE } from '@renum/identity';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { RenumModule } from './renum.module';

/** Builds the HTTP application exactly as production runs it (tests use this too). */
export async function createHttpApp(options: { logger?: boolean } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(RenumModule.forRoot(), {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
  });
  configureHttpApp(app);
  if (options.logger !== false) app.useLogger(app.get(Logger));
  return app;
}

export function configureHttpApp(app: NestExpressApplication): INestApplication {
  // Who may name the client in X-Forwarded-For: the address the login and public-page limits count.
  app.set('trust proxy', trustProxySetting(app.get(RenumConfig).TRUST_PROXY));
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: `${JSON_BODY_LIMIT_MB}mb` });
  // The public pages (/d, /verify) need no script; Swagger UI needs inline scripts, on /api/docs
  // only: a value a page failed to escape must not run as script anywhere else.
  const strict = helmet({ contentSecurityPolicy: { useDefaults: true, directives: { 'img-src': ["'self'", 'data:'] } } });
  const docs = helmet({ contentSecurityPolicy: { useDefaults: true, directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] } } });
  app.use((req: { path: string }, res: unknown, next: () => void) => (req.path === '/api/docs' || req.path.startsWith('/api/docs/') ? docs : strict)(req as never, res as never, next));
  // Answers of the API are a caller's own (tokens at login, devices, reports): no shared or
  // browser cache keeps them unless a route says otherwise (labels do).
  app.use((req: { path: string }, res: { setHeader(name: string, value: string): void }, next: () => void) => {
    if (req.path.startsWith('/api/v1/')) res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.setGlobalPrefix('api/v1', { exclude: ['health', 'd/{*path}', 'verify/{*path}'] });
  app.useGlobalPipes(renumValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  answerUnparsableRequestsWithProblems(app.getHttpServer());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Renum API')
      .setDescription(
        'Traçabilité du réemploi solidaire de matériel informatique. Errors are RFC 9457 problem documents. ' +
          'Each operation starts with who may call it (also `x-renum-access`); finer rules (device visibility, custody, ' +
          "that organisation's admin, the lifecycle table of a transition) answer 404 or 403 as its problems say.",
      )
      .setVersion('1')
      .addBearerAuth()
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key', description: `Key of an organisation, for integrations, created by \`POST /api/v1/organizations/{id}/api-keys\` (shown once). ${API_KEY_ROLE_NOTE}` }, 'api-key')
      .build(),
  );
  statePolicies(document);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}

/** Each operation's description opens with who may call it, from the policy its guard enforces. */
function statePolicies(document: OpenAPIObject): void {
  for (const operations of Object.values(document.paths)) {
    for (const op of Object.values(operations) as (OperationObject & { [ACCESS_EXTENSION]?: string })[]) {
      const who = op?.[ACCESS_EXTENSION];
      if (typeof who === 'string') op.description = `Who: ${who}.${op.description ? `\n\n${op.description}` : ''}`;
    }
  }
}
