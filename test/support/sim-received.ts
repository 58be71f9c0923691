/** What a simulator received, read back through the SDK as a user of the API would. */
import type Anthropic from "@anthropic-ai/sdk";

/** How often the simulator received each custom_id, over every batch it ran to the end. */
export async function receivedCounts(client: Anthropic): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for await (const batch of client.messages.batches.list({ limit: 100 })) {
    if (batch.processing_status !== "ended") continue;
    for await (const line of await client.messages.batches.results(batch.id)) {
      counts.set(line.custom_id, (counts.get(line.custom_id) ?? 0) + 1);
    }
  }
  return counts;
}
