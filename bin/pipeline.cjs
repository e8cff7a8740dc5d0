#!/usr/bin/env node
'use strict';
/* global require, process, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file: require is its import */
/**
 * `npx pipeline …`: the operator CLI (scripts/pipeline/main.ts). The project runs TypeScript through
 * tsx, so this launcher only starts Node with tsx's loader on the CLI's entry point. It names both by
 * path rather than importing them: bin/ is product code, which may not import dev tooling or
 * devDependencies (.dependency-cruiser.js). The project's own Node 24 (node_modules/.bin/node, what every
 * `npm run` uses) runs it when installed, else the Node that started this launcher.
 */
const { spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const root = path.resolve(__dirname, '..');
const projectNode = path.join(root, 'node_modules', '.bin', 'node');
const tsxLoader = pathToFileURL(path.join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const main = path.join(root, 'scripts', 'pipeline', 'main.ts');

const child = spawn(
  existsSync(projectNode) ? projectNode : process.execPath,
  ['--import', tsxLoader, main, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
// Ctrl-C reaches the child through the terminal's process group: the launcher waits for the child's own
// answer (replay cancels its replay first) instead of dying at once. A SIGTERM sent to this process alone
// is passed on.
const waitForChild = () => undefined;
process.on('SIGINT', waitForChild);
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => {
  if (signal !== null) {
    // Re-raised without the listener, so the launcher ends as the child did.
    process.off('SIGINT', waitForChild);
    process.kill(process.pid, signal);
  } else process.exitCode = code ?? 1;
});
