/**
 * nonlinear: SIMD kernels for neural networks on the Java Vector API, tensors, a layer API and
 * file formats.
 *
 * <p>The four packages below are the API: their public types. The scalar and vector kernel
 * implementations are package-private inside {@code dev.nonlinear.kernel}, so neither the module
 * path nor the class path shows them.
 *
 * <p>On the module path, {@code requires jdk.incubator.vector} resolves the Vector API with the
 * library, so the vector backend runs without {@code --add-modules}. On the class path this
 * descriptor is ignored: the JVM needs {@code --add-modules jdk.incubator.vector}, and without
 * it the kernels fall back to scalar code with one warning that says so.
 */
module dev.nonlinear {
  requires jdk.incubator.vector;

  // For dev.nonlinear.io.Images (javax.imageio), which reads and writes pictures.
  requires java.desktop;

  exports dev.nonlinear.kernel;
  exports dev.nonlinear.tensor;
  exports dev.nonlinear.nn;
  exports dev.nonlinear.io;
}
