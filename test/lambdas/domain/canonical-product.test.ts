import fc from 'fast-check';
import {
  canonicalJson,
  canonicalProductSchema,
  computeContentHash,
  type CanonicalProductWithoutHash,
} from '../../../contracts/canonical-product';
import { GOLDEN as golden } from '../fixtures';

/** A valid product changed by `change`, with its contentHash recomputed so only the change is tested. */
function changed(change: (product: CanonicalProductWithoutHash & Record<string, unknown>) => void): unknown {
  const product: CanonicalProductWithoutHash & { contentHash?: string } = structuredClone(golden[0]!);
  delete product.contentHash;
  change(product);
  return { ...product, contentHash: computeContentHash(product) };
}

function problems(input: unknown): string[] {
  const result = canonicalProductSchema.safeParse(input);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('canonicalProductSchema', () => {
  it('accepts the golden products', () => {
    for (const product of golden) expect(problems(product)).toEqual([]);
  });

  it('rejects unknown keys, at the top and inside', () => {
    expect(problems(changed((p) => (p.extra = 1)))).toEqual(
      expect.arrayContaining([expect.stringContaining('Unrecognized key: "extra"')]),
    );
    expect(problems(changed((p) => Object.assign(p.variants[0]!, { weight: 1 })))).not.toEqual([]);
    expect(problems(changed((p) => Object.assign(p.variants[0]!.prices[0]!, { display: 'SR' })))).not.toEqual(
      [],
    );
  });

  it('requires an English title and BCP-47 locale keys', () => {
    expect(problems(changed((p) => delete (p.title as Record<string, string>).en))).toEqual([
      expect.stringContaining('title.en'),
    ]);
    expect(problems(changed((p) => Object.assign(p.title, { arabic: 'x' })))).toEqual([
      expect.stringContaining('"arabic" is not a BCP-47 locale tag'),
    ]);
    expect(problems(changed((p) => Object.assign(p.title, { 'ar-SA': 'x', 'zh-Hans-CN': 'y' })))).toEqual([]);
  });

  it('holds money as integer minor units with an ISO code', () => {
    expect(problems(changed((p) => (p.variants[0]!.prices[0]!.amount = 23.8)))).not.toEqual([]);
    expect(problems(changed((p) => (p.variants[0]!.prices[0]!.amount = -1)))).not.toEqual([]);
    expect(problems(changed((p) => (p.variants[0]!.prices[0]!.currencyCode = 'sar')))).not.toEqual([]);
    expect(problems(changed((p) => p.variants[0]!.prices.push({ currencyCode: 'SAR', amount: 1 })))).toEqual([
      expect.stringContaining('one amount per currency'),
    ]);
  });

  it('requires every variant to have a listed value for every option', () => {
    expect(problems(changed((p) => (p.variants[0]!.options = {})))).toEqual(
      expect.arrayContaining([expect.stringContaining('needs one value per product option')]),
    );
    expect(problems(changed((p) => (p.variants[0]!.options = { Size: 'XXL' })))).toEqual([
      expect.stringContaining('needs one of the values of option "Size"'),
    ]);
  });

  it('requires unique variant SKUs and option combinations', () => {
    expect(problems(changed((p) => (p.variants[1]!.sku = p.variants[0]!.sku)))).toEqual([
      expect.stringContaining('duplicate variant SKU'),
    ]);
    expect(problems(changed((p) => (p.variants[1]!.options = { ...p.variants[0]!.options })))).toEqual([
      expect.stringContaining('repeats another variant'),
    ]);
  });

  it('requires https images without repeats', () => {
    expect(problems(changed((p) => (p.images[0] = 'http://img.example.com/a.jpg')))).not.toEqual([]);
    expect(problems(changed((p) => p.images.push(p.images[0]!)))).toEqual([
      expect.stringContaining('images must be unique'),
    ]);
  });

  it('checks contentHash against the product', () => {
    const tampered = { ...structuredClone(golden[0]!), sku: 'changed' };
    expect(problems(tampered)).toEqual([expect.stringContaining('contentHash does not match')]);
  });
});

describe('canonicalJson / computeContentHash', () => {
  it('sorts keys at every level, so key order does not change the hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}',
    );
    expect(canonicalJson({ '10': 'x', '9': 'y', a: 'z' })).toBe('{"10":"x","9":"y","a":"z"}');
    const { contentHash, ...product } = golden[0]!;
    const reordered = Object.fromEntries(Object.entries(product).reverse()) as CanonicalProductWithoutHash;
    expect(computeContentHash(reordered)).toBe(contentHash);
  });

  it('is the same text as the plain recursive definition, for any value', () => {
    // The definition canonicalJson had before it took the native JSON.stringify path for plain data.
    const reference = (value: unknown): string => {
      if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
      if (value !== null && typeof value === 'object') {
        const entries = Object.entries(value)
          .filter(([, field]) => field !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${reference(field)}`).join(',')}}`;
      }
      return JSON.stringify(value);
    };
    const anything = fc.anything({
      withNullPrototype: true,
      withBoxedValues: true,
      withObjectString: true,
      withDate: true,
      withMap: true,
      withSet: true,
    });
    fc.assert(
      fc.property(anything, (value) => canonicalJson(value) === reference(value)),
      { numRuns: 2000 },
    );
    const sparse: unknown[] = new Array(3);
    sparse[1] = 'x';
    const awkward = [
      { __proto__: null, b: [undefined, () => 1, Symbol('s'), 2], a: () => 1, c: undefined },
      JSON.parse('{"__proto__":{"x":1},"y":[1,{"b":2,"a":[]}]}') as unknown,
      sparse,
      { '1a': 1, a1: 2, ' ': 3, é: 4, Z: 5, '': 6, '\ud83d': 7, '10': 8, '9': 9 },
      { toJSON: () => 'replaced', a: new Date(0), m: new Map([[1, 2]]), s: new String('ab') },
      new Uint8Array([3, 1, 2]),
    ];
    for (const value of awkward) expect(canonicalJson(value)).toBe(reference(value));
    expect(canonicalJson(golden[0])).toBe(reference(golden[0]));
  });

  it('changes when any value changes', () => {
    const { contentHash, ...product } = golden[0]!;
    const cheaper = structuredClone(product);
    cheaper.variants[0]!.prices[0]!.amount -= 1;
    expect(computeContentHash(cheaper)).not.toBe(contentHash);
  });
});
