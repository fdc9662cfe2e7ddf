package dev.winnow.registry;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.UnsupportedFileSystemSchemeException;

/**
 * A registry on Flink's {@link FileSystem} abstraction: the same layout as {@link LocalDirectoryStore}
 * on {@code s3://}, {@code hdfs://} or any scheme a Flink file system serves. Open it through
 * {@link RegistryLocations#open}.
 *
 * <p><b>What it relies on.</b> Object stores have no rename and, through Flink's S3 file system
 * (Hadoop S3A 3.3.4), no conditional create: {@code create(NO_OVERWRITE)} there is a check followed
 * by a write, and two writers can both pass it. The store therefore needs only:
 * <ul>
 *   <li><b>strong read-after-write and list-after-write consistency</b>: a GET, HEAD or LIST that
 *       starts after a PUT or DELETE returned sees it. Amazon S3 gives this for every object since
 *       December 2020; S3-compatible servers that write through to one disk or database (s3proxy,
 *       MinIO) do too. HDFS gives it through its single NameNode.</li>
 *   <li><b>whole-object visibility</b>: an object store shows an upload only once it completes; on
 *       HDFS (where a file is visible while written) {@link #put} writes a temporary name and
 *       renames it, which the NameNode does atomically, and the rename refuses an existing target.</li>
 * </ul>
 *
 * <p><b>The writer lock needs no conditional write.</b> A writer creates a claim object with a
 * unique name under {@code .lock/}, then lists {@code .lock/}: it holds the lock when that listing
 * shows no claim but its own. Of two writers, the one that lists later sees the other's claim
 * (written before the first listed), so two can never both be alone; the writer with the oldest
 * claim keeps it and lists again within a few milliseconds, the others withdraw theirs and retry
 * after a random, growing pause, so one of them gets through. A claim left by a crashed writer is deleted once another writer has seen it
 * for {@link #LEASE_MILLIS} by its own clock (no clock comparison between machines). A writer that
 * holds the lock longer than that (a stall, not a slow upload of a 64 MB artifact at more than
 * about 1 MB/s) can be joined by a second one; the registry's commit still never overwrites an
 * event, so that shows as a refused write, not a lost or duplicated version.
 *
 * <p>Under the lock, {@link #putIfAbsent} is a check then a write, exclusive because every registry
 * write holds the lock. Versions are the replay of the event log, whose objects are created in
 * sequence under the lock, so concurrent publishers get gapless, unique versions.
 *
 * <p>Threads: any thread may call any method; writers in one JVM also queue on a lock per store root,
 * so only one of them at a time takes part in the object-store protocol.
 */
public final class FlinkFileSystemStore implements BlobStore {
    static final long LEASE_MILLIS = 60_000;
    private static final String LOCK_DIR = ".lock";
    private static final String TEMP_SUFFIX = ".tmp";
    /** Writers in one JVM queue here per store root before taking the store's lock. */
    private static final ConcurrentHashMap<String, ReentrantLock> THREAD_LOCKS = new ConcurrentHashMap<>();

    private final Path root;
    private final FileSystem fs;
    /** Null when the store stands for a separate process in tests: then only the object-store lock excludes. */
    private final ReentrantLock threadLock;
    /** Object stores make an upload visible only when complete, so a put writes the target directly. */
    private final boolean objectStore;
    private final long leaseMillis;

    /** Opens a store on {@code root}; prefer {@link RegistryLocations#open}, which also gives clear errors. */
    public FlinkFileSystemStore(URI root) throws IOException {
        this(root, true);
    }

    FlinkFileSystemStore(URI root, boolean shareJvmLock) throws IOException {
        this(root, shareJvmLock, LEASE_MILLIS);
    }

    /** @param leaseMillis how long a claim may stand before another writer takes it for a crashed writer's */
    FlinkFileSystemStore(URI root, boolean shareJvmLock, long leaseMillis) throws IOException {
        this.leaseMillis = leaseMillis;
        this.root = new Path(root);
        this.fs = this.root.getFileSystem();
        fs.mkdirs(this.root);
        String scheme = root.getScheme() == null ? "" : root.getScheme().toLowerCase(Locale.ROOT);
        this.objectStore = scheme.startsWith("s3") || scheme.equals("gs") || scheme.equals("oss");
        this.threadLock = shareJvmLock ? THREAD_LOCKS.computeIfAbsent(this.root.toUri().toString(), k -> new ReentrantLock()) : null;
    }

