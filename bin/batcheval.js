#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run on `prepare`).
import "../dist/cli/main.js";
