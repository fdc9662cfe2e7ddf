package dev.winnow.runtime.graph;

/**
 * One operator of a graph, ready to run. An op is created once per model when the artifact is
 * loaded (weights decoded, repacked and quantization multipliers computed there, never per call),
 * is shared by every interpreter of that model, and so keeps no per-call state of its own: it reads
 * and writes only the arena it is given, at the offsets bound after planning.
 */
public abstract class Op {
    private final String name;
    protected final TensorSpec[] inputs;
    protected final TensorSpec[] outputs;
    /** Offsets of the inputs and outputs in their banks, fixed by {@link #bind}. */
    protected final int[] in;
    protected final int[] out;
    /** Offsets of this op's float and byte scratch, or -1 when it asked for none. */
    protected int scratchF = -1;
    protected int scratchB = -1;
    protected int scratchL = -1;
    protected int scratchS = -1;
    protected int scratchI = -1;
    private boolean bound;

    protected Op(String name, TensorSpec[] inputs, TensorSpec[] outputs) {
        this.name = name;
        this.inputs = inputs.clone();
        this.outputs = outputs.clone();
        this.in = new int[inputs.length];
        this.out = new int[outputs.length];
    }

    /** The operator type as written in artifacts, e.g. {@code conv2d}. */
    public abstract String type();

    /** Multiply-accumulates of one invocation, for reports. */
    public abstract long macs();

    /** Number of weight elements this op holds, for reports. */
    public abstract long parameterCount();

    /**
     * Which kernel variant runs this op and how it was chosen (see {@code KernelDispatch}), for
     * reports; empty for ops with one kernel.
     */
    public String kernel() {
        return "";
    }

    /** Float elements of scratch needed during {@link #invoke}; live only while this op runs. */
    public int scratchFloats() {
        return 0;
    }

    /** Bytes of int8 scratch needed during {@link #invoke}. */
    public int scratchBytes() {
        return 0;
    }

    /** 64-bit words of bit-packed scratch needed during {@link #invoke}. */
    public int scratchLongs() {
        return 0;
    }

    /** Q15 shorts of scratch needed during {@link #invoke}. */
    public int scratchShorts() {
        return 0;
    }

    /** int32 scratch needed during {@link #invoke}. */
    public int scratchInts() {
        return 0;
    }

    /**
     * Float planes needed during {@link #invoke}, each an array of its own that starts at index 0 (see
     * {@link Arena#planes}); live only while this op runs, so every op shares the same planes.
     */
    public int scratchPlanes() {
        return 0;
    }

    /** The length of each of the {@link #scratchPlanes()}. */
    public int scratchPlaneFloats() {
        return 0;
    }

    /** Scratch in one bank, for the planner. */
    public final int scratch(ElementType bank) {
        switch (bank) {
            case FLOAT32: return scratchFloats();
            case INT8: return scratchBytes();
            case BITS64: return scratchLongs();
            case INT16: return scratchShorts();
            default: return scratchInts();
        }
    }

    /** Runs the op on the arena. Must not allocate. */
    public abstract void invoke(Arena arena);

    public final String name() {
        return name;
    }

    public final TensorSpec input(int i) {
        return inputs[i];
    }

    public final TensorSpec output(int i) {
        return outputs[i];
    }

    public final int inputCount() {
        return inputs.length;
    }

    public final int outputCount() {
        return outputs.length;
    }

    /** {@code scratch[bank.ordinal()]} is the op's scratch offset in that bank, or -1. */
    final void bind(int[] inOffsets, int[] outOffsets, int[] scratch) {
        if (bound) throw new IllegalStateException("op " + name + " is already bound to a plan");
        System.arraycopy(inOffsets, 0, in, 0, in.length);
        System.arraycopy(outOffsets, 0, out, 0, out.length);
        this.scratchF = scratch[ElementType.FLOAT32.ordinal()];
        this.scratchB = scratch[ElementType.INT8.ordinal()];
        this.scratchL = scratch[ElementType.BITS64.ordinal()];
        this.scratchS = scratch[ElementType.INT16.ordinal()];
        this.scratchI = scratch[ElementType.INT32.ordinal()];
        this.bound = true;
    }

    @Override
    public String toString() {
        return type() + " " + name;
    }
}
