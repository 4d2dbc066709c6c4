package dev.nonlinear.kernel;

import java.util.Arrays;

/**
 * The SGEMM loops shared by {@link ScalarGemm} and {@link VectorGemm}, which differ only in their
 * {@link GemmMicroKernel}. Four paths, chosen from the shape alone:
 * <ul>
 *   <li>tiny products (at most {@link #SMALL_WORK} multiply-adds): a plain triple loop;
 *   <li>vectors times a matrix read row by row, unpacked: C with at most
 *       {@link #VECTOR_ROWS_MAX} rows and op(B) = B (a batch of one through a layer), or an
 *       m x 1 C with op(A) = A^T;
 *   <li>A B^T with few rows or columns ({@link #DOT_MAX_SIDE}): dot products of contiguous rows,
 *       no packing;
 *   <li>everything else, packed: C is cut into panels of at most {@link #NC} columns (and into
 *       bands of rows when that leaves threads idle), one task each; a task walks K in steps of
 *       {@link #KC}, packs its op(B) block for the step once, then packs op(A) {@link #MC} rows
 *       at a time and sweeps the micro-kernel over each, all in its thread's buffers.
 * </ul>
 *
 * <p>Reproducibility: on the packed path an element of C is first scaled by beta, then gets the
 * sum over each K step in order of {@code p} (inside one micro-kernel accumulator), times alpha,
 * added to C step after step, in order (with beta = 0 the first step stores
 * {@code fma(alpha, sum, +0)}, which is that addition to a cleared C). None of that depends on
 * how C was cut into blocks or tiles, so the thread count, which only changes that cut, never
 * changes a bit of the result.
 * The other three paths compute each element whole in one task.
 */
final class GemmDriver {

  /*
   * Block sizes for this machine (L1d 32 KiB, L2 512 KiB per core, L3 32 MiB shared), with the
   * vector kernel's 6 x 16 tile in mind:
   * - KC = 256: the B micro-panel a tile sweeps, KC x 16 floats = 16 KiB, stays in half of L1d,
   *   with room for the A micro-panel (6 x 256 floats = 6 KiB) streaming past it.
   * - MC = 144: the packed A block, 144 x 256 floats = 144 KiB, stays in L2 (under a third of
   *   it) while every B micro-panel of the block is swept over it. A multiple of 12, so whole
   *   micro-panels of 6 (vector) and 4 (scalar) rows fit it.
   * - NC = 1024: the packed B block, 256 x 1024 floats = 1 MiB, lives in L3; it is a multiple of
   *   every NR (4 scalar, 8, 16 or 32 for 128, 256, 512 bits).
   */
  static final int KC = 256;
  static final int MC = 144;
  static final int NC = 1024;

  /** Largest tile any micro-kernel uses: 6 rows by 2 vectors of 16 lanes (512 bits). */
  static final int MAX_TILE = 6 * 32;

  /**
   * Below this many multiply-adds (50 µs of one core's work) a product runs on the calling
   * thread. Handing half of it to another thread costs its wake-up and the wait for the slower
   * half; on this 2-core machine under JMH that came to tens of microseconds, and with the
   * earlier 2^18 the 64³ and 127³ products ran 4 and 2 times slower on two threads than on one
   * (jmh/RESULTS.md).
   */
  static final long PARALLEL_MIN_WORK = 1L << 22;

  /**
   * Up to this many multiply-adds (e.g. 8 x 8 x 16) a plain triple loop beats packing, whose
   * fixed costs (a thread-local lookup, zero-padded panels, partial tiles) dominate there.
   */
  static final long SMALL_WORK = 1024;

  /**
   * A product A B^T with at most this many rows or columns runs as dot products of the rows of
   * A and B, both contiguous, without packing: packing costs about m k + n k copies, against
   * m n k multiply-adds, so it does not pay when m or n is small, while a 6 x 16 tile would be
   * mostly padding (a Linear layer's 64 x 10 output, a convolution's 32 x 9 weight gradient).
   */
  static final int DOT_MAX_SIDE = 16;

