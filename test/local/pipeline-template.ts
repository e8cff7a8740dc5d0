import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DETAIL_TYPES, EVENT_SOURCES } from '../../contracts/events';
import type { CfnTemplate } from '../../local/template/cfn-template';
import { synthesizeTemplate } from './synthesized-template';

/** The queue that receives the workflow's IngestionCompleted / IngestionFailed events in tests. */
export const OBSERVER_QUEUE_NAME = 'test-ingestion-outcomes';

/**
 * The synthesized pipeline template (bundling skipped) plus one test rule on the products bus that
 * copies IngestionCompleted and IngestionFailed events to OBSERVER_QUEUE_NAME, so a test sees what the
 * state machine emits through the same bus a deployment has. Written with its tree.json to a temp folder.
 * `context` adds to the local synth's (e.g. a tiny stagingBatchSize).
 */
export function pipelineTemplateWithObserver(context: Record<string, unknown> = {}): string {
  const synthesized = synthesizeTemplate(context);
  const template = JSON.parse(readFileSync(synthesized, 'utf8')) as CfnTemplate;
  const busId = Object.keys(template.Resources).find(
    (id) => template.Resources[id].Type === 'AWS::Events::EventBus',
  );
  const resources = {
    ...template.Resources,
    TestIngestionOutcomesQueue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: OBSERVER_QUEUE_NAME } },
    TestIngestionOutcomesRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventBusName: { Ref: busId },
        EventPattern: {
          source: [EVENT_SOURCES.ingestion],
          'detail-type': [DETAIL_TYPES.ingestionCompleted, DETAIL_TYPES.ingestionFailed],
        },
        Targets: [{ Id: 'Observer', Arn: { 'Fn::GetAtt': ['TestIngestionOutcomesQueue', 'Arn'] } }],
      },
    },
  };
  return writeTemplateVariant(synthesized, { ...template, Resources: resources });
}

/** Writes a changed copy of a synthesized template, with its tree.json, to a new temporary folder. */
export function writeTemplateVariant(synthesized: string, template: CfnTemplate): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'pipeline-template-'));
  const templatePath = path.join(folder, path.basename(synthesized));
  writeFileSync(templatePath, JSON.stringify(template));
  copyFileSync(path.join(path.dirname(synthesized), 'tree.json'), path.join(folder, 'tree.json'));
  return templatePath;
}
