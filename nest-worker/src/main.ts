import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { listenFailure } from './config/listen-failure';
import { loadWorkerConfig, WorkerConfigError } from './config/worker-config';
import { WORKER_APP_OPTIONS, WorkerModule } from './worker.module';

/**
 * The worker process: validates its configuration, binds its HTTP port (/health, /ready, /metrics, the
 * webhook), then consumes its queues (ConsumersService starts them once the port is bound), and on
 * SIGTERM/SIGINT stops receiving, lets in-flight work finish (within the deadline) and hands the rest
 * back to SQS before exiting. A port it cannot bind ends it with one line and exit code 1, before any
 * message was received.
 */
async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadWorkerConfig(process.env);
  } catch (error) {
    if (!(error instanceof WorkerConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const app = await NestFactory.create(WorkerModule.register(config), {
    ...WORKER_APP_OPTIONS,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  // Exit 0 once shut down (Nest's default re-raises the signal, so the exit looks like a crash).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  try {
    await app.listen(config.port, '0.0.0.0');
  } catch (error) {
    const line = listenFailure(error, config.port);
    if (line === undefined) throw error;
    // Nothing to hand back: the consumers start only once the port is bound.
    console.error(line);
    process.exit(1);
  }
}

void bootstrap();
