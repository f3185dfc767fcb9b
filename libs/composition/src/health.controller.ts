import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { Public } from '@renum/identity';
import { JobProducer } from '@renum/jobs';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Health } from './composition.schemas';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobProducer,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness for load balancers and orchestrators: 200 when PostgreSQL and Redis both answer, else 503' })
  @ApiOkResponse({ type: Health, description: 'Database and Redis up' })
  @ApiServiceUnavailableResponse({ type: Health, description: 'Database or Redis down (status degraded)' })
  async health(@Res({ passthrough: true }) res: Response) {
    const [database, redis] = await Promise.all([
      this.db.query('SELECT 1').then(() => 'up' as const, () => 'down' as const),
      this.jobs.ping().then((ok) => (ok ? ('up' as const) : ('down' as const))),
    ]);
    const ok = database === 'up' && redis === 'up';
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'degraded', database, redis };
  }
}
