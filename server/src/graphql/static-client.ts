import fs from 'node:fs';
import path from 'node:path';
import express from 'express';

/** Hashed file names change with their content: a browser may keep them for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Chooses the build's brotli or gzip copy (client/vite.config.ts writes both) by Accept-Encoding. */
function precompressed(file: string, acceptEncoding: string | undefined) {
  const accepts = (coding: string) => new RegExp(`\\b${coding}\\b(?!;q=0(\\.0*)?\\b)`).test(acceptEncoding ?? '');
  for (const [coding, suffix] of [
    ['br', '.br'],
    ['gzip', '.gz'],
  ] as const) {
    if (accepts(coding) && fs.existsSync(file + suffix)) return { coding, file: file + suffix };
  }
  return undefined;
}

/**
 * The built React client at `/`: assets compressed ahead of time and cached for good (their
 * names carry their hash), index.html revalidated on every load, client-side routes falling
 * back to it. A county connection gets the officer's visit page in under 300 KB
 * (test/bundle.test.ts).
 */
export function serveClient(app: express.Express, clientDir: string) {
  const index = path.join(clientDir, 'index.html');
  const root = path.resolve(clientDir);
  const assets = path.join(root, 'assets') + path.sep;
  /** Hashed assets for a year; everything else (index.html, sw.js, the manifest) revalidated. */
  const cacheControl = (file: string) => (file.startsWith(assets) ? IMMUTABLE : 'no-cache');
  app.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const file = path.resolve(root, `.${decodeURIComponent(req.path)}`);
    if (!file.startsWith(root + path.sep) || !/\.(js|css|svg|json|webmanifest)$/.test(file)) return next();
    const chosen = precompressed(file, req.headers['accept-encoding']);
    if (!chosen) return next();
    res.setHeader('Content-Encoding', chosen.coding);
    res.setHeader('Vary', 'Accept-Encoding');
    res.type(path.extname(file));
    res.setHeader('Cache-Control', cacheControl(file));
    res.sendFile(chosen.file, { cacheControl: false });
  });
  app.use(
    express.static(clientDir, {
      index: false,
      setHeaders: (res, file) => res.setHeader('Cache-Control', cacheControl(file)),
    }),
  );
  app.get('/{*path}', (_req, res) => {
    if (fs.existsSync(index)) {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    } else {
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('客户端尚未构建：请运行 npm run build（npm start 会自动构建）。GraphQL 接口位于 /graphql。');
    }
  });
}