  /**
   * Columns per task of the vector-times-matrix path: its sums (2 KiB) stay in L1 while the
   * matrix streams past a stored row at a time, and a 1024-wide product still gives 2 threads
   * a task each. A multiple of every vector's lane count, so the scalar tail is always the same
   * last columns.
   */
  static final int VECTOR_CHUNK = 512;

  /**
   * Up to this many rows, op(A) B with B untransposed runs as rows times B, unpacked. One row
   * (a batch of one) is 3x faster than packing. With 9 or 10 rows (a convolution's input
   * gradient, 9 x 784 x 32; a Linear weight gradient, 10 x 6272 x 64) rows times B measured
   * 0.6x OpenBLAS, no better than the packed path, which pays for copying B: neither reaches
   * OpenBLAS there yet, and the packed path is kept for them.
   */
  static final int VECTOR_ROWS_MAX = 1;

  /** Each thread's packing buffers, reused by every call on that thread. */
  private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

  private GemmDriver() {}

  /** C = alpha op(A) op(B) + beta C, arguments as {@link Blas#sgemm} after its checks. */
  static void sgemm(GemmMicroKernel kernel, boolean transA, boolean transB, int m, int n, int k,
      float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
      float[] c, int cOff, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0 || alpha == 0f) {
      scale(beta, c, cOff, ldc, m, n);
      return;
    }

    if ((long) m * n * k <= SMALL_WORK) {
      multiplySmall(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff,
          ldc);
      return;
    }
    // A row of C (or a column) is a vector times a matrix: read the matrix a stored row at a
    // time instead of packing it, as the packed path would, into panels used only once.
    if (m <= VECTOR_ROWS_MAX && !transB) {
      multiplyVectorsByMatrix(kernel, m, k, alpha, a, aOff, transA ? 1 : lda, transA ? lda : 1,
          b, bOff, ldb, n, beta, c, cOff, ldc, 1);
      return;
    }
    if (n == 1 && transA) {
      multiplyVectorsByMatrix(kernel, 1, k, alpha, b, bOff, 0, transB ? 1 : ldb, a, aOff, lda,
          m, beta, c, cOff, 0, ldc);
      return;
    }
    // The dot path needs each row of op(A) and each column of op(B) contiguous: so are rows of
    // an untransposed A and of a transposed B, and a lone vector stored with stride 1.
    boolean aRowsContiguous = !transA || (m == 1 && lda == 1);
    boolean bColumnsContiguous = transB || (n == 1 && ldb == 1);
    if (aRowsContiguous && bColumnsContiguous && Math.min(m, n) <= DOT_MAX_SIDE) {
      multiplyByDots(kernel, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }

    int bandRows = bandRows(kernel, m, n, k);
    int blockCols = blockCols(kernel, m, n, k, bandRows);
    int bands = ceilDiv(m, bandRows);
    int colBlocks = ceilDiv(n, blockCols);
    if (bands * colBlocks == 1) {
      // One task runs here without a capturing lambda: JMH -prof gc saw one (about 88 bytes)
      // allocated per call otherwise.
      multiplyPanel(kernel, transA, transB, 0, m, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb,
          beta, c, cOff, ldc);
      return;
    }
    Parallel.forEach(bands * colBlocks, task -> {
      int rowStart = task / colBlocks * bandRows;
      int colStart = task % colBlocks * blockCols;
      multiplyPanel(kernel, transA, transB, rowStart, Math.min(bandRows, m - rowStart),
          colStart, Math.min(blockCols, n - colStart), k, alpha, a, aOff, lda, b, bOff, ldb,
          beta, c, cOff, ldc);
    });
  }

  /**
   * Adds a tile kept in {@code tile} (row stride nr) to the {@code rows x cols} window of C at
   * {@code cIndex}: {@code c += alpha acc}, one rounding (a fused multiply-add), as the vector
   * micro-kernel does for a full tile.
   */
  static void addPartialTile(float[] tile, int nr, int rows, int cols, float alpha, float[] c,
      int cIndex, int ldc) {
    for (int row = 0; row < rows; row++) {
      int from = row * nr;
      int to = cIndex + row * ldc;
      for (int col = 0; col < cols; col++) {
        c[to + col] = Math.fma(alpha, tile[from + col], c[to + col]);
      }
    }
  }

