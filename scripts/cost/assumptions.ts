/**
 * What the cost model cannot measure on this machine, each with why it has the value it has. The
 * report prints them; change one here and the figures follow.
 */
export const ASSUMPTIONS = {
  /** One S3 GET or PUT of a staged batch (~1 MB) from a Lambda in the bucket's region, awaited in turn. */
  s3RequestMs: 30,
  /** One PutEvents request of 10 entries (~25 KB) from Publish: a same-region HTTPS round trip; Publish sends its requests one after another. No AWS endpoint is reachable from here. */
  putEventsMs: 30,
  /** Summarize, once per ingestion: reads a few small objects, writes one (no sample of it runs here). */
  summarizeMs: 300,
  /** A Lambda's own log lines per invocation at INFO: one summary line and one metrics (EMF) line of Powertools. */
  lambdaAppLogBytesAtInfo: 800,
  /** The Lambda platform's JSON lines per invocation (platform.start, platform.report), unless SystemLogLevel drops them. */
  lambdaPlatformLogBytes: 600,
  /** A Step Functions log event (history event JSON) without execution data, and what input/output adds. */
  stepFunctionsLogEventBytes: 400,
  stepFunctionsExecutionDataBytes: 300,
  /** CloudWatch Logs counts 26 bytes per event on top of its message. */
  logEventOverheadBytes: 26,
  /** An Express child workflow's memory: small payloads (keys and counts) stay in the 64 MB minimum. */
  expressChildMemoryGb: 64 / 1024,
  /** Distributed Map bills its parent one state transition per child workflow it starts. */
  parentTransitionsPerChild: 1,
  /** Products per uploaded export (--products-per-file): what per-ingestion costs are spread over. */
  productsPerFile: 10_000,
  /** Bytes through the NAT gateway per product besides queue messages and logs: a Pimcore write, a Pimcore read and a Medusa write, each about the size of the canonical product. */
  downstreamTripsPerProduct: 3,
  /** The worker deletes a received batch together: one DeleteMessageBatch per receive. */
  deletesPerReceive: 1,
  /** Lambda gives a function one full vCPU at 1,769 MB and a proportional share below (AWS Lambda docs). */
  fullVcpuMemoryMb: 1769,
  /** Hours in a month, as AWS's calculator counts them. */
  hoursPerMonth: 730,
  /** Custom metrics the Lambdas put (Powertools EMF): ProductsInFile, ProductsValid, ProductsRejected, ProductsPublished, ProductsFailedToPublish. */
  lambdaCustomMetrics: 5,
} as const;

export type Assumptions = { -readonly [Key in keyof typeof ASSUMPTIONS]: number };
