package dev.nonlinear.cli;

/** Placeholder entry point until the command line lands. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println(dev.nonlinear.kernel.Backend.current());
  }
}
