import { DETAIL_TYPES, EVENT_SOURCES } from '../../contracts/events';
import { stateMachineDefinition } from './asl';
import { logicalIdOf, resourcesOfType, synthPipeline } from './synth-helpers';

const { template } = synthPipeline();
const bucketId = logicalIdOf(template, 'AWS::S3::Bucket', 'IngestBucket');
const busId = logicalIdOf(template, 'AWS::Events::EventBus', 'MessagingBus');
const states = stateMachineDefinition(template).States;

describe('uploads that are not exports (issue 15, item 7)', () => {
  it('start the state machine for every object under incoming/, so none goes unnoticed', () => {
    const [, trigger] = Object.entries(resourcesOfType(template, 'AWS::Events::Rule')).find(([id]) =>
      id.includes('ProductIngestionTrigger'),
    )!;
    expect(trigger.Properties?.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: [{ Ref: bucketId }] }, object: { key: [{ prefix: 'incoming/' }] } },
    });
  });

  it('are told apart after Validate: skipped → IngestionSkipped, then the execution succeeds', () => {
    expect(states.Validate.Next).toBe('Skipped?');
    expect(states['Skipped?']).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.validation.skipped', IsPresent: true, Next: 'EmitSkipped' }],
      Default: 'ForEachBatch',
    });
    expect(states.EmitSkipped).toMatchObject({
      Type: 'Task',
      Parameters: {
        Entries: [
          {
            EventBusName: `<ref:${busId}>`,
            Source: EVENT_SOURCES.ingestion,
            DetailType: DETAIL_TYPES.ingestionSkipped,
            'Detail.$': '$.validation.skipped',
          },
        ],
      },
      ResultPath: null,
      Next: 'Skipped',
    });
    expect(states.Skipped).toMatchObject({ Type: 'Succeed' });
  });

  it('keep the catch path: an IngestionSkipped that cannot be put fails the ingestion', () => {
    expect(states.EmitSkipped.Retry).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'] })]);
    expect(states.EmitSkipped.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' },
    ]);
  });
});
