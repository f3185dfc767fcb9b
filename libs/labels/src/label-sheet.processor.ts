import { Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { JobCatalogue, JobProducer, keepScheduled, OnJob } from '@renum/jobs';
import type { Job } from 'bullmq';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LabelSelection } from './label-source';
import { LabelSheets, principalOf, SheetJobResult } from './label-sheets.service';

export const SHEETS_SWEEP_SCHEDULER_ID = 'label-sheets-sweep';

/** Worker side of long label sheets, and the daily sweep of their old files. */
@Injectable()
export class LabelSheetProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stopScheduling?: () => void;

  constructor(
    private readonly sheets: LabelSheets,
    private readonly jobs: JobProducer,
  ) {}

  onApplicationBootstrap(): void {
    this.stopScheduling = keepScheduled(this.jobs, { id: SHEETS_SWEEP_SCHEDULER_ID, name: 'labels.sweep', pattern: '41 4 * * *', data: {} });
  }

  beforeApplicationShutdown(): void {
    this.stopScheduling?.();
  }

  @OnJob('labels.sweep')
  sweep(): Promise<{ removed: number }> {
    return this.sheets.sweep();
  }

  /**
   * Streams the sheet into a temporary file renamed into place at the end, so a download never
   * sees half a file and a retried job simply starts over.
   */
  @OnJob('labels.sheet')
  async render(data: JobCatalogue['labels.sheet'], job: Job): Promise<SheetJobResult> {
    const principal = principalOf(data.requester);
    const selection: LabelSelection = data.deviceIds
      ? { kind: 'devices', deviceIds: data.deviceIds }
      : { kind: 'donation', donationId: data.donationId!, count: 0 };
    const total = data.deviceIds ? data.deviceIds.length : await this.countOrZero(principal, data.donationId!);

    const file = this.sheets.relativeFile(job.id!, data.template);
    const path = this.sheets.absolute(file);
    const partial = `${path}.${process.pid}.${job.attemptsMade}.part`;
    await mkdir(dirname(path), { recursive: true });
    const out = createWriteStream(partial);
    let reported = 0;
    try {
      const result = await this.sheets.write(principal, selection, data.template, out, async (done) => {
        const percent = total ? Math.min(99, Math.floor((done * 100) / total)) : 0;
        if (percent >= reported + 5) {
          reported = percent;
          await job.updateProgress(percent);
        }
      });
      await rename(partial, path);
      await job.updateProgress(100);
      // downloadUrl: what the technician following /jobs/{id} opens next (file is where it lies).
      return { ...result, file, downloadUrl: this.sheets.downloadUrl(job.id!) };
    } catch (error) {
      out.destroy();
      await rm(partial, { force: true });
      throw error;
    }
  }

  private async countOrZero(principal: ReturnType<typeof principalOf>, donationId: string): Promise<number> {
    try {
      return await this.sheets.countDonation(principal, donationId);
    } catch {
      return 0; // nothing visible any more: the sheet is a blank page
    }
  }
}
