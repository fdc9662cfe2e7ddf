/**
 * What the kernels and their Vector API variants in {@code kernel.simd} share, below both so the
 * dependency runs one way ({@code kernel} → {@code kernel.simd} → {@code kernel.base}): scalar
 * approximations ({@link dev.winnow.runtime.kernel.base.FastMath}), convolution geometry and the
 * element-wise operation kinds.
 */
package dev.winnow.runtime.kernel.base;
