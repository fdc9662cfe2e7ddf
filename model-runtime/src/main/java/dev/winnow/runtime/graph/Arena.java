package dev.winnow.runtime.graph;

/**
 * The one block of working memory an interpreter owns: every activation and scratch buffer of the
 * model lives here, at offsets the {@link MemoryPlan} fixed when the model was loaded.
 *
 * <p>Java cannot view one byte array as floats without going through a VarHandle or a ByteBuffer on
 * every access, which costs the float kernels their speed; so the arena has typed banks — float32 and
 * int8 for tensors, and 64-bit words, Q15 shorts and int32 for kernel scratch — each planned with the same lifetime-based greedy
 * planner. Peak RAM is the sum of the banks.
 */
public final class Arena {
    /** Float32 bank. Kernels index it directly. */
    public final float[] f;
    /** Int8 bank. Kernels index it directly. */
    public final byte[] b;
    /** Bit-packed bank for the XNOR kernels' binarized inputs. */
    public final long[] l;
    /** Q15 bank for the 16-bit fixed-point kernels. */
    public final short[] s;
    /** int32 bank for fixed-point accumulators. */
    public final int[] i;
    /**
     * Float planes, each its own array from index 0, for kernels that rely on C2's auto-vectorizer: on JDK
     * 17 it vectorizes {@code o[i] += w * x[i]} but not the same loop at offsets into one bank, which could
     * overlap. Shared by every op (each uses them only while it runs): plane k is as long as the longest of
     * the ops that use more than k planes.
     */
    public final float[][] planes;

    Arena(MemoryPlan plan) {
        this.f = new float[plan.bankElements(ElementType.FLOAT32)];
        this.b = new byte[plan.bankElements(ElementType.INT8)];
        this.l = new long[plan.bankElements(ElementType.BITS64)];
        this.s = new short[plan.bankElements(ElementType.INT16)];
        this.i = new int[plan.bankElements(ElementType.INT32)];
        this.planes = new float[plan.planes()][];
        for (int k = 0; k < planes.length; k++) planes[k] = new float[plan.planeFloats(k)];
    }

    public long bytes() {
        long planeBytes = 0;
        for (float[] p : planes) planeBytes += 4L * p.length;
        return 4L * f.length + b.length + 8L * l.length + 2L * s.length + 4L * i.length + planeBytes;
    }
}
