package dev.winnow.tools.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LetterDataTest {
    @TempDir Path tmp;

    static String rows(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append((char) ('A' + i % 26));
            for (int f = 0; f < 16; f++) sb.append(',').append((i + f) % 16);
            sb.append('\n');
        }
        return sb.toString();
    }

    @Test
    void readsPlainAndGzipped() throws Exception {
        Path plain = tmp.resolve("l.data");
        Files.writeString(plain, "T,2,8,3,5,1,8,13,0,6,6,10,8,0,8,0,8\nI,5,12,3,7,2,10,5,5,4,13,3,9,2,8,4,10\n\n");
        Dataset d = LetterData.read(plain);
        assertEquals(2, d.size());
        assertEquals(16, d.features());
        assertEquals(26, d.classes());
        assertEquals('T' - 'A', d.label(0));
        assertEquals(13f, d.x()[6]);
        assertEquals(10f, d.row(1)[15]);

        Path gz = tmp.resolve("l.data.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(rows(16_010).getBytes(StandardCharsets.US_ASCII));
        }
        Dataset.Split s = LetterData.load(gz);
        assertEquals(16_000, s.train().size());
        assertEquals(10, s.test().size());
        assertEquals((16_000 % 26), s.test().label(0));
    }

    @Test
    void malformedFilesSayWhereAndWhat() throws Exception {
        Path f = tmp.resolve("bad.data");
        Files.writeString(f, "A,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16\nB,1,2,3\n");
        var e = assertThrows(DataFormatException.class, () -> LetterData.read(f));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("4 fields"), e.getMessage());

        Files.writeString(f, "a,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16\n");
        e = assertThrows(DataFormatException.class, () -> LetterData.read(f));
        assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("label"), e.getMessage());

        Files.writeString(f, "A,1,2,3,4,5,6,x7,8,9,10,11,12,13,14,15,16\n");
        e = assertThrows(DataFormatException.class, () -> LetterData.read(f));
        assertTrue(e.getMessage().contains("feature 7") && e.getMessage().contains("x7"), e.getMessage());

        Files.writeString(f, "");
        assertThrows(DataFormatException.class, () -> LetterData.read(f));
        Files.writeString(f, rows(100));
        e = assertThrows(DataFormatException.class, () -> LetterData.load(f));
        assertTrue(e.getMessage().contains("16000") || e.getMessage().contains("16,000"), e.getMessage());
        assertThrows(DataFormatException.class, () -> LetterData.read(tmp.resolve("missing.data")));
    }

    @Test
    void realFileWhenInstalled() throws Exception {
        Path f = LetterData.locate();
        Assumptions.assumeTrue(f != null, "opencv-doc not installed");
        Dataset.Split s = LetterData.load(f);
        assertEquals(16_000, s.train().size());
        assertEquals(4_000, s.test().size());
        for (int c : s.train().classCounts()) assertTrue(c > 500);
        for (float v : s.train().x()) assertTrue(v >= 0 && v <= 15);
    }
}
