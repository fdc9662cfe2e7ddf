package dev.winnow.runtime.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Lifetime-based greedy placement, the approach of TensorFlow Lite Micro's GreedyMemoryPlanner:
 * buffers are placed largest first, each at the lowest offset where it does not collide with an
 * already placed buffer whose lifetime overlaps its own. Buffers that are never live at the same
 * time share memory.
 */
public final class MemoryPlanner {
    /** Offsets are aligned to 16 bytes, which keeps vector loads of a tensor's start aligned. */
    static final int ALIGN_BYTES = 16;

    private MemoryPlanner() {}

    public static MemoryPlan plan(List<BufferRequest> requests) {
        int n = requests.size();
        int[] offsets = new int[n];
        int[] tops = new int[ElementType.values().length];
        for (ElementType bank : ElementType.values()) tops[bank.ordinal()] = placeBank(requests, bank, offsets);
        return new MemoryPlan(requests, offsets, tops);
    }

    private static int placeBank(List<BufferRequest> requests, ElementType bank, int[] offsets) {
        int align = Math.max(1, ALIGN_BYTES / bank.bytes());
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).bank() == bank) order.add(i);
        }
        order.sort(Comparator.<Integer>comparingInt(i -> requests.get(i).elements()).reversed()
                .thenComparingInt(i -> requests.get(i).firstOp())
                .thenComparingInt(i -> i));

        List<Integer> placed = new ArrayList<>();
        int top = 0;
        for (int i : order) {
            BufferRequest r = requests.get(i);
            int size = alignUp(r.elements(), align);
            List<Integer> live = new ArrayList<>();
            for (int p : placed) {
                if (requests.get(p).overlapsInTime(r)) live.add(p);
            }
            live.sort(Comparator.comparingInt(p -> offsets[p]));
            int candidate = 0;
            for (int p : live) {
                int pStart = offsets[p];
                int pEnd = pStart + alignUp(requests.get(p).elements(), align);
                if (candidate + size <= pStart) break;
                candidate = Math.max(candidate, pEnd);
            }
            offsets[i] = candidate;
            placed.add(i);
            top = Math.max(top, candidate + size);
        }
        return top;
    }

    private static int alignUp(int v, int align) {
        return (v + align - 1) / align * align;
    }
}