    /**
     * Opens a store with one-line errors naming the location: no file system for the scheme (with how
     * to install it when {@code knownScheme}), or storage that cannot be reached (endpoint down, bucket
     * missing, no permission). Nothing is written when it fails.
     */
    static FlinkFileSystemStore open(URI root, boolean knownScheme) throws IOException {
        String scheme = root.getScheme().toLowerCase(Locale.ROOT);
        try {
            FileSystem.get(root);
        } catch (UnsupportedFileSystemSchemeException e) {
            throw new IOException("registry location " + root + ": " + (knownScheme
                    ? "no file system for " + scheme + ":// is installed; " + installHint(scheme)
                    : "unknown scheme '" + scheme + "' (give a directory, file://, s3://, hdfs://, or a server's http(s):// URL)"));
        } catch (IOException | RuntimeException e) {
            throw new IOException("registry location " + root + ": cannot set up the " + scheme + " file system: " + oneLine(e));
        }
        try {
            FlinkFileSystemStore store = new FlinkFileSystemStore(root, true);
            store.list(""); // a listing reaches the storage: an unreachable endpoint or a missing bucket fails here
            return store;
        } catch (IOException | RuntimeException e) {
            throw new IOException("registry location " + root + ": cannot reach the store: " + oneLine(e));
        }
    }

    /**
     * Configures Flink's file systems from the Flink configuration in {@code confDir} (null: none) and
     * the plugins under {@code pluginsRoot} (null: none); see {@link RegistryLocations#configureFromEnvironment}.
     */
    static void configure(String confDir, java.nio.file.Path pluginsRoot) {
        var config = confDir == null ? new org.apache.flink.configuration.Configuration()
                : org.apache.flink.configuration.GlobalConfiguration.loadConfiguration(confDir);
        try {
            FileSystemPlugins.initialize(config, pluginsRoot);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("file system plugins in " + pluginsRoot + ": " + e.getMessage(), e);
        }
    }

    private static String installHint(String scheme) {
        if (scheme.startsWith("s3")) {
            return "the winnow jar bundles flink-s3-fs-hadoop; in a Flink cluster copy opt/flink-s3-fs-hadoop-*.jar to plugins/s3-fs-hadoop/";
        }
        if (scheme.contains("hdfs") || scheme.equals("viewfs")) {
            return "the winnow build lays out plugins/hdfs beside winnow.jar (or set FLINK_PLUGINS_DIR); "
                    + "a Flink cluster reads it through flink-hadoop-fs and the Hadoop client on its class path (HADOOP_CLASSPATH)";
        }
        return "install Flink's file system plugin for it (plugins/ in a Flink cluster, the classpath elsewhere)";
    }

