package dev.nonlinear.tensor;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

/**
 * A contiguous row-major float tensor: a {@code float[]} and a shape (NCHW for images). Reshaping
 * shares the array; nothing here copies unless its name says so.
 */
public final class Tensor {

  private final float[] data;
  private final int[] shape;

  private Tensor(float[] data, int[] shape) {
    this.data = data;
    this.shape = shape;
  }

  /** A zero-filled tensor of the given shape. */
  public static Tensor zeros(int... shape) {
    int[] checked = checkedShape(shape);
    return new Tensor(new float[(int) sizeOf(checked)], checked);
  }

  /**
   * A tensor over {@code data} (not copied) with the given shape.
   *
   * @throws IllegalArgumentException if the shape's size is not {@code data.length}
   */
  public static Tensor of(float[] data, int... shape) {
    Objects.requireNonNull(data, "data");
    int[] checked = checkedShape(shape);
    long size = sizeOf(checked);
    if (size != data.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size
          + " elements but data has " + data.length);
    }
    return new Tensor(data, checked);
  }

  /** The backing array, shared: writes to it change this tensor. */
  public float[] data() {
    return data;
  }

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }

  /** The size of dimension {@code dim}; negative counts from the end, as in PyTorch. */
  public int size(int dim) {
    int d = dim < 0 ? shape.length + dim : dim;
    if (d < 0 || d >= shape.length) {
      throw new IllegalArgumentException("dim = " + dim + ": expected -" + shape.length + " to "
          + (shape.length - 1) + " for shape " + Arrays.toString(shape));
    }
    return shape[d];
  }

  /** The number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** The number of elements. */
  public int numel() {
    return data.length;
  }

  /** The same array seen with another shape of the same size; one dimension may be -1. */
  public Tensor reshape(int... newShape) {
    int[] resolved = newShape.clone();
    int inferred = -1;
    long known = 1;
    for (int d = 0; d < resolved.length; d++) {
      if (resolved[d] == -1 && inferred < 0) {
        inferred = d;
      } else if (resolved[d] < 0) {
        throw new IllegalArgumentException("reshape " + Arrays.toString(newShape)
            + ": sizes must be >= 0, with at most one -1");
      } else {
        // Capped at 2^31 (more than any array holds), so the product never overflows a long.
        known = Math.min(known * resolved[d], 1L << 31);
      }
    }
    if (inferred >= 0) {
      if (known == 0 || data.length % known != 0) {
        throw new IllegalArgumentException("reshape " + Arrays.toString(shape) + " to "
            + Arrays.toString(newShape) + ": " + data.length + " elements do not divide");
      }
      resolved[inferred] = (int) (data.length / known);
    }
    return of(data, resolved);
  }

  /** A tensor with its own copy of the data. */
  public Tensor copy() {
    return new Tensor(data.clone(), shape.clone());
  }

  /** The element at a full index. */
  public float get(int... index) {
    return data[flatIndex(index)];
  }

  /** Sets the element at a full index. */
  public void set(float value, int... index) {
    data[flatIndex(index)] = value;
  }

  /** Sets every element to {@code value}. */
  public void fill(float value) {
    Arrays.fill(data, value);
  }

  /** True when {@code other} has exactly this shape. */
  public boolean hasShape(int... other) {
    return Arrays.equals(shape, other);
  }

  /** The shape as PyTorch prints it, e.g. {@code [64, 32, 28, 28]}. */
  public String shapeString() {
    return Arrays.toString(shape);
  }

  @Override
  public String toString() {
    int shown = Math.min(data.length, 8);
    StringBuilder text = new StringBuilder("Tensor").append(shapeString()).append(" [");
    for (int i = 0; i < shown; i++) {
      text.append(i == 0 ? "" : ", ").append(data[i]);
    }
    return text.append(data.length > shown ? ", ...]" : "]").toString();
  }

  private int flatIndex(int[] index) {
    if (index.length != shape.length) {
      throw new IllegalArgumentException("index " + Arrays.toString(index) + " has "
          + index.length + " dimensions; shape " + shapeString() + " has " + shape.length);
    }
    int flat = 0;
    for (int d = 0; d < shape.length; d++) {
      if (index[d] < 0 || index[d] >= shape[d]) {
        throw new IndexOutOfBoundsException("index " + Arrays.toString(index)
            + " out of bounds for shape " + shapeString());
      }
      flat = flat * shape[d] + index[d];
    }
    return flat;
  }

  private static int[] checkedShape(int[] shape) {
    Objects.requireNonNull(shape, "shape");
    for (int size : shape) {
      if (size < 0) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape)
            + ": sizes must be >= 0");
      }
    }
    if (sizeOf(shape) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds "
          + exactSize(shape) + " elements, more than a Java array can (" + Integer.MAX_VALUE
          + ")");
    }
    return shape.clone();
  }

  /** The element count, or any value above {@link Integer#MAX_VALUE} when it is that large. */
  private static long sizeOf(int[] shape) {
    for (int s : shape) {
      if (s == 0) {
        return 0;
      }
    }
    long size = 1;
    for (int s : shape) {
      size *= s;
      if (size > Integer.MAX_VALUE) {
        return size;
      }
    }
    return size;
  }

  /** The exact element count, for messages. */
  private static BigInteger exactSize(int[] shape) {
    BigInteger size = BigInteger.ONE;
    for (int s : shape) {
      size = size.multiply(BigInteger.valueOf(s));
    }
    return size;
  }
}
