package dev.nonlinear.io;

import dev.nonlinear.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Labelled images held in memory: {@code images} is {@code [N, C, H, W]}, {@code labels} holds N
 * class indices into {@code classNames}.
 *
 * @param images the images, one per label
 * @param labels the class index of each image
 * @param classNames the names of the classes, by index
 */
public record Dataset(Tensor images, int[] labels, List<String> classNames) {

  /**
   * Checks that there is one label per image and that each names a class.
   *
   * @throws IllegalArgumentException otherwise, naming the first offending label
   */
  public Dataset {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(labels, "labels");
    classNames = List.copyOf(classNames);
    if (images.rank() != 4 || images.size(0) != labels.length) {
      throw new IllegalArgumentException("images " + images.shapeString() + " and "
          + labels.length + " labels: expected [N, C, H, W] images with N = " + labels.length);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classNames.size()) {
        throw new IllegalArgumentException("label " + i + " is " + labels[i] + ": expected 0 to "
            + (classNames.size() - 1));
      }
    }
  }

  /** The number of images. */
  public int size() {
    return labels.length;
  }

  /** Values per image, {@code C·H·W}. */
  public int imageSize() {
    return images.numel() / Math.max(1, labels.length);
  }

  /** The first {@code count} images and labels (copies), e.g. to train on a subset. */
  public Dataset first(int count) {
    if (count < 0 || count > size()) {
      throw new IllegalArgumentException("count = " + count + ": expected 0 to " + size());
    }
    int[] shape = images.shape();
    shape[0] = count;
    float[] pixels = Arrays.copyOf(images.data(), count * imageSize());
    return new Dataset(Tensor.of(pixels, shape), Arrays.copyOf(labels, count), classNames);
  }

  /**
   * Copies the images and labels at {@code order[from .. from + count)} into a batch:
   * {@code batchImages} receives {@code count · imageSize()} values, {@code batchLabels} count
   * labels. The arrays are the caller's, reused from batch to batch.
   */
  public void gather(int[] order, int from, int count, float[] batchImages, int[] batchLabels) {
    int stride = imageSize();
    float[] pixels = images.data();
    for (int i = 0; i < count; i++) {
      int index = order[from + i];
      System.arraycopy(pixels, index * stride, batchImages, i * stride, stride);
      batchLabels[i] = labels[index];
    }
  }
}
