import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, DEV_JWT_SECRET, loadConfig, RenumConfig, trustProxySetting } from './config';

describe('loadConfig', () => {
  it('gives a developer machine its defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ NODE_ENV: 'development', PORT: 3000, DATABASE_POOL_SIZE: 20, JWT_SECRET: DEV_JWT_SECRET });
  });

  it('reads numbers from their text', () => {
    expect(loadConfig({ PORT: '3205', DATABASE_POOL_SIZE: '10' })).toMatchObject({ PORT: 3205, DATABASE_POOL_SIZE: 10 });
  });

  it.each([['abc'], ['0'], ['2.5']])('refuses DATABASE_POOL_SIZE=%s, naming it (it was taken as is: a pool of NaN connections)', (value) => {
    expect(() => loadConfig({ DATABASE_POOL_SIZE: value })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: value })).toThrow(/DATABASE_POOL_SIZE/);
  });

  it.each([['0'], ['-5'], ['abc'], ['2.5']])('refuses PUBLIC_PAGE_RATE_LIMIT=%s, naming it', (value) => {
    expect(() => loadConfig({ PUBLIC_PAGE_RATE_LIMIT: value })).toThrow(/PUBLIC_PAGE_RATE_LIMIT/);
  });

  it('limits the public pages to 300 requests a minute per address unless told otherwise', () => {
    expect(loadConfig({}).PUBLIC_PAGE_RATE_LIMIT).toBe(300);
    expect(loadConfig({ PUBLIC_PAGE_RATE_LIMIT: '1200' }).PUBLIC_PAGE_RATE_LIMIT).toBe(1200);
  });

  it.each([['loopback'], ['10.0.0.5'], ['172.16.0.0/12, loopback'], ['uniquelocal,fd00::/8'], ['2']])('takes TRUST_PROXY=%s', (value) => {
    expect(loadConfig({ TRUST_PROXY: value }).TRUST_PROXY).toBe(value);
  });

  // `true` or `*` would let any client choose the address the login and page limits count; so
  // would a /0 network (every address), which Express's proxy-addr refuses only once the api starts,
  // with a bare TypeError that names no variable.
  it.each([['true'], ['*'], ['10.0.0.0/33'], ['proxy.example'], ['loopback/8'], ['10.0.0.1,,loopback'], ['0.0.0.0/0'], ['::/0'], ['loopback, 10.0.0.0/0']])('refuses TRUST_PROXY=%s, naming it', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
  });

  it('gives Express TRUST_PROXY as a list of peers, or a number of hops', () => {
    expect(trustProxySetting('172.16.0.0/12 ,loopback')).toBe('172.16.0.0/12, loopback');
    expect(trustProxySetting('2')).toBe(2);
  });

  it('refuses a missing or development JWT_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: DEV_JWT_SECRET })).toThrow(/JWT_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).JWT_SECRET).toBe('x'.repeat(32));
  });
});

describe('README « Configuration »', () => {
  const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));

  it.each(Object.entries(new RenumConfig()))('documents %s with its default', (name, value) => {
    const row = section.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
    expect(row).toBeDefined();
    const shown = name === 'JWT_SECRET' ? 'dev value' : `\`${value}\``;
    expect(row!.split('|')[2].trim()).toBe(shown);
  });
});
