import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { ExecutionListItem } from '@aws-sdk/client-sfn';
import type { CanonicalProduct } from '../../../contracts/canonical-product';
import { readJsonReport } from '../status/ingestion-reports';

/** A recent ingestion that carried the product: its ProductIngested detail as Publish put it. */
export interface CarryingIngestion {
  readonly ingestionId: string;
  readonly status: string;
  readonly startedAt: string;
  readonly canonicalKey: string;
  readonly index: number;
  readonly product: CanonicalProduct;
}

interface CanonicalBatch {
  readonly products: readonly { readonly index: number; readonly product: CanonicalProduct }[];
}

/**
 * Searches each ingestion's canonical batches (staging/<id>/canonical/, what Publish turned into
 * ProductIngested events; kept until the staging prefix expires) for the product. Reads batch after
 * batch and stops at the first that holds it: a large ingestion costs one GET per batch read.
 */
export async function carryingIngestions(
  s3: S3Client,
  bucket: string,
  executions: readonly ExecutionListItem[],
  externalId: string,
): Promise<{ found: CarryingIngestion[]; searched: number; batchesRead: number }> {
  const found: CarryingIngestion[] = [];
  let batchesRead = 0;
  for (const execution of executions) {
    const ingestionId = execution.name!;
    const prefix = `staging/${ingestionId}/canonical/`;
    let token: string | undefined;
    search: do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const { Key: key } of page.Contents ?? []) {
        const batch = await readJsonReport<CanonicalBatch>(s3, bucket, key!);
        batchesRead += 1;
        const hit = batch?.products.find((entry) => entry.product.externalId === externalId);
        if (hit !== undefined) {
          found.push({
            ingestionId,
            status: execution.status ?? 'UNKNOWN',
            startedAt: execution.startDate?.toISOString() ?? '-',
            canonicalKey: key!,
            index: hit.index,
            product: hit.product,
          });
          break search;
        }
      }
      token = page.NextContinuationToken;
    } while (token !== undefined);
  }
  return { found, searched: executions.length, batchesRead };
}
