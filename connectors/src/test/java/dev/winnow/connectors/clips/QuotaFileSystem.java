package dev.winnow.connectors.clips;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystemFactory;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.local.LocalFileSystem;

/**
 * {@code quota:///dir}: the local file system with a byte budget for writes shared by the JVM; a
 * write past it throws "No space left on device", as a full disk does. For tests.
 */
public final class QuotaFileSystem extends LocalFileSystem {
    public static final AtomicLong LEFT = new AtomicLong(Long.MAX_VALUE);

    @Override
    public FSDataOutputStream create(Path path, WriteMode mode) throws IOException {
        FSDataOutputStream out = super.create(path, mode);
        return new FSDataOutputStream() {
            private long pos;

            private void take(long n) throws IOException {
                if (LEFT.addAndGet(-n) < 0) throw new IOException("No space left on device (quota file system)");
                pos += n;
            }

            @Override public void write(int b) throws IOException { take(1); out.write(b); }
            @Override public void write(byte[] b, int off, int len) throws IOException { take(len); out.write(b, off, len); }
            @Override public long getPos() { return pos; }
            @Override public void flush() throws IOException { out.flush(); }
            @Override public void sync() throws IOException { out.sync(); }
            @Override public void close() throws IOException { out.close(); }
        };
    }

    @Override
    public URI getUri() {
        return URI.create("quota:///");
    }

    public static final class Factory implements FileSystemFactory {
        @Override public String getScheme() { return "quota"; }
        @Override public FileSystem create(URI uri) { return new QuotaFileSystem(); }
    }
}
