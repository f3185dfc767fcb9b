import { RequestMethod } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';

/** JSON logs with a request id; secrets and beneficiary data never reach them. */
export function loggerParams(level: string): Params {
  return {
    // Every route, in the path syntax of Nest 11: nestjs-pino's default ('*') made Nest warn
    // « Unsupported route path: "/api/v1/*" » (LegacyRouteConverter) at every start of the api.
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
    pinoHttp: {
      level,
      genReqId: (req: IncomingMessage) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
      },
      redact: {
        paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
        censor: '[masqué]',
      },
      // Query strings may carry search terms; bodies are never logged.
      // Response headers are the same security headers on every line: the status says enough.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url?.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customProps: (req: IncomingMessage) => ({ requestId: (req as IncomingMessage & { id?: string }).id }),
    },
  };
}
