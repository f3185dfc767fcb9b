import { DEVICE_STATUSES } from '@renum/domain';
import { erase, registerDevices, step, uniqueSerial } from '../support/flows';
import { TestApp, World } from '../support/test-app';

/**
 * API.md: "The OpenAPI document served at /api/docs (JSON at /api/docs-json) must describe all of
 * it." Every call of API.md's tables, as served, with its success answer and its problems.
 */

type Json = Record<string, any>;

const JSON_TYPE = 'application/json';
const PROBLEM_TYPE = 'application/problem+json';

/** [method, path, success status, content types of the success answer (JSON unless said)]. */
const CONTRACT: [string, string, number, string[]?][] = [
  ['post', '/api/v1/auth/login', 200],
  ['get', '/api/v1/me', 200],
  ['post', '/api/v1/organizations', 201],
  ['post', '/api/v1/organizations/{id}/users', 201],
  ['post', '/api/v1/organizations/{id}/api-keys', 201],
  ['post', '/api/v1/donations', 201],
  ['post', '/api/v1/donations/{id}/devices', 201],
  ['get', '/api/v1/donations/{id}', 200],
  ['get', '/api/v1/devices', 200],
  ['get', '/api/v1/devices/{device}', 200],
  ['get', '/api/v1/devices/{device}/events', 200],
  ['get', '/api/v1/devices/{device}/events/verify', 200],
  ['post', '/api/v1/devices/{device}/erasures', 201],
  ['get', '/api/v1/devices/{device}/erasures', 200],
  ['post', '/api/v1/devices/{device}/transitions', 200],
  ['get', '/api/v1/devices/{device}/label.svg', 200, ['image/svg+xml']],
  ['get', '/api/v1/devices/{device}/label.png', 200, ['image/png']],
  ['post', '/api/v1/labels/sheets', 200, ['application/pdf', 'text/plain']],
  ['get', '/api/v1/scan/{code}', 200],
  ['get', '/d/{code}', 200, ['text/html']],
  ['get', '/api/v1/catalog', 200],
  ['get', '/api/v1/reservations', 200],
  ['get', '/api/v1/price-caps', 200],
  ['put', '/api/v1/price-caps/{type}', 200],
  ['post', '/api/v1/erasures/import', 201],
  ['get', '/api/v1/devices/{device}/erasure-certificate.pdf', 200, ['application/pdf']],
  ['get', '/api/v1/donations/{id}/report.pdf', 200, ['application/pdf']],
  ['get', '/api/v1/donations/{id}/report.csv', 200, ['text/csv']],
  ['post', '/api/v1/donations/{id}/import', 202],
  ['get', '/api/v1/jobs/{jobId}', 200],
];

const DEVICE_FIELDS = ['id', 'code', 'type', 'brand', 'model', 'serialNumber', 'inventoryNumber', 'status', 'custodianOrganizationId', 'donationId', 'grade', 'priceCents', 'media', 'version', 'updatedAt'];
const EVENT_FIELDS = ['seq', 'action', 'fromStatus', 'toStatus', 'actorUserId', 'organizationId', 'at', 'payload', 'prevHash', 'hash'];
const API_MD_STATUSES = ['REGISTERED', 'COLLECTED', 'WIPED', 'REFURBISHING', 'REFURBISHED', 'AVAILABLE', 'RESERVED', 'DISTRIBUTED', 'RECYCLED', 'DISMANTLED'];

let t: TestApp;
let w: World;
let doc: Json;

beforeAll(async () => {
  t = await TestApp.start();
  w = await t.world('OA');
  doc = (await t.http.get('/api/docs-json').expect(200)).body;
});
afterAll(() => t?.close());

const schemaNamed = (name: string): Json => doc.components?.schemas?.[name];
const deref = (schema: Json | undefined): Json | undefined => {
  if (!schema?.$ref) return schema;
  return schemaNamed(schema.$ref.replace('#/components/schemas/', ''));
};
/** A JSON schema that says something: an object with properties, an array, or a composition. */
const isDescribed = (schema: Json | undefined) => {
  const s = deref(schema);
  return !!s && (Object.keys(s.properties ?? {}).length > 0 || s.type === 'array' || Array.isArray(s.oneOf) || Array.isArray(s.allOf));
};
/** A property's schema reference, bare or wrapped in allOf (when the property has its own description). */
const refOf = (prop: Json): string | undefined => prop.$ref ?? prop.allOf?.[0]?.$ref;
const propertiesOf = (name: string) => Object.keys(schemaNamed(name)?.properties ?? {});

