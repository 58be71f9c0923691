#!/usr/bin/env node
// Thin launcher: `npm run build` (run on `prepare`) compiles the CLI to dist/ and bundles it
// into dist/cli/batcheval.js (scripts/bundle-cli.js), one file that starts faster than the
// modules it is made of.
import "../dist/cli/batcheval.js";
