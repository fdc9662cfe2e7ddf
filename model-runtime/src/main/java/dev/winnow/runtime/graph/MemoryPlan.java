package dev.winnow.runtime.graph;

import java.util.List;

/** Where each buffer lives in its arena bank, and how large each bank must be. Immutable. */
public final class MemoryPlan {
    private final List<BufferRequest> requests;
    private final int[] offsets;
    private final int floatBankElements;
    private final int byteBankElements;
    private final int longBankElements;

    MemoryPlan(List<BufferRequest> requests, int[] offsets, int floatBankElements, int byteBankElements, int longBankElements) {
        this.requests = List.copyOf(requests);
        this.offsets = offsets.clone();
        this.floatBankElements = floatBankElements;
        this.byteBankElements = byteBankElements;
        this.longBankElements = longBankElements;
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
        return floatBankElements;
    }

    public int byteBankElements() {
        return byteBankElements;
    }

    public int longBankElements() {
        return longBankElements;
    }

    /** Peak arena RAM: all banks. */
    public long arenaBytes() {
        return 4L * floatBankElements + byteBankElements + 8L * longBankElements;
    }

    /** What the same buffers would need if none shared memory; the planner's saving is the difference. */
    public long unplannedBytes() {
        long sum = 0;
        for (BufferRequest r : requests) sum += (long) r.elements() * r.bank().bytes();
        return sum;
    }

    public Arena newArena() {
        return new Arena(this);
    }
}
