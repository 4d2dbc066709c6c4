/** JMH benchmarks: each kernel beside its scalar twin and the anchor a user would pick instead. */
package dev.nonlinear.jmh;
