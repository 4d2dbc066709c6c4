package dev.nonlinear.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The threads the kernels and layers split work over. The count comes from the system property
 * {@code nonlinear.threads} (default: the available processors) and can be changed with
 * {@link #setThreads(int)}.
 *
 * <p>Work is split into independent tasks that each write their own part of the output, so a
 * result never depends on how many threads ran it or in which order the tasks finished.
 */
public final class Parallel {

  /** The system property that sets the thread count. */
  public static final String THREADS_PROPERTY = "nonlinear.threads";

  private static volatile int threads = initialThreads();
  private static volatile ForkJoinPool pool = newPool(threads);
  private static final ThreadLocal<Boolean> INSIDE_TASK = ThreadLocal.withInitial(() -> false);

  private Parallel() {}

  /** How many threads kernels may use, the calling thread included. */
  public static int threads() {
    return threads;
  }

  /**
   * Sets how many threads kernels may use, the calling thread included. Call it between runs,
   * not while kernels run: workspaces are sized by the count a call starts with.
   *
   * @throws IllegalArgumentException if {@code count} is not in [1, 1024]
   */
  public static synchronized void setThreads(int count) {
    if (count < 1 || count > 1024) {
      throw new IllegalArgumentException("threads = " + count + ": expected 1 to 1024");
    }
    if (count == threads) {
      return;
    }
    ForkJoinPool old = pool;
    pool = newPool(count);
    threads = count;
    if (old != null) {
      old.shutdown();
    }
  }

  /** A task that also learns which worker runs it, to pick that worker's workspace. */
  @FunctionalInterface
  public interface WorkerTask {
    /** Runs task {@code task} on worker {@code worker}, in [0, {@link #threads()}). */
    void run(int worker, int task);
  }

  /**
   * Runs {@code body} for every task index in [0, tasks), on up to {@link #threads()} threads,
   * the caller among them; returns when all have run. An exception in a task is rethrown here.
   * Called from inside a task, it runs inline on that thread: the outer split already keeps
   * every thread busy.
   */
  public static void forEach(int tasks, IntConsumer body) {
    forEach(tasks, (worker, task) -> body.accept(task));
  }

  /**
   * As {@link #forEach(int, IntConsumer)}, telling each task its worker index, so that tasks
   * running at the same time never share a workspace indexed by it.
   */
  public static void forEach(int tasks, WorkerTask body) {
    int workers = Math.min(threads, tasks);
    if (workers <= 1 || INSIDE_TASK.get()) {
      for (int task = 0; task < tasks; task++) {
        body.run(0, task);
      }
      return;
    }

    AtomicInteger next = new AtomicInteger();
    ForkJoinPool current = pool;
    ForkJoinTask<?>[] helpers = new ForkJoinTask<?>[workers - 1];
    for (int w = 0; w < helpers.length; w++) {
      int worker = w + 1;
      helpers[w] = current.submit(() -> drain(worker, next, tasks, body));
    }

    drain(0, next, tasks, body);
    for (ForkJoinTask<?> helper : helpers) {
      helper.join();
    }
  }

  private static void drain(int worker, AtomicInteger next, int tasks, WorkerTask body) {
    boolean outer = !INSIDE_TASK.get();
    INSIDE_TASK.set(true);
    try {
      for (int task = next.getAndIncrement(); task < tasks; task = next.getAndIncrement()) {
        body.run(worker, task);
      }
    } finally {
      if (outer) {
        INSIDE_TASK.set(false);
      }
    }
  }

  private static int initialThreads() {
    String value = System.getProperty(THREADS_PROPERTY);
    if (value == null || value.isBlank()) {
      return Runtime.getRuntime().availableProcessors();
    }
    try {
      int count = Integer.parseInt(value.trim());
      if (count >= 1 && count <= 1024) {
        return count;
      }
    } catch (NumberFormatException e) {
      // Reported below, as an out-of-range number is.
    }
    // Throwing here would leave the class, and every kernel, unusable: report and go on.
    int fallback = Runtime.getRuntime().availableProcessors();
    System.getLogger("dev.nonlinear").log(System.Logger.Level.WARNING, "nonlinear: ignoring "
        + "system property " + THREADS_PROPERTY + " = '" + value + "': expected a whole number "
        + "from 1 to 1024; using " + fallback + " threads");
    return fallback;
  }

  private static ForkJoinPool newPool(int count) {
    if (count <= 1) {
      return null;
    }
    return new ForkJoinPool(count - 1, pool -> {
      var thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
      thread.setDaemon(true);
      thread.setName("nonlinear-" + thread.getPoolIndex());
      return thread;
    }, null, false);
  }
}
