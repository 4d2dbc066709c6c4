package dev.nonlinear.kernel;

import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Which implementation the kernels run on: the Vector API ({@code jdk.incubator.vector}) at a
 * given bit width, or plain scalar Java.
 *
 * <p>The choice is made once, when a kernel is first used, and logged once through
 * {@link System.Logger} (logger {@code dev.nonlinear}). The system property
 * {@code nonlinear.backend} forces it: {@code auto} (the default), {@code scalar}, {@code 128},
 * {@code 256} or {@code 512}. Where the Vector API module is not readable, or on an
 * interpreter-only VM, the scalar backend runs and a warning says how to enable the vector one.
 * On the module path the library's {@code requires jdk.incubator.vector} makes the module
 * readable; on the class path the JVM needs {@code --add-modules jdk.incubator.vector}.
 */
public final class Backend {

  /** The two kinds of implementation. */
  public enum Kind {
    SCALAR,
    VECTOR
  }

  /** The system property that forces the backend. */
  public static final String BACKEND_PROPERTY = "nonlinear.backend";

  private static final String VECTOR_MODULE = "jdk.incubator.vector";

  private final Kind kind;
  private final int vectorBitSize;
  private final String reason;

  private Backend(Kind kind, int vectorBitSize, String reason) {
    this.kind = kind;
    this.vectorBitSize = vectorBitSize;
    this.reason = reason;
  }

  /** The backend this JVM runs on, chosen and logged on first use. */
  public static Backend current() {
    return Holder.CURRENT;
  }

  /** True when kernels run on the Vector API; a constant the JIT folds. */
  static boolean isVector() {
    return Holder.VECTOR;
  }

  /** Scalar or vector. */
  public Kind kind() {
    return kind;
  }

  /** The vector width in bits, or 0 on the scalar backend. */
  public int vectorBitSize() {
    return vectorBitSize;
  }

  /** Floats per vector, or 1 on the scalar backend. */
  public int floatLanes() {
    return kind == Kind.VECTOR ? vectorBitSize / Float.SIZE : 1;
  }

  /** Why this backend was chosen, in a few words (e.g. "forced by nonlinear.backend=scalar"). */
  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    String width = kind == Kind.VECTOR
        ? vectorBitSize + "-bit FloatVector (" + floatLanes() + " lanes)"
        : "scalar Java";
    return kind.name().toLowerCase(Locale.ROOT) + " backend, " + width + ", "
        + Parallel.threads() + " thread(s); " + reason;
  }

  /** Holder idiom: the JVM runs this once, thread-safely, on first use of a kernel. */
  private static final class Holder {
    static final Backend CURRENT = choose();
    static final boolean VECTOR = CURRENT.kind == Kind.VECTOR;

    static {
      System.getLogger("dev.nonlinear").log(Level.INFO, "nonlinear: " + CURRENT);
    }
  }

  private static Backend choose() {
    String forced = forcedChoice();
    if (forced.equals("scalar")) {
      return new Backend(Kind.SCALAR, 0, "forced by " + BACKEND_PROPERTY + "=scalar");
    }
    String missing = whyVectorUnavailable();
    if (missing != null) {
      warn("using the scalar backend: " + missing);
      return new Backend(Kind.SCALAR, 0, missing);
    }
    int preferred = VectorWidth.preferredBitSize();
    if (forced.equals("auto")) {
      if (preferred < 128) {
        String why = "the CPU offers " + preferred + "-bit vectors, fewer than 128";
        warn("using the scalar backend: " + why);
        return new Backend(Kind.SCALAR, 0, why);
      }
      return new Backend(Kind.VECTOR, preferred, "preferred shape of this CPU");
    }
    int bits = Integer.parseInt(forced);
    if (bits > preferred) {
      warn(bits + "-bit vectors are emulated on this CPU (" + preferred
          + " bits native): expect slow kernels");
    }
    return new Backend(Kind.VECTOR, bits, "forced by " + BACKEND_PROPERTY + "=" + bits);
  }

  /**
   * The value of {@link #BACKEND_PROPERTY}, lower case; an unknown value is reported and read as
   * {@code auto}, since throwing from class initialisation would leave every kernel unusable.
   */
  private static String forcedChoice() {
    String value = System.getProperty(BACKEND_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "auto", "scalar", "128", "256", "512" -> value;
      default -> {
        warn("ignoring system property " + BACKEND_PROPERTY + " = '" + value
            + "': expected auto, scalar, 128, 256 or 512; choosing automatically");
        yield "auto";
      }
    };
  }

  /** The reason the Vector API cannot be used here, or null when it can. */
  private static String whyVectorUnavailable() {
    var module = ModuleLayer.boot().findModule(VECTOR_MODULE);
    if (module.isEmpty() || !Backend.class.getModule().canRead(module.get())) {
      return "module " + VECTOR_MODULE + " is not readable; run java with --add-modules "
          + VECTOR_MODULE + " to enable the vector backend";
    }
    String vmInfo = System.getProperty("java.vm.info", "");
    if (vmInfo.contains("interpreted mode")) {
      return "the JVM runs interpreted (-Xint), where the Vector API is slower than scalar code;"
          + " drop -Xint to enable the vector backend";
    }
    return null;
  }

  private static void warn(String message) {
    System.getLogger("dev.nonlinear").log(Level.WARNING, "nonlinear: " + message);
  }
}
