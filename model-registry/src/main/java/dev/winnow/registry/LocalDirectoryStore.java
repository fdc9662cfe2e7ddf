package dev.winnow.registry;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * A registry on a local directory, the embedded default. put = write a temporary file, fsync,
 * rename over the target, fsync the directory; putIfAbsent = the same temporary file hard-linked to
 * the target, which fails when the target exists. The writer lock is a {@link FileLock} on a lock
 * file (other processes) plus a {@link ReentrantLock} (other threads of this JVM, which FileLock
 * does not exclude).
 *
 * <p>Threads: any thread may call any method; the store keeps no mutable state of its own beyond
 * the per-directory lock.
 */
public final class LocalDirectoryStore implements BlobStore {
    /**
     * One thread lock per store directory for the whole JVM: a JVM may hold only one FileLock on a
     * file (a second throws OverlappingFileLockException), so two stores on the same directory in
     * one process must queue here before taking the file lock.
     */
    private static final ConcurrentHashMap<Path, ReentrantLock> THREAD_LOCKS = new ConcurrentHashMap<>();

    private static final String TEMP_PREFIX = ".tmp-";
    private static final String TEMP_SUFFIX = ".part";

    private final Path root;
    private final ReentrantLock threadLock;
    /** Test-only crash injection: called at each step of a write; a test's hook throws to cut the write off there. */
    private volatile Fault fault = (step, key) -> { };

    /** A point in a write where a test may simulate a crash (by throwing an unchecked exception, so no cleanup runs). */
    @FunctionalInterface
    interface Fault {
        void at(String step, String key);
    }

    /** Steps: "temp-written" (the temporary file is complete, the target untouched), "committed" (the target is in place, the temporary not yet removed). */
    void injectFault(Fault f) {
        this.fault = f;
    }

    public LocalDirectoryStore(Path root) throws IOException {
        Files.createDirectories(root);
        this.root = root.toRealPath();
        this.threadLock = THREAD_LOCKS.computeIfAbsent(this.root, r -> new ReentrantLock());
    }

    public Path root() {
        return root;
    }

    private Path path(String key) throws IOException {
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root) || key.startsWith("/") || key.contains("\\")) throw new IOException("key escapes the store: " + key);
        return p;
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        try {
            return Optional.of(readAll(path(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Largest slice of a heap array handed to a file channel at once. The JDK copies a heap buffer
     * through a temporary direct buffer of the same size and keeps it cached per thread: whole 64 MB
     * artifacts read or written at once by a server's worker threads ran out of direct memory (which
     * defaults to the heap limit) with most of the heap free.
     */
    static final int IO_SLICE = 1 << 20;

    /** The whole file, read in slices of at most {@link #IO_SLICE}. */
    static byte[] readAll(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE - 16) throw new IOException(file + " is too large to read: " + size + " bytes");
            byte[] out = new byte[(int) size];
            int at = 0;
            while (at < out.length) {
                int n = ch.read(java.nio.ByteBuffer.wrap(out, at, Math.min(IO_SLICE, out.length - at)));
                if (n < 0) throw new IOException(file + " shrank while being read");
                at += n;
            }
            return out;
        }
    }

    /**
     * Writes {@code data} to a synced temporary file beside {@code target}, then passes the
     * "temp-written" step, which every write has, so a test can cut any of them off there.
     */
    private Path writeTemp(String key, Path target, byte[] data) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), TEMP_PREFIX, TEMP_SUFFIX);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int at = 0; at < data.length; ) at += ch.write(java.nio.ByteBuffer.wrap(data, at, Math.min(IO_SLICE, data.length - at)));
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        fault.at("temp-written", key);
        return tmp;
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // not every file system lets a directory be opened for sync; the rename is still atomic
        }
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
        Path target = path(key);
        Path tmp = writeTemp(key, target, data);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("the file system cannot rename atomically: " + root, e);
        }
        fault.at("committed", key);
        syncDirectory(target.getParent());
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) throws IOException {
        Path target = path(key);
        Path tmp = writeTemp(key, target, data);
        // not a finally: a crash (a fault hook's exception) must leave the temporary behind, as a real one would
        try {
            Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(tmp);
            return false;
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        fault.at("committed", key);
        Files.deleteIfExists(tmp);
        syncDirectory(target.getParent());
        return true;
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(path(key));
    }

    @Override
    public int removeTemporaries() throws IOException {
        List<Path> temps;
        try (Stream<Path> s = Files.walk(root)) {
            temps = s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(TEMP_PREFIX) && n.endsWith(TEMP_SUFFIX) && Files.isRegularFile(p);
            }).toList();
        }
        for (Path p : temps) Files.deleteIfExists(p);
        return temps.size();
    }

    @Override
    public boolean exists(String key) throws IOException {
        return Files.exists(path(key));
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        Path dir = path(prefix);
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().forEach(out::add);
        }
        return out;
    }

    @Override
    public <T> T locked(IoSupplier<T> body) throws IOException, RegistryException {
        threadLock.lock();
        try (FileChannel ch = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = ch.lock()) {
            return body.get();
        } finally {
            threadLock.unlock();
        }
    }
}
