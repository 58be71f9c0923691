/**
 * `batcheval run`: the flags given become runEval's options (src/run/); the terminal report,
 * the gate's reasons, the comparison with a baseline and the next command are printed here.
 * Returns the exit code: 0 when a model is recommended (or the run detached), 1 when none meets
 * the thresholds or the run regressed against `--baseline`; bad input (exit 2) and a run that
 * could not finish (exit 3, resumable) are thrown.
 */
import { renderComparison } from "../report/render-compare.js";
import { renderTerminal } from "../report/render-terminal.js";
import type { RunIo } from "../run/io.js";
import type { RunFlags } from "../run/options.js";
import { runEval } from "../run/run-eval.js";
import type { RunStage } from "../runner/run-context.js";
import type { Purpose } from "../runner/run-store.js";
import { type CliIo, invalidSuiteExit, runIoOf } from "./io.js";
import { progressReporter } from "./progress.js";

export interface RunCommandOptions extends RunFlags {
  paths: string[];
}

/**
 * Test hook: `BATCHEVAL_FAILPOINT=<stage>` kills the process at that stage of an eval batch,
 * `grader:<stage>` at that stage of a grader batch (crash tests).
 */
function failpoint(io: CliIo): ((stage: RunStage, purpose: Purpose) => void) | undefined {
  const target = io.env.BATCHEVAL_FAILPOINT;
  if (!target) return undefined;
  return (stage, purpose) => {
    if ((purpose === "eval" ? stage : `${purpose}:${stage}`) === target) {
      process.kill(process.pid, "SIGKILL");
    }
  };
}

/**
 * Benchmark hook: `BATCHEVAL_TIMINGS=1` prints, on stderr, one `timing` line per run phase and
 * per first and last time a batch stage is reached, with the time since the command started
 * and the resident memory then and at its peak so far (bench/run.js reads them).
 */
function timings(io: CliIo): Pick<RunIo, "onPhase" | "onStage"> {
  if (!io.env.BATCHEVAL_TIMINGS) return {};
  const started = performance.now();
  const line = (name: string) => {
    const ms = Math.round(performance.now() - started);
    const rss = Math.round(process.memoryUsage.rss() / 1e6);
    const peak = Math.round((process.resourceUsage().maxRSS * 1024) / 1e6);
    io.err(`timing ${name} t_ms=${ms} rss_mb=${rss} peak_rss_mb=${peak}\n`);
  };
  const seen = new Set<string>();
  return {
    onPhase: (phase) => line(`phase=${phase}`),
    onStage: (stage, purpose) => {
      const name = `stage=${purpose}:${stage}`;
      if (!seen.has(name)) line(`${name} first`);
      seen.add(name);
    },
  };
}

export async function runCommand(options: RunCommandOptions, io: CliIo): Promise<number> {
  // Listening from the first moment: a Ctrl-C while loading stops cleanly, with a message.
  const stop = new AbortController();
  void io.interrupted.then(() => stop.abort());
  const progress = progressReporter(io);
  const crash = failpoint(io);
  const timed = timings(io);
  const onStage =
    crash && timed.onStage
      ? (stage: RunStage, purpose: Purpose) => {
          timed.onStage?.(stage, purpose);
          crash(stage, purpose);
        }
      : (crash ?? timed.onStage);
  let result: Awaited<ReturnType<typeof runEval>>;
  try {
    result = await runEval(options, {
      ...runIoOf(io),
      signal: stop.signal,
      onProgress: progress.onProgress,
      ...(onStage ? { onStage } : {}),
      ...(timed.onPhase ? { onPhase: timed.onPhase } : {}),
    });
  } catch (error) {
    return invalidSuiteExit(error, io);
  } finally {
    progress.finish();
  }
  const { report, gate } = result;
  if (report === undefined) {
    io.out(
      `Submitted. The batches run on the API; check them with: batcheval status ${result.runDir}\n`,
    );
    io.out(`Collect and report with: ${result.resumeCommand}\n`);
    return result.exitCode;
  }
  io.out(renderTerminal(report, { color: io.isTty }));
  io.out(`Wrote ${result.written.join(", ")}\n`);
  for (const reason of gate?.pass === false ? gate.reasons : []) io.err(`Gate failed: ${reason}\n`);
  if (result.comparison !== undefined) {
    io.out(`\n${renderComparison(result.comparison, { color: io.isTty })}`);
  }
  return result.exitCode;
}
