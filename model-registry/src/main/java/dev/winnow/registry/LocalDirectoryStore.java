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
 */
public final class LocalDirectoryStore implements BlobStore {
    /**
     * One thread lock per store directory for the whole JVM: a JVM may hold only one FileLock on a
     * file (a second throws OverlappingFileLockException), so two stores on the same directory in
     * one process must queue here before taking the file lock.
     */
    private static final ConcurrentHashMap<Path, ReentrantLock> THREAD_LOCKS = new ConcurrentHashMap<>();

    private final Path root;
    private final ReentrantLock threadLock;

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
            return Optional.of(Files.readAllBytes(path(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private Path writeTemp(Path target, byte[] data) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".tmp-", ".part");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(data);
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(true);
        }
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
        Path tmp = writeTemp(target, data);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("the file system cannot rename atomically: " + root, e);
        }
        syncDirectory(target.getParent());
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) throws IOException {
        Path target = path(key);
        Path tmp = writeTemp(target, data);
        try {
            Files.createLink(target, tmp);
            syncDirectory(target.getParent());
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(tmp);
        }
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
