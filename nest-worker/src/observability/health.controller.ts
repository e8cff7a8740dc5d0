import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { WorkerConfig } from '../config/worker-config';
import { ConsumersService } from '../queue/consumers.service';
import { REDIS, WORKER_CONFIG } from '../config/injection-tokens';
import type { RedisConnection } from '../idempotency/redis-connection';

/**
 * `/health`: the process is alive (for restarts). `/ready`: it can do its work — Redis answers and
 * every consumer completed a receive recently (a long poll lasts at most waitTime, so a poll older
 * than two waits plus a margin means SQS is unreachable or the loop is stuck).
 */
@Controller()
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(ConsumersService) private readonly consumers: ConsumersService,
    @Inject(REDIS) private readonly redis: RedisConnection,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {}

  @Get('health')
  @HealthCheck()
  liveness() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  readiness() {
    return this.health.check([() => this.redisIndicator(), () => this.sqsIndicator()]);
  }

  private async redisIndicator() {
    const session = this.indicators.check('redis');
    try {
      await this.redis.ping();
      return session.up();
    } catch (error) {
      return session.down({ message: (error as Error).message, connection: this.redis.status });
    }
  }

  private sqsIndicator() {
    const session = this.indicators.check('sqs');
    const maxAgeMs = (this.config.waitTimeSeconds * 2 + 10) * 1000;
    const polls: Record<string, number | undefined> = Object.fromEntries(
      this.consumers.all.map((consumer) => [consumer.name, consumer.lastSuccessfulPollAt]),
    );
    const stale = Object.entries(polls).filter(([, at]) => at === undefined || Date.now() - at > maxAgeMs);
    const lastSuccessfulPoll = Object.fromEntries(
      Object.entries(polls).map(([name, at]) => [name, at === undefined ? null : new Date(at).toISOString()]),
    );
    return stale.length === 0 ? session.up({ lastSuccessfulPoll }) : session.down({ lastSuccessfulPoll });
  }
}
