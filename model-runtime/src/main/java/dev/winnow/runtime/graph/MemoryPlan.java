package dev.winnow.runtime.graph;

import java.util.List;

/** Where each buffer lives in its arena bank, and how large each bank must be. Immutable. */
public final class MemoryPlan {
    private final List<BufferRequest> requests;
    private final int[] offsets;
    private final int[] bankElements;
    private final int[] planeLengths;
    private final long unplannedPlaneFloats;

    MemoryPlan(List<BufferRequest> requests, int[] offsets, int[] bankElements) {
        this(requests, offsets, bankElements, new int[0], 0);
    }

    private MemoryPlan(List<BufferRequest> requests, int[] offsets, int[] bankElements, int[] planeLengths, long unplannedPlaneFloats) {
        this.requests = List.copyOf(requests);
        this.offsets = offsets.clone();
        this.bankElements = bankElements.clone();
        this.planeLengths = planeLengths.clone();
        this.unplannedPlaneFloats = unplannedPlaneFloats;
    }

    /**
     * This plan with float planes for ops that ask for {@code planes[i]} planes of {@code floats[i]} each: ops run one at
     * a time and share them, so plane k is as long as the longest of the ops that use more than k planes.
     */
    MemoryPlan withPlanes(int[] planes, int[] floats) {
        int count = 0;
        long unplanned = 0;
        for (int i = 0; i < planes.length; i++) {
            count = Math.max(count, planes[i]);
            unplanned += (long) planes[i] * floats[i];
        }
        int[] lengths = new int[count];
        for (int i = 0; i < planes.length; i++) {
            for (int k = 0; k < planes[i]; k++) lengths[k] = Math.max(lengths[k], floats[i]);
        }
        return new MemoryPlan(requests, offsets, bankElements, lengths, unplanned);
    }

    /** How many float planes the arena holds ({@link Arena#planes}). */
    public int planes() {
        return planeLengths.length;
    }

    /** The length of float plane {@code k}. */
    public int planeFloats(int k) {
        return planeLengths[k];
    }

    private long planeFloatsInAll() {
        long sum = 0;
        for (int n : planeLengths) sum += n;
        return sum;
    }

    /** Size of one bank, in its elements. */
    public int bankElements(ElementType bank) {
        return bankElements[bank.ordinal()];
    }

    /** Offset, in elements of its bank, of the i-th requested buffer. */
    public int offset(int i) {
        return offsets[i];
    }

    public int bufferCount() {
        return offsets.length;
    }

    public BufferRequest request(int i) {
        return requests.get(i);
    }

    public int floatBankElements() {
        return bankElements(ElementType.FLOAT32);
    }

    public int byteBankElements() {
        return bankElements(ElementType.INT8);
    }

    /** Peak arena RAM: all banks. */
    public long arenaBytes() {
        long sum = 0;
        for (ElementType t : ElementType.values()) sum += (long) bankElements[t.ordinal()] * t.bytes();
        return sum + 4L * planeFloatsInAll();
    }

    /** What the same buffers would need if none shared memory; the planner's saving is the difference. */
    public long unplannedBytes() {
        long sum = 0;
        for (BufferRequest r : requests) sum += (long) r.elements() * r.bank().bytes();
        return sum + 4L * unplannedPlaneFloats;
    }

    public Arena newArena() {
        return new Arena(this);
    }
}
