import type { JsonObject } from '../../local/aws-json/json';
import { compileEventPattern, InvalidEventPatternError } from '../../local/eventbridge/event-pattern';

/** An event in the EventBridge envelope, with a detail to match against. */
const event = (detail: JsonObject, envelope: JsonObject = {}): JsonObject => ({
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail,
  ...envelope,
});

const matches = (pattern: JsonObject, candidate: JsonObject) => compileEventPattern(pattern)(candidate);

// Cases follow the EventBridge User Guide ("Creating event patterns", "Comparison operators") and the
// behaviour AWS shows for edge cases (null values, missing fields, arrays, dotted keys).
describe('event pattern matching', () => {
  it.each<[string, JsonObject, JsonObject, boolean]>([
    // exact values; arrays are OR
    ['string equal', { source: ['aws.ec2'] }, event({}), true],
    ['string differs', { source: ['aws.s3'] }, event({}), false],
    ['one of several values', { source: ['aws.s3', 'aws.ec2'] }, event({}), true],
    ['matching is case-sensitive', { source: ['AWS.EC2'] }, event({}), false],
    ['keys are case-sensitive', { Source: ['aws.ec2'] }, event({}), false],
    ['number equal, 300 equals 300.0', { detail: { n: [300] } }, event({ n: 300.0 }), true],
    ['a number does not equal its string', { detail: { n: [300] } }, event({ n: '300' }), false],
    ['boolean', { detail: { flag: [false] } }, event({ flag: false }), true],
    ['boolean differs', { detail: { flag: [false] } }, event({ flag: true }), false],
    ['null matches null', { detail: { state: [null] } }, event({ state: null }), true],
    ['null does not match "null"', { detail: { state: [null] } }, event({ state: 'null' }), false],
    ['null does not match a missing field', { detail: { state: [null] } }, event({}), false],
    ['empty string', { detail: { state: [''] } }, event({ state: '' }), true],
    ['all fields must match (AND)', { source: ['aws.ec2'], 'detail-type': ['other'] }, event({}), false],
    ['nested objects', { detail: { a: { b: ['c'] } } }, event({ a: { b: 'c' } }), true],
    [
      'event arrays match when any element matches',
      { resources: ['arn:x', 'arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'] },
      event({}),
      true,
    ],
    ['event arrays match none', { resources: ['arn:x'] }, event({}), false],
    [
      'fields inside arrays of objects',
      { detail: { items: { id: ['b'] } } },
      event({ items: [{ id: 'a' }, { id: 'b' }] }),
      true,
    ],
    [
      'a JSON string in the event is not parsed',
      { detail: { key: ['value'] } },
      event({ key: '{"key":"value"}' }),
      false,
    ],
    [
      'dotted pattern key reaches nested fields',
      { 'detail.state.status': ['running'] },
      event({ state: { status: 'running' } }),
      true,
    ],
    [
      'dotted event key matches nested pattern',
      { detail: { state: { status: ['running'] } } },
      event({ 'state.status': 'running' }),
      true,
    ],

    // prefix / suffix / equals-ignore-case
    ['prefix', { time: [{ prefix: '2017-12-22' }] }, event({}), true],
    ['prefix differs', { time: [{ prefix: '2018' }] }, event({}), false],
    ['empty prefix matches any string', { source: [{ prefix: '' }] }, event({}), true],
    ['prefix only matches strings', { detail: { n: [{ prefix: '1' }] } }, event({ n: 12 }), false],
    [
      'prefix ignoring case',
      { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
      event({ service: 'eventbridge' }),
      true,
    ],
    ['suffix', { detail: { file: [{ suffix: '.png' }] } }, event({ file: 'image.png' }), true],
    [
      'suffix is case-sensitive',
      { detail: { file: [{ suffix: '.PNG' }] } },
      event({ file: 'image.png' }),
      false,
    ],
    [
      'suffix ignoring case',
      { detail: { file: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
      event({ file: 'image.PNG' }),
      true,
    ],
    [
      'equals-ignore-case',
      { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] },
      event({}),
      true,
    ],
    [
      'equals-ignore-case differs',
      { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance' }] },
      event({}),
      false,
    ],
    [
      'equals-ignore-case "" matches only ""',
      { detail: { v: [{ 'equals-ignore-case': '' }] } },
      event({ v: 'x' }),
      false,
    ],

    // anything-but
    [
      'anything-but a string',
      { detail: { state: [{ 'anything-but': 'initializing' }] } },
      event({ state: 'pending' }),
      true,
    ],
    [
      'anything-but excludes its value',
      { detail: { state: [{ 'anything-but': 'initializing' }] } },
      event({ state: 'initializing' }),
      false,
    ],
    ['anything-but a number', { detail: { limit: [{ 'anything-but': 123 }] } }, event({ limit: 789 }), true],
    [
      'anything-but a number excludes it',
      { detail: { limit: [{ 'anything-but': 123 }] } },
      event({ limit: 123 }),
      false,
    ],
    [
      'anything-but a list',
      { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
      event({ state: 'pending' }),
      true,
    ],
    [
      'anything-but a list excludes its values',
      { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
      event({ state: 'stopped' }),
      false,
    ],
    [
      'anything-but matches null',
      { detail: { state: [{ 'anything-but': 'initializing' }] } },
      event({ state: null }),
      true,
    ],
    [
      'anything-but never matches a missing field',
      { detail: { state: [{ 'anything-but': 'initializing' }] } },
      event({}),
      false,
    ],
    [
      'anything-but prefix',
      { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
      event({ state: 'post-init' }),
      true,
    ],
    [
      'anything-but prefix excludes',
      { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
      event({ state: 'initializing' }),
      false,
    ],
    [
      'anything-but prefix matches numbers',
      { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
      event({ state: 12 }),
      true,
    ],
    [
      'anything-but prefix list',
      { detail: { state: [{ 'anything-but': { prefix: ['init', 'post'] } }] } },
      event({ state: 'post-init' }),
      false,
    ],
    [
      'anything-but suffix',
      { detail: { file: [{ 'anything-but': { suffix: '.txt' } }] } },
      event({ file: 'file.txt.bak' }),
      true,
    ],
    [
      'anything-but suffix excludes',
      { detail: { file: [{ 'anything-but': { suffix: '.txt' } }] } },
      event({ file: 'file.txt' }),
      false,
    ],
    [
      'anything-but wildcard',
      { detail: { path: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
      event({ path: 'src/app/x.ts' }),
      true,
    ],
    [
      'anything-but wildcard excludes',
      { detail: { path: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
      event({ path: 'src/lib/x.ts' }),
      false,
    ],
    [
      'anything-but ignoring case',
      { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] } },
      event({ state: 'STOPPED' }),
      false,
    ],
    [
      'anything-but ignoring case, other value',
      { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'Stopped' } }] } },
      event({ state: 'running' }),
      true,
    ],

    // numeric
    ['numeric range', { detail: { c: [{ numeric: ['>', 0, '<=', 5] }] } }, event({ c: 5 }), true],
    ['numeric range excludes', { detail: { c: [{ numeric: ['>', 0, '<=', 5] }] } }, event({ c: 0 }), false],
    ['numeric upper bound', { detail: { d: [{ numeric: ['<', 10] }] } }, event({ d: 9.99 }), true],
    [
      'numeric equals in exponent form',
      { detail: { x: [{ numeric: ['=', 3.018e2] }] } },
      event({ x: 301.8 }),
      true,
    ],
    [
      'numeric >= lower bound',
      { detail: { x: [{ numeric: ['>=', 200, '<', 500] }] } },
      event({ x: 200 }),
      true,
    ],
    [
      'numeric ignores numeric strings',
      { detail: { x: [{ numeric: ['>', 100] }] } },
      event({ x: '300' }),
      false,
    ],
    ['numeric ignores null', { detail: { x: [{ numeric: ['>', 100] }] } }, event({ x: null }), false],

    // exists
    ['exists true', { detail: { state: [{ exists: true }] } }, event({ state: 'pending' }), true],
    ['exists true on a missing field', { detail: { state: [{ exists: true }] } }, event({ other: 1 }), false],
    [
      'exists true on an object (only leaves exist)',
      { detail: { state: [{ exists: true }] } },
      event({ state: { a: 1 } }),
      false,
    ],
    ['exists true on an empty array', { resources: [{ exists: true }] }, event({}, { resources: [] }), false],
    ['exists false on a missing field', { detail: { state: [{ exists: false }] } }, event({}), true],
    [
      'exists false under a missing parent',
      { detail: { a: { b: { c: [{ exists: false }] } } } },
      event({}),
      true,
    ],
    [
      'exists false on a present field',
      { detail: { state: [{ exists: false }] } },
      event({ state: 'x' }),
      false,
    ],
    [
      'exists false or anything-but',
      { detail: { s: [{ 'anything-but': ['roses'] }, { exists: false }] } },
      event({}),
      true,
    ],

    // wildcard
    [
      'wildcard',
      { detail: { bus: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] } },
      event({ bus: 'arn:aws:events:us-east-1:123456789012:event-bus/my-bus' }),
      true,
    ],
    [
      'wildcard star matches slashes',
      { detail: { key: [{ wildcard: 'incoming/*.json' }] } },
      event({ key: 'incoming/2024/x.json' }),
      true,
    ],
    [
      'wildcard anchors both ends',
      { detail: { key: [{ wildcard: 'incoming/*.json' }] } },
      event({ key: 'incoming/x.jsonl' }),
      false,
    ],
    [
      'wildcard star matches nothing too',
      { detail: { key: [{ wildcard: 'a*b' }] } },
      event({ key: 'ab' }),
      true,
    ],
    ['escaped star is literal', { detail: { key: [{ wildcard: 'a\\*b' }] } }, event({ key: 'axb' }), false],
    [
      'escaped star matches a star',
      { detail: { key: [{ wildcard: 'a\\*b' }] } },
      event({ key: 'a*b' }),
      true,
    ],
    [
      'wildcard regex characters are literal',
      { detail: { key: [{ wildcard: 'a.(b)*' }] } },
      event({ key: 'aX(b)c' }),
      false,
    ],
    ['empty wildcard matches only ""', { detail: { key: [{ wildcard: '' }] } }, event({ key: 'x' }), false],

    // cidr
    ['cidr IPv4', { detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, event({ ip: '10.0.0.255' }), true],
    ['cidr IPv4 outside', { detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, event({ ip: '10.0.1.1' }), false],
    [
      'cidr invalid address',
      { detail: { ip: [{ cidr: '10.0.0.0/24' }] } },
      event({ ip: '10.0.0.256' }),
      false,
    ],
    [
      'cidr IPv6',
      { detail: { ip: [{ cidr: '2001:db8:1234:1a00::/64' }] } },
      event({ ip: '2001:0db8:1234:1a00:0000:0000:0000:0001' }),
      true,
    ],
    [
      'cidr IPv6 outside',
      { detail: { ip: [{ cidr: '2001:db8:1234:1a00::/64' }] } },
      event({ ip: '2001:db8:123f:1a01::1' }),
      false,
    ],
    ['cidr ignores numbers', { detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, event({ ip: 123 }), false],

    // $or
    [
      '$or inside detail',
      { detail: { $or: [{ c: [{ numeric: ['>', 0] }] }, { d: [{ numeric: ['<', 10] }] }] } },
      event({ c: 0, d: 9 }),
      true,
    ],
    [
      '$or with no matching branch',
      { detail: { $or: [{ c: [{ numeric: ['>', 0] }] }, { d: [{ numeric: ['<', 10] }] }] } },
      event({ c: 0, d: 10 }),
      false,
    ],
    [
      '$or across top-level fields',
      { source: ['aws.ec2'], $or: [{ 'detail-type': ['nope'] }, { detail: { state: ['pending'] } }] },
      event({ state: 'pending' }),
      true,
    ],
  ])('%s', (_case, pattern, candidate, expected) => {
    expect(matches(pattern, candidate)).toBe(expected);
  });

  it('matches prefix-and-suffix wildcards only for files with those suffixes under incoming/', () => {
    const trigger = compileEventPattern({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: {
        bucket: { name: ['ingest'] },
        object: {
          key: [
            { wildcard: 'incoming/*.json' },
            { wildcard: 'incoming/*.jsonl' },
            { wildcard: 'incoming/*.ndjson' },
          ],
        },
      },
    });
    const upload = (key: string) =>
      event(
        { bucket: { name: 'ingest' }, object: { key } },
        { source: 'aws.s3', 'detail-type': 'Object Created' },
      );
    expect(
      ['incoming/a.json', 'incoming/b.jsonl', 'incoming/c.ndjson'].map((key) => trigger(upload(key))),
    ).toEqual([true, true, true]);
    expect(
      ['incoming/a.txt', 'staging/a.json', 'incoming/a.json.bak'].map((key) => trigger(upload(key))),
    ).toEqual([false, false, false]);
  });

  it('matches the pipeline S3 trigger for every object under incoming/, whatever its name', () => {
    const trigger = compileEventPattern({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: ['ingest'] }, object: { key: [{ prefix: 'incoming/' }] } },
    });
    const upload = (key: string) =>
      event(
        { bucket: { name: 'ingest' }, object: { key } },
        { source: 'aws.s3', 'detail-type': 'Object Created' },
      );
    const keys = ['incoming/X.JSON', 'incoming/a.json.gz', 'incoming/notes.txt', 'incoming/'];
    expect(keys.map((key) => trigger(upload(key)))).toEqual([true, true, true, true]);
    const others = ['staging/a.json', 'reports/x/failure.json', 'Incoming/a.json', 'incoming'];
    expect(others.map((key) => trigger(upload(key)))).toEqual([false, false, false, false]);
  });

  it.each<[string, unknown]>([
    ['a pattern that is not an object', ['source']],
    ['an empty pattern', {}],
    ['a value that is not in an array', { source: 'aws.ec2' }],
    ['an empty array', { resources: [] }],
    ['an unknown operator', { source: [{ regex: '.*' }] }],
    ['an operator in the wrong case', { source: [{ EXISTS: true }] }],
    ['two operators in one object', { source: [{ prefix: 'a', suffix: 'b' }] }],
    ['a prefix list', { source: [{ prefix: ['a'] }] }],
    ['a numeric prefix', { source: [{ prefix: 1 }] }],
    ['a suffix list', { source: [{ suffix: ['a'] }] }],
    ['an equals-ignore-case list', { source: [{ 'equals-ignore-case': ['a'] }] }],
    ['anything-but null', { source: [{ 'anything-but': null }] }],
    ['anything-but with null in its list', { source: [{ 'anything-but': ['a', null] }] }],
    ['anything-but an empty prefix', { source: [{ 'anything-but': { prefix: '' } }] }],
    [
      'anything-but prefix ignoring case',
      { source: [{ 'anything-but': { prefix: { 'equals-ignore-case': 'a' } } }] },
    ],
    ['anything-but a numeric suffix', { source: [{ 'anything-but': { suffix: 1 } }] }],
    ['anything-but a numeric wildcard', { source: [{ 'anything-but': { wildcard: 1 } }] }],
    ['exists that is not boolean', { source: [{ exists: 'yes' }] }],
    ['numeric that is not a list', { x: [{ numeric: 10 }] }],
    ['numeric with a dangling operator', { x: [{ numeric: ['>', 0, '<'] }] }],
    ['numeric with two lower bounds', { x: [{ numeric: ['>', 0, '>', 1] }] }],
    ['numeric with bottom above top', { x: [{ numeric: ['>', 5, '<', 1] }] }],
    ['numeric with a string operand', { x: [{ numeric: ['=', '5'] }] }],
    ['consecutive wildcards', { x: [{ wildcard: 'a**b' }] }],
    ['a malformed cidr', { x: [{ cidr: 'bad-filter' }] }],
    ['a cidr with a bad address', { x: [{ cidr: 'xx.11.xx/8' }] }],
    ['a cidr list', { x: [{ cidr: ['10.0.0.0/8'] }] }],
    ['$or with a single branch', { $or: [{ source: ['a'] }] }],
  ])('rejects %s', (_case, pattern) => {
    expect(() => compileEventPattern(pattern)).toThrow(InvalidEventPatternError);
  });
});
