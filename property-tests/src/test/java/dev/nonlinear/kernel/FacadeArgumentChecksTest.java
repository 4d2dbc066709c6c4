package dev.nonlinear.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every entry point of the Bias, Softmax, Pooling and Convolution facades, each argument spoiled
 * in turn from a valid call: each array null, one element short, its offset -1 or one past
 * the valid one; each size -1; a rows × cols pair whose product passes
 * {@link Integer#MAX_VALUE} and wraps, in int arithmetic, to exactly the valid product (so a
 * facade multiplying in int would accept it and then index out of bounds). Each must throw
 * NullPointerException or IllegalArgumentException naming the argument, and leave every output
 * array as it was. (Blas and Activations get the same treatment in GemmProperties,
 * ReluProperties and ActivationProperties.)
 */
class FacadeArgumentChecksTest {

  private static final float SENTINEL = 7.25f;
  private static final int INT_SENTINEL = 7;

  /** 3 × 4 = 12 = 4 × (2^32 + 12) / 4 modulo 2^32. */
  private static final int ROWS = 3;
  private static final int COLS = 4;
  private static final int WRAP_ROWS = 4;
  private static final int WRAP_COLS = (int) (((1L << 32) + ROWS * COLS) / WRAP_ROWS);

  private static final PoolGeometry POOL = new PoolGeometry(2, 4, 5, 2, 2, 2, 2, 0, 0, 1, 1,
      false);
  private static final AdaptivePoolGeometry ADAPTIVE = new AdaptivePoolGeometry(2, 4, 5, 3, 2);
  private static final ConvGeometry CONV = new ConvGeometry(2, 5, 6, 3, 3, 1, 1, 1, 1, 1, 1);

  /**
   * One entry point: its parameters' names in order (an array's offset follows it and is named
   * after it), which of them the call writes, which sizes must be >= 0, the rows × cols pair
   * whose product sizes its arrays (or none), and a valid argument list.
   */
  private record Entry(Class<?> facade, String method, List<String> names, Set<String> outputs,
      Set<String> nullable, List<String> sizes, String[] product,
      Function<Random, Object[]> valid) {

    Method reflected() {
      return Arrays.stream(facade.getMethods()).filter(m -> m.getName().equals(method))
          .findFirst().orElseThrow();
    }

    @Override
    public String toString() {
      return facade.getSimpleName() + "." + method;
    }
  }

  private static List<Entry> entries() {
    List<Entry> all = new ArrayList<>();
    String[] rowsCols = {"rows", "cols"};
    String[] channelsSpatial = {"channels", "spatial"};
    all.add(new Entry(Bias.class, "addToRows", names("y yOff rows cols bias biasOff"),
        Set.of("y"), Set.of(), List.of("rows", "cols"), rowsCols,
        r -> new Object[] {output(12), 0, ROWS, COLS, input(r, 4), 0}));
    all.add(new Entry(Bias.class, "addToChannels", names("y yOff channels spatial bias biasOff"),
        Set.of("y"), Set.of(), List.of("channels", "spatial"), channelsSpatial,
        r -> new Object[] {output(12), 0, ROWS, COLS, input(r, 3), 0}));
    all.add(new Entry(Bias.class, "accumulateRowSums",
        names("g gOff rows cols gradBias gradBiasOff"), Set.of("gradBias"), Set.of(),
        List.of("rows", "cols"), rowsCols,
        r -> new Object[] {input(r, 12), 0, ROWS, COLS, output(4), 0}));
    all.add(new Entry(Bias.class, "accumulateChannelSums",
        names("g gOff channels spatial gradBias gradBiasOff"), Set.of("gradBias"), Set.of(),
        List.of("channels", "spatial"), channelsSpatial,
        r -> new Object[] {input(r, 12), 0, ROWS, COLS, output(3), 0}));
    for (String method : List.of("softmax", "logSoftmax")) {
      all.add(new Entry(Softmax.class, method, names("x xOff y yOff rows cols"), Set.of("y"),
          Set.of(), List.of("rows", "cols"), rowsCols,
          r -> new Object[] {input(r, 12), 0, output(12), 0, ROWS, COLS}));
    }
    for (String method : List.of("softmaxBackward", "logSoftmaxBackward")) {
      all.add(new Entry(Softmax.class, method, names("y yOff gradY gyOff gradX gxOff rows cols"),
          Set.of("gradX"), Set.of(), List.of("rows", "cols"), rowsCols,
          r -> new Object[] {input(r, 12), 0, input(r, 12), 0, output(12), 0, ROWS, COLS}));
    }
    all.add(new Entry(Softmax.class, "crossEntropy",
        names("logits logitsOff rows cols targets targetsOff gradLogits gradOff"),
        Set.of("gradLogits"), Set.of("gradLogits"), List.of("rows", "cols"), rowsCols,
        r -> new Object[] {input(r, 12), 0, ROWS, COLS, new int[] {0, 3, 1}, 0, output(12), 0}));
    all.addAll(poolingEntries());
    all.add(new Entry(Convolution.class, "im2col", names("geometry image imageOff col colOff"),
        Set.of("col"), Set.of(), List.of(), null,
        r -> new Object[] {CONV, input(r, CONV.imageSize()), 0, output(CONV.colSize()), 0}));
    all.add(new Entry(Convolution.class, "col2im", names("geometry col colOff image imageOff"),
        Set.of("image"), Set.of(), List.of(), null,
        r -> new Object[] {CONV, input(r, CONV.colSize()), 0, output(CONV.imageSize()), 0}));
    return all;
  }

