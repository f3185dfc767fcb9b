import 'reflect-metadata';
import { NestExpressApplication } from '@nestjs/platform-express';
import { createHttpApp } from '@renum/composition';
import { OrganizationKind, Role } from '@renum/domain';
import { AuthService, IdentityService } from '@renum/identity';
import { uuidv7 } from '@renum/platform';
import * as argon2 from 'argon2';
import { JobWorkerHost, OutboxRelay } from '@renum/jobs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { dropRedisPrefix } from './bench-redis';
import { cloneTemplate, dropDatabase } from './database';

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  organizationId: string;
  token: string;
  auth: { Authorization: string };
}

export interface TestOrg {
  id: string;
  name: string;
  kind: OrganizationKind;
  admin: TestUser;
  agent: TestUser;
  viewer: TestUser;
}

export interface World {
  territoryId: string;
  coordinator: TestOrg;
  donor: TestOrg;
  workshop: TestOrg;
  charity: TestOrg;
  recycler: TestOrg;
}

let counter = 0;
let cachedHash: Promise<string> | undefined;
const passwordHash = (password: string) => (cachedHash ??= argon2.hash(password));

export class TestApp {
  readonly http: ReturnType<typeof request>;
  private worldCount = 0;

  private constructor(
    readonly app: NestExpressApplication,
    readonly db: DataSource,
    readonly databaseName: string,
    readonly prefix: string,
    readonly storageDir: string,
  ) {
    this.http = request(app.getHttpServer());
  }

  /**
   * Boots the real Nest app (HTTP + job workers + outbox relay) on a database cloned from the
   * migrated template and a BullMQ prefix of its own.
   */
  static async start(options: { workers?: boolean; env?: Record<string, string> } = {}): Promise<TestApp> {
    const name = `renum_t_${process.env.JEST_WORKER_ID ?? 0}_${process.pid}_${++counter}`;
    const url = await cloneTemplate(name);
    const storageDir = mkdtempSync(join(tmpdir(), 'renum-test-'));
    Object.assign(process.env, {
      NODE_ENV: 'test',
      REDIS_URL: 'redis://127.0.0.1:6379',
      DATABASE_URL: url,
      BULL_PREFIX: name,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      JOB_LOCK_MS: '2000',
      OUTBOX_POLL_MS: '50',
      TRANSITION_WAIT_MS: '15000',
      LABEL_SHEET_WAIT_MS: '15000',
      STORAGE_DIR: storageDir,
      DATABASE_POOL_SIZE: '10',
      ...options.env,
    });
    const app = await createHttpApp({ logger: !!process.env.TEST_LOG_LEVEL });
    await app.init();
    const testApp = new TestApp(app, app.get(DataSource), name, name, storageDir);
    if (options.workers !== false) {
      await app.get(JobWorkerHost).start();
      app.get(OutboxRelay).start();
    }
    return testApp;
  }

  get<T>(token: new (...args: never[]) => T): T {
    return this.app.get(token);
  }

  async close(): Promise<void> {
    await this.app.close();
    await dropRedisPrefix(this.prefix);
    await dropDatabase(this.databaseName);
    rmSync(this.storageDir, { recursive: true, force: true });
  }

  async login(email: string, password: string): Promise<string> {
    const res = await this.http.post('/api/v1/auth/login').send({ email, password });
    if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.accessToken;
  }

  /** A territory with one organisation of each kind, each with an admin, an agent and a viewer. */
  async world(label = 'T'): Promise<World> {
    const n = ++this.worldCount;
    const identity = this.get(IdentityService);
    const territory = await identity.createTerritory(this.db.manager, `${label} ${n} ${this.databaseName}`);
    const kinds: [keyof Omit<World, 'territoryId'>, OrganizationKind][] = [
      ['coordinator', 'COORDINATOR'],
      ['donor', 'DONOR'],
      ['workshop', 'WORKSHOP'],
      ['charity', 'CHARITY'],
      ['recycler', 'RECYCLER'],
    ];
    const world = { territoryId: territory.id } as World;
    for (const [key, kind] of kinds) world[key] = await this.organization(territory.id, kind, `${label}${n}`, key);
    return world;
  }

  /** One more organisation of `kind` in the world's territory (a second charity, say), with its three users. */
  async addOrganization(w: World, kind: OrganizationKind, label: string): Promise<TestOrg> {
    return this.organization(w.territoryId, kind, `${label}${++this.worldCount}`, kind.toLowerCase());
  }

  private async organization(territoryId: string, kind: OrganizationKind, label: string, key: string): Promise<TestOrg> {
    const password = 'test-password-123';
    const org = await this.get(IdentityService).insertOrganization(this.db.manager, territoryId, `${label} ${kind}`, kind);
    const users = {} as Record<Role, TestUser>;
    for (const role of ['admin', 'agent', 'viewer'] as Role[]) {
      const email = `${role}.${key}.${label}.${this.databaseName}@renum.test`.toLowerCase();
      // One argon2 hash for every test user, and tokens minted directly: login has its own tests.
      const id = uuidv7();
      await this.db.query('INSERT INTO app_user (id, organization_id, email, password_hash, role) VALUES ($1, $2, $3, $4, $5)', [id, org.id, email, await passwordHash(password), role]);
      const { accessToken: token } = await this.get(AuthService).issueToken({ sub: id, email, org: org.id, kind, role, ter: territoryId });
      users[role] = { id, email, role, organizationId: org.id, token, auth: { Authorization: `Bearer ${token}` } };
    }
    return { id: org.id, name: org.name, kind, admin: users.admin, agent: users.agent, viewer: users.viewer };
  }
}

/** Polls until `check` returns a truthy value or the deadline passes (no blind sleeps). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 10000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
}
