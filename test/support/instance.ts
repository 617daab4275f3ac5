import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../server/src/config.js';

/** Waits for a state, checking every 100 ms; the caller's timeout bounds it. */
export async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check().catch(() => false))) await new Promise((r) => setTimeout(r, 100));
}

/** A hub as its own process (server/src/main.ts), as systemd runs one: started, killed, started again. */
export class Instance {
  child: ChildProcess | null = null;
  log = '';
  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'server/src/main.ts')], {
      cwd: projectRoot,
      env: { ...process.env, ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d) => (this.log = (this.log + d).slice(-20_000)));
    this.child.stderr!.on('data', (d) => (this.log = (this.log + d).slice(-20_000)));
    // A hub that exits (a taken port, a refused start) fails here with its log, never waits forever.
    const exited = () => this.child!.exitCode !== null || this.child!.signalCode !== null;
    await until(async () => exited() || (await fetch(`${this.url}/healthz`)).status === 200);
    if (exited()) throw new Error(`hub exited (${this.child.exitCode ?? this.child.signalCode}):\n${this.log}`);
  }

  async kill(): Promise<void> {
    const child = this.child!;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }
}
