package dev.nonlinear.nn;

/**
 * Scratch arrays a layer keeps from call to call, one per worker thread, grown on demand and
 * never shrunk, so steady-state training allocates nothing.
 */
final class Workspace {

  private float[][] perWorker = new float[0][];

  /** The array of worker {@code worker}, at least {@code size} long. */
  float[] get(int worker, int size) {
    if (worker >= perWorker.length) {
      perWorker = java.util.Arrays.copyOf(perWorker, worker + 1);
    }
    float[] array = perWorker[worker];
    if (array == null || array.length < size) {
      array = new float[size];
      perWorker[worker] = array;
    }
    return array;
  }

  /** Makes sure workers [0, workers) have arrays of {@code size}, before a parallel region. */
  void reserve(int workers, int size) {
    for (int worker = 0; worker < workers; worker++) {
      get(worker, size);
    }
  }
}
