package dev.winnow.tools.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.registry.cli.Exits;
import dev.winnow.tools.data.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chance level as train and compress judge it, and train's warning on a data set with nothing to learn. */
class QualityTest {
    @TempDir Path tmp;

    @Test
    void chanceIsTheBetterOfUniformAndTheMajorityClass() {
        Dataset train = new Dataset("t", 1, new float[4], new int[] {0, 0, 0, 1}, List.of("a", "b", "c", "d"));
        Dataset test = new Dataset("t", 1, new float[5], new int[] {0, 0, 1, 2, 3}, List.of("a", "b", "c", "d"));
        assertEquals(0.4, Quality.chance(train, test), 1e-12, "always 'a' gets 2 of 5, better than 1/4");
        assertNotNull(Quality.nearChance("m", 0.44, train, test));
        assertNull(Quality.nearChance("m", 0.46, train, test));
        assertTrue(Quality.losses(List.of(new Quality.Step("in", 0.9), new Quality.Step("int8", 0.87)), 2).get(0).startsWith("WARNING: int8 lost 3.00 points"));
        assertTrue(Quality.losses(List.of(new Quality.Step("in", 0.9), new Quality.Step("a", 0.885), new Quality.Step("b", 0.87)), 2).get(0).contains("in all"));
        assertTrue(Quality.losses(List.of(new Quality.Step("in", 0.9), new Quality.Step("a", 0.89)), 2).isEmpty());
    }

    @Test
    void trainingOnNoiseWarnsNearChanceAndStrictFails() throws Exception {
        Path csv = tmp.resolve("noise.csv");
        Random r = new Random(5);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 400; i++) sb.append(r.nextFloat()).append(',').append(r.nextFloat()).append(',').append(r.nextBoolean() ? "yes" : "no").append('\n');
        Files.writeString(csv, sb);
        String[] args = {"train", "protonn", "--data", "csv", "--data-path", csv.toString(), "--prototypes", "8", "--projection", "2", "--epochs", "3",
                "-o", tmp.resolve("noise.wnm").toString()};
        CliRun.Result plain = CliRun.winnow(args);
        assertEquals(Exits.OK, plain.code(), plain.err());
        assertTrue(plain.err().startsWith("WARNING: protonn on csv: test accuracy ") && plain.err().contains("near chance"), plain.out() + plain.err());
        String[] strict = java.util.Arrays.copyOf(args, args.length + 1);
        strict[args.length] = "--strict";
        assertEquals(Exits.QUALITY, CliRun.winnow(strict).code());
    }
}
