package dev.winnow.tools.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files written whole or not at all: the bytes go to a temporary file beside the target, which is
 * then moved into place atomically, so a failed or interrupted write leaves no partial model behind
 * and a reader never sees half a file. The target's directory must exist.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes {@code bytes} to {@code target}; the file keeps the temporary file's permissions (the owner's only). */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, bytes, false);
    }

    /** Writes {@code bytes} to {@code target}, readable by everyone (rw-r--r--) where the file system has POSIX permissions. */
    public static void writeShared(Path target, byte[] bytes) throws IOException {
        write(target, bytes, true);
    }

    private static void write(Path target, byte[] bytes, boolean shared) throws IOException {
        Path abs = target.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".part");
        try {
            Files.write(tmp, bytes);
            if (shared) {
                try {
                    // a temporary file is private (0600)
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: keep what it gives
                }
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
