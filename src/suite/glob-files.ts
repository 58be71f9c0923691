/**
 * fast-glob, safe against symbolic-link loops. Links to files are matched; a link to a folder
 * is followed unless its real folder is already walked: one inside the glob's base (found
 * there anyway) or one the link sits in (a loop). Files reached twice are kept once, by real
 * path. Without this, `evals/loop -> ..` makes the walk repeat until the path is forty links
 * deep, and two such links make it exponential.
 */
import { realpathSync, type Stats, stat } from "node:fs";
import { lstat, realpath } from "node:fs/promises";
import { dirname, resolve, sep } from "node:path";
import fg from "fast-glob";

type StatCallback = (error: NodeJS.ErrnoException | null, stats: Stats) => void;

/** Absolute paths of the files `pattern` matches under `cwd`, each real file once, sorted. */
export async function globFiles(pattern: string, cwd: string): Promise<string[]> {
  const bases = fg
    .generateTasks(pattern, { cwd })
    .map((task) => realOrSelf(resolve(cwd, task.base)));
  const real = new Map<string, string>();
  const follow = (path: string) => shouldFollow(path, bases, real);
  const guardedStat = ((path: string, callback: StatCallback) => {
    follow(path).then(
      (yes) =>
        yes ? stat(path, callback) : callback(loopError(path), undefined as unknown as Stats),
      () => stat(path, callback),
    );
  }) as unknown as typeof stat;
  const matches = await fg(pattern, {
    cwd,
    onlyFiles: true,
    absolute: true,
    followSymbolicLinks: true,
    fs: { stat: guardedStat },
  });
  const byRealPath = new Map<string, string>();
  for (const file of matches.sort()) {
    const key = await realpath(file).catch(() => file);
    if (!byRealPath.has(key)) byRealPath.set(key, file);
  }
  return [...byRealPath.values()];
}

/** Whether the walk may enter the symbolic link at `path` (anything else is always followed). */
async function shouldFollow(
  path: string,
  bases: readonly string[],
  real: Map<string, string>,
): Promise<boolean> {
  if (!(await lstat(path)).isSymbolicLink()) return true;
  const target = await realpath(path);
  if (!(await lstat(target)).isDirectory()) return true;
  if (bases.some((base) => target === base || target.startsWith(`${base}${sep}`))) return false;
  for (let folder = dirname(path); ; folder = dirname(folder)) {
    if ((await cachedRealpath(folder, real)) === target) return false;
    if (dirname(folder) === folder) return true;
  }
}

async function cachedRealpath(path: string, cache: Map<string, string>): Promise<string> {
  let known = cache.get(path);
  if (known === undefined) {
    known = await realpath(path).catch(() => path);
    cache.set(path, known);
  }
  return known;
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function loopError(path: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(
    `not following ${path}: its folder is already walked`,
  );
  error.code = "ELOOP";
  return error;
}
