import { Controller, Get, Header, Inject } from '@nestjs/common';
import { WorkerMetrics } from './worker-metrics';

@Controller()
export class MetricsController {
  constructor(@Inject(WorkerMetrics) private readonly metrics: WorkerMetrics) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
