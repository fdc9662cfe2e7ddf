package dev.winnow.examples.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.flink.types.Frame;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A malformed line of a hand-count file is reported with its line number and skipped; the others still label frames. */
class FrameLabelsTest {
    @TempDir Path tmp;

    @Test
    void malformedLinesAreSkippedAndReported() throws Exception {
        Path csv = Files.writeString(tmp.resolve("labels.csv"), "# comment\ncamera,seq,count\nplaza,1,3\nplaza,two,4\nplaza,3\nplaza,4,-1\ngarden,5,0\n");
        FrameLabels l = FrameLabels.read(csv);
        assertEquals(2, l.size(), "the good lines");
        assertEquals(3, l.problems().size(), l.problems().toString());
        assertTrue(l.problems().get(0).startsWith("labels.csv line 4:"), l.problems().get(0));
        assertTrue(l.problems().get(1).startsWith("labels.csv line 5:"), l.problems().get(1));
        Frame f = new Frame();
        f.cameraId = "plaza";
        f.seq = 1;
        assertEquals(3, l.map(f).labelCount);
        f.seq = 2;
        f.labelCount = -1;
        assertEquals(-1, l.map(f).labelCount, "an unlabelled frame stays unknown");
    }
}