  /** As {@link #addPartialTile} on a cleared C: {@code c = fma(alpha, acc, +0)}, C not read. */
  static void storePartialTile(float[] tile, int nr, int rows, int cols, float alpha, float[] c,
      int cIndex, int ldc) {
    for (int row = 0; row < rows; row++) {
      int from = row * nr;
      int to = cIndex + row * ldc;
      for (int col = 0; col < cols; col++) {
        c[to + col] = Math.fma(alpha, tile[from + col], 0f);
      }
    }
  }

  /**
   * C = alpha A B^T + beta C as dot products of contiguous rows (row i of A at
   * {@code aOff + i lda}, row j of B at {@code bOff + j ldb}), split into bands of rows (or of
   * columns, when C is wider than tall) over the threads. Each dot is computed whole by one
   * task, so the split does not change a bit.
   */
  private static void multiplyByDots(GemmMicroKernel kernel, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c,
      int cOff, int ldc) {
    boolean byRows = m >= n;
    int side = byRows ? m : n;
    int bands = (long) m * n * k < PARALLEL_MIN_WORK ? 1 : Math.min(side, Parallel.threads());
    Parallel.forEach(bands, band -> {
      int start = (int) ((long) side * band / bands);
      int end = (int) ((long) side * (band + 1) / bands);
      int rowStart = byRows ? start : 0;
      int rows = byRows ? end - start : m;
      int colStart = byRows ? 0 : start;
      int cols = byRows ? n : end - start;
      scale(beta, c, cOff + rowStart * ldc + colStart, ldc, rows, cols);
      for (int row = rowStart; row < rowStart + rows; row++) {
        kernel.addDots(k, a, aOff + row * lda, b, bOff + colStart * ldb, ldb, cols, alpha, c,
            cOff + row * ldc + colStart);
      }
    });
  }

  /**
   * {@code out(i, j) = alpha sum_p x(i, p) mat(p, j) + beta out(i, j)} for i in [0, rows) and
   * j in [0, length), where x(i, p) is {@code x[xOff + i xRowStep + p xStride]}, mat(p, j) is
   * {@code mat[matOff + p ldm + j]} and out(i, j) is {@code c[cOff + i cRowStep + j cStride]}:
   * rows of op(A) times B, or A^T times one op(B) column. Columns are cut into chunks of
   * {@link #VECTOR_CHUNK}, one task each, whose slice of the matrix stays in L2 while every row
   * passes it; the cut does not depend on the thread count, so neither does any bit.
   */
  private static void multiplyVectorsByMatrix(GemmMicroKernel kernel, int rows, int k,
      float alpha, float[] x, int xOff, int xRowStep, int xStride, float[] mat, int matOff,
      int ldm, int length, float beta, float[] c, int cOff, int cRowStep, int cStride) {
    int chunks = ceilDiv(length, VECTOR_CHUNK);
    if ((long) rows * k * length < PARALLEL_MIN_WORK) {
      for (int chunk = 0; chunk < chunks; chunk++) {
        multiplyVectorChunk(kernel, chunk, rows, k, alpha, x, xOff, xRowStep, xStride, mat,
            matOff, ldm, length, beta, c, cOff, cRowStep, cStride);
      }
      return;
    }
    Parallel.forEach(chunks, chunk -> multiplyVectorChunk(kernel, chunk, rows, k, alpha, x, xOff,
        xRowStep, xStride, mat, matOff, ldm, length, beta, c, cOff, cRowStep, cStride));
  }

