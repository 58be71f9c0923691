import { describe, expect, it } from "vitest";
import { costFromExact } from "../../src/cost/exact-cost.js";
import { usdToFemto } from "../../src/cost/exact-money.js";
import { savingsOf } from "../../src/cost/savings.js";

const femto = (usd: string) => usdToFemto(Number(usd));

describe("savingsOf", () => {
  it("splits the saving into the batch discount and caching, exactly", () => {
    // 3,000 questions on a shared 40,000-token document, Sonnet 4.6 (issue 18's example):
    // standard $369.90, batch $184.95, batch with one 1h write and 2,999 reads $23.064.
    const cost = costFromExact({
      standard: femto("369.900000000000000"),
      standardCached: femto("46.128000000000000"),
      batch: femto("184.950000000000000"),
      batchCached: femto("23.064000000000000"),
    });
    const s = savingsOf(cost);
    expect(s.femtoUsd).toEqual({
      total: femto("346.836000000000000").toString(),
      batchDiscount: femto("184.950000000000000").toString(),
      caching: femto("161.886000000000000").toString(),
    });
    expect(BigInt(s.femtoUsd.batchDiscount) + BigInt(s.femtoUsd.caching)).toBe(
      BigInt(s.femtoUsd.total),
    );
    expect(s.total).toBe(346.836);
  });

  it("shows caching that cost more than it saved as a negative saving", () => {
    const cost = costFromExact({
      standard: femto("0.010000000000000"),
      standardCached: femto("0.012000000000000"),
      batch: femto("0.005000000000000"),
      batchCached: femto("0.006000000000000"),
    });
    expect(savingsOf(cost)).toMatchObject({ total: 0.004, batchDiscount: 0.005, caching: -0.001 });
  });
});
