import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../server/src/config.js';
import { TestHub } from './support/hub.js';

/** The officer's visit page on a county connection: what it loads first, compressed (issue #13). */
const FIRST_LOAD_LIMIT_BYTES = 300 * 1024;

interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
}

let clientDir: string;
let manifest: Record<string, ManifestChunk>;
let hub: TestHub;

beforeAll(async () => {
  clientDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'hub-bundle-'));
  // vitest sets NODE_ENV=test, which would build React's development bundles; measure what npm start serves.
  const testEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  await build({
    configFile: path.join(projectRoot, 'client', 'vite.config.ts'),
    build: { outDir: clientDir, emptyOutDir: true },
    logLevel: 'warn',
  }).finally(() => (process.env.NODE_ENV = testEnv));
  manifest = JSON.parse(await fsp.readFile(path.join(clientDir, '.vite', 'manifest.json'), 'utf8')) as typeof manifest;
  hub = await TestHub.start({ clientDir });
});

afterAll(async () => {
  await hub?.close();
  if (clientDir) await fsp.rm(clientDir, { recursive: true, force: true });
});

/** The files a page needs before it renders: the entry, the page's chunk, and everything they import statically. */
function firstLoad(pageSource: string): string[] {
  const pageKey = Object.keys(manifest).find((key) => key.endsWith(pageSource));
  if (!pageKey) throw new Error(`${pageSource} has no chunk of its own in the manifest`);
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    manifest[key].imports?.forEach(visit);
  };
  visit('index.html');
  visit(pageKey);
  return [...seen].flatMap((key) => [manifest[key].file, ...(manifest[key].css ?? [])]);
}

describe('the client bundle', () => {
  it("keeps the officer's visit page under 300 KB compressed on first load, split from the other pages", () => {
    const files = firstLoad('src/inspections/InspectionPage.tsx');
    const compressed = files.reduce((sum, file) => sum + fs.statSync(path.join(clientDir, `${file}.br`)).size, 0);
    console.log(`visit page first load: ${files.length} files, ${(compressed / 1024).toFixed(1)} KB brotli`);
    expect(compressed).toBeLessThanOrEqual(FIRST_LOAD_LIMIT_BYTES);
    // Pages an officer does not open are not part of it.
    for (const other of ['src/registry/RegistryPage.tsx', 'src/admin/UsersPage.tsx', 'src/audit/AuditPage.tsx']) {
      const chunk = Object.entries(manifest).find(([key]) => key.endsWith(other))?.[1].file;
      expect(chunk, other).toBeDefined();
      expect(files).not.toContain(chunk);
    }
  });

  it('serves assets compressed as the browser accepts, cached for a year; index.html revalidated', async () => {
    const entry = manifest['index.html'].file;
    const original = await fsp.readFile(path.join(clientDir, entry));

    const br = await fetch(`${hub.url}/${entry}`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('content-type')).toMatch(/javascript/);
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(br.headers.get('vary')).toMatch(/Accept-Encoding/i);
    // fetch decodes the body it asked for; the bytes must be the build's own file.
    expect(Buffer.from(await br.arrayBuffer()).equals(original)).toBe(true);

    const gz = await fetch(`${hub.url}/${entry}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(Buffer.from(await gz.arrayBuffer()).equals(original)).toBe(true);

    // A client that accepts no compression (or refuses brotli with q=0) gets what it can read.
    const plain = await fetch(`${hub.url}/${entry}`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(Buffer.from(await plain.arrayBuffer()).equals(original)).toBe(true);
    const noBrotli = await fetch(`${hub.url}/${entry}`, { headers: { 'accept-encoding': 'br;q=0, gzip' } });
    expect(noBrotli.headers.get('content-encoding')).toBe('gzip');
    await noBrotli.arrayBuffer();

    const page = await fetch(`${hub.url}/inspections/1`);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(await page.text()).toContain('<div id="root">');

    // The compressed copies hold exactly the file (the build's work, read back).
    const stored = await fsp.readFile(path.join(clientDir, `${entry}.br`));
    expect(zlib.brotliDecompressSync(stored).equals(original)).toBe(true);
  });

  it('does not serve files outside the build directory', async () => {
    const res = await fetch(`${hub.url}/assets/..%2F..%2Fpackage.json`, { headers: { 'accept-encoding': 'br' } });
    expect(await res.text()).not.toContain('"name"');
  });
});