  private static void multiplyVectorChunk(GemmMicroKernel kernel, int chunk, int rows, int k,
      float alpha, float[] x, int xOff, int xRowStep, int xStride, float[] mat, int matOff,
      int ldm, int length, float beta, float[] c, int cOff, int cRowStep, int cStride) {
    int start = chunk * VECTOR_CHUNK;
    int cols = Math.min(VECTOR_CHUNK, length - start);
    float[] sums = WORKSPACE.get().rowSums;
    for (int row = 0; row < rows; row++) {
      kernel.sumScaledRows(k, x, xOff + row * xRowStep, xStride, mat, matOff + start, ldm, cols,
          sums);
      for (int j = 0; j < cols; j++) {
        int at = cOff + row * cRowStep + (start + j) * cStride;
        float old = beta == 0f ? 0f : beta == 1f ? c[at] : beta * c[at];
        c[at] = Math.fma(alpha, sums[j], old);
      }
    }
  }

  /**
   * C = alpha op(A) op(B) + beta C by the definition, one element at a time: each sum runs in
   * order of p, then C = fma(alpha, sum, beta C).
   */
  private static void multiplySmall(boolean transA, boolean transB, int m, int n, int k,
      float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
      float[] c, int cOff, int ldc) {
    scale(beta, c, cOff, ldc, m, n);
    int aRowStep = transA ? 1 : lda;
    int aDepthStep = transA ? lda : 1;
    int bDepthStep = transB ? 1 : ldb;
    int bColStep = transB ? ldb : 1;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float sum = 0f;
        int aAt = aOff + i * aRowStep;
        int bAt = bOff + j * bColStep;
        for (int p = 0; p < k; p++) {
          sum += a[aAt + p * aDepthStep] * b[bAt + p * bDepthStep];
        }
        int at = cOff + i * ldc + j;
        c[at] = Math.fma(alpha, sum, c[at]);
      }
    }
  }

  /** C = beta C over the m x n window; beta = 0 writes zeros whatever C held. */
  static void scale(float beta, float[] c, int cOff, int ldc, int m, int n) {
    if (beta == 1f) {
      return;
    }
    for (int row = 0; row < m; row++) {
      int start = cOff + row * ldc;
      if (beta == 0f) {
        Arrays.fill(c, start, start + n, 0f);
      } else {
        for (int col = 0; col < n; col++) {
          c[start + col] *= beta;
        }
      }
    }
  }

  /**
   * Rows per task: all of them, or a band of them when C has too few column blocks to keep
   * every thread busy and is taller than wide. Cutting differently changes no result (see the
   * class comment).
   */
  private static int bandRows(GemmMicroKernel kernel, int m, int n, int k) {
    int threads = Parallel.threads();
    int colBlocks = ceilDiv(n, NC);
    if (threads == 1 || colBlocks >= threads || m <= n || (long) m * n * k < PARALLEL_MIN_WORK) {
      return m;
    }
    int parts = ceilDiv(threads, colBlocks);
    return roundUp(ceilDiv(m, parts), kernel.mr());
  }

  /** Columns per task: NC, or fewer when the tasks would still be fewer than the threads. */
  private static int blockCols(GemmMicroKernel kernel, int m, int n, int k, int bandRows) {
    int threads = Parallel.threads();
    int bands = ceilDiv(m, bandRows);
    int tasks = bands * ceilDiv(n, NC);
    if (threads == 1 || tasks >= threads || (long) m * n * k < PARALLEL_MIN_WORK) {
      return NC;
    }
    int parts = ceilDiv(threads, bands);
    return Math.min(NC, roundUp(ceilDiv(n, parts), kernel.nr()));
  }

  /**
   * One task's panel of C, in the GotoBLAS order: for each K step, its block of op(B) is packed
   * once (it then lives in L3, its micro-panels passing through L1), and each block of MC rows
   * of op(A) is packed (into L2) and swept against every B micro-panel.
   */
  private static void multiplyPanel(GemmMicroKernel kernel, boolean transA, boolean transB,
      int rowStart, int rows, int colStart, int cols, int k, float alpha, float[] a, int aOff,
      int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    Workspace workspace = WORKSPACE.get();
    int mr = kernel.mr();
    int nr = kernel.nr();

    // beta is applied once, up front, so that the micro-kernel has a single way to add
    // (c += alpha acc): one store path per method keeps the vector kernel small enough for C2
    // to compile whole; with three (beta 0, 1, other) it stopped inlining Vector API calls and
    // boxed. beta = 0 skips the clearing: the first K step stores its tiles instead (a method
    // of its own), which spares a pass over C and the reading of C back.
    boolean overwrite = beta == 0f;
    if (!overwrite) {
      scale(beta, c, cOff + rowStart * ldc + colStart, ldc, rows, cols);
    }

    for (int kStart = 0; kStart < k; kStart += KC) {
      int kc = Math.min(KC, k - kStart);
      GemmPacking.packB(transB, b, bOff, ldb, kStart, kc, colStart, cols, nr, workspace.packedB);
      for (int blockRow = 0; blockRow < rows; blockRow += MC) {
        int blockRows = Math.min(MC, rows - blockRow);
        GemmPacking.packA(transA, a, aOff, lda, rowStart + blockRow, blockRows, kStart, kc, mr,
            workspace.packedA);
        sweep(kernel, kc, workspace.packedA, workspace.packedB, 0, workspace.tile, blockRows,
            cols, alpha, overwrite && kStart == 0, c,
            cOff + (rowStart + blockRow) * ldc + colStart, ldc);
      }
    }
  }

  /**
   * The micro-kernel over a packed block: B micro-panels outside, so each stays in L1 while
   * every A micro-panel of the block passes it.
   */
  private static void sweep(GemmMicroKernel kernel, int kc, float[] packedA, float[] packedB,
      int bBlock, float[] tile, int rows, int cols, float alpha, boolean store, float[] c,
      int cIndex, int ldc) {
    int mr = kernel.mr();
    int nr = kernel.nr();
    for (int col = 0; col < cols; col += nr) {
      int tileCols = Math.min(nr, cols - col);
      for (int row = 0; row < rows; row += mr) {
        kernel.multiply(kc, packedA, row * kc, packedB, bBlock + col * kc, tile);
        if (store) {
          kernel.storeTile(tile, Math.min(mr, rows - row), tileCols, alpha, c,
              cIndex + row * ldc + col, ldc);
        } else {
          kernel.addTile(tile, Math.min(mr, rows - row), tileCols, alpha, c,
              cIndex + row * ldc + col, ldc);
        }
      }
    }
  }

  /**
   * Floats that a whole k x n op(B) takes packed by {@link #packWholeB}: its KC blocks of rows
   * one after the other, each as micro-panels of nr columns across the width rounded up to nr.
   */
  static long packedBSize(int k, int n, int nr) {
    return (long) k * roundUp(n, nr);
  }

  /**
   * Packs all of op(B), k x n, into {@code packed}: the K block starting at row {@code kStart}
   * at {@code kStart * roundUp(n, nr)}, laid out as the packed path lays out a B block. Where
   * op(B)(p, j) is {@code b[bOff + p ldb + j]}, or {@code b[bOff + j ldb + p]} if transB.
   */
  static void packWholeB(boolean transB, float[] b, int bOff, int ldb, int k, int n, int nr,
      float[] packed) {
    int width = roundUp(n, nr);
    for (int kStart = 0; kStart < k; kStart += KC) {
      int kc = Math.min(KC, k - kStart);
      GemmPacking.packB(transB, b, bOff, ldb, kStart, kc, 0, n, nr, packed, kStart * width);
    }
  }

  /**
   * C = alpha op(A) B + beta C with B packed beforehand by {@link #packWholeB}: the packed path
   * without its B packing, for a B that meets many A's. Columns are cut at micro-panel
   * boundaries into one task per thread; each task scales its columns by beta and adds the
   * sum over each K step in order, exactly as the packed path of {@link #sgemm} does, so the
   * result is the same bit for bit as that path's, on any thread count.
   *
   * <p>{@code narrow}, when not null, is a kernel of the same nr and fewer rows that takes the
   * last rows when {@code kernel}'s tiles would leave a mostly empty one (see
   * {@link #narrowRows}); the tile shape changes no sum, so no bit either.
   */
  static void sgemmPackedB(GemmMicroKernel kernel, GemmMicroKernel narrow, boolean transA, int m,
      int n, int k, float alpha, float[] a, int aOff, int lda, float[] packedB, float beta,
      float[] c, int cOff, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0 || alpha == 0f) {
      scale(beta, c, cOff, ldc, m, n);
      return;
    }
    int nr = kernel.nr();
    int panels = ceilDiv(n, nr);
    int tasks = (long) m * n * k < PARALLEL_MIN_WORK ? 1 : Math.min(Parallel.threads(), panels);
    if (tasks == 1) {
      multiplyPackedColumns(kernel, narrow, transA, m, 0, n, n, k, alpha, a, aOff, lda, packedB,
          beta, c, cOff, ldc);
      return;
    }
    Parallel.forEach(tasks, task -> {
      int first = (int) ((long) panels * task / tasks) * nr;
      int end = Math.min(n, (int) ((long) panels * (task + 1) / tasks) * nr);
      multiplyPackedColumns(kernel, narrow, transA, m, first, end - first, n, k, alpha, a, aOff,
          lda, packedB, beta, c, cOff, ldc);
    });
  }

  /**
   * How many of m rows the narrow kernel (nr of {@code narrowMr} rows) should take, the rest
   * going to the main kernel's tiles of {@code mr}: when m leaves a remainder of 1 to
   * {@code narrowMr} rows, a main tile would be mostly padding, while narrow tiles cover the
   * remainder (plus one main tile when the remainder is small) with little or none. With
   * 6 and 4: 32 rows are 4 tiles of 6 and 2 of 4, not 6 tiles of 6 (36 rows' work).
   */
  static int narrowRows(int m, int mr, int narrowMr) {
    int remainder = m % mr;
    if (remainder == 0 || remainder > narrowMr) {
      return 0;
    }
    if (remainder <= mr - narrowMr && m >= mr + remainder) {
      return mr + remainder;
    }
    return remainder;
  }

  /** Columns [colStart, colStart + cols) of C for {@link #sgemmPackedB}. */
  private static void multiplyPackedColumns(GemmMicroKernel kernel, GemmMicroKernel narrow,
      boolean transA, int m, int colStart, int cols, int n, int k, float alpha, float[] a,
      int aOff, int lda, float[] packedB, float beta, float[] c, int cOff, int ldc) {
    Workspace workspace = WORKSPACE.get();
    int width = roundUp(n, kernel.nr());
    int tail = narrow == null ? 0 : narrowRows(m, kernel.mr(), narrow.mr());
    int head = m - tail;
    boolean overwrite = beta == 0f;
    if (!overwrite) {
      scale(beta, c, cOff + colStart, ldc, m, cols);
    }
    for (int kStart = 0; kStart < k; kStart += KC) {
      int kc = Math.min(KC, k - kStart);
      int bBlock = kStart * width + colStart * kc;
      boolean store = overwrite && kStart == 0;
      for (int blockRow = 0; blockRow < head; blockRow += MC) {
        int blockRows = Math.min(MC, head - blockRow);
        GemmPacking.packA(transA, a, aOff, lda, blockRow, blockRows, kStart, kc, kernel.mr(),
            workspace.packedA);
        sweep(kernel, kc, workspace.packedA, packedB, bBlock, workspace.tile, blockRows, cols,
            alpha, store, c, cOff + blockRow * ldc + colStart, ldc);
      }
      if (tail > 0) {
        GemmPacking.packA(transA, a, aOff, lda, head, tail, kStart, kc, narrow.mr(),
            workspace.packedA);
        sweep(narrow, kc, workspace.packedA, packedB, bBlock, workspace.tile, tail, cols, alpha,
            store, c, cOff + head * ldc + colStart, ldc);
      }
    }
  }

  private static int ceilDiv(int x, int y) {
    return Math.ceilDiv(x, y);
  }

  private static int roundUp(int x, int multiple) {
    return Math.ceilDiv(x, multiple) * multiple;
  }

  /** Packing buffers sized for the largest block, a tile and the vector path's sums. */
  private static final class Workspace {
    final float[] packedA = new float[MC * KC];
    final float[] packedB = new float[KC * NC];
    final float[] tile = new float[MAX_TILE];
    final float[] rowSums = new float[VECTOR_CHUNK];
  }
}
