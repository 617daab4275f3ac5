// `npm start`: build the client if it has not been built, then run the hub (TypeScript via tsx).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`需要 Node.js 22 或更高版本（当前 ${process.version}）。请通过 npm start 运行：项目自带的 Node 22 位于 node_modules/.bin。`);
  process.exit(1);
}

if (!fs.existsSync(path.join(root, 'client', 'dist', 'index.html'))) {
  console.log('首次启动：正在构建前端（client/dist）…');
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'client', 'vite.config.ts'), logLevel: 'warn' });
}

const { register } = await import('tsx/esm/api');
register();
await import(path.join(root, 'server', 'src', 'main.ts'));
