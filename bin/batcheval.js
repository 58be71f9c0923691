#!/usr/bin/env node
// Thin launcher: `npm run build` (run on `prepare`) compiles the CLI to dist/ and bundles it
// into dist/cli/batcheval.js (scripts/bundle-cli.js), one file that starts faster than the
// modules it is made of. With --debug, stack traces go through the bundle's source map to
// src/ (reading the map costs time, so only then).
if (process.argv.includes("--debug")) process.setSourceMapsEnabled(true);
await import("../dist/cli/batcheval.js");
