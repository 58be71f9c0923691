// Bundles the CLI, dist/cli/main.js with everything it imports (the dependencies too), into one
// file, dist/cli/batcheval.js, which bin/batcheval.js loads. Node then reads and compiles one
// file instead of some 750 modules, which takes about a third of a second off the start of
// every command. The library (dist/index.js) stays as modules. The bundle sits where main.js
// does, two folders below the package root, so paths built from `import.meta.url`
// (`../../package.json`, the schemas, the price table) point where they did.
import { build } from "esbuild";

await build({
  entryPoints: ["dist/cli/main.js"],
  outfile: "dist/cli/batcheval.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // CommonJS dependencies call `require` for Node's built-ins; an ES module has none of its own.
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);',
  },
  // A map back through dist/ to src/: bin/batcheval.js turns it on for --debug's stack traces.
  sourcemap: true,
  logLevel: "warning",
});
