package dev.winnow.tools.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.winnow.runtime.testing.RepoRoot;
import dev.winnow.tools.cli.CliRun;
import dev.winnow.registry.LocalDirectoryStore;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.registry.ModelVersion;
import dev.winnow.registry.cli.Exits;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.Artifact;
import dev.winnow.runtime.format.Ed25519Keys;
import dev.winnow.tools.teacher.TeacherModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code winnow detector adapt} on real footage, with the real teacher, kept short (a few frames per
 * slice, every frame of a clip at "1 frame/s" so a frame is a second): it filters a people-free camera
 * the base keeps every frame of, publishes a signed version under the camera's alias, refuses a result
 * worse than its base, starts from the zoo student that agrees best, and stops on a camera with no frames.
 */
class DetectorAdaptCommandTest {
    static final String BASE = "detector/person-detector-int8.wnm";
    static Path root, data, teacher;

    @TempDir Path tmp;

    @BeforeAll
    static void locate() throws Exception {
        root = RepoRoot.path();
        data = root.resolve("data/detector");
        for (String clip : List.of("dog", "webcam"))
            if (!Files.isDirectory(data.resolve(clip).resolve("native"))) fail("no frames of " + clip + " in " + data + ": run scripts/data/fetch-footage.sh");
        teacher = root.resolve(TeacherModels.DEFAULT);
        if (!Files.exists(teacher)) TeacherModels.importTo(root.resolve(TeacherModels.SOURCE), teacher);
    }

