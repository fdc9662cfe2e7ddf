package dev.winnow.tools.clips;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.tools.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code winnow clips list|export} on an output folder laid out as the clip sink writes it. */
class ClipsCommandTest {
    static final String HEADER = "camera,event_id,start,end,peak_count,model_version,clip,bytes,source_bytes,"
            + "start_millis,end_millis,event_start_millis,event_end_millis,peak_seq,peak_millis";

    static Path sample(Path dir) throws Exception {
        Path out = dir.resolve("out");
        String[][] rows = {
            {"door", "1", "2023-11-14T22:13:20.000", "2023-11-14T22:13:30.000", "2"},
            {"door", "2", "2023-11-14T23:59:50.000", "2023-11-15T00:00:10.000", "1"},
            {"yard", "1", "2023-11-15T08:00:00.000", "2023-11-15T08:00:06.000", "3"}};
        for (String cam : List.of("door", "yard")) {
            StringBuilder idx = new StringBuilder(HEADER).append('\n');
            for (String[] r : rows) {
                if (!r[0].equals(cam)) continue;
                String rel = "camera=" + cam + "/" + r[2].substring(0, 10) + "/" + r[2].substring(11, 19).replace(':', '-') + "_" + r[1] + ".mp4";
                Files.createDirectories(out.resolve(rel).getParent());
                Files.writeString(out.resolve(rel), "clip " + cam + r[1]);
                // the sink's thumbnail beside the clip; door's second event has none (the sink commits a clip without it)
                if (!(cam.equals("door") && r[1].equals("2"))) Files.writeString(out.resolve(rel.replace(".mp4", ".jpg")), "jpeg " + cam + r[1]);
                idx.append(String.join(",", r[0], r[1], r[2], r[3], r[4], "1", rel, "11", "11", "0", "0", "0", "0", "0", "0")).append('\n');
            }
            Files.writeString(out.resolve("camera=" + cam + "/index.csv"), idx.toString());
        }
        return out;
    }

    @Test
    void listFiltersByCameraAndClockTime(@TempDir Path tmp) throws Exception {
        Path out = sample(tmp);
        CliRun.Result all = CliRun.winnow("clips", "list", out.toString());
        assertEquals(0, all.code(), all.err());
        assertTrue(all.out().contains("3 clips, 33 bytes"), all.out());
        CliRun.Result door = CliRun.winnow("clips", "list", out.toString(), "--camera", "door", "--from", "2023-11-14T23:00", "--to", "2023-11-15");
        assertEquals(0, door.code(), door.err());
        assertTrue(door.out().contains("camera=door/2023-11-14/23-59-50_2.mp4") && door.out().contains("1 clips"), door.out());
        CliRun.Result night = CliRun.winnow("clips", "list", out.toString(), "--from", "2023-11-15T00:00:05");
        assertTrue(night.out().contains("2 clips"), "a clip running past midnight overlaps: " + night.out());
    }

    @Test
    void exportCopiesTheClipsTheirThumbnailsAndTheirIndexRows(@TempDir Path tmp) throws Exception {
        Path out = sample(tmp), dest = tmp.resolve("export");
        CliRun.Result r = CliRun.winnow("clips", "export", out.toString(), "--camera", "door", "--into", dest.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("exported 2 clips and 1 thumbnails (30 bytes) and index.csv to "), r.out());
        List<String> index = Files.readAllLines(dest.resolve("index.csv"));
        assertEquals(HEADER, index.get(0));
        assertEquals(3, index.size(), index.toString());
        assertEquals("clip door1", Files.readString(dest.resolve("camera=door/2023-11-14/22-13-20_1.mp4")));
        assertEquals("jpeg door1", Files.readString(dest.resolve("camera=door/2023-11-14/22-13-20_1.jpg")), "the thumbnail beside its clip");
        assertEquals("clip door2", Files.readString(dest.resolve("camera=door/2023-11-14/23-59-50_2.mp4")));
        assertFalse(Files.exists(dest.resolve("camera=door/2023-11-14/23-59-50_2.jpg")), "no thumbnail made up for a clip without one");
        assertFalse(Files.exists(dest.resolve("camera=yard")));
        // only the selected clips' thumbnails: the yard's stays behind, and an export by time takes the thumbnail with its clip
        Path night = tmp.resolve("night");
        CliRun.Result t = CliRun.winnow("clips", "export", out.toString(), "--from", "2023-11-15T06:00", "--into", night.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(Files.exists(night.resolve("camera=yard/2023-11-15/08-00-00_1.jpg")) && !Files.exists(night.resolve("camera=door")), t.out());
    }

    @Test
    void badInputIsOneLineAndEverySubcommandHasHelp(@TempDir Path tmp) throws Exception {
        Path out = sample(tmp);
        for (String[] help : List.of(new String[] {"clips", "--help"}, new String[] {"clips", "list", "--help"}, new String[] {"clips", "export", "--help"})) {
            CliRun.Result h = CliRun.winnow(help);
            assertEquals(0, h.code(), String.join(" ", help) + ": " + h.err());
            assertTrue(h.out().contains("Usage: winnow clips"), h.out());
        }
        CliRun.Result bad = CliRun.winnow("clips", "list", out.toString(), "--from", "yesterday");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--from 'yesterday': expected yyyy-MM-ddTHH:mm[:ss] or yyyy-MM-dd"), bad.err());
        CliRun.Result none = CliRun.winnow("clips", "list", tmp.resolve("nothing").toString());
        assertNotEquals(0, none.code());
        assertTrue(none.err().contains("is not a directory") && !none.err().contains("\tat "), none.err());
        Files.writeString(out.resolve("camera=door/index.csv"), "camera,event_id\ndoor,1\n");
        CliRun.Result broken = CliRun.winnow("clips", "list", out.toString());
        assertNotEquals(0, broken.code());
        assertTrue(broken.err().contains("has no column 'start'"), broken.err());
        CliRun.Result missing = CliRun.winnow("clips", "export", out.toString());
        assertEquals(2, missing.code(), "--into is required");
    }
}
