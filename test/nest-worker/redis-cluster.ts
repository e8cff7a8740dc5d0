import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ManagedProcess } from '../../local/whole-pipeline/child-process';
import { freePort } from '../../local/whole-pipeline/ports';
import { waitFor } from '../../local/whole-pipeline/wait';

const run = promisify(execFile);
const MASTERS = 3;

/** A Redis Cluster of three masters on 127.0.0.1, in a temporary folder of its own. */
export interface LocalRedisCluster {
  /** The first node's URL: the seed REDIS_URL of REDIS_MODE=cluster. */
  readonly url: string;
  /** Kills every node (SIGKILL): the cluster is down until restart(). */
  kill(): Promise<void>;
  /** Starts the nodes again with their cluster configuration: the same cluster, empty (no persistence). */
  restart(): Promise<void>;
  /** Stops the nodes and removes the folder. */
  stop(): Promise<void>;
}

/**
 * Starts three redis-server nodes with cluster mode on (no persistence, bound to 127.0.0.1, on free
 * ports, bus ports included) and joins them with `redis-cli --cluster create`; returns once every node
 * says `cluster_state:ok`. A failed start stops what it started and removes the folder.
 */
export async function startRedisCluster(): Promise<LocalRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'));
  let nodes: ManagedProcess[] = [];
  const kill = async () => {
    await Promise.all(nodes.map((node) => node.kill('SIGKILL')));
  };
  try {
    const ports = await freePorts(MASTERS * 2);
    const dataPorts = ports.slice(0, MASTERS);
    const startNodes = async () => {
      nodes = dataPorts.map((port, index) => {
        // Each node's folder keeps its cluster configuration (nodes.conf) for restart().
        const nodeDir = join(dir, String(port));
        mkdirSync(nodeDir, { recursive: true });
        return ManagedProcess.spawn({
          command: 'redis-server',
          args: [
            ...['--port', String(port), '--cluster-port', String(ports[MASTERS + index])],
            ...['--bind', '127.0.0.1', '--dir', nodeDir],
            ...['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'],
            ...['--save', '', '--appendonly', 'no'],
          ],
          logFile: join(dir, `${port}.log`),
        });
      });
      await Promise.all(dataPorts.map((port, index) => waitUntilAnswers(port, nodes[index]!)));
    };
    await startNodes();
    await run('redis-cli', [
      ...['--cluster', 'create', ...dataPorts.map((port) => `127.0.0.1:${port}`)],
      ...['--cluster-replicas', '0', '--cluster-yes'],
    ]);
    await waitUntilClusterOk(dataPorts);
    return {
      url: `redis://127.0.0.1:${dataPorts[0]}`,
      kill,
      restart: async () => {
        await kill();
        await startNodes();
        await waitUntilClusterOk(dataPorts);
      },
      stop: async () => {
        await Promise.all(nodes.map((node) => node.stop(2000)));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await kill();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A cluster for the file's tests: started before them, stopped (folder removed) after, failed or not. */
export function useRedisCluster(): () => LocalRedisCluster {
  let cluster: LocalRedisCluster | undefined;
  beforeAll(async () => {
    cluster = await startRedisCluster();
  });
  afterAll(() => cluster?.stop());
  return () => {
    if (cluster === undefined) throw new Error('the Redis cluster is used before beforeAll started it');
    return cluster;
  };
}

/** Distinct free ports (a bus port is not port + 10000: that may be past 65535). */
async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

async function waitUntilAnswers(port: number, node: ManagedProcess): Promise<void> {
  await waitFor(
    `redis-server on port ${port} answers (log: ${node.logFile})`,
    async () => {
      if (!node.running) throw new Error(`redis-server on port ${port} exited; see ${node.logFile}`);
      return (await cli(port, 'PING').catch(() => '')) === 'PONG';
    },
    10_000,
    50,
  );
}

async function waitUntilClusterOk(ports: readonly number[]): Promise<void> {
  await waitFor(
    'every node says cluster_state:ok',
    async () => {
      const infos = await Promise.all(ports.map((port) => cli(port, 'CLUSTER', 'INFO').catch(() => '')));
      return infos.every((info) => info.includes('cluster_state:ok'));
    },
    20_000,
    100,
  );
}

async function cli(port: number, ...command: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...command]);
  return stdout.trim();
}
