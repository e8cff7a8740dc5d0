import { createHash } from 'node:crypto';
import type { RedisConnection } from './redis-connection';

/**
 * A Lua script run by its SHA1 (EVALSHA), so the script's text is not sent, and hashed by Redis, with
 * every call; when Redis does not know it (first use, a restart, SCRIPT FLUSH, a new cluster node), it
 * is sent once with EVAL, which also caches it.
 */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: RedisConnection, key: string, ...args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, 1, key, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.send(redis, key, ...args);
    }
  }

  /**
   * EVAL with the text: one command, so it stays ahead of what this process sends next (an EVALSHA
   * answered NOSCRIPT would be sent again behind it). For commands not awaited.
   */
  send(redis: RedisConnection, key: string, ...args: (string | number)[]): Promise<unknown> {
    return redis.eval(this.source, 1, key, ...args);
  }
}

/** Deletes the key only while it still holds the caller's value (its owner). */
export const RELEASE_IF_OWNER = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);
