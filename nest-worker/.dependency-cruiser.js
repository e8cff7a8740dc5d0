/**
 * The worker's image installs only nest-worker/package.json's dependencies (nest-worker/Dockerfile), and
 * its bundle keeps packages external: every package the worker's code imports, including the shared
 * contracts/ and common/ it bundles, must be a dependency here. Run from nest-worker/ by `npm run lint`.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'worker-packages-declared',
      severity: 'error',
      comment: "A package the worker imports must be in nest-worker/package.json's dependencies.",
      from: {},
      to: {
        dependencyTypes: ['npm-no-pkg', 'npm-unknown', 'npm-dev', 'npm-optional', 'npm-peer'],
        dependencyTypesNot: ['type-only'],
      },
    },
    { name: 'resolvable', severity: 'error', from: {}, to: { couldNotResolve: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
  },
};