  private static List<Entry> poolingEntries() {
    int image = POOL.imageSize();
    int out = POOL.outputSize();
    return List.of(
        new Entry(Pooling.class, "maxPool2d",
            names("geometry image imageOff out outOff argmax argmaxOff"),
            Set.of("out", "argmax"), Set.of(), List.of(), null,
            r -> new Object[] {POOL, input(r, image), 0, output(out), 0, intOutput(out), 0}),
        new Entry(Pooling.class, "maxPool2dBackward",
            names("geometry gradOut gradOutOff argmax argmaxOff gradImage gradImageOff"),
            Set.of("gradImage"), Set.of(), List.of(), null,
            r -> new Object[] {POOL, input(r, out), 0, indices(r, out, 4 * 5), 0,
                output(image), 0}),
        new Entry(Pooling.class, "avgPool2d",
            names("geometry countIncludePad divisorOverride image imageOff out outOff"),
            Set.of("out"), Set.of(), List.of("divisorOverride"), null,
            r -> new Object[] {POOL, true, 0, input(r, image), 0, output(out), 0}),
        new Entry(Pooling.class, "avgPool2dBackward",
            names("geometry countIncludePad divisorOverride gradOut gradOutOff gradImage "
                + "gradImageOff"),
            Set.of("gradImage"), Set.of(), List.of("divisorOverride"), null,
            r -> new Object[] {POOL, false, 3, input(r, out), 0, output(image), 0}),
        new Entry(Pooling.class, "adaptiveAvgPool2d",
            names("geometry image imageOff out outOff"), Set.of("out"), Set.of(), List.of(),
            null, r -> new Object[] {ADAPTIVE, input(r, ADAPTIVE.imageSize()), 0,
                output(ADAPTIVE.outputSize()), 0}),
        new Entry(Pooling.class, "adaptiveAvgPool2dBackward",
            names("geometry gradOut gradOutOff gradImage gradImageOff"), Set.of("gradImage"),
            Set.of(), List.of(), null, r -> new Object[] {ADAPTIVE,
                input(r, ADAPTIVE.outputSize()), 0, output(ADAPTIVE.imageSize()), 0}));
  }

  @Test
  void validCallsRunAndWriteTheirOutputs() {
    for (Entry entry : entries()) {
      Object[] args = entry.valid().apply(new Random(1));
      Throwable thrown = invoke(entry, args);
      if (thrown != null) {
        throw new AssertionError(entry + ": the valid call threw " + thrown, thrown);
      }
      boolean wrote = false;
      for (String output : entry.outputs()) {
        wrote |= !untouched(args[entry.names().indexOf(output)]);
      }
      assertTrue(wrote, entry + " wrote none of its outputs: the checks below could not fail");
    }
  }

  @Test
  void nullArraysAreRefusedByName() {
    for (Entry entry : entries()) {
      for (int i = 0; i < entry.names().size(); i++) {
        String name = entry.names().get(i);
        Object[] args = entry.valid().apply(new Random(2));
        if (!(args[i] instanceof float[] || args[i] instanceof int[] || name.equals("geometry"))
            || entry.nullable().contains(name)) {
          continue;
        }
        args[i] = null;
        Throwable thrown = invoke(entry, args);
        String what = entry + " with " + name + " = null";
        if (!(thrown instanceof NullPointerException)) {
          throw new AssertionError(what + ": expected NullPointerException, got " + thrown,
              thrown);
        }
        assertEquals(name, thrown.getMessage(), what);
        assertOutputsUntouched(entry, args, what);
      }
    }
  }

