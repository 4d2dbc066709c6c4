package dev.nonlinear;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nonlinear.kernel.Backend;
import org.junit.jupiter.api.Test;

/** Fails when the backend that ran is not the one the build asked for. */
class BackendTest {

  @Test
  void backendIsTheOneAskedFor() {
    String asked = System.getProperty("nonlinear.expect.backend", "");
    Backend backend = Backend.current();
    if (asked.isEmpty()) {
      assertEquals(Backend.Kind.VECTOR, backend.kind(), backend.toString());
    } else if (asked.equals("scalar")) {
      assertEquals(Backend.Kind.SCALAR, backend.kind(), backend.toString());
    } else {
      assertEquals(Integer.parseInt(asked), backend.vectorBitSize(), backend.toString());
    }
  }
}
