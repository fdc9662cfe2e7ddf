package dev.winnow.flink.zone;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.types.Verdict;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class CountSmoothingTest {
    static KeyedOneInputStreamOperatorTestHarness<String, Verdict, Verdict> harness(int frames, OperatorSubtaskState restore) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new CountSmoothing(frames)), (Verdict v) -> v.cameraId, Types.STRING);
        if (restore != null) h.initializeState(restore);
        h.open();
        return h;
    }

    static List<Integer> feed(KeyedOneInputStreamOperatorTestHarness<String, Verdict, Verdict> h, String camera, int... counts) throws Exception {
        h.getOutput().clear();
        for (int i = 0; i < counts.length; i++) h.processElement(ZoneOccupancyTest.v(camera, i * 100L, counts[i]), i * 100L);
        return h.extractOutputValues().stream().map(v -> v.count).collect(Collectors.toList());
    }

    @Test
    void eachCameraCountsTheMedianOfItsOwnLastFrames() throws Exception {
        try (var h = harness(3, null)) {
            // a miss (2) and a double (12) in one frame each leave the count at 6
            assertEquals(List.of(6, 6, 6, 6, 6, 6), feed(h, "cam-a", 6, 6, 2, 6, 12, 6));
            // another camera starts its own window: its first frame is its own count
            assertEquals(List.of(1, 1, 1), feed(h, "cam-b", 1, 0, 1));
            // cam-a's window still holds its last frames (12, 6): a lasting drop to 1 shows from the second frame of it
            assertEquals(List.of(6, 1, 1), feed(h, "cam-a", 1, 1, 1));
        }
    }

    @Test
    void aRestoreContinuesWithTheCountsBeforeTheCheckpoint() throws Exception {
        OperatorSubtaskState snapshot;
        List<Integer> uninterrupted;
        try (var h = harness(5, null)) {
            feed(h, "cam-a", 3, 4, 8);
            snapshot = h.snapshot(1, 1);
            uninterrupted = feed(h, "cam-a", 8, 8, 1);
        }
        try (var h = harness(5, snapshot)) {
            assertEquals(uninterrupted, feed(h, "cam-a", 8, 8, 1));
        }
        // restarted with another window length: the old window is dropped, not misread
        try (var h = harness(1, snapshot)) {
            assertEquals(List.of(8, 8, 1), feed(h, "cam-a", 8, 8, 1));
        }
    }

    @Test
    void refusesAWindowItCannotHold() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CountSmoothing(0));
        assertTrue(e.getMessage().contains("1 to 255"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CountSmoothing(256));
    }
}
