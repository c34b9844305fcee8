#!/usr/bin/env node
// Checks that package-lock.json lists every optional dependency of every locked package — the
// platform-specific natives (rollup, esbuild) included — so that `npm ci` accepts the lock on
// linux, macOS and Windows alike. npm 11 could write locks without other platforms' optional
// packages (npm/cli#4828), and its own `npm ci` then refuses them.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const packages = lock.packages ?? {};

/** Where npm would resolve `dep` from the package installed at `at` (node's lookup, up the tree). */
function resolves(at, dep) {
  let base = at;
  for (;;) {
    if (`${base ? `${base}/` : ''}node_modules/${dep}` in packages) return true;
    if (!base) return false;
    const cut = base.lastIndexOf('node_modules/');
    base = cut <= 0 ? '' : base.slice(0, cut - 1);
  }
}

const missing = [];
for (const [at, meta] of Object.entries(packages)) {
  for (const dep of Object.keys(meta.optionalDependencies ?? {})) {
    if (!resolves(at, dep)) missing.push(`${at || '(root)'} → ${dep}`);
  }
}
if (missing.length) {
  console.error(`package-lock.json: ${missing.length} optional dependencies have no entry (regenerate the lock with an npm that records every platform):\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log(`package-lock.json: every optional dependency of ${Object.keys(packages).length} locked packages is listed`);
