package dev.winnow.registry;

import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3 server in this JVM: s3proxy on a random 127.0.0.1 port, keeping buckets as folders under a
 * local directory, with Flink's S3 file system pointed at it. Signed requests (AWS v2 or v4) with a
 * fixed test key, path-style access, and one attempt per request so a failure surfaces at once.
 */
public final class S3ProxyServer implements AutoCloseable {
    static final String ACCESS = "winnow-test";
    static final String SECRET = "winnow-test-secret";

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final Path base;

    public S3ProxyServer(Path base) throws Exception {
        this.base = base;
        Properties p = new Properties();
        p.setProperty("jclouds.filesystem.basedir", base.toString());
        context = ContextBuilder.newBuilder("filesystem").overrides(p).build(BlobStoreContext.class);
        proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            Thread.sleep(5);
        }
        useEndpoint("http://127.0.0.1:" + proxy.getPort());
    }

    /** Creates a bucket (a folder under the base directory). */
    public void createBucket(String name) {
        context.getBlobStore().createContainerInLocation(null, name);
    }

    public Path base() {
        return base;
    }

    public int port() {
        return proxy.getPort();
    }

    /** Points Flink's s3:// file system at {@code endpoint} (also used to aim it at a closed port). */
    public static void useEndpoint(String endpoint) {
        Configuration c = new Configuration();
        c.setString("s3.endpoint", endpoint);
        c.setString("s3.path.style.access", "true");
        c.setString("s3.access-key", ACCESS);
        c.setString("s3.secret-key", SECRET);
        // fail fast: the defaults retry a refused connection for minutes
        c.setString("fs.s3a.attempts.maximum", "1");
        c.setString("fs.s3a.retry.limit", "1");
        c.setString("fs.s3a.retry.interval", "10ms");
        c.setString("fs.s3a.connection.establish.timeout", "2000");
        c.setString("fs.s3a.connection.timeout", "5000");
        // S3A otherwise deletes the (absent) parent directory markers after every write, and s3proxy's
        // file system backend retries deleting an absent file for about 20 s; "keep" is also fewer requests on S3
        c.setString("fs.s3a.directory.marker.retention", "keep");
        FileSystem.initialize(c, null);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
        FileSystem.initialize(new Configuration(), null);
    }
}
