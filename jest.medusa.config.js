/**
 * `npm run test:medusa` (scripts/test-medusa.ts): the suites that need a real Medusa, which the runner
 * starts once and describes in MEDUSA_REAL_COORDINATES. Files end in .real.ts so that the default jest
 * run (testMatch **\/*.test.ts) never picks them up.
 */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/real-medusa'],
  testMatch: ['**/*.real.ts'],
  // One real server is shared: the files run one after another.
  maxWorkers: 1,
};
