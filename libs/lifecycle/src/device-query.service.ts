import { Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DEVICE_STATUSES, DEVICE_TYPES, DeviceStatus, DeviceType, parsePublicCode, scanActions, TransitionAction } from '@renum/domain';
import { actorOf, Principal } from '@renum/identity';
import { badRequest, cursorValue, decodeCursor, encodeCursor, keysetPage, Page, PageQuery, PROBLEM_BASE } from '@renum/platform';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { DeviceAccess, visibilitySql } from './device-access';
import { presentDevice, PresentedDevice, refusalFor, seesSerials } from './device.presenter';
import { deviceFactsOf, loadDeviceFacts, loadDeviceView, loadMedia } from './device-queries';
import { loadEventPage, presentEvent, returnedFrom, verifyDeviceChain } from './event-log';
import { HISTORY_PAGE_DEFAULT, HistoryPageQuery } from './history-page';

export class DeviceListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DEVICE_STATUSES })
  @IsOptional()
  @IsIn(DEVICE_STATUSES)
  status?: DeviceStatus;

  @ApiPropertyOptional({ enum: DEVICE_TYPES })
  @IsOptional()
  @IsIn(DEVICE_TYPES)
  type?: DeviceType;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  donationId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Devices held by this organisation (a workshop, a charity, a recycler…)' })
  @IsOptional()
  @IsUUID()
  custodianOrganizationId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Devices given by this donor (not for charities, which are not shown who gave a device)' })
  @IsOptional()
  @IsUUID()
  donorOrganizationId?: string;

  @ApiPropertyOptional({ description: 'Search in code, serial, inventory number, brand and model' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

@Injectable()
export class DeviceQueryService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: DeviceAccess,
  ) {}

  /** Cursor-paginated by id (UUID v7, so by registration time); two queries per page, no N+1. */
  async list(p: Principal, q: DeviceListQuery): Promise<Page<PresentedDevice>> {
    const limit = q.limit ?? 50;
    const scope = visibilitySql(p, 1);
    const params: unknown[] = [...scope.params];
    const where = [scope.sql];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (q.status) add((n) => `d.status = ${n}`, q.status);
    if (q.type) add((n) => `d.type = ${n}`, q.type);
    if (q.donationId) add((n) => `d.donation_id = ${n}`, q.donationId);
    if (q.custodianOrganizationId) add((n) => `d.custodian_organization_id = ${n}`, q.custodianOrganizationId);
    if (q.donorOrganizationId) {
      // The donor is the chain's professionals' to know, as its inventory data are (seesSerials).
      if (!seesSerials(p.organizationKind)) {
        throw badRequest('Le filtre donorOrganizationId est réservé aux organisations qui voient les données du donateur.', [
          { field: 'donorOrganizationId', message: 'filtre non disponible pour votre organisation' },
        ]);
      }
      add((n) => `d.donor_organization_id = ${n}`, q.donorOrganizationId);
    }
    if (q.q) {
      const term = q.q.trim();
      // Serials and inventory numbers are searched only by those who may read them (a charity would otherwise test serials).
      const columns = ['d.code', 'd.brand', 'd.model', ...(seesSerials(p.organizationKind) ? ['d.serial_number', 'd.inventory_number'] : [])];
      const like = columns.map((c) => `${c} ILIKE $${params.length + 1}`);
      params.push(`%${term.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
      // A whole code, as a technician types it (lower case, without dashes): the device it names.
      const code = parsePublicCode(term);
      if (code.ok) {
        params.push(code.code);
        like.push(`d.code = $${params.length}`);
      }
      where.push(`(${like.join(' OR ')})`);
    }
    const cursor = decodeCursor(q.cursor, { id: cursorValue.uuid });
    if (cursor) add((n) => `d.id > ${n}`, cursor.id);
    params.push(limit + 1);
    const rows = await this.db.query(`SELECT d.* FROM device d WHERE ${where.join(' AND ')} ORDER BY d.id LIMIT $${params.length}`, params);
    const media = await loadMedia(this.db.manager, rows.slice(0, limit).map((d: { id: string }) => d.id));
    return keysetPage(
      rows,
      limit,
      (d: { id: string }) => presentDevice(d as never, media.get(d.id) ?? [], p.organizationKind),
      (last) => ({ id: last.id }),
    );
  }

  async get(p: Principal, ref: string): Promise<PresentedDevice> {
    const id = await this.access.resolve(p, ref);
    const view = await loadDeviceView(this.db.manager, id);
    return presentDevice(view.device, view.media, p.organizationKind);
  }

  /**
   * The device and the actions this caller may perform on it now (scan screen), plus those the
   * data invariant holds back, each with the problem the transition would answer, so the screen
   * can say why instead of offering a button that fails.
   */
  async scan(p: Principal, ref: string): Promise<{ device: PresentedDevice; allowedActions: TransitionAction[]; blockedActions: { action: TransitionAction; type: string; title: string; detail: string }[] }> {
    const id = await this.access.resolve(p, ref);
    const [d] = await this.db.query('SELECT * FROM device WHERE id = $1', [id]);
    // Media and erasures in one query; the media rows serve the presented device too.
    const loaded = await loadDeviceFacts(this.db.manager, d);
    const actions = scanActions(actorOf(p), deviceFactsOf(d, loaded.custody));
    return {
      device: presentDevice(d, loaded.media, p.organizationKind),
      allowedActions: actions.allowed,
      blockedActions: actions.blocked.map(({ action, refusal }) => {
        const shown = refusalFor(p.organizationKind, refusal);
        return { action, type: PROBLEM_BASE + shown.code, title: shown.title, detail: shown.detail };
      }),
    };
  }

  /** The history, oldest first, paged by `seq`; each event presented for this reader. */
  async events(p: Principal, ref: string, q: HistoryPageQuery = {}): Promise<Page<ReturnType<typeof presentEvent>>> {
    const id = await this.access.resolve(p, ref);
    const after = decodeCursor(q.cursor, { s: cursorValue.int });
    const { events, more } = await loadEventPage(this.db.manager, id, after?.s ?? 0, q.limit ?? HISTORY_PAGE_DEFAULT);
    // A return's reason is also for the charity the device came back from, which the return does not
    // name (custody went to that charity at the hand-over: no other kind of organisation can be it).
    const concerned = p.organizationKind === 'CHARITY' ? await returnedFrom(this.db.manager, id, events) : new Map<number, string[]>();
    return { items: events.map((e) => presentEvent(e, p, concerned.get(e.seq))), nextCursor: more ? encodeCursor({ s: events[events.length - 1].seq }) : null };
  }

  async verify(p: Principal, ref: string) {
    const id = await this.access.resolve(p, ref);
    return verifyDeviceChain(this.db.manager, id);
  }
}
