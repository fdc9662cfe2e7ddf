package dev.winnow.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * A registry on Flink's {@link FileSystem} abstraction, so the same registry lives on s3://, hdfs://
 * or file:// through Flink's file system plugins.
 *
 * <p>Guarantees, given what object stores offer: an object written by {@link #put} becomes visible
 * whole (written to a temporary name, then renamed; on object stores the upload itself is atomic);
 * {@link #putIfAbsent} is exclusive among writers holding {@link #locked}, which every registry
 * write does. The lock is a lock object created with {@code NO_OVERWRITE} and removed on release;
 * one left behind by a crashed writer is taken over after {@link #LEASE_MILLIS}. On stores without
 * conditional creation, run one writer (the registry server) and let jobs read.
 *
 * <p>Threads: any thread may call any method; writers in one JVM queue on a lock per store root.
 */
public final class FlinkFileSystemStore implements BlobStore {
    static final long LEASE_MILLIS = 60_000;
    /** See LocalDirectoryStore: writers in one JVM queue on a shared lock per store root. */
    private static final ConcurrentHashMap<String, ReentrantLock> THREAD_LOCKS = new ConcurrentHashMap<>();

    private final Path root;
    private final FileSystem fs;
    private final ReentrantLock threadLock;

    public FlinkFileSystemStore(URI root) throws IOException {
        this.root = new Path(root);
        this.fs = this.root.getFileSystem();
        fs.mkdirs(this.root);
        this.threadLock = THREAD_LOCKS.computeIfAbsent(this.root.toUri().toString(), k -> new ReentrantLock());
    }

    private Path path(String key) throws IOException {
        if (key.startsWith("/") || key.contains("..") || key.contains("\\")) throw new IOException("key escapes the store: " + key);
        return new Path(root, key);
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        Path p = path(key);
        if (!fs.exists(p)) return Optional.empty();
        try (InputStream in = fs.open(p)) {
            return Optional.of(in.readAllBytes());
        } catch (java.io.FileNotFoundException e) {
            return Optional.empty();
        }
    }

    private void write(Path p, byte[] data, FileSystem.WriteMode mode) throws IOException {
        fs.mkdirs(p.getParent());
        try (FSDataOutputStream out = fs.create(p, mode)) {
            out.write(data);
            out.flush();
            out.sync();
        }
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
        Path target = path(key);
        Path tmp = new Path(target.getParent(), "." + target.getName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        write(tmp, data, FileSystem.WriteMode.OVERWRITE);
        if (!fs.rename(tmp, target)) {
            // some file systems refuse to rename over an existing object
            fs.delete(target, false);
            if (!fs.rename(tmp, target)) {
                fs.delete(tmp, false);
                throw new IOException("cannot move " + tmp + " to " + target);
            }
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) throws IOException {
        if (fs.exists(path(key))) return false;
        put(key, data);
        return true;
    }

    @Override
    public boolean exists(String key) throws IOException {
        return fs.exists(path(key));
    }

    @Override
    public void delete(String key) throws IOException {
        fs.delete(path(key), false);
    }

    @Override
    public int removeTemporaries() throws IOException {
        return removeTemporaries(root);
    }

    /** Temporaries are put's "." + name + "." + hex + ".tmp" objects; the lock object is not one. */
    private int removeTemporaries(Path dir) throws IOException {
        FileStatus[] st = fs.listStatus(dir);
        if (st == null) return 0;
        int removed = 0;
        for (FileStatus s : st) {
            String n = s.getPath().getName();
            if (s.isDir()) {
                removed += removeTemporaries(s.getPath());
            } else if (n.startsWith(".") && n.endsWith(".tmp") && fs.delete(s.getPath(), false)) {
                removed++;
            }
        }
        return removed;
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        Path dir = path(prefix);
        List<String> out = new ArrayList<>();
        if (!fs.exists(dir)) return out;
        FileStatus[] st = fs.listStatus(dir);
        if (st == null) return out;
        for (FileStatus s : st) {
            String n = s.getPath().getName();
            if (!n.startsWith(".")) out.add(n);
        }
        out.sort(null);
        return out;
    }

    @Override
    public <T> T locked(IoSupplier<T> body) throws IOException, RegistryException {
        threadLock.lock();
        Path lock = new Path(root, ".lock");
        try {
            acquire(lock);
            try {
                return body.get();
            } finally {
                fs.delete(lock, false);
            }
        } finally {
            threadLock.unlock();
        }
    }

    private void acquire(Path lock) throws IOException {
        long delay = 5;
        while (true) {
            try {
                write(lock, Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII), FileSystem.WriteMode.NO_OVERWRITE);
                return;
            } catch (IOException held) {
                if (!fs.exists(lock)) continue;
                Optional<byte[]> since = get(".lock");
                long age = since.map(b -> System.currentTimeMillis() - parse(b)).orElse(0L);
                if (age > LEASE_MILLIS) {
                    fs.delete(lock, false); // its writer died holding it
                    continue;
                }
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted waiting for the registry lock", e);
                }
                delay = Math.min(delay * 2, 200);
            }
        }
    }

    private static long parse(byte[] b) {
        try {
            return Long.parseLong(new String(b, StandardCharsets.US_ASCII).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
