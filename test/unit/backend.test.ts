import { describe, expect, it } from "vitest";
import type { BackendName } from "../../src/config/types.js";
import { BatchevalError } from "../../src/errors.js";
import { chooseBackend, pickCredentials } from "../../src/runner/backend.js";

type Env = Record<string, string | undefined>;
const KEY: Env = { ANTHROPIC_API_KEY: "sk-test" };

describe("chooseBackend", () => {
  const allowed: [
    flag: BackendName | undefined,
    config: BackendName | undefined,
    env: Env,
    expected: BackendName,
    banner: boolean,
  ][] = [
    [undefined, undefined, KEY, "anthropic", false],
    [undefined, undefined, {}, "sim", true],
    ["sim", undefined, KEY, "sim", true],
    ["sim", undefined, { CI: "true" }, "sim", true],
    [undefined, "sim", {}, "sim", true],
    [undefined, "anthropic", KEY, "anthropic", false],
    ["anthropic", "sim", { ...KEY, CI: "true" }, "anthropic", false],
    [undefined, undefined, { ANTHROPIC_AUTH_TOKEN: "tok" }, "anthropic", false],
    [undefined, undefined, { CI: "false" }, "sim", true],
  ];

  it.each(allowed)("flag %s, config %s, env %j → %s", (flag, config, env, expected, banner) => {
    const choice = chooseBackend({ flag, config, env });
    expect(choice.backend).toBe(expected);
    expect(choice.banner !== undefined).toBe(banner);
  });

  const refused: [
    flag: BackendName | undefined,
    config: BackendName | undefined,
    env: Env,
    message: string,
  ][] = [
    [undefined, undefined, { CI: "true" }, "No ANTHROPIC_API_KEY in CI"],
    [undefined, "sim", { CI: "1" }, "config file alone"],
    ["anthropic", undefined, {}, "needs an API key"],
    [undefined, "anthropic", {}, "needs an API key"],
  ];

  it.each(refused)("flag %s, config %s, env %j is refused", (flag, config, env, message) => {
    let error: unknown;
    try {
      chooseBackend({ flag, config, env });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BatchevalError);
    const refusal = error as BatchevalError;
    expect(refusal.code).toBe("backend_refused");
    expect(refusal.exitCode).toBe(2);
    expect(refusal.message).toContain(message);
    expect(refusal.hint).toMatch(/--backend sim|ANTHROPIC_API_KEY/);
  });
});

describe("pickCredentials", () => {
  it.each([
    [{ ANTHROPIC_API_KEY: "k" }, "k", null, false],
    [{ ANTHROPIC_AUTH_TOKEN: "t" }, null, "t", false],
    [{ ANTHROPIC_API_KEY: "k", ANTHROPIC_AUTH_TOKEN: "t" }, "k", null, true],
    [{ ANTHROPIC_API_KEY: "", ANTHROPIC_AUTH_TOKEN: "t" }, null, "t", false],
    [{}, null, null, false],
  ])("%j → key %s, token %s", (env, apiKey, authToken, note) => {
    const picked = pickCredentials(env);
    expect(picked.apiKey).toBe(apiKey);
    expect(picked.authToken).toBe(authToken);
    expect(picked.note !== undefined).toBe(note);
  });
});
