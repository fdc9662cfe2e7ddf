package dev.winnow.tools.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The {@code winnow …} lines in the README's shell blocks parse as written: an
 * option renamed or removed breaks this test, not a newcomer's first try. (Running them needs the
 * data and the built jar; the test checks the command line, which is where they went stale.)
 */
class ReadmeExamplesTest {
    @Test
    void everyDocumentedCommandLineParses() throws Exception {
        List<String> commands = new ArrayList<>();
        commands.addAll(winnowLines(Files.readAllLines(Path.of("../README.md"))));
        assertTrue(commands.size() >= 14, "found the examples: " + commands);
        // docs/ hold reference pages with multi-line synopses; the README's lines are one command each
        List<String> failures = new ArrayList<>();
        for (String c : commands) {
            String[] words = asCommandLine(c).split("\\s+");
            String[] args = Arrays.copyOfRange(words, 1, words.length);
            try {
                WinnowCli.commandLine().parseArgs(args);
            } catch (CommandLine.ParameterException e) {
                failures.add(c + "\n    " + e.getMessage());
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void onlyShellBlockLinesAreTakenAndABadOptionIsCaught() {
        List<String> found = winnowLines(List.of("winnow outside a block", "```bash", "X=1 winnow train protonn --no-such-option 3 -o x.wnm   # note",
                "echo hi && winnow inspect a.wnm", "```", "```java", "winnow in java", "```"));
        assertEquals(List.of("winnow train protonn --no-such-option 3 -o x.wnm", "winnow inspect a.wnm"), found);
        assertEquals("winnow teacher label --frames x --out labels.csv --boxes --threshold 0.35 --clips x",
                asCommandLine("winnow teacher label --frames <dir|video|rtsp://…> --out labels.csv [--boxes] [--threshold 0.35] --clips …"));
        assertThrows(CommandLine.ParameterException.class,
                () -> WinnowCli.commandLine().parseArgs("train", "protonn", "--no-such-option", "3", "-o", "x.wnm"));
    }

    /**
     * A synopsis as a command line: optional parts ([--boxes]) taken, placeholders (<dir|video>) and
     * ellipses given a value, so that every option a synopsis names is checked too.
     */
    static String asCommandLine(String synopsis) {
        return synopsis.replaceAll("<[^>]*>", "x").replace("…", "x").replace("[", "").replace("]", "");
    }

    /**
     * Lines of ```bash blocks, a trailing backslash joining a line to the next, comments cut, split at {@code &&},
     * environment assignments dropped, that start with "winnow ".
     */
    static List<String> winnowLines(List<String> lines) {
        List<String> out = new ArrayList<>();
        boolean inShell = false;
        String pending = "";
        for (String raw : lines) {
            String l = pending + raw;
            pending = "";
            if (inShell && l.stripTrailing().endsWith("\\")) {
                String t = l.stripTrailing();
                pending = t.substring(0, t.length() - 1) + " ";
                continue;
            }
            if (l.startsWith("```")) {
                inShell = !inShell && l.startsWith("```bash");
                continue;
            }
            if (!inShell) continue;
            int hash = l.indexOf(" #");
            String code = hash >= 0 ? l.substring(0, hash) : l;
            for (String part : code.split("&&")) {
                String p = part.strip().replaceFirst("^([A-Z_]+=\\S+\\s+)+", "");
                if (p.startsWith("winnow ")) out.add(p);
            }
        }
        return out;
    }
}
