import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadWorkerConfig, WorkerConfigError } from './config/worker-config';
import { WORKER_APP_OPTIONS, WorkerModule } from './worker.module';

/**
 * The worker process: validates its configuration, serves /health, /ready and /metrics, consumes its
 * queues, and on SIGTERM/SIGINT stops receiving, lets in-flight work finish (within the deadline) and
 * hands the rest back to SQS before exiting.
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
  await app.listen(config.port, '0.0.0.0');
}

void bootstrap();
