/** Shared helpers of the simulator tests: a client on a simulator, and a batch round trip. */
import Anthropic from "@anthropic-ai/sdk";
import type {
  MessageBatch,
  MessageBatchIndividualResponse,
  MessageCreateParamsNonStreaming,
} from "@anthropic-ai/sdk/resources/messages";
import { type Simulator, type SimulatorOptions, startSimulator } from "../../src/sim/server.js";

/** A started simulator and an SDK client pointed at it. */
export interface SimHarness {
  sim: Simulator;
  client: Anthropic;
}

/** Starts a simulator (fast batches by default) and a client without retries. */
export async function startHarness(options: SimulatorOptions = {}): Promise<SimHarness> {
  const sim = await startSimulator({ batchDurationMs: 5, ...options });
  const client = new Anthropic({ apiKey: "test", baseURL: sim.url, maxRetries: 0 });
  return { sim, client };
}

/** A minimal valid request body. */
export function params(
  content: string,
  extra: Partial<MessageCreateParamsNonStreaming> = {},
): MessageCreateParamsNonStreaming {
  return {
    model: "claude-haiku-4-5",
    max_tokens: 256,
    messages: [{ role: "user", content }],
    ...extra,
  };
}

/** Polls until the batch has ended (short sleeps; batches in tests take milliseconds). */
export async function waitForEnd(client: Anthropic, id: string): Promise<MessageBatch> {
  for (let i = 0; i < 500; i++) {
    const batch = await client.messages.batches.retrieve(id);
    if (batch.processing_status === "ended") return batch;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`batch ${id} did not end`);
}

/** Reads every result line, keyed by custom_id. */
export async function readResults(
  client: Anthropic,
  id: string,
): Promise<Map<string, MessageBatchIndividualResponse>> {
  const byId = new Map<string, MessageBatchIndividualResponse>();
  for await (const line of await client.messages.batches.results(id))
    byId.set(line.custom_id, line);
  return byId;
}

/** Creates a batch, waits for it to end and returns the batch and its results. */
export async function runBatch(
  client: Anthropic,
  requests: { custom_id: string; params: MessageCreateParamsNonStreaming }[],
): Promise<{ batch: MessageBatch; results: Map<string, MessageBatchIndividualResponse> }> {
  const created = await client.messages.batches.create({ requests });
  const batch = await waitForEnd(client, created.id);
  return { batch, results: await readResults(client, created.id) };
}

/** The text of a succeeded result (throws otherwise). */
export function textOf(line: MessageBatchIndividualResponse | undefined): string {
  if (line?.result.type !== "succeeded") throw new Error(`not succeeded: ${JSON.stringify(line)}`);
  return line.result.message.content.map((b) => (b.type === "text" ? b.text : "")).join("");
}