    /** The first line of the innermost message: S3 and Hadoop errors span lines and repeat their causes. */
    static String oneLine(Throwable e) {
        Throwable t = e;
        String msg = null;
        for (int depth = 0; t != null && depth < 8; t = t.getCause(), depth++) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) msg = t.getClass().getSimpleName() + ": " + t.getMessage();
        }
        if (msg == null) return e.getClass().getSimpleName();
        String first = msg.strip().lines().findFirst().orElse(msg);
        return first.length() > 300 ? first.substring(0, 300) + "…" : first;
    }

    private Path path(String key) throws IOException {
        if (key.startsWith("/") || key.contains("..") || key.contains("\\")) throw new IOException("key escapes the store: " + key);
        return key.isEmpty() ? root : new Path(root, key);
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        Path p = path(key);
        try (InputStream in = fs.open(p)) {
            return Optional.of(in.readAllBytes());
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    private void write(Path p, byte[] data) throws IOException {
        // object stores have no directories to make; HDFS needs the parent
        if (!objectStore) fs.mkdirs(p.getParent());
        try (FSDataOutputStream out = fs.create(p, FileSystem.WriteMode.OVERWRITE)) {
            for (int at = 0; at < data.length; at += LocalDirectoryStore.IO_SLICE) out.write(data, at, Math.min(LocalDirectoryStore.IO_SLICE, data.length - at));
            out.flush();
            out.sync();
        }
    }

    private Path tempFor(Path target) {
        return new Path(target.getParent(), "." + target.getName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX);
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
        Path target = path(key);
        if (objectStore) {
            write(target, data); // visible only when the upload completes
            return;
        }
        Path tmp = tempFor(target);
        write(tmp, data);
        if (!fs.rename(tmp, target)) {
            // HDFS refuses to rename over an existing file
            fs.delete(target, false);
            if (!fs.rename(tmp, target)) {
                fs.delete(tmp, false);
                throw new IOException("cannot move " + tmp + " to " + target);
            }
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) throws IOException {
        Path target = path(key);
        if (fs.exists(target)) return false;
        if (objectStore) {
            write(target, data); // exclusive because every registry write holds locked()
            return true;
        }
        Path tmp = tempFor(target);
        write(tmp, data);
        if (fs.rename(tmp, target)) return true;
        fs.delete(tmp, false); // the rename refused an existing target
        return false;
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

    /** Temporaries are put's "." + name + "." + hex + ".tmp" objects; lock claims are not. */
    private int removeTemporaries(Path dir) throws IOException {
        FileStatus[] st = listOrNull(dir);
        if (st == null) return 0;
        int removed = 0;
        for (FileStatus s : st) {
            String n = s.getPath().getName();
            if (s.isDir()) {
                if (!n.equals(LOCK_DIR)) removed += removeTemporaries(s.getPath());
            } else if (n.startsWith(".") && n.endsWith(TEMP_SUFFIX) && fs.delete(s.getPath(), false)) {
                removed++;
            }
        }
        return removed;
    }

    private FileStatus[] listOrNull(Path dir) throws IOException {
        try {
            return fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return null;
        }
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        List<String> out = new ArrayList<>();
        FileStatus[] st = listOrNull(path(prefix));
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
        if (threadLock != null) threadLock.lock();
        try {
            Path claim = acquire();
            try {
                return body.get();
            } finally {
                fs.delete(claim, false);
            }
        } finally {
            if (threadLock != null) threadLock.unlock();
        }
    }

    /** Takes the store's lock (see the class comment); returns the claim to delete on release. */
    private Path acquire() throws IOException {
        Path dir = new Path(root, LOCK_DIR);
        Map<String, Long> firstSeen = new HashMap<>();
        long pause = 5;
        Path mine = null;
        while (true) {
            if (mine == null) {
                // time first, so claims sort roughly by age; the random part makes the name unique
                mine = new Path(dir, String.format("%016x-%016x", System.currentTimeMillis(), ThreadLocalRandom.current().nextLong()));
                write(mine, new byte[0]);
            }
            String oldest = null;
            boolean alone = true;
            boolean sawMine = false;
            long now = System.nanoTime();
            FileStatus[] claims = listOrNull(dir);
            for (FileStatus c : claims == null ? new FileStatus[0] : claims) {
                String n = c.getPath().getName();
                if (n.equals(mine.getName())) {
                    sawMine = true;
                    continue;
                }
                long seen = firstSeen.computeIfAbsent(n, k -> now);
                if ((now - seen) / 1_000_000 > leaseMillis) {
                    fs.delete(c.getPath(), false); // its writer died holding or claiming the lock
                    continue;
                }
                alone = false;
                if (oldest == null || n.compareTo(oldest) < 0) oldest = n;
            }
            if (!sawMine) {
                // a listing without our own claim: the store is not list-after-write consistent, and
                // the lock would not exclude anyone on it
                fs.delete(mine, false);
                throw new IOException(root + " did not list an object just written: the store is not consistent enough for a registry");
            }
            if (alone) return mine;
            if (oldest.compareTo(mine.getName()) < 0) {
                fs.delete(mine, false); // an older claim goes first; ours would only block it
                mine = null;
                sleep(ThreadLocalRandom.current().nextLong(1, pause + 1));
                pause = Math.min(pause * 2, 200);
            } else {
                // the oldest claim is next: look again soon, while the younger ones withdraw
                sleep(ThreadLocalRandom.current().nextLong(1, 6));
            }
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for the registry lock", e);
        }
    }

    @Override
    public String toString() {
        return "store " + root;
    }
}