describe('every call of API.md in /api/docs-json', () => {
  const calls = CONTRACT.map(([method, path, status, types]) => ({ method, path, status, types }));

  it.each(calls)('$method $path: success answer with a schema or its binary content type', ({ method, path, status, types }) => {
    const op = doc.paths?.[path]?.[method];
    expect(op).toBeDefined();
    const success = op.responses?.[String(status)];
    expect(success).toBeDefined();
    const content: Json = success.content ?? {};
    if (types) {
      expect(Object.keys(content).sort()).toEqual([...types].sort());
      for (const type of types) expect(content[type].schema).toEqual(expect.objectContaining({ type: 'string' }));
    } else {
      expect(Object.keys(content)).toEqual([JSON_TYPE]);
      expect(isDescribed(content[JSON_TYPE].schema)).toBe(true);
    }
  });

  it.each(calls)('$method $path: every 4xx/5xx answer is a ProblemDocument', ({ method, path }) => {
    const responses: Json = doc.paths[path][method].responses;
    const problems = Object.entries(responses).filter(([status]) => /^[45]\d\d$/.test(status));
    expect(problems.length).toBeGreaterThan(0);
    for (const [, answer] of problems) {
      if (path === '/d/{code}') continue; // the public page answers its 404 as an HTML page
      expect(answer.content?.[PROBLEM_TYPE]?.schema).toEqual({ $ref: '#/components/schemas/ProblemDocument' });
    }
  });

  it('no answer of the document is left without content, and every $ref resolves', () => {
    const empty = Object.entries(doc.paths as Json).flatMap(([path, ops]) =>
      Object.entries(ops as Json).flatMap(([method, op]) =>
        Object.entries((op as Json).responses ?? {})
          .filter(([status, r]) => !(r as Json).content && !['204', '301'].includes(status))
          .map(([status]) => `${method.toUpperCase()} ${path} ${status}`),
      ),
    );
    expect(empty).toEqual([]);
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    expect([...new Set(refs)].filter((name) => !schemaNamed(name))).toEqual([]);
  });

  it('declares the transition answers API.md lists', () => {
    const responses: Json = doc.paths['/api/v1/devices/{device}/transitions'].post.responses;
    expect(Object.keys(responses)).toEqual(expect.arrayContaining(['200', '202', '400', '403', '404', '409', '422', '503']));
    const answer = deref(responses['200'].content[JSON_TYPE].schema)!;
    expect(Object.keys(answer.properties).sort()).toEqual(['device', 'event']);
    expect(refOf(answer.properties.device)).toBe('#/components/schemas/Device');
    expect(refOf(answer.properties.event)).toBe('#/components/schemas/Event');
    expect(Object.keys(deref(responses['202'].content[JSON_TYPE].schema)?.properties ?? {})).toEqual(expect.arrayContaining(['jobId', 'statusUrl']));
  });

  it('describes label sheets: 200 PDF or ZPL, 202 a job, the JSON under application/json', () => {
    const responses: Json = doc.paths['/api/v1/labels/sheets'].post.responses;
    expect(Object.keys(responses['202'].content)).toEqual([JSON_TYPE]);
    expect(Object.keys(deref(responses['202'].content[JSON_TYPE].schema)?.properties ?? {})).toEqual(expect.arrayContaining(['jobId', 'statusUrl', 'downloadUrl']));
  });

  it('gives lists their {items, nextCursor} shape', () => {
    for (const path of ['/api/v1/devices', '/api/v1/catalog', '/api/v1/reservations', '/api/v1/devices/{device}/events', '/api/v1/devices/{device}/erasures']) {
      const schema = deref(doc.paths[path].get.responses['200'].content[JSON_TYPE].schema)!;
      expect(schema.properties.items.type).toBe('array');
      expect(schema.properties.nextCursor).toEqual(expect.objectContaining({ type: 'string', nullable: true }));
      expect(schema.required).toEqual(expect.arrayContaining(['items', 'nextCursor']));
      // "… and accept ?cursor=&limit=", a bad one being a 400 problem.
      const query = (doc.paths[path].get.parameters as Json[]).filter((p) => p.in === 'query').map((p) => p.name);
      expect(query).toEqual(expect.arrayContaining(['cursor', 'limit']));
      expect(Object.keys(doc.paths[path].get.responses)).toContain('400');
    }
    const reservation = deref(deref(doc.paths['/api/v1/reservations'].get.responses['200'].content[JSON_TYPE].schema)!.properties.items.items)!;
    expect(reservation.properties.status.enum).toEqual(['ACTIVE', 'RELEASED', 'EXPIRED', 'DISTRIBUTED']);
    expect(Object.keys(reservation.properties)).toEqual(expect.arrayContaining(['id', 'deviceId', 'code', 'status', 'expiresAt']));
  });
});

