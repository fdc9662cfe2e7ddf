package dev.winnow.runtime.graph;

import java.util.List;

/** Where each buffer lives in its arena bank, and how large each bank must be. Immutable. */
public final class MemoryPlan {
    private final List<BufferRequest> requests;
    private final int[] offsets;
    private final int[] bankElements;
    private final int planes, planeFloats;
    private final long unplannedPlaneFloats;

    MemoryPlan(List<BufferRequest> requests, int[] offsets, int[] bankElements) {
        this(requests, offsets, bankElements, 0, 0, 0);
    }

    private MemoryPlan(List<BufferRequest> requests, int[] offsets, int[] bankElements, int planes, int planeFloats, long unplannedPlaneFloats) {
        this.requests = List.copyOf(requests);
        this.offsets = offsets.clone();
        this.bankElements = bankElements.clone();
        this.planes = planes;
        this.planeFloats = planeFloats;
        this.unplannedPlaneFloats = unplannedPlaneFloats;
    }

    /**
     * This plan with {@code planes} float planes of {@code planeFloats} each (the most any op asks for: ops run one
     * at a time, so they share them); {@code unplannedFloats} is what the ops' planes add up to.
     */
    MemoryPlan withPlanes(int planes, int planeFloats, long unplannedFloats) {
        return new MemoryPlan(requests, offsets, bankElements, planes, planeFloats, unplannedFloats);
    }

    /** How many float planes the arena holds ({@link Arena#planes}). */
    public int planes() {
        return planes;
    }

    /** The length of each float plane. */
    public int planeFloats() {
        return planeFloats;
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
        return sum + 4L * planes * planeFloats;
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
