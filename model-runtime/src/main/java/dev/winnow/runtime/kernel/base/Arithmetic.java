package dev.winnow.runtime.kernel.base;

/**
 * The element-wise binary operations: the kernel ({@code Broadcast}) plans over shapes and its
 * Vector API variant ({@code ElementwiseSimd}) runs contiguous runs, and both name the operation
 * with this type, which lives below them so neither package imports the other's.
 */
public enum Arithmetic { ADD, SUB, MUL }
