import { SetMetadata } from '@nestjs/common';
import type { JobName } from './job-catalogue';

export const JOB_HANDLER = 'renum:job-handler';

/** Marks a provider method as the handler of one job of the catalogue. */
export const OnJob = (name: JobName) => SetMetadata(JOB_HANDLER, name);
