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
    for (int panelRow = 0; panelRow < rows; panelRow += mr) {
      int panelRows = Math.min(mr, rows - panelRow);
      int panel = panelRow * kc;
      int firstRow = rowStart + panelRow;
      if (transA) {
        packRowsOfTransposed(a, aOff + kStart * lda + firstRow, lda, panelRows, kc, mr, packed,
            panel);
      } else {
        packColumnsOfStored(a, aOff + firstRow * lda + kStart, lda, panelRows, kc, mr, packed,
            panel);
      }
    }
  }

  /**
   * Packs op(B)[kStart, kStart + kc) x [colStart, colStart + cols) into {@code packed}, where
   * op(B)(p, j) is {@code b[bOff + p * ldb + j]}, or {@code b[bOff + j * ldb + p]} if
   * {@code transB}.
   */
  static void packB(boolean transB, float[] b, int bOff, int ldb, int kStart, int kc,
      int colStart, int cols, int nr, float[] packed) {
    for (int panelCol = 0; panelCol < cols; panelCol += nr) {
      int panelCols = Math.min(nr, cols - panelCol);
      int panel = panelCol * kc;
      int firstCol = colStart + panelCol;
      if (transB) {
        packColumnsOfStored(b, bOff + firstCol * ldb + kStart, ldb, panelCols, kc, nr, packed,
            panel);
      } else {
        packRowsOfTransposed(b, bOff + kStart * ldb + firstCol, ldb, panelCols, kc, nr, packed,
            panel);
      }
    }
  }

  /**
   * The panel's {@code width} lanes lie along the stored rows: lane {@code l} at step {@code p}
   * is {@code src[start + p * ld + l]}. Each step copies one contiguous run.
   */
  private static void packRowsOfTransposed(float[] src, int start, int ld, int width, int kc,
      int lanes, float[] packed, int panel) {
    for (int p = 0; p < kc; p++) {
      int to = panel + p * lanes;
      System.arraycopy(src, start + p * ld, packed, to, width);
      if (width < lanes) {
        Arrays.fill(packed, to + width, to + lanes, 0f);
      }
    }
  }

  /**
   * The panel's {@code width} lanes are stored rows: lane {@code l} at step {@code p} is
   * {@code src[start + l * ld + p]}. Reads run along each stored row; writes stride by
   * {@code lanes}.
   */
  private static void packColumnsOfStored(float[] src, int start, int ld, int width, int kc,
      int lanes, float[] packed, int panel) {
    for (int lane = 0; lane < width; lane++) {
      int from = start + lane * ld;
      for (int p = 0; p < kc; p++) {
        packed[panel + p * lanes + lane] = src[from + p];
      }
    }
    for (int lane = width; lane < lanes; lane++) {
      for (int p = 0; p < kc; p++) {
        packed[panel + p * lanes + lane] = 0f;
      }
    }
  }
}
