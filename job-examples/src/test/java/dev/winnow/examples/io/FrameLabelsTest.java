package dev.winnow.examples.io;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameLabelsTest {
    @TempDir Path dir;

    @Test
    void malformedLinesAreSkippedCountedAndNamedByLine() throws Exception {
        Path csv = dir.resolve("labels.csv");
        Files.writeString(csv, String.join("\n", "camera,seq,count", "# hand counts", "plaza,1,2", "plaza,two,1", "plaza,3", "", "plaza,4,-1",
                "garden,5,0", ",6,1", "plaza,7,1,extra") + "\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        FrameLabels labels = FrameLabels.read(csv, new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(2, labels.size(), "plaza#1 and garden#5 are well formed");
        assertEquals(List.of(4, 5, 7, 9, 10), labels.malformedLines());
        String[] warnings = err.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(5, warnings.length, "one warning line per malformed line");
        assertTrue(warnings[0].contains("line 4") && warnings[0].contains("plaza,two,1"), warnings[0]);
        assertTrue(labels.summary(csv).contains("5 malformed lines skipped (lines 4, 5, 7, 9, 10)"), labels.summary(csv));

        Frame f = new Frame("plaza", 1, 0, FrameEncoding.GRAY8, 1, 1, new byte[1]);
        assertEquals(2, labels.map(f).labelCount);
    }

    @Test
    void warningsAreCappedWithOneLineForTheRest() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 25; i++) b.append("bad line ").append(i).append('\n');
        b.append("plaza,1,1\n");
        Path csv = dir.resolve("labels.csv");
        Files.writeString(csv, b);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        FrameLabels labels = FrameLabels.read(csv, new PrintStream(err, true, StandardCharsets.UTF_8));
        String[] warnings = err.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(FrameLabels.WARNINGS + 1, warnings.length);
        assertTrue(warnings[FrameLabels.WARNINGS].contains("15 more malformed lines skipped (25 in all)"), warnings[FrameLabels.WARNINGS]);
        assertEquals(25, labels.malformedLines().size());
        assertEquals(1, labels.size());
    }
}
