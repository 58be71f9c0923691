/**
 * The import graph of src/: folders are pipeline stages (docs/design.md), so imports run from a
 * stage to itself or to an earlier one, never to a later one, and neither files nor folders form
 * a cycle. Every `import`, `import type`, `export … from` and `import("…")` counts: a type-only
 * import still ties the two folders together. The source is scanned as text (biome keeps
 * top-level statements at the start of a line), so the test needs no compiler API.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Pipeline stages, earliest first. A stage is a top-level folder of src/ or a file directly in
 * it. A stage may import itself and lower ranks only; stages that share a rank are peers and
 * import neither way (runner talks to the Batches API, sim simulates it), except on the ground
 * floor, where errors.ts and source/ are one stage (the error class carries diagnostics).
 */
const STAGE_RANK: Readonly<Record<string, number>> = {
  "errors.ts": 0,
  source: 0,
  models: 1,
  config: 2,
  suite: 3,
  compile: 4,
  cost: 5,
  grade: 6,
  runner: 7,
  sim: 7,
  report: 8,
  run: 9,
  cli: 10,
  "index.ts": 11,
};

/** A file → file import, paths relative to the repo root (`src/suite/load-suites.ts`). */
interface Edge {
  from: string;
  to: string;
}

/** The module specifiers a source file imports or re-exports from, in order. */
function specifiers(text: string): string[] {
  const statement =
    /^(?:import|export)\s+(?:type\s+)?(?:[\w*$\s{},]+?\s+from\s+)?["']([^"'\n]+)["']/gm;
  const dynamic = /\bimport\s*\(\s*["']([^"'\n]+)["']\s*\)/g;
  return [...text.matchAll(statement), ...text.matchAll(dynamic)].map((m) => m[1] ?? "");
}

/** Every .ts file under src/, relative to the repo root, sorted. */
function sourceFiles(): string[] {
  return readdirSync(join(ROOT, "src"), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .map((name) => `src/${name.split("\\").join("/")}`)
    .sort();
}

/** The file a relative specifier names (`./x.js` is `./x.ts`); undefined for packages. */
function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  return normalize(join(dirname(from), specifier))
    .split("\\")
    .join("/")
    .replace(/\.js$/, ".ts");
}

/** The stage a file belongs to: its top-level folder under src/, or its own name. */
function stageOf(file: string): string {
  return file.split("/")[1] ?? file;
}

function rankOf(stage: string): number {
  const rank = STAGE_RANK[stage];
  if (rank === undefined) throw new Error(`${stage} is not in STAGE_RANK; add it to the table`);
  return rank;
}

/** Whether an import from stage `from` to stage `to` respects the pipeline order. */
function inOrder(from: string, to: string): boolean {
  if (from === to) return true;
  const [a, b] = [rankOf(from), rankOf(to)];
  return b < a || (a === 0 && b === 0);
}

/**
 * One cycle per strongly connected component of more than one node (or a self-loop), each as
 * a path that starts and ends at the same node. Tarjan's algorithm, then a walk inside the
 * component to name a concrete cycle.
 */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    const selfLoop = (graph.get(node) ?? []).includes(node);
    if (component.length > 1 || selfLoop) components.push(component);
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return components.map((component) => cycleWithin(graph, new Set(component)));
}

/** A shortest cycle through the component's first node (sorted), staying inside it. */
function cycleWithin(
  graph: ReadonlyMap<string, readonly string[]>,
  members: Set<string>,
): string[] {
  const start = [...members].sort()[0] ?? "";
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i += 1) {
    const node = queue[i] ?? "";
    for (const next of graph.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0] ?? "") ?? start);
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

function graphOf(edges: readonly Edge[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const { from, to } of edges) {
    const targets = graph.get(from) ?? [];
    if (!targets.includes(to)) targets.push(to);
    graph.set(from, targets);
  }
  return graph;
}

const files = sourceFiles();
const edges: Edge[] = files.flatMap((from) =>
  specifiers(readFileSync(join(ROOT, from), "utf8")).flatMap((specifier) => {
    const to = resolveImport(from, specifier);
    return to === undefined ? [] : [{ from, to }];
  }),
);
const stageEdges = edges
  .map(({ from, to }) => ({ from: stageOf(from), to: stageOf(to) }))
  .filter(({ from, to }) => from !== to);
const show = (edge: Edge): string => `${edge.from} -> ${edge.to}`;

describe("the import graph of src/", () => {
  // About 125 files, 470 imports and 50 stage-to-stage pairs today: an empty or half-read tree
  // must not pass for an acyclic one.
  it("is read from a real source tree", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.length).toBeGreaterThan(350);
    expect(new Set(stageEdges.map(show)).size).toBeGreaterThan(30);
  });

  it("names only files that exist", () => {
    expect(edges.filter(({ to }) => !existsSync(join(ROOT, to))).map(show)).toEqual([]);
  });

  it("puts every file in a stage of the table", () => {
    expect(files.map(stageOf).filter((stage) => STAGE_RANK[stage] === undefined)).toEqual([]);
  });

  it("has no cycle between files", () => {
    expect(findCycles(graphOf(edges)).map((cycle) => cycle.join(" -> "))).toEqual([]);
  });

  it("has no cycle between folders", () => {
    expect(findCycles(graphOf(stageEdges)).map((cycle) => cycle.join(" -> "))).toEqual([]);
  });

  it("imports from a stage to itself or an earlier one only", () => {
    const late = edges.filter((edge) => !inOrder(stageOf(edge.from), stageOf(edge.to)));
    const ranked = (file: string): string => `${stageOf(file)} ${rankOf(stageOf(file))}`;
    expect(
      late.map((edge) => `${show(edge)} (${ranked(edge.from)} -> ${ranked(edge.to)})`),
    ).toEqual([]);
  });
});

describe("the checks themselves", () => {
  it("find a cycle in a hand-made graph, and none in an acyclic one", () => {
    const cyclic = new Map([
      ["a", ["b"]],
      ["b", ["c", "d"]],
      ["c", ["a"]],
      ["d", []],
      ["e", ["e"]],
    ]);
    expect(findCycles(cyclic)).toEqual([
      ["a", "b", "c", "a"],
      ["e", "e"],
    ]);
    const acyclic = new Map([
      ["a", ["b", "c"]],
      ["b", ["c"]],
      ["c", []],
    ]);
    expect(findCycles(acyclic)).toEqual([]);
  });

  it.each([
    ['import { a } from "./a.js";', ["./a.js"]],
    ['import type { A } from "../suite/types.js";', ["../suite/types.js"]],
    ['import {\n  a,\n  type B,\n} from "./a.js";', ["./a.js"]],
    ['export { a as b } from "./a.js";', ["./a.js"]],
    ['export type { A } from "./a.js";', ["./a.js"]],
    ['export * from "./a.js";', ["./a.js"]],
    ['import "./side-effect.js";', ["./side-effect.js"]],
    ['import AjvModule, { type ErrorObject } from "ajv";', ["ajv"]],
    ['const m = await import("./lazy.js");', ["./lazy.js"]],
    [' * import { a } from "./in-a-comment.js";', []],
    ['export const a = "from";', []],
  ])("read the specifiers of %j", (source, expected) => {
    expect(specifiers(source)).toEqual(expected);
  });

  it("orders stages by the table", () => {
    expect(inOrder("compile", "models")).toBe(true);
    expect(inOrder("models", "compile")).toBe(false);
    expect(inOrder("runner", "sim")).toBe(false);
    expect(inOrder("errors.ts", "source")).toBe(true);
    expect(() => rankOf("utils")).toThrow(/not in STAGE_RANK/);
  });
});
