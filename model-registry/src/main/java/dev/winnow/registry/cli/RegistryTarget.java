package dev.winnow.registry.cli;

import dev.winnow.registry.HttpRegistryClient;
import dev.winnow.registry.LocalRegistryClient;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.registry.ModelVersion;
import dev.winnow.registry.RegistryEvent;
import dev.winnow.registry.RegistryException;
import dev.winnow.registry.RegistryLocations;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Where a command acts: a registry location (directory, s3://, hdfs://) in-process, or a registry server. */
public final class RegistryTarget {
    @ArgGroup(exclusive = true)
    Where where = new Where();

    static final class Where {
        // a String, not a Path: Path.of("hdfs:///r") would collapse the "//" and make a local folder "hdfs:"
        @Option(names = "--dir", description = "registry location: a directory, file://, s3://bucket/prefix or hdfs://namenode/path (default: ${DEFAULT-VALUE})",
                defaultValue = "registry")
        String dir = "registry";

        @Option(names = "--url", description = "registry server, e.g. http://localhost:8470")
        URI url;
    }

    @Option(names = "--token", description = "bearer token for writes to a server (default: $WINNOW_REGISTRY_TOKEN)")
    String token = System.getenv("WINNOW_REGISTRY_TOKEN");

    /** The operations the CLI needs, over either kind of registry. */
    interface Ops {
        /** Publishes and, when {@code alias} is not null, points it at the version in the same commit. */
        ModelVersion publish(String model, byte[] artifact, Map<String, String> tags, boolean allowSignatureChange, String alias) throws IOException, RegistryException;
        List<String> models() throws IOException, RegistryException;
        List<ModelVersion> versions(String model) throws IOException, RegistryException;
        Map<String, Integer> aliases(String model) throws IOException, RegistryException;
        RegistryEvent setAlias(String model, String alias, int version) throws IOException, RegistryException;
        RegistryEvent removeAlias(String model, String alias) throws IOException, RegistryException;
        RegistryEvent rollback(String model, String alias) throws IOException, RegistryException;
        List<RegistryEvent> events(long after, int waitSeconds) throws IOException, RegistryException;
    }

    Ops open() throws IOException, RegistryException {
        if (where.url != null) return http(new HttpRegistryClient(where.url, token, null));
        ModelRegistry r = new ModelRegistry(RegistryLocations.open(where.dir));
        String actor = System.getProperty("user.name", "cli");
        LocalRegistryClient local = new LocalRegistryClient(r, List.of());
        return new Ops() {
            public ModelVersion publish(String m, byte[] a, Map<String, String> t, boolean allow, String alias) throws IOException, RegistryException {
                return r.publish(m, a, actor, t, allow, alias);
            }
            public List<String> models() throws IOException, RegistryException { return r.models(); }
            public List<ModelVersion> versions(String m) throws IOException, RegistryException { return r.versions(m); }
            public Map<String, Integer> aliases(String m) throws IOException, RegistryException { return r.aliases(m); }
            public RegistryEvent setAlias(String m, String a, int v) throws IOException, RegistryException { return r.setAlias(m, a, v, actor); }
            public RegistryEvent removeAlias(String m, String a) throws IOException, RegistryException { return r.removeAlias(m, a, actor); }
            public RegistryEvent rollback(String m, String a) throws IOException, RegistryException { return r.rollback(m, a, actor); }
            // the client's poll honours the wait: without it `events --follow --dir` re-read the log in a busy loop
            public List<RegistryEvent> events(long after, int wait) throws IOException, RegistryException { return local.events(after, wait); }
        };
    }

    private static Ops http(HttpRegistryClient c) {
        return new Ops() {
            public ModelVersion publish(String m, byte[] a, Map<String, String> t, boolean allow, String alias) throws IOException, RegistryException {
                return c.publish(m, a, t, allow, alias);
            }
            public List<String> models() throws IOException, RegistryException { return c.models(); }
            @SuppressWarnings("unchecked")
            public List<ModelVersion> versions(String m) throws IOException, RegistryException {
                List<ModelVersion> out = new java.util.ArrayList<>();
                for (Object o : (List<Object>) c.show(m).get("versions")) out.add(c.resolve(m + ":" + ((Map<String, Object>) o).get("version")));
                return out;
            }
            @SuppressWarnings("unchecked")
            public Map<String, Integer> aliases(String m) throws IOException, RegistryException {
                Map<String, Integer> out = new java.util.TreeMap<>();
                ((Map<String, Object>) c.show(m).get("aliases")).forEach((k, v) -> out.put(k, ((Number) v).intValue()));
                return out;
            }
            public RegistryEvent setAlias(String m, String a, int v) throws IOException, RegistryException { return c.setAlias(m, a, v); }
            public RegistryEvent removeAlias(String m, String a) throws IOException, RegistryException { return c.removeAlias(m, a); }
            public RegistryEvent rollback(String m, String a) throws IOException, RegistryException { return c.rollback(m, a); }
            public List<RegistryEvent> events(long after, int wait) throws IOException, RegistryException { return c.events(after, wait); }
        };
    }
}
