package dev.winnow.runtime.graph;

/**
 * The one block of working memory an interpreter owns: every activation and scratch buffer of the
 * model lives here, at offsets the {@link MemoryPlan} fixed when the model was loaded.
 *
 * <p>Java cannot view one byte array as floats without going through a VarHandle or a ByteBuffer on
 * every access, which costs the float kernels their speed; so the arena has typed banks, one for
 * float32 tensors, one for int8 tensors and one of 64-bit words for bit-packed signs, each planned with the same lifetime-based greedy
 * planner. Peak RAM is the sum of the banks.
 */
public final class Arena {
    /** Float32 bank. Kernels index it directly. */
    public final float[] f;
    /** Int8 bank. Kernels index it directly. */
    public final byte[] b;
    /** Bit-packed bank for the XNOR kernels' binarized inputs. */
    public final long[] l;

    Arena(MemoryPlan plan) {
        this.f = new float[plan.floatBankElements()];
        this.b = new byte[plan.byteBankElements()];
        this.l = new long[plan.longBankElements()];
    }

    public long bytes() {
        return 4L * f.length + b.length + 8L * l.length;
    }
}
