import { Controller, Get, Injectable, Param, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiMovedPermanentlyResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { checkDataInvariant, DEVICE_TYPE_LABELS_FR, DeviceStatus, DeviceType, mediaInDevice, parsePublicCode, STATUS_LABELS_FR } from '@renum/domain';
import { PageThrottledFilter, Public, PublicPageThrottlerGuard } from '@renum/identity';
import type { Principal } from '@renum/identity';
import { DeviceAccess, loadCustodyFacts } from '@renum/lifecycle';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { ErasureProof, PublicDeviceView, renderDevicePage, renderNotFoundPage, renderTooManyRequestsPage } from './public-page.html';
import { binaryContent } from '@renum/platform';

/** Reads only what the public page shows: never serial or inventory numbers, prices or people. */
@Injectable()
export class PublicDevicePage {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: DeviceAccess,
  ) {}

  async view(code: string, principal?: Principal): Promise<PublicDeviceView | undefined> {
    const [d] = await this.db.query(
      `SELECT d.id, d.code, d.type, d.brand, d.model, d.status, d.custody_in_at, d.no_storage_declared_at, o.name AS organization_name
         FROM device d LEFT JOIN organization o ON o.id = d.custodian_organization_id
        WHERE d.code = $1`,
      [code],
    );
    if (!d) return undefined;
    const facts = await loadCustodyFacts(this.db.manager, d);
    const media = mediaInDevice(facts).length;
    const erasure: ErasureProof = media === 0 && facts.noStorageDeclaredAt ? 'no-storage' : media > 0 && checkDataInvariant(facts).ok ? 'proven' : 'not-proven';
    const view: PublicDeviceView = {
      code: d.code,
      typeLabel: DEVICE_TYPE_LABELS_FR[d.type as DeviceType] ?? d.type,
      brand: d.brand,
      model: d.model,
      statusLabel: STATUS_LABELS_FR[d.status as DeviceStatus] ?? d.status,
      erasure,
      responsibleOrganization: d.organization_name,
    };
    if (principal) {
      // Offered only to a signed-in caller who may see the device; anyone else learns nothing more.
      const visible = await this.access.resolve(principal, d.id).then(
        () => true,
        () => false,
      );
      if (visible) view.apiLink = `/api/v1/devices/${d.id}`;
    }
    return view;
  }
}

const html = (res: Response, status: number, body: string) =>
  res
    .status(status)
    .set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache', Vary: 'Authorization, X-Api-Key', 'Content-Language': 'fr' })
    .send(body);

/** `GET /d/{code}`: what a phone camera opens from a label. Outside /api/v1, no login. */
@ApiTags('public')
@Controller('d')
export class PublicPageController {
  constructor(private readonly page: PublicDevicePage) {}

  @Get(':code')
  @Public()
  // So many a minute per address (PUBLIC_PAGE_RATE_LIMIT): codes cannot be enumerated.
  @UseGuards(PublicPageThrottlerGuard)
  @UseFilters(new PageThrottledFilter(renderTooManyRequestsPage))
  @ApiParam({ name: 'code', description: 'Public code RN-XXXX-XXXX (other spellings are redirected to it)' })
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'Public device page in French: type, model, status, erasure proof, responsible organisation; 404 page for unknown codes' })
  @ApiOkResponse({ description: 'HTML page in French (no serial numbers, no personal data)', content: binaryContent('text/html') })
  @ApiMovedPermanentlyResponse({ description: 'Another spelling of a code (lower case, no dashes): Location is /d/{canonical code}' })
  @ApiNotFoundResponse({ description: 'HTML page in French: unknown or mistyped code', content: binaryContent('text/html') })
  @ApiResponse({ status: 429, description: 'HTML page in French: too many public pages asked from this address in a minute (PUBLIC_PAGE_RATE_LIMIT); Retry-After gives the seconds to wait', content: binaryContent('text/html') })
  async show(@Param('code') raw: string, @Req() req: Request & { principal?: Principal }, @Res() res: Response) {
    const parsed = parsePublicCode(raw);
    const shown = raw.length > 64 ? `${raw.slice(0, 64)}…` : raw;
    if (!parsed.ok) return html(res, 404, renderNotFoundPage(shown, parsed.reason === 'bad-check' ? 'mistyped' : 'unknown'));
    // One address per device: lower case, no dashes, etc. are sent to the canonical one.
    if (parsed.code !== raw) return res.redirect(301, `/d/${parsed.code}`);
    const view = await this.page.view(parsed.code, req.principal);
    if (!view) return html(res, 404, renderNotFoundPage(shown, 'unknown'));
    return html(res, 200, renderDevicePage(view));
  }
}