    /** A camera directory: {@code n} frames of each clip in turn, every {@code step}-th, renumbered. */
    Path camera(String name, int step, Object... clipsAndCounts) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        int k = 0;
        for (int c = 0; c < clipsAndCounts.length; c += 2) {
            String clip = (String) clipsAndCounts[c];
            int n = (Integer) clipsAndCounts[c + 1];
            for (int i = 0; i < n; i++)
                Files.copy(data.resolve(clip).resolve("native").resolve(String.format(Locale.ROOT, "%04d.png", i * step)), dir.resolve(String.format(Locale.ROOT, "%04d.png", k++)));
        }
        return dir;
    }

    Path key() throws Exception {
        KeyPair k = Ed25519Keys.generate();
        Path prefix = tmp.resolve("cams");
        Ed25519Keys.writePem(Path.of(prefix + ".key.pem"), k.getPrivate());
        Ed25519Keys.writePem(Path.of(prefix + ".pub.pem"), k.getPublic());
        return prefix;
    }

    /** adapt on {@code camera} (a frame a second), fine-tuning on the first {@code seconds}, with any further options. */
    static CliRun.Result adapt(Path camera, int seconds, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("detector", "adapt", "--base", BASE, "--camera", camera.toString(), "--camera-fps", "1", "--sample-fps", "1",
                "--minutes", String.valueOf(seconds / 60.0), "--validate-minutes", "1", "--teacher", teacher.toString(), "--out", out.toString(), "--threads", "2",
                "--batch", "2")); // a few frames: small batches for enough steps
        a.addAll(List.of(more));
        return CliRun.winnow(a.toArray(String[]::new));
    }

    static double kept(String table, String rowStart) {
        for (String l : table.split("\n"))
            if (l.startsWith("| " + rowStart)) return Double.parseDouble(l.split("\\|")[4].trim());
        throw new AssertionError("no row " + rowStart + " in\n" + table);
    }

    @Test
    void filtersAPeopleFreeCameraAndPublishesASignedVersionUnderItsAlias() throws Exception {
        // the dog video: the teacher sees nobody, the base student keeps every frame
        Path cam = camera("dog", 3, "dog", 12);
        Path out = tmp.resolve("cam7.wnm"), registry = tmp.resolve("registry"), key = key();
        CliRun.Result r = adapt(cam, 8, out, "--epochs", "3", "--lr", "0.003", "--publish", registry.toString(), "--alias", "cam7", "--key", key.toString());
        assertEquals(Exits.OK, r.code(), r.out() + r.err());
        double before = kept(r.out(), "base"), after = kept(r.out(), "adapted");
        assertEquals(1.0, before, 1e-9, "the base keeps the people-free frames: " + r.out());
        assertTrue(after <= 0.01, "after adapting, at most 1 % kept: " + r.out());
        assertTrue(r.out().contains("| fine-tune | 8 | 0 |") && r.out().contains("| validate | 4 | 0 |"), r.out());
        assertTrue(r.out().contains("took ") && r.out().contains("s CPU"), r.out());

        // what was written is what was published: one signed version, the camera's alias on it
        ModelRegistry reg = new ModelRegistry(new LocalDirectoryStore(registry), List.of(Ed25519Keys.readPublicPem(Path.of(key + ".pub.pem"))), Clock.systemUTC());
        List<ModelVersion> vs = reg.versions("person-detector");
        assertEquals(1, vs.size());
        assertEquals(1, reg.aliases("person-detector").get("cam7"));
        byte[] published = reg.artifact(vs.get(0)); // verified against the trust list on read
        assertTrue(java.util.Arrays.equals(published, Files.readAllBytes(out)));
        Artifact a = Model.load(published).artifact();
        assertTrue(a.signature().isPresent() && a.signatureIntact());
        assertEquals("cam7", vs.get(0).tags().get("camera"));
    }

    @Test
    void refusesAStudentWorseThanItsBaseAndWritesNothing() throws Exception {
        // the scene changes after the fine-tuning minutes: a student taught that this camera never shows anyone
        // misses the people who then appear on the plaza, where the base found them
        Path cam = camera("mixed", 3, "dog", 8, "vtest", 4);
        Path out = tmp.resolve("refused.wnm"), registry = tmp.resolve("registry");
        CliRun.Result r = adapt(cam, 8, out, "--epochs", "3", "--lr", "0.003", "--publish", registry.toString(), "--alias", "cam8", "--key", key().toString());
        assertEquals(Exits.REFUSED, r.code(), r.out() + r.err());
        String refusal = r.err().lines().filter(l -> l.startsWith("winnow: refused")).findFirst().orElseThrow(() -> new AssertionError(r.err()));
        assertTrue(refusal.contains("nothing written or published"), refusal);
        assertTrue(kept(r.out(), "adapted") < kept(r.out(), "base"), r.out());
        assertFalse(Files.exists(out), "nothing written to --out");
        assertFalse(Files.exists(registry) && Files.list(registry).findAny().isPresent(), "nothing published");
    }

    @Test
    void theZooStartsFromTheStudentThatAgreesBestWithTheTeacher() throws Exception {
        // the zoo: a student already adapted to a people-free scene (published under its camera's alias) and
        // an artifact of another kind, which is listed and passed over
        Path registry = tmp.resolve("zoo"), key = key();
        CliRun.Result first = adapt(camera("dog-a", 2, "dog", 8), 6, tmp.resolve("a.wnm"), "--epochs", "3", "--lr", "0.003",
                "--publish", registry.toString(), "--alias", "dog-a", "--key", key.toString());
        assertEquals(0, first.code(), first.out() + first.err());
        ModelRegistry reg = new ModelRegistry(new LocalDirectoryStore(registry));
        // allowSignatureChange: the registry refuses a different input under the name unless told; the zoo must still pass over one
        int letters = reg.publish("person-detector", Files.readAllBytes(Path.of("models/letter26-int8.wnm")), "test", java.util.Map.of(), true).version();
        reg.setAlias("person-detector", "odd", letters, "test");

        // a second camera on the same kind of scene: the adapted student agrees with the teacher on every frame, the base on none
        CliRun.Result r = adapt(camera("dog-b", 5, "dog", 6), 4, tmp.resolve("b.wnm"), "--epochs", "1", "--zoo", registry.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("| base person-detector-int8.wnm | 0.000 |"), r.out());
        assertTrue(r.out().contains("| person-detector:1 @dog-a | 1.000 |"), r.out());
        assertTrue(r.out().contains("| person-detector:2 @odd | not a person-detector student"), r.out());
        assertTrue(r.out().contains("starting from person-detector:1 @dog-a"), r.out());
        assertTrue(r.out().contains("| zoo start person-detector:1 @dog-a |"), r.out());
    }

    @Test
    void aCameraWithoutFramesStopsWithOneLineAndPublishesNothing() throws Exception {
        Path empty = Files.createFile(tmp.resolve("empty.mp4"));
        Path garbage = tmp.resolve("garbage.mp4");
        byte[] junk = new byte[64 * 1024];
        new java.util.Random(3).nextBytes(junk);
        Files.write(garbage, junk);
        Path corrupt = Files.createDirectories(tmp.resolve("corrupt"));
        Files.writeString(corrupt.resolve("0000.png"), "not a picture");
        Files.write(corrupt.resolve("0001.jpg"), junk);
        Path registry = tmp.resolve("registry"), key = key();
        for (Path cam : List.of(empty, garbage, corrupt)) {
            Path out = tmp.resolve("never.wnm");
            CliRun.Result r = adapt(cam, 30, out, "--publish", registry.toString(), "--alias", "cam9", "--key", key.toString());
            assertEquals(Exits.BAD_DATA, r.code(), cam + ": " + r.out() + r.err());
            List<String> lines = r.err().lines().filter(l -> l.startsWith("winnow:")).toList();
            assertEquals(1, lines.size(), r.err());
            assertTrue(lines.get(0).contains("camera " + cam) && lines.get(0).contains("yielded no"), lines.get(0));
            assertFalse(Files.exists(out));
            assertFalse(Files.exists(registry) && Files.list(registry).findAny().isPresent(), "nothing published");
        }
    }
}
