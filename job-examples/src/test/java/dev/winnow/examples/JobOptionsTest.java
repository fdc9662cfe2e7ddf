package dev.winnow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.examples.cascade.CascadeEval;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The jobs' options, shared through mixins: every option of every job says what it does, --help
 * works for each, each job keeps its own defaults for the shared options, and a bad shared option is
 * refused with its own message.
 */
class JobOptionsTest {
    @Test
    void everyOptionOfEveryJobIsDocumentedAndHelpWorks() {
        CommandLine main = new CommandLine(new Main());
        List<String> undocumented = new ArrayList<>();
        for (CommandLine job : main.getSubcommands().values()) {
            // a command's own subcommands too (produce frames)
            List<CommandLine> commands = new ArrayList<>(List.of(job));
            commands.addAll(job.getSubcommands().values());
            for (CommandLine c : commands) {
                for (OptionSpec o : c.getCommandSpec().options()) {
                    String text = String.join(" ", o.description()).trim();
                    if (text.isEmpty()) undocumented.add(c.getCommandSpec().qualifiedName() + " " + o.longestName());
                }
            }
            // as a user runs it: winnow-examples <job> --help
            CommandLine cli = new CommandLine(new Main());
            StringWriter out = new StringWriter(), err = new StringWriter();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(err));
            assertEquals(0, cli.execute(job.getCommandName(), "--help"), job.getCommandName() + " --help: " + err);
            assertTrue(out.toString().startsWith("Usage: winnow-examples " + job.getCommandName()), out.toString());
        }
        assertEquals(List.of(), undocumented, "options without a description");
        assertEquals(8, main.getSubcommands().size(), "the five jobs, cascade-eval, adapt-worker and produce");
        assertEquals(List.of("frames", "readings"), List.copyOf(main.getSubcommands().get("produce").getSubcommands().keySet()));
    }

    @Test
    void retentionThresholdsShowTheirDefaults() {
        String help = new CommandLine(new SecurityRetentionJob()).getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertTrue(help.matches("(?s).*--enter=<enter>\\s+person score at which an event opens \\(default: 0\\.6\\).*"), help);
        assertTrue(help.matches("(?s).*--exit=<exit>\\s+an open event stays open while.*\\(default: 0\\.4\\).*"), help);
    }

    @Test
    void eachJobKeepsItsOwnDefaultsForTheSharedOptions() {
        SecurityRetentionJob retention = new SecurityRetentionJob();
        new CommandLine(retention).parseArgs();
        StadiumStaffingJob stadium = new StadiumStaffingJob();
        new CommandLine(stadium).parseArgs();
        CentralTeacherJob central = new CentralTeacherJob();
        new CommandLine(central).parseArgs();
        assertEquals(5.0, retention.camera.eventFps);
        assertEquals(2.0, stadium.camera.eventFps);
        assertEquals("reports/security-retention", retention.run.out);
        assertEquals("reports/stadium-staffing", stadium.run.out);
        assertEquals(2, retention.run.parallelism);
        assertEquals(1, central.run.parallelism);
        assertEquals("bundled", stadium.model.model);
        assertTrue(retention.camera.none(), "no camera given: the bundled sample");

        new CommandLine(stadium).parseArgs("--camera", "a=/tmp/a", "--event-fps", "7", "--out", "elsewhere", "--parallelism", "3");
        assertEquals(List.of("a=/tmp/a"), stadium.camera.cameras);
        assertEquals(7.0, stadium.camera.eventFps);
        assertEquals("elsewhere", stadium.run.out);
        assertEquals(3, stadium.run.parallelism);
        assertFalse(stadium.camera.none());
    }

    @Test
    void theCascadeBandIsCheckedTheSameInTheJobsAndTheEvaluation() {
        SecurityRetentionJob job = new SecurityRetentionJob();
        new CommandLine(job).parseArgs("--teacher-band", "0.7:0.2");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> job.cascade.low());
        assertEquals("a band is low:high with 0 <= low <= high <= 1, not '0.7:0.2'", e.getMessage());
        new CommandLine(job).parseArgs("--teacher-band", "0.3:0.9");
        assertEquals(0.3f, job.cascade.low());
        assertEquals(0.9f, job.cascade.high());
        assertEquals(0f, job.cascade.difference(), "the jobs' difference detector is off by default");

        StringWriter help = new StringWriter();
        CascadeEval.commandLine().usage(new PrintWriter(help));
        assertTrue(help.toString().contains("--difference=<difference>"), help.toString());
        assertTrue(help.toString().matches("(?s).*reuse the last verdict.*\\(default: 0\\.01\\).*"), help.toString());
    }

    @Test
    void theTrackersBirthAndOcclusionAreTimesOfTheCamerasFrames() {
        StadiumStaffingJob sample = new StadiumStaffingJob();
        new CommandLine(sample).parseArgs();
        // the bundled sample replays folders at 2 frames/s of event time: birth 0.3 s -> 1 frame, occlusion 1 s -> 2
        assertEquals(2.0, sample.camera.frameRate());
        var at2 = sample.flow.trackerConfig(sample.camera.frameRate());
        assertEquals(1, at2.birthHits);
        assertEquals(2, at2.maxMisses);
        // at 10 fps, ByteTrack's frame counts for 10 fps cameras
        var at10 = sample.flow.trackerConfig(10);
        assertEquals(3, at10.birthHits);
        assertEquals(10, at10.maxMisses);
        // frames given on the command line win
        StadiumStaffingJob set = new StadiumStaffingJob();
        new CommandLine(set).parseArgs("--track-birth-hits", "4", "--track-max-misses", "7");
        assertEquals(4, set.flow.trackerConfig(2).birthHits);
        assertEquals(7, set.flow.trackerConfig(2).maxMisses);
        assertThrows(IllegalArgumentException.class, () -> set.flow.trackerConfig(0));
    }
}
