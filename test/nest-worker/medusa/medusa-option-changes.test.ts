import { planOptionChanges } from '../../../nest-worker/src/medusa/medusa-option-changes';

const size = {
  id: 'opt_size',
  title: 'Size',
  values: [
    { id: 'optval_s', value: 'S' },
    { id: 'optval_m', value: 'M' },
  ],
};

describe('planOptionChanges (options left the product update body in Medusa 2.16)', () => {
  it('has nothing to do when the options are the same', () => {
    expect(planOptionChanges([size], [{ title: 'Size', values: ['M', 'S'] }])).toEqual({
      before: undefined,
      after: undefined,
    });
  });

  it('adds values and options before the variants are written, removes unused ones after', () => {
    const plan = planOptionChanges(
      [size, { id: 'opt_fit', title: 'Fit', values: [{ id: 'optval_slim', value: 'Slim' }] }],
      [
        { title: 'Size', values: ['M', 'L'] },
        { title: 'Color', values: ['Black'] },
      ],
    );
    expect(plan.before).toEqual({
      add: [{ title: 'Color', values: ['Black'] }],
      update: [{ product_option_id: 'opt_size', add: [{ value: 'L' }] }],
    });
    expect(plan.after).toEqual({
      remove: ['opt_fit'],
      update: [{ product_option_id: 'opt_size', remove: ['optval_s'] }],
    });
  });

  it('creates every option of a product Medusa holds without options', () => {
    expect(planOptionChanges(undefined, [{ title: 'Size', values: ['S'] }])).toEqual({
      before: { add: [{ title: 'Size', values: ['S'] }] },
      after: undefined,
    });
  });
});
