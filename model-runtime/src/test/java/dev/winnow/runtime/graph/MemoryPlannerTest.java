package dev.winnow.runtime.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MemoryPlannerTest {

    @Test
    void chainNeedsOnlyTheLargestAdjacentPair() {
        // x -> a -> b -> c -> y, each op reads the previous tensor and writes the next
        List<BufferRequest> reqs = List.of(
                new BufferRequest("x", ElementType.FLOAT32, 1000, 0, 0),
                new BufferRequest("a", ElementType.FLOAT32, 4000, 0, 1),
                new BufferRequest("b", ElementType.FLOAT32, 2000, 1, 2),
                new BufferRequest("c", ElementType.FLOAT32, 500, 2, 3),
                new BufferRequest("y", ElementType.FLOAT32, 100, 3, 3));
        MemoryPlan plan = MemoryPlanner.plan(reqs);
        assertNoConflicts(reqs, plan);
        // op 1 holds a and b at once: 6000 floats is the least any plan can do, and greedy finds it
        assertEquals(6000, plan.floatBankElements());
        assertEquals(0, plan.byteBankElements());
        assertEquals(4L * 6000, plan.arenaBytes());
        assertEquals(4L * 7600, plan.unplannedBytes());
    }

    /**
     * Float planes are shared by every op (each uses them only while it runs): plane k as long as the longest of the
     * ops that use more than k planes, counted in the peak; unplanned, each op's own.
     */
    @Test
    void planesAreSharedByTheOpsAndCounted() {
        List<BufferRequest> reqs = List.of(new BufferRequest("x", ElementType.FLOAT32, 100, 0, 1));
        // a stem (6 planes of 645), a conv (18 of 649), a depthwise (3 of 4,000), an op with none
        MemoryPlan plan = MemoryPlanner.plan(reqs).withPlanes(new int[] {6, 18, 3, 0}, new int[] {645, 649, 4000, 0});
        long planeFloats = 3L * 4000 + 15L * 649;
        assertEquals(4L * 100 + 4L * planeFloats, plan.arenaBytes());
        assertEquals(4L * 100 + 4L * (6L * 645 + 18L * 649 + 3L * 4000), plan.unplannedBytes());
        Arena a = plan.newArena();
        assertEquals(18, a.planes.length);
        assertEquals(4000, a.planes[2].length);
        assertEquals(649, a.planes[3].length);
        assertEquals(649, a.planes[17].length);
        assertTrue(a.planes[0] != a.planes[1], "each plane its own array");
        assertEquals(plan.arenaBytes(), a.bytes());
        assertEquals(0, MemoryPlanner.plan(reqs).newArena().planes.length);
    }

    @Test
    void banksArePlannedSeparately() {
        List<BufferRequest> reqs = List.of(
                new BufferRequest("in", ElementType.FLOAT32, 64, 0, 0),
                new BufferRequest("q", ElementType.INT8, 64, 0, 1),
                new BufferRequest("h", ElementType.INT8, 48, 1, 2),
                new BufferRequest("out", ElementType.FLOAT32, 10, 2, 2));
        MemoryPlan plan = MemoryPlanner.plan(reqs);
        assertNoConflicts(reqs, plan);
        assertEquals(64, plan.floatBankElements()); // in and out are never live together
        assertEquals(64 + 48, plan.byteBankElements());
    }

    @Test
    void randomGraphsNeverShareMemoryBetweenLiveBuffers() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 500; trial++) {
            int ops = 1 + rnd.nextInt(12);
            List<BufferRequest> reqs = new ArrayList<>();
            int n = 1 + rnd.nextInt(20);
            for (int i = 0; i < n; i++) {
                int a = rnd.nextInt(ops);
                int b = a + rnd.nextInt(ops - a);
                ElementType bank = rnd.nextBoolean() ? ElementType.FLOAT32 : ElementType.INT8;
                reqs.add(new BufferRequest("t" + i, bank, 1 + rnd.nextInt(3000), a, b));
            }
            MemoryPlan plan = MemoryPlanner.plan(reqs);
            assertNoConflicts(reqs, plan);
            for (ElementType bank : ElementType.values()) {
                long lowerBound = 0;
                for (int op = 0; op < ops; op++) {
                    long live = 0;
                    for (BufferRequest r : reqs) {
                        if (r.bank() == bank && r.firstOp() <= op && op <= r.lastOp()) live += r.elements();
                    }
                    lowerBound = Math.max(lowerBound, live);
                }
                int size = bank == ElementType.FLOAT32 ? plan.floatBankElements() : plan.byteBankElements();
                assertTrue(size >= lowerBound, "bank smaller than the live set");
            }
            assertTrue(plan.arenaBytes() <= plan.unplannedBytes() + 16L * reqs.size());
        }
    }

    static void assertNoConflicts(List<BufferRequest> reqs, MemoryPlan plan) {
        for (int i = 0; i < reqs.size(); i++) {
            BufferRequest a = reqs.get(i);
            int aEnd = plan.offset(i) + a.elements();
            int bankSize = a.bank() == ElementType.FLOAT32 ? plan.floatBankElements() : plan.byteBankElements();
            assertTrue(aEnd <= bankSize, a.name() + " runs past its bank");
            assertEquals(0, plan.offset(i) * a.bank().bytes() % MemoryPlanner.ALIGN_BYTES, a.name() + " misaligned");
            for (int j = i + 1; j < reqs.size(); j++) {
                BufferRequest b = reqs.get(j);
                if (a.bank() != b.bank() || !a.overlapsInTime(b)) continue;
                int bEnd = plan.offset(j) + b.elements();
                if (plan.offset(i) < bEnd && plan.offset(j) < aEnd) {
                    fail(a.name() + " and " + b.name() + " are live together but share memory");
                }
            }
        }
    }
}
