/**
 * A real nats-server (Debian's `nats-server`, installed by .ci/run) on a free loopback port with
 * a user and password, as Fly's org stream asks for (user = org slug, password = token).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

function binary(): string {
  for (const candidate of ['nats-server', '/usr/sbin/nats-server', '/usr/bin/nats-server']) {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // not this one
    }
  }
  throw new Error('nats-server is not installed: `apt-get install nats-server` (.ci/run does it) to run the Fly tests');
}

/** A loopback port nobody listens on now. */
export async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  await once(probe, 'close');
  return typeof address === 'object' && address ? address.port : 0;
}

export class NatsServer {
  readonly port: number;
  readonly user: string;
  readonly password: string;
  private _child: ChildProcess | undefined;

  // Plain fields, not parameter properties: the benchmark runs this file with Node's type stripping.
  private constructor(port: number, user: string, password: string) {
    this.port = port;
    this.user = user;
    this.password = password;
  }

  static async start(user = 'my-org', password = 'fly-token-for-tests'): Promise<NatsServer> {
    const server = new NatsServer(await freePort(), user, password);
    await server._run();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  private async _run(): Promise<void> {
    const child = spawn(
      binary(),
      ['-a', '127.0.0.1', '-p', String(this.port), '--user', this.user, '--pass', this.password],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this._child = child;
    let log = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nats-server did not start: ${log}`)), 10_000);
      child.stderr?.on('data', (chunk: Buffer) => {
        log += chunk.toString('utf8');
        if (log.includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`nats-server exited with ${code}: ${log}`));
      });
    });
  }

  /** Kills the server (connections drop at once) and waits until it is gone. */
  async stop(): Promise<void> {
    const child = this._child;
    this._child = undefined;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }

  /** The same server again on the same port: clients reconnect to it. */
  async restart(): Promise<void> {
    await this.stop();
    await this._run();
  }
}
