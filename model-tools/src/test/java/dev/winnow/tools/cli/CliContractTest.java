package dev.winnow.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.registry.cli.Exits;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What every command promises: {@code --help} works at every level of the tree (a new subcommand
 * without it fails here), and user errors are one line on stderr with the shared exit codes.
 */
class CliContractTest {
    @TempDir Path tmp;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = WinnowCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static void walk(CommandLine cl, List<String> path, List<List<String>> all) {
        all.add(path);
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getValue().getCommandSpec().aliases().length > 0 && !e.getKey().equals(e.getValue().getCommandName())) continue;
            List<String> p = new ArrayList<>(path);
            p.add(e.getKey());
            walk(e.getValue(), p, all);
        }
    }

    @Test
    void everyCommandAnswersHelp() {
        List<List<String>> commands = new ArrayList<>();
        walk(WinnowCli.commandLine(), List.of(), commands);
        assertTrue(commands.size() >= 20, "the whole tree: " + commands);
        StringBuilder failures = new StringBuilder();
        for (List<String> c : commands) {
            List<String> args = new ArrayList<>(c);
            args.add("--help");
            Run r = run(args.toArray(new String[0]));
            if (r.code != 0 || !r.out.contains("Usage:")) failures.append(String.join(" ", args)).append(" → ").append(r.code).append(' ').append(r.err.lines().findFirst().orElse("")).append('\n');
        }
        assertEquals("", failures.toString());
    }

    @Test
    void everyOptionSaysWhatItDoes() {
        List<String> undocumented = new ArrayList<>();
        undocumented(WinnowCli.commandLine(), "winnow", undocumented);
        assertEquals(List.of(), undocumented, "options without a description");
    }

    static void undocumented(CommandLine cl, String path, List<String> found) {
        for (CommandLine.Model.OptionSpec o : cl.getCommandSpec().options())
            if (String.join(" ", o.description()).isBlank()) found.add(path + " " + o.longestName());
        for (var e : cl.getSubcommands().entrySet())
            if (e.getKey().equals(e.getValue().getCommandName())) undocumented(e.getValue(), path + " " + e.getKey(), found);
    }

    static void oneLine(Run r, int code) {
        assertEquals(code, r.code, r.err);
        assertEquals(1, r.err.strip().lines().count(), "one line on stderr: " + r.err);
        assertFalse(r.err.contains("\tat "), "no stack trace: " + r.err);
    }

    @Test
    void userErrorsAreOneLineWithTheirOwnCode() throws Exception {
        Run missing = run("inspect", tmp.resolve("missing.wnm").toString());
        oneLine(missing, Exits.INPUT);
        assertTrue(missing.err.contains("missing.wnm"), missing.err);

        Path junk = Files.write(tmp.resolve("junk.wnm"), "not an artifact".getBytes());
        oneLine(run("inspect", junk.toString()), Exits.INVALID_ARTIFACT);
        oneLine(run("eval", "--data", "letter", junk.toString()), Exits.INVALID_ARTIFACT);

        Run unknown = run("inspect", "--frobnicate", junk.toString());
        assertEquals(Exits.USAGE, unknown.code);
        assertTrue(unknown.err.contains("--frobnicate"), unknown.err);

        Path badModel = Files.createDirectories(tmp.resolve("tfjs"));
        Files.writeString(badModel.resolve("model.json"), "{\"format\": \"graph-model\", \"modelTopology\": {}}");
        oneLine(run("import", "tfjs", badModel.toString(), "-o", tmp.resolve("x.wnm").toString()), Exits.BAD_DATA);
        assertFalse(Files.exists(tmp.resolve("x.wnm")));
    }
}
