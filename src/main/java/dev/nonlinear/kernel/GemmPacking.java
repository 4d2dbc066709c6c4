package dev.nonlinear.kernel;

import java.util.Arrays;

/**
 * Copies a block of op(A) or op(B) into the contiguous layout the micro-kernels read.
 *
 * <p>A block of op(A) becomes micro-panels of {@code mr} rows: panel {@code q} starts at
 * {@code q * mr * kc} and holds, for each {@code p} in [0, kc), the {@code mr} values of column
 * {@code p}. A block of op(B) becomes micro-panels of {@code nr} columns: panel {@code q} starts at
 * {@code q * nr * kc} and holds, for each {@code p}, the {@code nr} values of row {@code p}. The
 * last panel of a block that does not fill it is padded with zeros, so a micro-kernel always
 * reads whole panels and never past the caller's arrays; the padded lanes only feed outputs
 * that are never stored.
 */
final class GemmPacking {

  private GemmPacking() {}

  /**
   * Packs op(A)[rowStart, rowStart + rows) x [kStart, kStart + kc) into {@code packed}, where
   * op(A)(i, p) is {@code a[aOff + i * lda + p]}, or {@code a[aOff + p * lda + i]} if
   * {@code transA}.
   */
  static void packA(boolean transA, float[] a, int aOff, int lda, int rowStart, int rows,
      int kStart, int kc, int mr, float[] packed) {
    if (transA) {
      packRowsAcrossPanels(a, aOff + kStart * lda + rowStart, lda, rows, kc, mr, packed, 0);
      return;
    }
    for (int panelRow = 0; panelRow < rows; panelRow += mr) {
      int panelRows = Math.min(mr, rows - panelRow);
      packColumnsOfStored(a, aOff + (rowStart + panelRow) * lda + kStart, lda, panelRows, kc, mr,
          packed, panelRow * kc);
    }
  }

  /**
   * Packs op(B)[kStart, kStart + kc) x [colStart, colStart + cols) into {@code packed}, where
   * op(B)(p, j) is {@code b[bOff + p * ldb + j]}, or {@code b[bOff + j * ldb + p]} if
   * {@code transB}.
   */
  static void packB(boolean transB, float[] b, int bOff, int ldb, int kStart, int kc,
      int colStart, int cols, int nr, float[] packed) {
    packB(transB, b, bOff, ldb, kStart, kc, colStart, cols, nr, packed, 0);
  }

  /** As the overload above, writing from {@code packed[packedOff]} on. */
  static void packB(boolean transB, float[] b, int bOff, int ldb, int kStart, int kc,
      int colStart, int cols, int nr, float[] packed, int packedOff) {
    if (!transB) {
      packRowsAcrossPanels(b, bOff + kStart * ldb + colStart, ldb, cols, kc, nr, packed,
          packedOff);
      return;
    }
    for (int panelCol = 0; panelCol < cols; panelCol += nr) {
      int panelCols = Math.min(nr, cols - panelCol);
      packColumnsOfStored(b, bOff + (colStart + panelCol) * ldb + kStart, ldb, panelCols, kc,
          nr, packed, packedOff + panelCol * kc);
    }
  }

  /**
   * Packs {@code kc} stored rows of {@code cols} values, row {@code p} at
   * {@code src[start + p * ld]}, into micro-panels of {@code lanes} columns. Each stored row is
   * read once, front to back, and dealt out to the panels: walking one panel down all the rows
   * instead touched a new page on every row (rows are ld floats apart), and packing took about
   * twice as long at 1024 x 1024.
   */
  private static void packRowsAcrossPanels(float[] src, int start, int ld, int cols, int kc,
      int lanes, float[] packed, int packedOff) {
    int wholeCols = cols - cols % lanes;
    for (int p = 0; p < kc; p++) {
      int from = start + p * ld;
      for (int col = 0; col < wholeCols; col += lanes) {
        System.arraycopy(src, from + col, packed, packedOff + col * kc + p * lanes, lanes);
      }
      if (wholeCols < cols) {
        int to = packedOff + wholeCols * kc + p * lanes;
        System.arraycopy(src, from + wholeCols, packed, to, cols - wholeCols);
        Arrays.fill(packed, to + cols - wholeCols, to + lanes, 0f);
      }
    }
  }

  /**
   * The panel's {@code width} lanes are stored rows: lane {@code l} at step {@code p} is
   * {@code src[start + l * ld + p]}. Eight (then four) stored rows are read side by side, so
   * that each step writes that many adjacent values: one row at a time wrote a value to a new
   * cache line every time and took 2.5 times as long (a 1024 x 256 B^T, 245 against 95 us).
   */
  private static void packColumnsOfStored(float[] src, int start, int ld, int width, int kc,
      int lanes, float[] packed, int panel) {
    int lane = 0;
    for (; lane + 8 <= width; lane += 8) {
      packEightStoredRows(src, start + lane * ld, ld, kc, lanes, packed, panel + lane);
    }
    for (; lane + 4 <= width; lane += 4) {
      packFourStoredRows(src, start + lane * ld, ld, kc, lanes, packed, panel + lane);
    }
    for (; lane < width; lane++) {
      int from = start + lane * ld;
      for (int p = 0; p < kc; p++) {
        packed[panel + p * lanes + lane] = src[from + p];
      }
    }
    for (lane = width; lane < lanes; lane++) {
      for (int p = 0; p < kc; p++) {
        packed[panel + p * lanes + lane] = 0f;
      }
    }
  }

  private static void packEightStoredRows(float[] src, int row0, int ld, int kc, int lanes,
      float[] packed, int to) {
    int row1 = row0 + ld;
    int row2 = row1 + ld;
    int row3 = row2 + ld;
    int row4 = row3 + ld;
    int row5 = row4 + ld;
    int row6 = row5 + ld;
    int row7 = row6 + ld;
    for (int p = 0; p < kc; p++, to += lanes) {
      packed[to] = src[row0 + p];
      packed[to + 1] = src[row1 + p];
      packed[to + 2] = src[row2 + p];
      packed[to + 3] = src[row3 + p];
      packed[to + 4] = src[row4 + p];
      packed[to + 5] = src[row5 + p];
      packed[to + 6] = src[row6 + p];
      packed[to + 7] = src[row7 + p];
    }
  }

  private static void packFourStoredRows(float[] src, int row0, int ld, int kc, int lanes,
      float[] packed, int to) {
    int row1 = row0 + ld;
    int row2 = row1 + ld;
    int row3 = row2 + ld;
    for (int p = 0; p < kc; p++, to += lanes) {
      packed[to] = src[row0 + p];
      packed[to + 1] = src[row1 + p];
      packed[to + 2] = src[row2 + p];
      packed[to + 3] = src[row3 + p];
    }
  }

}
