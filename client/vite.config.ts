import react from '@vitejs/plugin-react';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside every text asset, so the hub serves them
 * compressed without spending CPU per request (server/src/graphql/static-client.ts).
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'hub-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
          const file = path.join(dir, e.name);
          return e.isDirectory() ? walk(file) : [file];
        });
      for (const file of walk(outDir)) {
        if (!/\.(js|css|html|svg|json|webmanifest)$/.test(file)) continue;
        const content = fs.readFileSync(file);
        fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(content, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(content, { level: 9 }));
      }
    },
  };
}

/**
 * Replaces each graphql(`query Name …`) call by its generated document, inlined — the job of
 * the client preset's babel plugin. Through the graphql() lookup table (or one import of
 * gql/graphql.ts) every page's documents would land in the first chunk; inlined, each page's
 * chunk carries only its own. Types are unchanged: tsc still checks the graphql() overloads.
 */
function inlineGraphqlDocuments(): Plugin {
  const call = /\bgraphql\(\s*`\s*(query|mutation|subscription|fragment)\s+(\w+)[^`]*`\s*\)/g;
  const generated = path.resolve(import.meta.dirname, 'src/gql/graphql.ts');
  const documents = () =>
    new Map(
      [...fs.readFileSync(generated, 'utf8').matchAll(/^export const (\w+) = (\{.*\}) as unknown as DocumentNode</gm)].map(
        ([, name, json]) => [name, json],
      ),
    );
  let byName: Map<string, string> | undefined;
  return {
    name: 'hub-inline-graphql-documents',
    buildStart() {
      byName = undefined; // codegen may have run since the last build (vite dev)
    },
    transform(code, id) {
      if (!/\.tsx?$/.test(id) || id.includes('/src/gql/') || !code.includes('graphql(`')) return null;
      byName ??= documents();
      const replaced = code.replace(call, (_all, kind: string, name: string) => {
        const exported = kind === 'fragment' ? `${name}FragmentDoc` : `${name}Document`;
        const json = byName!.get(exported);
        if (!json) throw new Error(`${id}: ${exported} is not in gql/graphql.ts — run npm run codegen`);
        return `(${json})`;
      });
      return replaced === code ? null : { code: replaced, map: null };
    },
  };
}

// The staff client and public pages; `npm start` serves client/dist from the hub itself.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [
    inlineGraphqlDocuments(),
    react(),
    // Installable, and usable without a connection: the service worker keeps the app's files; the
    // officer's visits and queued changes live in IndexedDB (src/offline).
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script-defer',
      includeAssets: ['icon-192.png', 'icon-512.png'],
      manifest: {
        name: '双随机联合抽查协同平台',
        short_name: '联合抽查',
        description: '“双随机、一公开”联合抽查：计划、抽取、联合检查、结果公示',
        lang: 'zh-CN',
        start_url: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#1677ff',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest}'],
        // Client-side routes open offline; the API never comes from the cache.
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/graphql/, /^\/healthz/],
        clientsClaim: true,
        skipWaiting: true,
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
      },
    }),
    precompress(),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The manifest lets test/bundle.test.ts add up what a page loads first.
    manifest: true,
  },
  server: {
    port: 5173,
    proxy: { '/graphql': { target: 'http://localhost:4000', ws: true } },
  },
});
