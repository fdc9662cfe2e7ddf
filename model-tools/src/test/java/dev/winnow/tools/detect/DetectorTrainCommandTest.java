package dev.winnow.tools.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.tools.cli.CliRun;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code winnow detector train}'s options, and the data plumbing it reads (manifest, teacher labels), on small files written here. */
class DetectorTrainCommandTest {
    @TempDir Path tmp;

    @Test
    void helpListsTheOptionsAndATypoIsRefused() {
        CliRun.Result r = CliRun.winnow("detector", "train", "--help");
        assertEquals(0, r.code(), r.err());
        for (String o : List.of("--data", "--manifest", "--clips", "--pasted", "--epochs", "--threads", "--select-on")) assertTrue(r.out().contains(o), o + " in " + r.out());
        r = CliRun.winnow("detector", "train", "--epoch", "3");
        assertEquals(2, r.code(), "usage error");
        assertTrue(r.err().contains("--epoch"), r.err());
        r = CliRun.winnow("detector", "train", "--nms", "bogus", "--data", tmp.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--nms"), r.err());
    }

    @Test
    void presenceOptionsThatCannotWorkAreRefusedBeforeAnyFrameIsRead() {
        for (String[] args : new String[][] {
                {"--presence-only", "--init-artifact", "detector/person-detector-float.wnm"},      // no head to train
                {"--presence-hidden", "16", "--presence-only"},                                      // no backbone to keep
                {"--presence-hidden", "-1"},
                {"--presence-hidden", "16", "--presence-val-every", "1"},                            // nothing left to train on
                {"--init", "x.params", "--init-artifact", "detector/person-detector-float.wnm"}}) {
            String[] full = new String[args.length + 4];
            full[0] = "detector";
            full[1] = "train";
            full[2] = "--data";
            full[3] = tmp.toString();
            System.arraycopy(args, 0, full, 4, args.length);
            CliRun.Result r = CliRun.winnow(full);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.out() + r.err());
            assertTrue(r.err().contains("--presence") || r.err().contains("--init"), r.err());
        }
    }

    @Test
    void objectScenesWithoutPicturesToPasteAreRefusedBeforeAnyFrameIsRead() {
        for (String[] args : new String[][] {
                {"--object-scenes", "100", "--paste", "0.5"},                                             // nothing to paste
                {"--object-scenes", "100", "--paste-objects", "room"},                                    // no --paste
                {"--object-scenes", "-1"},
                {"--object-scenes", "100", "--paste", "0.5", "--paste-objects", "nosuchclip"}}) {        // not a training clip
            List<String> full = new java.util.ArrayList<>(List.of("detector", "train", "--data", tmp.toString(), "--labels", "teacher", "--clips", "room"));
            full.addAll(List.of(args));
            CliRun.Result r = CliRun.winnow(full.toArray(String[]::new));
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.out() + r.err());
            assertTrue(r.err().contains("--object-scenes") || r.err().contains("--paste-objects"), r.err());
        }
    }

    @Test
    void trainingClipsComeFromTheManifest() throws Exception {
        Path manifest = tmp.resolve("sources.csv");
        Files.writeString(manifest, """
                source,clip,package,version,file,frames,role,people
                vtest,vtest,opencv-doc,1,/x/vtest.avi,0-589,train,yes
                vtest-holdout,vtest,opencv-doc,1,/x/vtest.avi,636-794,holdout,yes
                tree,tree,opencv-doc,1,/x/tree.avi,0-52,train,no
                street,street,pkg,1,/x/street.mp4,all,train,mixed
                room,room,pkg,1,/x/room.mp4,all,train,no
                dog,dog,pkg,1,/x/dog.mp4,all,holdout,no
                """);
        DetectorOptions.Data d = new DetectorOptions.Data();
        d.manifest = manifest;
        assertEquals(List.of("street", "room"), d.clips("train", "vtest", "tree"));
        assertEquals(List.of("vtest", "dog"), d.clips("holdout"));
        List<HeldOutEvaluation.Source> held = HeldOutEvaluation.sources(manifest, "holdout");
        assertEquals(636, held.get(0).first());
        assertEquals(794, held.get(0).last());
        assertEquals(Integer.MAX_VALUE, held.get(1).last());
    }

    @Test
    void teacherBoxesScaleWithTheFrameToTheStudentsInput() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("street/native"));
        ImageIO.write(new BufferedImage(640, 360, BufferedImage.TYPE_3BYTE_BGR), "png", dir.resolve("0000.png").toFile());
        ImageIO.write(new BufferedImage(640, 360, BufferedImage.TYPE_3BYTE_BGR), "png", dir.resolve("0001.png").toFile());
        Files.writeString(tmp.resolve("street/teacher.csv"), """
                file,count,score_max,boxes
                0000.png,2,0.9000,64.0:36.0:128.0:180.0:0.900;320.0:0.0:640.0:360.0:0.500
                0001.png,0,0.0000,
                """);
        Map<String, List<float[]>> l = TeacherLabels.read(tmp, "street");
        assertEquals(2, l.get("street:0").size());
        assertArrayEquals(new float[] {32, 24, 32, 96, 0.9f}, l.get("street:0").get(0), 1e-4f);
        assertArrayEquals(new float[] {160, 0, 160, 240, 0.5f}, l.get("street:0").get(1), 1e-4f);
        assertTrue(l.get("street:1").isEmpty(), "a frame the teacher saw empty is a hard negative");
        assertEquals(2, l.size());
        float[] input = new DetectorData(tmp).load("street", 1);
        assertEquals(320 * 240, input.length);
    }
}
