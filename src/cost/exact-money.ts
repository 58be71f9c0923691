/**
 * Exact money arithmetic. Every amount inside src/cost is an integer number of femto-USD
 * (1e-15 USD) held in a bigint; floating point appears only at the output edge.
 *
 * Why femto: prices are USD per million tokens with at most {@link MAX_PRICE_DECIMALS} decimal
 * places, so one token at such a price is a whole multiple of 1e5 femto-USD. Defaulted cache
 * prices (1.25x and 0.1x input) are whole multiples of 1e4. The only other divisions the cost
 * model needs are by 2 (batch discount) and 10 (the 1.1x US-inference surcharge): every price
 * is a multiple of 20 femto-USD per token, so both divide exactly. {@link divideExact} asserts
 * that instead of trusting it.
 */

/** Femto-USD per USD. */
export const FEMTO_PER_USD = 10n ** 15n;

/** Femto-USD per token for a price of 1 USD per million tokens (1e15 / 1e6). */
export const FEMTO_PER_TOKEN_PER_USD_MTOK = 10n ** 9n;

/** Prices (USD per million tokens) may have at most this many decimal places. */
export const MAX_PRICE_DECIMALS = 4;

/** Prices may have at most this many digits before the decimal point (below 1,000,000 USD). */
const MAX_PRICE_INTEGER_DIGITS = 6;

const PRICE_TEXT = /^(\d+)(?:\.(\d+))?$/;
const DECIMAL_TEXT = /^(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/**
 * Checks the text of a price (USD per million tokens) and returns why it is unusable, or
 * undefined when it is a plain non-negative decimal within the precision the arithmetic supports.
 */
export function priceTextProblem(text: string): string | undefined {
  const match = PRICE_TEXT.exec(text);
  if (match === null) return `"${text}" is not a plain non-negative decimal number`;
  if ((match[1] ?? "").replace(/^0+(?=\d)/, "").length > MAX_PRICE_INTEGER_DIGITS) {
    return `${text} is too large for a price per million tokens`;
  }
  if ((match[2] ?? "").replace(/0+$/, "").length > MAX_PRICE_DECIMALS) {
    return `${text} has more than ${MAX_PRICE_DECIMALS} decimal places`;
  }
  return undefined;
}

/**
 * Converts a price's decimal text (USD per million tokens) to femto-USD per token. Accepts up
 * to 9 decimal places (a whole femto-USD per token): written prices have at most
 * {@link MAX_PRICE_DECIMALS}, defaulted cache prices (1.25× or 0.1× input) up to 6. Throws on
 * anything else, because the amount could not be held exactly.
 */
export function priceTextToFemto(text: string): bigint {
  const match = PRICE_TEXT.exec(text);
  const fraction = (match?.[2] ?? "").replace(/0+$/, "");
  if (match === null || fraction.length > 9) {
    throw new Error(`Price ${JSON.stringify(text)} is not a whole number of femto-USD per token`);
  }
  return BigInt(match[1] ?? "0") * FEMTO_PER_TOKEN_PER_USD_MTOK + BigInt(fraction.padEnd(9, "0"));
}

/**
 * Converts a price held as a number to femto-USD per token, through its shortest decimal
 * representation (`String(n)`), which gives back exactly the text a number was parsed from
 * whenever that text has at most 15 significant digits, as every valid price does.
 */
export function priceNumberToFemto(price: number): bigint {
  return priceTextToFemto(String(price));
}

/** The problem with a price held as a number, or undefined when it is usable. */
export function priceNumberProblem(price: number): string | undefined {
  if (!Number.isFinite(price) || price < 0) return `${price} is not a non-negative finite number`;
  return priceTextProblem(String(price));
}

/** Femto-USD per token back to a price number (USD per million tokens), via exact decimal text. */
export function femtoToPriceNumber(femtoPerToken: bigint): number {
  return Number(formatScaled(femtoPerToken, 9));
}

/**
 * Femto-USD to a USD number. Goes through the exact decimal text (`<digits>e-15`), so the result
 * is the double nearest to the exact amount (one rounding, where `Number(f) / 1e15` can round
 * twice).
 */
export function femtoToUsd(femto: bigint): number {
  return femtoTextToUsd(femto.toString());
}

/** {@link femtoToUsd} of an amount already written as decimal integer text. */
export function femtoTextToUsd(femto: string): number {
  return Number(`${femto}e-15`);
}

/**
 * A USD number to femto-USD, rounding half up to the nearest femto. Exact for numbers that
 * {@link femtoToUsd} produced from amounts with at most 15 significant digits; best effort
 * (nearest femto) otherwise. Used only for costs that lost their exact value (e.g. read back
 * from report.json).
 */
export function usdToFemto(usd: number): bigint {
  const match = DECIMAL_TEXT.exec(String(usd));
  if (match === null || usd < 0) throw new Error(`Invalid USD amount ${usd}`);
  const digits = `${match[1] ?? ""}${match[2] ?? ""}`;
  // value = digits × 10^shift femto
  const shift = 15 + Number(match[3] ?? "0") - (match[2] ?? "").length;
  if (shift >= 0) return BigInt(digits) * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  return (BigInt(digits) + divisor / 2n) / divisor;
}

/** `numerator / divisor`, asserting that the division leaves no remainder (money stays exact). */
export function divideExact(numerator: bigint, divisor: bigint): bigint {
  if (numerator % divisor !== 0n) {
    throw new Error(`Inexact money arithmetic: ${numerator} / ${divisor} leaves a remainder`);
  }
  return numerator / divisor;
}

/** A non-negative scaled integer as plain decimal text, e.g. (1500n, 3) → "1.5". */
function formatScaled(value: bigint, scale: number): string {
  const sign = value < 0n ? "-" : "";
  const digits = (value < 0n ? -value : value).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, "");
  return fraction === "" ? `${sign}${whole}` : `${sign}${whole}.${fraction}`;
}
