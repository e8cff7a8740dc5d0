import { costOf, type CostLine } from '../../../scripts/cost/cost-model';
import { inputsFor, templateOf } from './template-fixture';

const total = (lines: readonly CostLine[], test: (line: CostLine) => boolean = () => true) =>
  lines.filter(test).reduce((sum, line) => sum + line.cost, 0);

describe('the cost model', () => {
  it('doubles the variable cost when the products double, and keeps the fixed monthly cost', () => {
    const inputs = inputsFor(templateOf({ mode: 'INLINE' }));
    const once = costOf(100_000, inputs);
    const twice = costOf(200_000, inputs);
    expect(total(twice.lines) / total(once.lines)).toBeCloseTo(2, 9);
    expect(twice.fixed).toEqual(once.fixed);
  });

  it('prices an inline Map by state transitions and Express children by requests and duration', () => {
    const inline = costOf(1_000_000, inputsFor(templateOf({ mode: 'INLINE' }))).lines;
    const express = costOf(
      1_000_000,
      inputsFor(templateOf({ mode: 'DISTRIBUTED', children: 'EXPRESS' })),
    ).lines;
    const standard = costOf(
      1_000_000,
      inputsFor(templateOf({ mode: 'DISTRIBUTED', children: 'STANDARD' })),
    ).lines;
    const transitions = (lines: readonly CostLine[]) =>
      lines.find((line) => line.price === 'stepFunctionsStandardTransition')!.quantity;
    // 4,000 batches × 2 states inline; 100 uploads × 5 states of the parent (Validate to Done).
    expect(transitions(inline)).toBeCloseTo(100 * 5 + 4000 * 2);
    expect(inline.some((line) => line.price === 'stepFunctionsExpressRequest')).toBe(false);
    // Distributed: one transition per child in the parent; Standard children add their own two.
    expect(transitions(standard)).toBeCloseTo(100 * 5 + 4000 + 4000 * 2);
    expect(transitions(express)).toBeCloseTo(100 * 5 + 4000);
    expect(express.find((line) => line.price === 'stepFunctionsExpressRequest')!.quantity).toBeCloseTo(4000);
    const stepFunctions = (lines: readonly CostLine[]) =>
      total(lines, (line) => line.service === 'Step Functions');
    expect(stepFunctions(express)).toBeLessThan(stepFunctions(standard));
  });

  it('counts child workflows by the Map’s ItemBatcher', () => {
    const lines = costOf(
      1_000_000,
      inputsFor(templateOf({ mode: 'DISTRIBUTED', children: 'EXPRESS', batchesPerChild: 4 })),
    ).lines;
    expect(lines.find((line) => line.price === 'stepFunctionsExpressRequest')!.quantity).toBeCloseTo(1000);
    expect(lines.find((line) => line.item === 'Transform invocations')!.quantity).toBeCloseTo(1000);
  });

  it('follows the log levels of the template', () => {
    const logCost = (options: Parameters<typeof templateOf>[1]) =>
      total(
        costOf(1_000_000, inputsFor(templateOf({ mode: 'INLINE' }, options))).lines,
        (line) => line.service === 'CloudWatch Logs',
      );
    const info = logCost({});
    expect(logCost({ lambdaLogLevel: 'ERROR' })).toBeLessThan(info);
    expect(logCost({ stateMachineLogLevel: 'ERROR' })).toBeLessThan(info);
    expect(logCost({ lambdaLogLevel: 'DEBUG' })).toBeCloseTo(info, 9);
  });

  it('keeps what the stack runs standing out of the variable cost', () => {
    const { lines, fixed } = costOf(1_000_000, inputsFor(templateOf({ mode: 'INLINE' })));
    expect(fixed.map((line) => line.item)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Fargate product-ingest/),
        expect.stringMatching(/^Fargate medusa-sync/),
        'NAT gateway',
      ]),
    );
    expect(lines.some((line) => /Fargate|NAT gateway$/.test(line.item))).toBe(false);
  });
});
