import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export interface Price {
  readonly usd: number;
  readonly unit: string;
  readonly url: string;
  readonly note?: string;
}

export const PRICE_NAMES = [
  'stepFunctionsStandardTransition',
  'stepFunctionsExpressRequest',
  'stepFunctionsExpressGbSecond',
  'eventBridgeCustomEvent',
  'eventBridgeArchiveProcessing',
  'eventBridgeArchiveStorage',
  'sqsStandardRequest',
  'lambdaRequest',
  'lambdaGbSecondArm64',
  'lambdaGbSecondX86',
  'cloudWatchLogsIngestion',
  'cloudWatchLogsStorage',
  's3PutRequest',
  's3GetRequest',
  's3StorageGbMonth',
  'xrayTraceRecorded',
  'fargateArmVcpuHour',
  'fargateArmGbHour',
  'fargateX86VcpuHour',
  'fargateX86GbHour',
  'natGatewayHour',
  'natGatewayGb',
  'albHour',
  'wafWebAclMonth',
  'wafRuleMonth',
  'wafRequest',
  'elastiCacheServerlessValkeyGbHour',
  'secretsManagerSecretMonth',
  'cloudWatchAlarmMetricMonth',
  'cloudWatchDashboardMonth',
  'cloudWatchCustomMetricMonth',
  'kmsKeyMonth',
  'vpcInterfaceEndpointHour',
] as const;

export type PriceName = (typeof PRICE_NAMES)[number];

export interface PriceList {
  readonly asOf: string;
  readonly region: string;
  readonly prices: Readonly<Record<PriceName, Price>>;
}

export const DEFAULT_PRICE_FILE = path.resolve(__dirname, '..', '..', 'pricing', 'aws-prices.json');

/** The dated price file; a price the model needs and the file lacks stops the run, naming it. */
export function loadPriceList(file = DEFAULT_PRICE_FILE): PriceList {
  const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<PriceList>;
  const missing = PRICE_NAMES.filter((name) => typeof data.prices?.[name]?.usd !== 'number');
  if (typeof data.asOf !== 'string' || typeof data.region !== 'string' || missing.length > 0) {
    throw new Error(
      `${file}: needs asOf, region and a usd figure for ${missing.join(', ') || 'every price'}`,
    );
  }
  return data as PriceList;
}