  @Test
  void shortArraysAndBadOffsetsAreRefusedByName() {
    for (Entry entry : entries()) {
      for (int i = 0; i < entry.names().size(); i++) {
        String name = entry.names().get(i);
        if (!(entry.valid().apply(new Random(3))[i] instanceof float[]
            || entry.valid().apply(new Random(3))[i] instanceof int[])) {
          continue;
        }
        int array = i;
        expectArgument(entry, name + " one element short", name + ":",
            args -> args[array] = shorter(args[array]));
        expectArgument(entry, name + "'s offset -1", name + ":",
            args -> args[array + 1] = -1);
        expectArgument(entry, name + "'s offset past the valid one", name + ":",
            args -> args[array + 1] = 1);
      }
    }
  }

  @Test
  void negativeSizesAreRefusedByName() {
    for (Entry entry : entries()) {
      for (String size : entry.sizes()) {
        int at = entry.names().indexOf(size);
        expectArgument(entry, size + " = -1", size + " = -1", args -> args[at] = -1);
      }
    }
  }

  @Test
  void productsPastTheLargestArrayAreRefusedEvenWhenIntArithmeticWrapsToTheValidOne() {
    assertTrue((long) WRAP_ROWS * WRAP_COLS > Integer.MAX_VALUE);
    assertEquals(ROWS * COLS, WRAP_ROWS * WRAP_COLS, "the pair wraps to the valid product");
    for (Entry entry : entries()) {
      if (entry.product() == null) {
        continue;
      }
      int rows = entry.names().indexOf(entry.product()[0]);
      int cols = entry.names().indexOf(entry.product()[1]);
      expectArgument(entry, entry.product()[0] + " × " + entry.product()[1] + " = 2^32 + 12",
          null, args -> {
            args[rows] = WRAP_ROWS;
            args[cols] = WRAP_COLS;
          });
    }
  }

  /**
   * Spoils a valid call with {@code spoil} and requires an IllegalArgumentException whose
   * message starts with, or contains, {@code expected} (any argument's name when null), with
   * every output untouched.
   */
  private static void expectArgument(Entry entry, String what, String expected,
      Consumer<Object[]> spoil) {
    Object[] args = entry.valid().apply(new Random(4));
    spoil.accept(args);
    Throwable thrown = invoke(entry, args);
    String where = entry + " with " + what;
    if (!(thrown instanceof IllegalArgumentException)) {
      throw new AssertionError(where + ": expected IllegalArgumentException, got " + thrown,
          thrown);
    }
    String message = thrown.getMessage();
    if (expected == null) {
      assertTrue(entry.names().stream().anyMatch(message::startsWith),
          where + ": the message names no argument: " + message);
    } else {
      assertTrue(message.startsWith(expected) || message.contains(" " + expected),
          where + ": the message should name it: " + message);
    }
    assertOutputsUntouched(entry, args, where);
  }

  private static void assertOutputsUntouched(Entry entry, Object[] args, String where) {
    for (String output : entry.outputs()) {
      Object array = args[entry.names().indexOf(output)];
      if (array != null && !untouched(array)) {
        fail(where + ": wrote to " + output + " before failing");
      }
    }
  }

  /** The exception the call threw, or null. */
  private static Throwable invoke(Entry entry, Object[] args) {
    try {
      entry.reflected().invoke(null, args);
      return null;
    } catch (InvocationTargetException e) {
      return e.getCause();
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> names(String spaced) {
    return List.of(spaced.split(" "));
  }

  private static float[] input(Random random, int length) {
    float[] values = new float[length];
    for (int i = 0; i < length; i++) {
      values[i] = random.nextFloat() * 2 - 1;
    }
    return values;
  }

  private static float[] output(int length) {
    float[] values = new float[length];
    Arrays.fill(values, SENTINEL);
    return values;
  }

  private static int[] intOutput(int length) {
    int[] values = new int[length];
    Arrays.fill(values, INT_SENTINEL);
    return values;
  }

  private static int[] indices(Random random, int length, int bound) {
    int[] values = new int[length];
    for (int i = 0; i < length; i++) {
      values[i] = random.nextInt(bound);
    }
    return values;
  }

  private static boolean untouched(Object array) {
    if (array instanceof float[] floats) {
      for (float v : floats) {
        if (Float.floatToRawIntBits(v) != Float.floatToRawIntBits(SENTINEL)) {
          return false;
        }
      }
      return true;
    }
    for (int v : (int[]) array) {
      if (v != INT_SENTINEL) {
        return false;
      }
    }
    return true;
  }

  private static Object shorter(Object array) {
    if (array instanceof float[] floats) {
      return Arrays.copyOf(floats, floats.length - 1);
    }
    int[] ints = (int[]) array;
    return Arrays.copyOf(ints, ints.length - 1);
  }
}
