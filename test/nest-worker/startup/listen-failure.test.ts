import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { listenFailure } from '../../../nest-worker/src/config/listen-failure';

/** The error Node gives a listen on a port another server holds. */
async function addressInUse(): Promise<{ error: Error; port: number }> {
  const holder = createServer().listen(0, '0.0.0.0');
  await once(holder, 'listening');
  const port = (holder.address() as { port: number }).port;
  const second: Server = createServer();
  const failed = once(second, 'error');
  second.listen(port, '0.0.0.0');
  const [error] = (await failed) as [Error];
  await new Promise((resolve) => holder.close(resolve));
  return { error, port };
}

describe('the one line a worker that cannot bind its port prints', () => {
  it('names a port in use and the variable that chose it', async () => {
    const { error, port } = await addressInUse();
    expect(listenFailure(error, port)).toBe(`Worker cannot start: port ${port} is already in use (PORT)`);
  });

  it('names a port the process may not bind (below 1024 without privileges)', () => {
    // Node's own error for a listen on port 80 by an unprivileged user (this test may run as root).
    const error = Object.assign(new Error('listen EACCES: permission denied 0.0.0.0:80'), {
      code: 'EACCES',
      errno: -13,
      syscall: 'listen',
      address: '0.0.0.0',
      port: 80,
    });
    expect(listenFailure(error, 80)).toBe(
      'Worker cannot start: no permission to listen on port 80 (PORT; ports below 1024 need privileges)',
    );
  });

  it('leaves any other error alone', () => {
    expect(listenFailure(new Error('boom'), 3000)).toBeUndefined();
    expect(listenFailure(Object.assign(new Error('x'), { code: 'ECONNRESET' }), 3000)).toBeUndefined();
    expect(listenFailure('EADDRINUSE', 3000)).toBeUndefined();
  });
});
