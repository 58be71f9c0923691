/**
 * The batch port (src/runner/batch-port.ts) is the only way batcheval reaches the Message
 * Batches API: no module but its SDK implementation (src/runner/batch-api.ts) builds an SDK
 * client, takes one, or calls its `messages.batches` methods. The other runner modules may
 * import the SDK's default export only for its error classes (`Anthropic.RateLimitError`…),
 * which is how errors are translated by class; and no runner module imports the SDK
 * implementation, so a run uses whichever port its caller gives it. This test greps the
 * sources; the integration
 * side (a run whose every call goes through a recording port) is
 * test/integration/batch-port.test.ts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SDK_IMPLEMENTATION = "src/runner/batch-api.ts";

/** Every .ts file under src/ (relative to the repo root). */
const files = readdirSync(`${ROOT}src`, { recursive: true, encoding: "utf8" })
  .filter((name) => name.endsWith(".ts"))
  .map((name) => `src/${name.replaceAll("\\", "/")}`);

/** Source text without comments, so a doc comment may mention what the code must not do. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|\s)\/\/.*$/gm, "$1");
}

const DEFAULT_IMPORT =
  /import\s+(type\s+)?(\w+)\s*(?:,\s*\{[^}]*\})?\s*from\s*["']@anthropic-ai\/sdk["']/g;

/** String literals, whose words ("your Anthropic account") are not uses of a name. */
const STRINGS = /`(?:\\.|[^`\\])*`|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g;

/** Ways `text` reaches the SDK client, by name; empty when it reaches none. */
function clientUses(text: string): string[] {
  const source = code(text);
  const found: string[] = [];
  if (/\.messages\s*\.\s*batches\b/.test(source)) found.push("calls messages.batches");
  if (/\bnew\s+(Base)?Anthropic\b/.test(source)) found.push("builds a client");
  if (
    /import\s*(type\s*)?\{[^}]*\b(Base)?Anthropic\b[^}]*\}\s*from\s*["']@anthropic-ai\/sdk["']/.test(
      source,
    )
  ) {
    found.push("imports the client class by name");
  }
  for (const [statement, typeOnly, name] of source.matchAll(DEFAULT_IMPORT)) {
    if (typeOnly !== undefined) found.push("imports the client type");
    // Outside its import, the default export may only name an error class.
    const rest = source.replace(statement, "").replace(STRINGS, '""');
    const uses = rest.match(new RegExp(`\\b${name}\\b(\\s*\\.\\s*\\w+)?`, "g")) ?? [];
    if (uses.some((use) => !/\.\s*\w*Error$/.test(use))) found.push(`uses ${name} as a client`);
  }
  return found;
}

describe("the batch port", () => {
  it("has an SDK implementation that the check sees", () => {
    const text = readFileSync(`${ROOT}${SDK_IMPLEMENTATION}`, "utf8");
    expect(clientUses(text)).toEqual(
      expect.arrayContaining(["calls messages.batches", "builds a client"]),
    );
  });

  it.each(files.filter((file) => file !== SDK_IMPLEMENTATION))(
    "%s reaches the API only through the port",
    (file) => {
      expect(clientUses(readFileSync(`${ROOT}${file}`, "utf8"))).toEqual([]);
    },
  );

  it.each(files.filter((file) => file.startsWith("src/runner/") && file !== SDK_IMPLEMENTATION))(
    "%s takes its port from its caller, never from the SDK implementation",
    (file) => {
      expect(code(readFileSync(`${ROOT}${file}`, "utf8"))).not.toMatch(/["']\.\/batch-api\.js["']/);
    },
  );

  it.each([
    [
      'import Anthropic from "@anthropic-ai/sdk";\nif (e instanceof Anthropic.RateLimitError) {}',
      [],
    ],
    ['import Anthropic, { type Middleware } from "@anthropic-ai/sdk";\nAnthropic.APIError;', []],
    [
      'import type Anthropic from "@anthropic-ai/sdk";\nfunction f(client: Anthropic) {}',
      ["imports the client type", "uses Anthropic as a client"],
    ],
    ['import { Anthropic } from "@anthropic-ai/sdk";', ["imports the client class by name"]],
    ['import Sdk from "@anthropic-ai/sdk";\nconst c = new Sdk({});', ["uses Sdk as a client"]],
    ["await ctx.client.messages.batches.list({});", ["calls messages.batches"]],
    ["const c = new Anthropic({ baseURL });", ["builds a client"]],
    ["// new Anthropic() is built in batch-api.ts only", []],
    ['import Anthropic from "@anthropic-ai/sdk";\nconst hint = `ask Anthropic`;', []],
  ])("the check finds in %j: %j", (source, found) => {
    expect(clientUses(source)).toEqual(found);
  });
});
