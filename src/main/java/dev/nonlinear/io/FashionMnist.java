package dev.nonlinear.io;

import dev.nonlinear.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Fashion-MNIST (Zalando Research, MIT licence): 28×28 grey images of clothing in ten classes,
 * 60,000 for training and 10,000 for testing, as four gzip IDX files. Debian's
 * {@code dataset-fashion-mnist} package installs them in {@link #DEBIAN_DIR}.
 */
public final class FashionMnist {

  /** The class names, by label. */
  public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover",
      "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  /** Where Debian's package puts the files. */
  public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  /** The training images file. */
  public static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
  /** The training labels file. */
  public static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
  /** The test images file. */
  public static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
  /** The test labels file. */
  public static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";

  /** The four files, training images and labels then test images and labels. */
  public static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES,
      TEST_LABELS);

  private FashionMnist() {}

  /** True when {@code dir} holds all four files as regular files. */
  public static boolean isComplete(Path dir) {
    Objects.requireNonNull(dir, "dir");
    return FILES.stream().allMatch(name -> Files.isRegularFile(dir.resolve(name)));
  }

  /** The training set in {@code dir}. */
  public static Dataset train(Path dir) throws IOException {
    return read(dir, TRAIN_IMAGES, TRAIN_LABELS);
  }

  /** The test set in {@code dir}. */
  public static Dataset test(Path dir) throws IOException {
    return read(dir, TEST_IMAGES, TEST_LABELS);
  }

  /**
   * A set from two IDX streams (not closed here), e.g. resources; {@code source} names them in
   * error messages.
   */
  public static Dataset read(InputStream images, String imagesSource, InputStream labels,
      String labelsSource) throws IOException {
    return dataset(Idx.readImages(images, imagesSource), Idx.readLabels(labels, labelsSource),
        imagesSource);
  }

  private static Dataset read(Path dir, String imagesName, String labelsName)
      throws IOException {
    Objects.requireNonNull(dir, "dir");
    return dataset(Idx.readImages(dir.resolve(imagesName)),
        Idx.readLabels(dir.resolve(labelsName)), dir.resolve(imagesName).toString());
  }

  private static Dataset dataset(Tensor images, int[] labels,
      String source) throws FileFormatException {
    try {
      return new Dataset(images, labels, CLASSES);
    } catch (IllegalArgumentException e) {
      throw new FileFormatException(source, "not a Fashion-MNIST set: " + e.getMessage());
    }
  }
}
