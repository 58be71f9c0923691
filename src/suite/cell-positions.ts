/**
 * Where each cell of a CSV file starts, packed into one growing Int32Array (line and column
 * per cell), so that a million-row file keeps eight bytes per cell for its diagnostics instead
 * of an object per cell.
 */

import type { SourceLocation } from "../source/types.js";
import type { CsvRow } from "./parse-csv.js";

/** Cell positions of a file's rows, by row index and column. */
export class CellPositions {
  private data: Int32Array;
  private count = 0;
  private readonly stride: number;

  /** `width`: the number of columns (cells past it are not recorded). */
  constructor(width: number) {
    this.stride = Math.max(1, width) * 2;
    this.data = new Int32Array(this.stride * 1024);
  }

  /** Records a row's cells (missing ones at the row's start, as empty); returns its index. */
  add(row: CsvRow): number {
    if ((this.count + 1) * this.stride > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const base = this.count * this.stride;
    for (let column = 0; column < this.stride / 2; column++) {
      const cell = row.cells[column];
      this.data[base + column * 2] = cell?.line ?? row.line;
      // A negative column marks an empty cell (assertion columns skip those).
      const col = cell?.col ?? 1;
      this.data[base + column * 2 + 1] = cell === undefined || cell.value === "" ? -col : col;
    }
    return this.count++;
  }

  /** Where cell `column` of row `index` starts; a column of -1 is the row's start. */
  at(file: string, index: number, column: number): SourceLocation {
    const base = index * this.stride;
    if (column < 0) return { file, line: this.data[base] ?? 0, col: 1 };
    const offset = base + column * 2;
    return { file, line: this.data[offset] ?? 0, col: Math.abs(this.data[offset + 1] ?? 1) };
  }

  /** True when cell `column` of row `index` is empty or missing. */
  isEmpty(index: number, column: number): boolean {
    return (this.data[index * this.stride + column * 2 + 1] ?? -1) < 0;
  }
}
