package dev.winnow.tools.clips;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code winnow clips list|export}: the clips a security-retention run committed, by camera and clock time. */
@Command(name = "clips", mixinStandardHelpOptions = true, description = "List or export the clips security-retention kept (its --out folder).",
        subcommands = {ClipsCommand.List.class, ClipsCommand.Export.class})
public final class ClipsCommand implements Runnable {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: list or export");
    }

    /** The options both subcommands share. */
    static final class Filter {
        @Parameters(index = "0", paramLabel = "<out>", description = "security-retention's output folder (holds camera=<id>/index.csv)")
        Path out;

        @Option(names = "--camera", description = "only this camera")
        String camera;

        @Option(names = "--from", paramLabel = "<time>", description = "clips ending after this clock time: yyyy-MM-ddTHH:mm[:ss] or yyyy-MM-dd (the index's zone)")
        String from;

        @Option(names = "--to", paramLabel = "<time>", description = "clips starting before this clock time (same forms as --from)")
        String to;

        java.util.List<ClipsIndex.Clip> select(CommandLine cl) throws IOException {
            LocalDateTime f = time(cl, "--from", from), t = time(cl, "--to", to);
            if (f != null && t != null && !f.isBefore(t)) throw new CommandLine.ParameterException(cl, "--from " + from + " is not before --to " + to);
            return ClipsIndex.read(out).select(camera, f, t);
        }

        static LocalDateTime time(CommandLine cl, String option, String value) {
            if (value == null) return null;
            String v = value.trim().replace(' ', 'T');
            try {
                return v.contains("T") ? LocalDateTime.parse(v) : LocalDate.parse(v).atTime(LocalTime.MIDNIGHT);
            } catch (DateTimeParseException e) {
                throw new CommandLine.ParameterException(cl, option + " '" + value + "': expected yyyy-MM-ddTHH:mm[:ss] or yyyy-MM-dd");
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "One line per clip: camera, event, start, duration, peak people, bytes, file.")
    static final class List implements Callable<Integer> {
        @Spec CommandLine.Model.CommandSpec spec;
        @Mixin Filter filter;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            java.util.List<ClipsIndex.Clip> clips = filter.select(spec.commandLine());
            out.printf(Locale.ROOT, "%-12s %6s %-23s %9s %5s %12s  %s%n", "camera", "event", "start", "duration", "peak", "bytes", "clip");
            long bytes = 0;
            for (ClipsIndex.Clip c : clips) {
                out.printf(Locale.ROOT, "%-12s %6d %-23s %8.1fs %5d %12d  %s%n", c.camera(), c.eventId(), c.start(), c.seconds(), c.peakCount(), c.bytes(), c.clip());
                bytes += c.bytes();
            }
            out.printf(Locale.ROOT, "%d clips, %d bytes%n", clips.size(), bytes);
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Copy the selected clips (same relative paths), their thumbnails and their index rows (index.csv) into a folder.")
    static final class Export implements Callable<Integer> {
        @Spec CommandLine.Model.CommandSpec spec;
        @Mixin Filter filter;

        @Option(names = {"-o", "--into"}, required = true, paramLabel = "<folder>", description = "where the clips and index.csv go (created; existing files with the same names are replaced)")
        Path into;

        @Override
        public Integer call() throws IOException {
            java.util.List<ClipsIndex.Clip> clips = filter.select(spec.commandLine());
            Path base = filter.out.toAbsolutePath().normalize(), dest = into.toAbsolutePath().normalize();
            if (dest.equals(base)) throw new CommandLine.ParameterException(spec.commandLine(), "--into is the output folder itself");
            Files.createDirectories(dest);
            StringBuilder index = new StringBuilder(ClipsIndex.read(filter.out).header()).append('\n');
            long bytes = 0;
            int thumbnails = 0;
            for (ClipsIndex.Clip c : clips) {
                Path src = base.resolve(c.clip()).normalize(), to = dest.resolve(c.clip()).normalize();
                if (!src.startsWith(base) || !to.startsWith(dest)) throw new IOException("index row points outside the folder: " + c.clip());
                if (!Files.isRegularFile(src)) throw new IOException("clip " + src + " is in the index but not on disk");
                Files.createDirectories(to.getParent());
                Files.copy(src, to, StandardCopyOption.REPLACE_EXISTING);
                index.append(c.line()).append('\n');
                bytes += Files.size(to);
                // the sink commits a clip without its thumbnail when the event had none or it was lost: copy it when there
                Path thumb = thumbnailOf(src);
                if (Files.isRegularFile(thumb)) {
                    Path thumbTo = thumbnailOf(to);
                    Files.copy(thumb, thumbTo, StandardCopyOption.REPLACE_EXISTING);
                    bytes += Files.size(thumbTo);
                    thumbnails++;
                }
            }
            Files.writeString(dest.resolve("index.csv"), index.toString(), StandardCharsets.UTF_8);
            spec.commandLine().getOut().printf(Locale.ROOT, "exported %d clips and %d thumbnails (%d bytes) and index.csv to %s%n",
                    clips.size(), thumbnails, bytes, dest);
            return 0;
        }

        /** The clip sink's thumbnail beside a clip: {@code <HH-mm-ss>_<event>.jpg} (ClipCommittable.thumbnailOf in connectors). */
        static Path thumbnailOf(Path clip) {
            String name = clip.getFileName().toString();
            int dot = name.lastIndexOf('.');
            return clip.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".jpg");
        }
    }
}
