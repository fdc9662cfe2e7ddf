package dev.winnow.tools.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDataTest {
    @TempDir Path dir;

    @Test
    void headerCommentsAndTheFifthRowSplit() throws Exception {
        StringBuilder b = new StringBuilder("temp,vibration,state\n# sensor export\n");
        for (int i = 0; i < 20; i++) b.append(i).append(',').append(i * 0.5).append(',').append(i % 2 == 0 ? "ok" : "fault").append('\n');
        Path f = Files.writeString(dir.resolve("pumps.csv"), b);
        Dataset.Split s = Datasets.load("csv", f, null);
        assertEquals(16, s.train().size());
        assertEquals(4, s.test().size());
        assertEquals(java.util.List.of("fault", "ok"), s.train().classNames());
        assertEquals(2, s.train().features());
        assertEquals(4f, s.test().x()[0]);       // row 4 is the first held out
        assertEquals(1, s.test().label(0));       // "ok"
        assertEquals(4.5f, s.test().x()[3]);      // row 9: 9 * 0.5
    }

    @Test
    void separateTestFileSharesTheClassIndex() throws Exception {
        Path tr = Files.writeString(dir.resolve("train.csv"), "1,2,b\n3,4,a\n");
        Path te = Files.writeString(dir.resolve("test.csv"), "5,6,c\n");
        Dataset.Split s = Datasets.load("csv", tr, te);
        assertEquals(java.util.List.of("a", "b", "c"), s.test().classNames());
        assertEquals(2, s.test().label(0));
    }

    @Test
    void malformedFilesSayWhereAndWhat() throws Exception {
        Path ragged = Files.writeString(dir.resolve("ragged.csv"), "1,2,a\n3,b\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> Datasets.load("csv", ragged, null));
        assertTrue(e.getMessage().contains("line 2: 1 features, earlier rows have 2"), e.getMessage());
        Path nan = Files.writeString(dir.resolve("nan.csv"), "1,2,a\n3,NaN,b\n");
        e = assertThrows(DataFormatException.class, () -> Datasets.load("csv", nan, null));
        assertTrue(e.getMessage().contains("line 2: feature values must be finite numbers"), e.getMessage());
        Path one = Files.writeString(dir.resolve("one.csv"), "1,2,a\n3,4,a\n1,2,a\n3,4,a\n1,2,a\n");
        e = assertThrows(DataFormatException.class, () -> Datasets.load("csv", one, null));
        assertTrue(e.getMessage().contains("at least two classes"), e.getMessage());
        e = assertThrows(DataFormatException.class, () -> Datasets.load("csv", dir.resolve("missing.csv"), null));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }
}
