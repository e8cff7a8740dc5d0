import * as logs from 'aws-cdk-lib/aws-logs';
import { LOG_RETENTION_DAYS } from './pipeline-config';

/** RetentionDays members are the day counts CloudWatch accepts; the config already checked the value. */
export function retentionDays(days: number): logs.RetentionDays {
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(days)) {
    throw new Error(
      `CloudWatch Logs has no ${days}-day retention; use one of ${LOG_RETENTION_DAYS.join(', ')}`,
    );
  }
  return days as logs.RetentionDays;
}
