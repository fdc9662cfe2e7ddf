/**
 * Inference kernels, one file per operator in the manner of TensorFlow Lite Micro's kernels.
 *
 * <p>Conventions: activations are HWC (batch 1, channel fastest); conv2d filters are OHWI
 * {@code [outC][kH][kW][inC]}; depthwise filters are {@code [kH][kW][inC*multiplier]}; dense weights
 * are {@code [out][in]}. Each operator has a {@code Float32} and an {@code Int8} form, built once from
 * the weights (which it repacks into the layout its inner loop wants, and for which it computes the
 * fixed-point requantization multipliers) and then run any number of times over arrays and offsets
 * that the caller's arena plan fixes. Running allocates nothing.
 *
 * <p>int8 follows TensorFlow Lite: weights symmetric per output channel, activations asymmetric per
 * tensor, int32 bias and accumulators, requantization with {@link dev.winnow.runtime.quant.FixedPoint}.
 *
 * <p>The float conv, depthwise and dense kernels have a second implementation on the Vector API in
 * {@code kernel.simd}, chosen by {@link dev.winnow.runtime.kernel.VectorSupport} when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} on JDK 21 or later; Bonsai's float and int8 path step
 * ({@code BonsaiSimd}) whenever the module is present, JDK 17 included, since its accumulators are
 * a fixed handful of registers that JDK 17's C2 does not box.
 */
package dev.winnow.runtime.kernel;
