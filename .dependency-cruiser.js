/**
 * The fences between the parts (docs/architecture.md, "Parts and the rules between them"), checked by
 * `npm run lint`. Product code is what ships: the CDK app, the Lambdas, the worker and what they share.
 */
const PRODUCT = '^(bin|lib|lambdas|nest-worker|contracts|common)/';
const DEV_TOOLING = '^(local|scripts|test|medusa)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'No import cycles: a cycle works only by the order modules happen to load in.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'product-not-on-dev-tooling',
      severity: 'error',
      comment: 'What ships never imports the local runtime, the simulators, the commands or the tests.',
      from: { path: PRODUCT },
      to: { path: DEV_TOOLING },
    },
    {
      name: 'worker-own-code-only',
      severity: 'error',
      comment:
        'The worker builds from nest-worker/, contracts/ and common/ alone (its Dockerfile copies only those).',
      from: { path: '^nest-worker/' },
      to: { path: '^(bin|lib|lambdas|pimcore|samples)/' },
    },
    {
      name: 'lambdas-own-code-only',
      severity: 'error',
      comment: 'The Lambdas are bundled from lambdas/, contracts/ and common/ alone.',
      from: { path: '^lambdas/' },
      to: { path: '^(bin|lib|nest-worker|pimcore|samples)/' },
    },
    {
      name: 'shared-code-is-a-leaf',
      severity: 'error',
      comment: 'contracts/ and common/ are what both halves share: they import only each other.',
      from: { path: '^(contracts|common)/' },
      to: { path: '^(bin|lib|lambdas|nest-worker|pimcore|samples)/' },
    },
    {
      name: 'infrastructure-not-on-the-worker',
      severity: 'error',
      comment:
        'The stack builds the worker from its Dockerfile and never imports it. (It does import the ' +
        "Lambdas' transform-config parser, to refuse a bad transformConfig at synth with the Lambdas' own rules.)",
      from: { path: '^(bin|lib)/' },
      to: { path: '^nest-worker/' },
    },
    {
      name: 'product-not-on-dev-dependencies',
      severity: 'error',
      comment: 'A package that ships is declared in dependencies, not devDependencies.',
      from: { path: PRODUCT },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'declared-packages-only',
      severity: 'error',
      comment: 'Every package imported is declared in the package.json that installs it.',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'resolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(cdk\\.out|dist)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
