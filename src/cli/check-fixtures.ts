/**
 * `validate`'s look at the simulator fixtures: their files must parse, and when the project
 * runs on the simulator (`backend: sim` or an explicit `sim.fixtures`) they must hold rules, or
 * every request would be graded on the simulator's default reply.
 */
import { dirname, resolve } from "node:path";
import type { ProjectConfig } from "../config/types.js";
import { BatchevalError } from "../errors.js";
import { loadFixtures } from "../sim/fixtures.js";
import type { Diagnostic } from "../source/types.js";

/** Diagnostics of the fixture files the config's `sim.fixtures` glob finds. */
export async function checkFixtures(config: ProjectConfig, cwd: string): Promise<Diagnostic[]> {
  const root = config.file ? dirname(resolve(cwd, config.file)) : cwd;
  const glob = config.sim.fixtures;
  let count: number;
  try {
    count = (await loadFixtures(glob, root)).length;
  } catch (error) {
    if (error instanceof BatchevalError && error.diagnostics.length > 0)
      return [...error.diagnostics];
    throw error;
  }
  const expected = config.backend === "sim" || config.sources?.simFixtures !== undefined;
  if (count > 0 || !expected) return [];
  const at = config.sources?.simFixtures ?? {
    file: config.file ?? "batcheval.config.yaml",
    line: 0,
    col: 0,
  };
  return [
    {
      ...at,
      severity: "error",
      message: `sim.fixtures \`${glob}\` matches no fixture file with rules, so every request on the simulator would get its default reply`,
      hint: 'add fixture files (see "Fixture format" in the README), or fix the glob',
    },
  ];
}
