/** The CSV reader behind `.csv` case files: values and the positions of their cells. */
import { describe, expect, test } from "vitest";
import { parseCsv } from "../../src/suite/parse-csv.js";

function cells(text: string): string[][] {
  const result = parseCsv(text);
  if (!result.ok) throw new Error(result.message);
  return result.rows.map((row) => row.cells.map((cell) => cell.value));
}

describe("parseCsv", () => {
  test.each([
    [
      "a,b\n1,2\n",
      [
        ["a", "b"],
        ["1", "2"],
      ],
    ],
    [
      "a,b\r\n1,2",
      [
        ["a", "b"],
        ["1", "2"],
      ],
    ],
    ["\uFEFFa\n1\n", [["a"], ["1"]]],
    ['a\n"x, ""y"""\n', [["a"], ['x, "y"']]],
    [
      'a,b\n"multi\nline",2\n',
      [
        ["a", "b"],
        ["multi\nline", "2"],
      ],
    ],
    [
      "a,b\n\n1,\n,\n",
      [
        ["a", "b"],
        ["1", ""],
      ],
    ],
    ["", []],
  ])("%j", (text, expected) => {
    expect(cells(text)).toEqual(expected);
  });

  test("cells keep their 1-based line and column, across quoted newlines", () => {
    const result = parseCsv('id,text\n"a\nb",c\nd,e\n');
    expect(result.ok && result.rows.map((r) => r.cells.map((c) => `${c.line}:${c.col}`))).toEqual([
      ["1:1", "1:4"],
      ["2:1", "3:4"],
      ["4:1", "4:3"],
    ]);
  });

  test.each([
    ['a\n"open\n', 2, 1, "unterminated quoted cell"],
    ['a\n"x"y\n', 2, 4, "unexpected text after a closing quote"],
  ])("%j is an error at %i:%i", (text, line, col, message) => {
    expect(parseCsv(text)).toEqual({ ok: false, line, col, message });
  });
});