describe('every operation of /api/docs-json, API.md or not', () => {
  const PUBLIC = ['get /health', 'post /api/v1/auth/login', 'get /d/{code}', 'get /verify/{certificateId}'];
  const operations = () =>
    Object.entries(doc.paths as Json).flatMap(([path, ops]) => Object.entries(ops as Json).map(([method, op]) => ({ key: `${method} ${path}`, op: op as Json })));

  it('has a summary, and says who may call it in its description and in x-renum-access (the policy its guard enforces)', () => {
    const lacking = operations()
      .filter(({ op }) => !op.summary?.trim() || typeof op['x-renum-access'] !== 'string' || !op.description?.startsWith(`Who: ${op['x-renum-access']}.`))
      .map(({ key }) => key);
    expect(lacking).toEqual([]);
  });

  it('declares its security (bearer and API key) unless it is public, and public ones say so', () => {
    for (const { key, op } of operations()) {
      if (PUBLIC.includes(key)) {
        expect([key, op.security ?? [], op['x-renum-access']]).toEqual([key, [], 'anyone, no login']);
      } else {
        expect([key, (op.security ?? []).map((s: Json) => Object.keys(s)[0]).sort()]).toEqual([key, ['api-key', 'bearer']]);
        expect([key, op.responses['401']?.content?.[PROBLEM_TYPE]]).toEqual([key, expect.anything()]);
      }
    }
  });

  it('lists at least one 4xx problem answer (but /health, which answers 200 or 503)', () => {
    const lacking = operations()
      .filter(({ key }) => key !== 'get /health')
      .filter(({ op }) => !Object.keys(op.responses ?? {}).some((status) => /^4\d\d$/.test(status)))
      .map(({ key }) => key);
    expect(lacking).toEqual([]);
  });

  it('names the coarse policy as written, e.g. the catalogue is for charities', () => {
    expect(doc.paths['/api/v1/catalog'].get['x-renum-access']).toBe('CHARITY');
    expect(doc.paths['/api/v1/donations'].post['x-renum-access']).toBe('DONOR (admin, agent)');
    expect(doc.paths['/api/v1/me'].get['x-renum-access']).toBe('any user or API key');
  });

  it('names the policy of a route that checks it once the resource is found (404 first), not « any user »', () => {
    const afterLookup = ' (checked once the resource is found: 404 for one the caller may not see, whoever asks)';
    expect(doc.paths['/api/v1/donations/{id}/devices'].post['x-renum-access']).toBe(`DONOR (admin, agent)${afterLookup}`);
    expect(doc.paths['/api/v1/devices/{device}/erasures'].post['x-renum-access']).toBe(`WORKSHOP (admin, agent)${afterLookup}`);
    expect(doc.paths['/api/v1/devices/{device}/media/{mediumId}/absence'].post['x-renum-access']).toBe(`WORKSHOP (admin, agent)${afterLookup}`);
    expect(doc.paths['/api/v1/erasures/rechecks/{id}'].post['x-renum-access']).toBe(`WORKSHOP (admin, agent)${afterLookup}`);
    expect(doc.paths['/api/v1/devices/{device}/price-suggestion'].get['x-renum-access']).toBe(`WORKSHOP, COORDINATOR${afterLookup}`);
    expect(doc.paths['/api/v1/devices/{device}/transitions'].post['x-renum-access']).toBe(`any user or API key (admin, agent)${afterLookup}`);
  });
});

describe('schemas of API.md', () => {
  it('Device carries the API.md fields, serials optional (omitted for a charity), the statuses as spelled', () => {
    expect(propertiesOf('Device')).toEqual(expect.arrayContaining(DEVICE_FIELDS));
    const device = schemaNamed('Device');
    expect(device.required).toEqual(expect.arrayContaining(DEVICE_FIELDS.filter((f) => f !== 'serialNumber' && f !== 'inventoryNumber')));
    expect(device.required).not.toContain('serialNumber');
    expect(device.required).not.toContain('inventoryNumber');
    expect(device.properties.status.enum).toEqual(API_MD_STATUSES);
    expect(device.properties.type.enum).toEqual(['LAPTOP', 'DESKTOP', 'TABLET', 'SMARTPHONE', 'MONITOR', 'PRINTER', 'MFP', 'OTHER']);
    expect([...DEVICE_STATUSES]).toEqual(API_MD_STATUSES);
  });

  it('Event carries exactly the API.md fields', () => {
    expect(propertiesOf('Event').sort()).toEqual([...EVENT_FIELDS].sort());
    expect(schemaNamed('Event').required.sort()).toEqual([...EVENT_FIELDS].sort());
    expect(schemaNamed('Event').properties.toStatus.enum).toEqual(API_MD_STATUSES);
  });

  it('lists null among the values of a nullable enum, as OpenAPI 3.0 validators require', () => {
    for (const [schema, field] of [['Device', 'grade'], ['Event', 'fromStatus'], ['ErasureRecord', 'mediumKind'], ['CatalogItem', 'grade']]) {
      const property = schemaNamed(schema).properties[field];
      expect({ schema, field, nullable: property.nullable, hasNull: property.enum.includes(null), type: property.type }).toEqual({ schema, field, nullable: true, hasNull: true, type: 'string' });
    }
  });

  it('ProblemDocument is RFC 9457: type, title, status, detail, instance?, errors?: [{field, message}]', () => {
    const problem = schemaNamed('ProblemDocument');
    expect(Object.keys(problem.properties).sort()).toEqual(['detail', 'errors', 'instance', 'status', 'title', 'type']);
    expect(problem.required.sort()).toEqual(['detail', 'status', 'title', 'type']);
    const fieldError = deref(problem.properties.errors.items)!;
    expect(Object.keys(fieldError.properties).sort()).toEqual(['field', 'message']);
  });
});

