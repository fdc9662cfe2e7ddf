package dev.winnow.registry.cli;

import dev.winnow.registry.RegistryException;
import dev.winnow.runtime.format.ModelFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.function.Predicate;
import picocli.CommandLine;

/**
 * The exit codes every {@code winnow} command shares, and the one place that turns an exception into
 * what the user sees: a user error (a missing file, an invalid artifact, malformed data, a registry
 * refusal) is one line on stderr and its code; anything else is a bug and keeps its stack trace.
 * Installed once per {@code main} (as jbang's {@code JBang.getCommandLine} does). Stateless.
 */
public final class Exits {
    public static final int OK = 0;
    /** An unexpected error: a bug (the stack trace is printed). */
    public static final int INTERNAL = 1;
    /** Options or arguments picocli cannot accept. */
    public static final int USAGE = 2;
    /** Not a valid artifact, or its digest does not match its contents. */
    public static final int INVALID_ARTIFACT = 3;
    public static final int UNSIGNED = 4;
    public static final int UNTRUSTED_KEY = 5;
    public static final int BAD_SIGNATURE = 6;
    /** An input file, directory or URL is missing or unreadable. */
    public static final int INPUT = 7;
    /** An input exists but its content is malformed (CSV, TF.js model, frames, key). */
    public static final int BAD_DATA = 8;
    /** The registry refused the request or could not be reached. */
    public static final int REGISTRY = 9;
    /**
     * A quality check failed: with {@code --strict}, accuracy near chance or a compression step
     * losing more than {@code --max-loss}; or no budget candidate fits. The artifact, if any, is written.
     */
    public static final int QUALITY = 10;

    /**
     * The command ran but refused its result as worse than what it would replace (e.g. {@code detector adapt}:
     * the adapted student against its base on the camera's validation slice); nothing was written or published.
     */
    public static final int REFUSED = 11;

    /** The table for {@code exitCodeList} and the docs (picocli wants a constant: keep the root command's copy equal). */
    public static final String[] TABLE = {
        "0:success",
        "1:internal error (a bug: the stack trace is printed)",
        "2:usage error (unknown option, missing argument)",
        "3:invalid artifact, or digest mismatch (corrupt or tampered)",
        "4:unsigned artifact where a signature is required",
        "5:signed by a key that is not trusted",
        "6:signature does not verify",
        "7:input missing or unreadable",
        "8:input malformed (data, model files, frames, keys)",
        "9:registry refused or unreachable",
        "10:quality check failed (--strict: accuracy near chance or a loss over --max-loss; nothing fits --budget)",
        "11:result refused as worse than its base (nothing written or published)",
    };

    private Exits() {}

    /** Installs the handler and mapper; {@code badData} says which other exceptions are malformed input. */
    public static CommandLine install(CommandLine cl, Predicate<Throwable> badData) {
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            int code = code(ex, badData);
            if (code == INTERNAL) {
                ex.printStackTrace(cmd.getErr());
            } else {
                cmd.getErr().println(cmd.getCommandSpec().root().name() + ": " + message(ex));
            }
            cmd.getErr().flush();
            return code;
        });
        cl.setExitCodeExceptionMapper(ex -> code(ex, badData));
        return cl;
    }

    static int code(Throwable ex, Predicate<Throwable> badData) {
        Throwable e = ex instanceof UncheckedIOException && ex.getCause() != null ? ex.getCause() : ex;
        if (e instanceof CommandLine.ParameterException) return USAGE;
        if (e instanceof ModelFormatException) return INVALID_ARTIFACT;
        if (e instanceof RegistryException) return REGISTRY;
        if (badData.test(e)) return BAD_DATA;
        if (e instanceof NoSuchFileException || e instanceof AccessDeniedException || e instanceof java.io.FileNotFoundException) return INPUT;
        if (e instanceof IOException) return INPUT;
        return INTERNAL;
    }

    static String message(Throwable ex) {
        Throwable e = ex instanceof UncheckedIOException && ex.getCause() != null ? ex.getCause() : ex;
        if (e instanceof NoSuchFileException) {
            NoSuchFileException n = (NoSuchFileException) e;
            return "no such file: " + n.getFile() + (n.getReason() == null ? "" : " (" + n.getReason() + ")");
        }
        if (e instanceof AccessDeniedException) return "cannot read " + ((AccessDeniedException) e).getFile() + ": permission denied";
        if (e instanceof ModelFormatException) return "invalid artifact: " + e.getMessage();
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replace('\n', ' ');
    }
}
