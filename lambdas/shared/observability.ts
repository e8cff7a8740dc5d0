import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * Powertools Logger and Metrics, one of each per container. Service name and namespace come from
 * POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE (set by the CDK construct). Metrics are
 * written as CloudWatch Embedded Metric Format log lines: no API calls, no extra permissions.
 */
export const logger = new Logger();
export const metrics = new Metrics();

/** Records per-ingestion counts; the ingestion id goes into metadata, not a (high-cardinality) dimension. */
export function recordCounts(ingestionId: string, counts: Record<string, number>): void {
  metrics.addMetadata('ingestionId', ingestionId);
  for (const [name, value] of Object.entries(counts)) metrics.addMetric(name, MetricUnit.Count, value);
  metrics.publishStoredMetrics();
}

/**
 * Sets the keys every log line of this invocation carries. Powertools keeps appended keys for the
 * container's life, so the previous invocation's keys (another batch) are cleared first.
 */
export function setInvocationLogKeys(keys: Record<string, string>): void {
  logger.resetKeys();
  logger.appendKeys(keys);
}
