import type { JsonObject } from '../../../local/aws-json/json';
import { workflowShapeOf } from '../../../scripts/cost/workflow-shape';
import { definitionOf } from './template-fixture';

describe('workflowShapeOf', () => {
  it('reads an inline Map: its iteration’s states and the tasks on the success path', () => {
    const shape = workflowShapeOf(definitionOf({ mode: 'INLINE' }) as JsonObject);
    expect(shape.statesOutsideMap).toBe(5);
    expect(shape.lambdaTasksOutsideMap).toEqual([
      expect.stringMatching(/validate$/),
      expect.stringMatching(/summarize$/),
    ]);
    expect(shape.map).toEqual({
      mode: 'INLINE',
      batchesPerChild: 1,
      statesPerChild: 2,
      lambdaTasksPerChild: [expect.stringMatching(/transform$/), expect.stringMatching(/publish$/)],
      readsItemsFromS3: false,
      writesResultsToS3: false,
    });
  });

  it('reads a Distributed Map: the children’s execution type, batching, reader and writer', () => {
    const shape = workflowShapeOf(
      definitionOf({ mode: 'DISTRIBUTED', children: 'EXPRESS', batchesPerChild: 3 }) as JsonObject,
    );
    expect(shape.map).toMatchObject({
      mode: 'DISTRIBUTED',
      childExecutionType: 'EXPRESS',
      batchesPerChild: 3,
      statesPerChild: 2,
      readsItemsFromS3: true,
      writesResultsToS3: true,
    });
  });

  it('refuses a definition without a Map on its success path', () => {
    expect(() => workflowShapeOf({ StartAt: 'A', States: { A: { Type: 'Succeed' } } })).toThrow(
      /one Map state/,
    );
  });
});
