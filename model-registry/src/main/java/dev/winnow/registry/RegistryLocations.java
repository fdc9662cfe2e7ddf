package dev.winnow.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a registry location string into its store, the one place every entry point (the CLI's
 * {@code --dir}, {@code serve}, the jobs' {@code --registry}, SQL's {@code 'registry'}) goes through:
 * a plain path or a {@code file://} URI is a {@link LocalDirectoryStore}; any other scheme
 * ({@code s3://bucket/prefix}, {@code hdfs://namenode/path}, …) is a {@link FlinkFileSystemStore}
 * on Flink's file system for that scheme. {@code http(s)://} names a registry server, which callers
 * that accept one route before they get here.
 *
 * <p>Flink classes load only for a non-file scheme, so a directory registry needs no Flink on the
 * classpath. Stateless; any thread.
 */
public final class RegistryLocations {
    /** A URI scheme followed by "//": "C:\\x" or "a:b" stay paths. */
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://.*");
    /** Schemes Flink serves through a file system plugin or the Hadoop client; named in the error when it is absent. */
    private static final Set<String> PLUGIN_SCHEMES = Set.of("s3", "s3a", "s3p", "hdfs", "gs", "abfs", "abfss", "wasb", "wasbs", "oss", "viewfs", "webhdfs");

    /**
     * The AWS SDK inside Flink's S3 file system reports through java.util.logging: a deprecation
     * notice with a stack trace, and warnings about optional JAXB and mime types. Held here because
     * the JDK forgets the level of a logger nobody references.
     */
    private static final java.util.logging.Logger AWS_SDK_LOG = java.util.logging.Logger.getLogger("com.amazonaws");

    private RegistryLocations() {}

    /** The scheme of a {@code scheme://…} location, or null for a plain path. */
    public static String scheme(String location) {
        var m = SCHEME.matcher(location);
        return m.matches() ? m.group(1).toLowerCase(java.util.Locale.ROOT) : null;
    }

    /** True when the location is a local directory (a plain path or {@code file://}). */
    public static boolean isLocal(String location) {
        String s = scheme(location);
        return s == null || s.equals("file");
    }

    /**
     * For a command-line process only (inside a Flink job the cluster has set up its file systems and
     * plugins): sets up Flink's file systems as the {@code flink} command does. The configuration is
     * {@code $FLINK_CONF_DIR/config.yaml} when that is set ({@code s3.endpoint},
     * {@code s3.path.style.access}, {@code s3.access-key}, {@code s3.secret-key}, …; without it S3
     * credentials come from the AWS defaults). The plugins are the folders under
     * {@code $FLINK_PLUGINS_DIR}, else under {@code plugins/} beside the jar this class came from (the
     * winnow build puts {@code plugins/hdfs} there); see {@link FileSystemPlugins}.
     */
    public static void configureFromEnvironment() {
        // a command's output is its own one-line errors, not the SDK's notices on stderr
        if (System.getProperty("aws.java.v1.disableDeprecationAnnouncement") == null) System.setProperty("aws.java.v1.disableDeprecationAnnouncement", "true");
        AWS_SDK_LOG.setLevel(java.util.logging.Level.SEVERE);
        String dir = System.getenv("FLINK_CONF_DIR");
        Path plugins = pluginsRoot(System.getenv("FLINK_PLUGINS_DIR"));
        if ((dir == null || dir.isBlank()) && plugins == null) return;
        try {
            FlinkFileSystemStore.configure(dir == null || dir.isBlank() ? null : dir, plugins);
        } catch (NoClassDefFoundError noFlink) {
            // a build without Flink serves directories only; open() says so if a URI is given
        } catch (RuntimeException badPlugin) {
            // only registries on those file systems need the plugins; a directory registry still works
            System.err.println("winnow: file system plugins not loaded: " + FlinkFileSystemStore.oneLine(badPlugin));
        }
    }

    /** The plugins root: the given folder, else {@code plugins/} beside this class's jar when there is one. */
    static Path pluginsRoot(String configured) {
        if (configured != null && !configured.isBlank()) return Path.of(configured);
        try {
            var source = RegistryLocations.class.getProtectionDomain().getCodeSource();
            if (source == null) return null;
            Path jar = Path.of(source.getLocation().toURI());
            Path beside = jar.getParent() == null ? null : jar.getParent().resolve("plugins");
            return jar.toString().endsWith(".jar") && beside != null && java.nio.file.Files.isDirectory(beside) ? beside : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Opens the store a location names. Throws an IOException with a one-line message naming the
     * location for a malformed URI, an http(s) URL (a server, not a store), a scheme no file system
     * serves, or a file system that cannot reach its storage (endpoint down, bucket missing).
     */
    public static BlobStore open(String location) throws IOException {
        String s = scheme(location);
        if (s == null) return new LocalDirectoryStore(Path.of(location));
        URI uri;
        try {
            uri = new URI(location);
        } catch (URISyntaxException e) {
            throw new IOException("registry location " + location + ": not a valid URI (" + e.getReason() + ")");
        }
        if (s.equals("file")) return new LocalDirectoryStore(Path.of(uri));
        if (s.equals("http") || s.equals("https")) throw new IOException("registry location " + location + " is a registry server, not a store: pass it as the server URL");
        if (uri.getAuthority() == null && uri.getPath().isEmpty()) throw new IOException("registry location " + location + ": no bucket or path after " + s + "://");
        try {
            return FlinkFileSystemStore.open(uri, PLUGIN_SCHEMES.contains(s));
        } catch (NoClassDefFoundError e) {
            throw new IOException("registry location " + location + ": " + s + ":// needs Flink's file systems (flink-core) on the classpath; "
                    + "they are in the winnow jar and in every Flink job");
        }
    }
}
