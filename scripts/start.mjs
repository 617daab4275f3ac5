// `npm start`: build the client if it has not been built or its sources changed since, then run the hub (TypeScript via tsx).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(
    `需要 Node.js 22 或更高版本（当前 ${process.version}）。请通过 npm start 运行：项目自带的 Node 22 位于 node_modules/.bin。`,
  );
  process.exit(1);
}

/** The newest modification time of the client's sources (after a `git pull` the build may be stale). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const file = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(file) : fs.statSync(file).mtimeMs);
  }
  return newest;
}

const built = path.join(root, 'client', 'dist', 'index.html');
if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < newestSource(path.join(root, 'client'))) {
  console.log(fs.existsSync(built) ? '前端源码已更新：正在重新构建（client/dist）…' : '首次启动：正在构建前端（client/dist）…');
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'client', 'vite.config.ts'), logLevel: 'warn' });
}

const { register } = await import('tsx/esm/api');
register();
await import(path.join(root, 'server', 'src', 'main.ts'));