describe('API keys', () => {
  it('the api-key security scheme, and the creation of a key, say a key always acts with the role agent, and what it may not do', () => {
    const scheme = doc.components.securitySchemes['api-key'];
    expect(scheme).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Api-Key' });
    const creation = doc.paths['/api/v1/organizations/{id}/api-keys'].post;
    for (const description of [scheme.description, creation.description]) {
      expect(description).toMatch(/always acts with the role `agent` of its organisation, never `admin`/);
      expect(description).toMatch(/`publish`/);
      expect(description).toMatch(/managing accounts and API keys/);
      expect(description).toMatch(/Bearer/);
    }
  });

  it('what it says is what a key gets: the role agent, whoever created it', async () => {
    const created = await t.http.post(`/api/v1/organizations/${w.workshop.id}/api-keys`).set(w.workshop.admin.auth).send({ name: 'OA role' }).expect(201);
    const me = await t.http.get('/api/v1/me').set('X-Api-Key', created.body.key).expect(200);
    expect(me.body.user).toMatchObject({ id: null, role: 'agent', apiKeyId: created.body.id });
    // Created by the workshop's admin, it still may not publish, an admin's action.
    const [device] = await registerDevices(t, w, [{}]);
    const publish = await t.http.post(`/api/v1/devices/${device.id}/transitions`).set('X-Api-Key', created.body.key).set('Idempotency-Key', 'oa-key-publish').send({ action: 'publish', priceCents: 5000 });
    expect(publish.status).toBe(403);
    expect(publish.body.type).toMatch(/forbidden-action$/);
  });
});

describe('the schemas match what the API answers', () => {
  const keysWithin = (body: Json, schema: string) => {
    const props = propertiesOf(schema);
    expect(Object.keys(body).filter((k) => !props.includes(k))).toEqual([]);
    expect((schemaNamed(schema).required ?? []).filter((k: string) => !(k in body))).toEqual([]);
  };

  it('a device, its events, its erasure records and a transition answer have the documented fields', async () => {
    const [device] = await registerDevices(t, w, [{ media: [{ kind: 'SSD', serialNumber: uniqueSerial('SSD') }] }]);
    const full = (await t.http.get(`/api/v1/devices/${device.id}`).set(w.donor.agent.auth).expect(200)).body;
    keysWithin(full, 'Device');
    keysWithin(full.media[0], 'DeviceMedium');
    const applied = await step(t, w.workshop.agent, device.id, { action: 'collect' });
    keysWithin(applied, 'TransitionApplied');
    keysWithin(applied.device, 'Device');
    keysWithin(applied.event, 'Event');
    const events = (await t.http.get(`/api/v1/devices/${device.id}/events`).set(w.donor.agent.auth).expect(200)).body;
    keysWithin(events, 'EventList');
    for (const event of events.items) keysWithin(event, 'Event');
    expect((await erase(t, w.workshop.agent, device.id, full.media[0].serialNumber)).status).toBe(201);
    const erasures = (await t.http.get(`/api/v1/devices/${device.id}/erasures`).set(w.donor.agent.auth).expect(200)).body;
    keysWithin(erasures, 'ErasureRecordList');
    expect(erasures.items).toHaveLength(1);
    keysWithin(erasures.items[0], 'ErasureRecord');
    const problem = (await t.http.get('/api/v1/devices/RN-0000-0000').set(w.donor.agent.auth)).body;
    keysWithin(problem, 'ProblemDocument');
  });
});
