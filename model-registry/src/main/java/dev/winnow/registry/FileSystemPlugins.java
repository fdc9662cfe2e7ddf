package dev.winnow.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystemFactory;
import org.apache.flink.core.plugin.DirectoryBasedPluginFinder;
import org.apache.flink.core.plugin.PluginDescriptor;
import org.apache.flink.core.plugin.PluginLoader;
import org.apache.flink.core.plugin.PluginManager;

/**
 * Flink file system plugins for a process outside a Flink cluster (the {@code winnow} CLI, {@code serve}):
 * each folder under a plugins root is loaded in its own class loader, as a Flink distribution loads
 * {@code plugins/}. Two kinds of plugin folder:
 * <ul>
 *   <li>a jar that declares its {@link FileSystemFactory} as a service (Flink's {@code flink-s3-fs-*},
 *       {@code flink-gs-fs-hadoop}, …) serves the schemes it declares;</li>
 *   <li>a folder holding {@code flink-hadoop-fs} and the Hadoop client (the winnow build lays one out as
 *       {@code plugins/hdfs}) serves {@code hdfs://}, {@code webhdfs://} and {@code viewfs://}. Flink
 *       itself reaches its Hadoop bridge only by class name on the main class path, where Hadoop 3.5 would
 *       clash with the Hadoop 3.3.4 classes the bundled S3 file system carries unrelocated; in a plugin
 *       class loader each keeps its own {@code org.apache.hadoop}.</li>
 * </ul>
 * Call {@link #initialize} once, at process start, before any store opens. Not for use inside a Flink
 * job, whose cluster has set up its file systems already.
 */
final class FileSystemPlugins implements PluginManager {
    /** Flink's Hadoop bridge; it claims the wildcard scheme, so it is bound to these by name. */
    static final String HADOOP_FACTORY = "org.apache.flink.runtime.fs.hdfs.HadoopFsFactory";
    static final List<String> HADOOP_SCHEMES = List.of("hdfs", "webhdfs", "viewfs");

    private final List<PluginLoader> loaders = new ArrayList<>();
    private final List<FileSystemFactory> hadoopFactories = new ArrayList<>();

    private FileSystemPlugins(Collection<PluginDescriptor> plugins, String[] parentFirst) throws IOException {
        ClassLoader parent = FileSystemPlugins.class.getClassLoader();
        for (PluginDescriptor plugin : plugins) {
            URLClassLoader loader = PluginLoader.createPluginClassLoader(plugin, parent, parentFirst);
            loaders.add(new PluginLoader(plugin.getPluginId(), loader));
            FileSystemFactory hadoop = hadoopFactory(loader, plugin.getPluginId());
            if (hadoop != null) {
                for (String scheme : HADOOP_SCHEMES) hadoopFactories.add(new SchemeBound(scheme, hadoop));
            }
        }
    }

    /**
     * Sets up Flink's file systems with {@code config} and the plugins under {@code pluginsRoot} (each
     * sub-folder one plugin; null or a missing folder: none).
     */
    static void initialize(Configuration config, Path pluginsRoot) throws IOException {
        Collection<PluginDescriptor> plugins = pluginsRoot != null && Files.isDirectory(pluginsRoot)
                ? new DirectoryBasedPluginFinder(pluginsRoot).findPlugins() : Collections.emptyList();
        FileSystem.initialize(config, new FileSystemPlugins(plugins, CoreOptions.getPluginParentFirstLoaderPatterns(config)));
    }

    /** The plugin's Hadoop bridge, or null when the folder holds another kind of plugin. */
    private static FileSystemFactory hadoopFactory(ClassLoader loader, String pluginId) {
        Class<?> type;
        try {
            type = Class.forName(HADOOP_FACTORY, false, loader);
        } catch (ClassNotFoundException | LinkageError absent) {
            return null;
        }
        // Flink's own classes load parent-first: a bridge found on the main class path belongs to that
        // class path, not to this folder, and is Flink's fallback there already
        if (type.getClassLoader() != loader) return null;
        try {
            return (FileSystemFactory) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("file system plugin " + pluginId + ": cannot create " + HADOOP_FACTORY + ": " + e, e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <P> Iterator<P> load(Class<P> service) {
        List<P> found = new ArrayList<>();
        Set<String> declared = new HashSet<>();
        for (PluginLoader loader : loaders) {
            for (Iterator<P> it = loader.load(service); it.hasNext(); ) {
                P p = it.next();
                found.add(p);
                if (p instanceof FileSystemFactory f) declared.add(f.getScheme());
            }
        }
        if (service == FileSystemFactory.class) {
            // a plugin that declares a Hadoop scheme itself wins over the bridge
            for (FileSystemFactory f : hadoopFactories) {
                if (!declared.contains(f.getScheme())) found.add((P) f);
            }
        }
        return found.iterator();
    }

    private interface IoCall<T> {
        T run() throws IOException;
    }

    /** The Hadoop bridge under one scheme; its class loader stays the plugin's, so Flink runs it there. */
    private record SchemeBound(String scheme, FileSystemFactory delegate) implements FileSystemFactory {
        @Override public String getScheme() { return scheme; }
        @Override public FileSystem create(URI uri) throws IOException {
            return underPluginLoader(() -> delegate.create(uri));
        }
        /**
         * Under the plugin's class loader: the bridge builds its Hadoop configuration here and in
         * {@code create}, and Hadoop finds its file systems and resolves classes through the context class
         * loader of that moment (the main class path's Hadoop 3.3.4 would answer otherwise). Flink sets
         * the loader of the factory's own class, which for this wrapper is the main class path's.
         */
        @Override public void configure(Configuration config) {
            try {
                underPluginLoader(() -> {
                    delegate.configure(config);
                    return null;
                });
            } catch (IOException impossible) {
                throw new java.io.UncheckedIOException(impossible);
            }
        }

        private <T> T underPluginLoader(IoCall<T> call) throws IOException {
            Thread t = Thread.currentThread();
            ClassLoader before = t.getContextClassLoader();
            t.setContextClassLoader(delegate.getClassLoader());
            try {
                return call.run();
            } finally {
                t.setContextClassLoader(before);
            }
        }

        @Override public ClassLoader getClassLoader() { return delegate.getClassLoader(); }
    }
}
