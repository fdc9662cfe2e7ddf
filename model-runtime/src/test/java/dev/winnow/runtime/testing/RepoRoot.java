package dev.winnow.runtime.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The root of the Winnow checkout, for tests of any module that read files outside their own (the
 * shipped detector under model-tools, the teacher's sources, fetched data): the first directory up from
 * the working directory that holds {@code scripts/install-deps.sh}. Surefire runs a module's tests in
 * the module's directory, an IDE perhaps in the root; both find the same root. Any thread.
 */
public final class RepoRoot {
    private RepoRoot() {}

    public static Path path() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("scripts/install-deps.sh"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("not inside the Winnow checkout: no scripts/install-deps.sh above " + Path.of("").toAbsolutePath());
        return p;
    }
}
