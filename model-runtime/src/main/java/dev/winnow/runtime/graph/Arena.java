package dev.winnow.runtime.graph;

/**
 * The one block of working memory an interpreter owns: every activation and scratch buffer of the
 * model lives here, at offsets the {@link MemoryPlan} fixed when the model was loaded.
 *
 * <p>Java cannot view one byte array as floats without going through a VarHandle or a ByteBuffer on
 * every access, which costs the float kernels their speed; so the arena has two banks, one for
 * float32 tensors and one for int8 tensors, each planned with the same lifetime-based greedy
 * planner. Peak RAM is the sum of both.
 */
public final class Arena {
    /** Float32 bank. Kernels index it directly. */
    public final float[] f;
    /** Int8 bank. Kernels index it directly. */
    public final byte[] b;

    Arena(MemoryPlan plan) {
        this.f = new float[plan.floatBankElements()];
        this.b = new byte[plan.byteBankElements()];
    }

    public long bytes() {
        return 4L * f.length + b.length;
    }
}
