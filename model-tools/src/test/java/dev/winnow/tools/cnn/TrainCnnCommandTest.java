package dev.winnow.tools.cnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static dev.winnow.tools.cli.CliRun.winnow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.tools.cli.CliRun;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code winnow train-cnn}'s options: the shared optimiser options with this trainer's defaults, checked before any data is read. */
class TrainCnnCommandTest {
    @Test
    void helpShowsTheTrainersOwnDefaults() {
        CliRun.Result r = winnow("train-cnn", "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*--epochs=<epochs>\\s+passes over the training data \\(default: 8\\).*"), r.out());
        assertTrue(r.out().matches("(?s).*--lr=<lr>\\s+peak learning rate of the schedule \\(default: 0\\.003\\).*"), r.out());
        assertTrue(r.out().matches("(?s).*--threads=<threads>\\s+training threads \\(default: 2\\).*"), r.out());
    }

    @Test
    void badOptimiserValuesAndUnknownOptionsAreUsageErrors() {
        CliRun.Result r = winnow("train-cnn", "--epochs", "-1");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--epochs must be >= 0, not -1"), r.err());
        r = winnow("train-cnn", "--lr", "0");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--lr must be > 0"), r.err());
        r = winnow("train-cnn", "--shift", "true");
        assertEquals(2, r.code(), "--shift is a flag; the old hand parser's value form is refused: " + r.out() + r.err());
    }

    @Test
    void theOptionsReachTheTrainerAsParsed() {
        TrainCnnCommand c = new TrainCnnCommand();
        new CommandLine(c).parseArgs("--data", "/nowhere", "--epochs", "3", "--batch", "16", "--seed", "4", "--threads", "1", "--shift");
        assertEquals(3, c.optimiser.epochs);
        assertEquals(16, c.optimiser.batch);
        assertEquals(4, c.optimiser.seed);
        assertEquals(1, c.optimiser.threads);
        assertEquals(0.003, c.optimiser.lr);
        assertEquals("/nowhere", c.data.toString(), "--data is kept as the scripts' name for --data-path");
        assertTrue(c.shift);
    }
}
