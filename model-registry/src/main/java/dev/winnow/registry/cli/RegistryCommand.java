package dev.winnow.registry.cli;

import dev.winnow.registry.ModelRegistry;
import dev.winnow.registry.ModelVersion;
import dev.winnow.registry.RegistryEvent;
import dev.winnow.registry.RegistryHttpServer;
import dev.winnow.registry.RegistryLocations;
import dev.winnow.runtime.format.Artifact;
import dev.winnow.runtime.format.ArtifactReader;
import dev.winnow.runtime.format.Ed25519Keys;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code winnow registry …}: publish, promote and inspect models; serve a registry over HTTP. */
@Command(name = "registry", mixinStandardHelpOptions = true, description = "Versioned model registry: aliases, signatures, change feed.",
        subcommands = {RegistryCommand.Serve.class, RegistryCommand.Publish.class, RegistryCommand.ListModels.class, RegistryCommand.Show.class,
                RegistryCommand.Alias.class, RegistryCommand.Rollback.class, RegistryCommand.Events.class, RegistryCommand.Verify.class})
public final class RegistryCommand implements Runnable {
    @Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        RegistryLocations.configureFromEnvironment();
        CommandLine cl = Exits.install(new CommandLine(new RegistryCommand()), e -> false);
        int code = cl.execute(args);
        cl.getOut().flush();
        System.exit(code);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Base for subcommands; a registry refusal reaches {@link Exits}: one clear line and exit code 9. */
    abstract static class Sub implements Callable<Integer> {
        @Spec CommandLine.Model.CommandSpec spec;

        PrintWriter out() { return spec.commandLine().getOut(); }

        @Override
        public Integer call() throws Exception {
            return execute();
        }

        abstract int execute() throws Exception;
    }

    /** A subcommand on a registry: a directory, or a server's URL with its token. */
    abstract static class OnRegistry extends Sub {
        @Mixin RegistryTarget target;
    }

    static String row(ModelVersion v, Map<String, Integer> aliases) {
        List<String> names = new ArrayList<>();
        aliases.forEach((a, n) -> { if (n == v.version()) names.add(a); });
        return String.format("%-8d %-14s %-10s %10d  %-20s %-10s %s%s", v.version(), v.sha256().substring(0, 12), v.family(), v.size(),
                Instant.ofEpochMilli(v.publishedMillis()).toString().substring(0, 19), v.uploader(),
                String.join(",", names), v.archived() ? " (archived)" : "");
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Serve a registry (a directory, s3:// or hdfs://) over HTTP.")
    static final class Serve extends Sub {
        @Option(names = "--dir", defaultValue = "registry",
                description = "registry location: a directory, file://, s3://bucket/prefix or hdfs://namenode/path (default: ${DEFAULT-VALUE})") String dir;
        @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE})") String host;
        @Option(names = "--port", defaultValue = "8470", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE})") int port;
        @Option(names = "--token", description = "write token (default: $WINNOW_REGISTRY_TOKEN)") String token = System.getenv("WINNOW_REGISTRY_TOKEN");
        @Option(names = "--trust", description = "Ed25519 public key (PEM) whose signatures are accepted; repeatable") List<Path> trust = new ArrayList<>();
        @Option(names = "--allow-unsigned", description = "accept unsigned publishes (by default only signed artifacts are accepted; "
                + "with --trust, only those signed by a trusted key)") boolean allowUnsigned;
        @Option(names = "--max-upload-mb", defaultValue = "64", description = "largest artifact a publish may upload, in MiB (default: ${DEFAULT-VALUE})") int maxUploadMb;
        @Option(names = "--max-requests", defaultValue = "512", description = "requests read or handled at once; beyond, 503 with Retry-After (default: ${DEFAULT-VALUE})") int maxRequests;
        @Option(names = "--max-connections", defaultValue = "2048", description = "connections open at once; one beyond is closed at once (default: ${DEFAULT-VALUE})") int maxConnections;
        @Option(names = "--max-long-polls", defaultValue = "1024", description = "change-feed long polls waiting at once; beyond, 503 (default: ${DEFAULT-VALUE})") int maxLongPolls;
        @Option(names = "--max-uploads", defaultValue = "32", description = "uploads received at once; beyond, 503 (default: ${DEFAULT-VALUE})") int maxUploads;
        @Option(names = "--artifact-memory-mb", defaultValue = "192", description = "heap that artifacts being verified or served share, counted as 2x each artifact, in MiB (default: ${DEFAULT-VALUE})") int artifactMemoryMb;
        @Option(names = "--request-timeout-s", defaultValue = "60", description = "seconds a client has to send a request or take a response (default: ${DEFAULT-VALUE})") int requestTimeoutS;
        /** Serving ends when this opens; only a test opens it (a process ends with its signal). */
        final CountDownLatch stop = new CountDownLatch(1);
        @Option(names = "--idle-timeout-s", defaultValue = "30", description = "seconds a connection may sit without a request before it is closed (default: ${DEFAULT-VALUE})") int idleTimeoutS;

        @Override
        int execute() throws Exception {
            if (token == null) throw new CommandLine.ParameterException(spec.commandLine(), "give --token or set WINNOW_REGISTRY_TOKEN");
            List<PublicKey> keys = new ArrayList<>();
            for (Path p : trust) keys.add(Ed25519Keys.readPublicPem(p));
            RegistryHttpServer.Config config;
            try {
                config = RegistryHttpServer.Config.builder(token).maxUploadBytes((long) maxUploadMb << 20).maxConcurrentRequests(maxRequests)
                        .maxConnections(maxConnections).maxLongPolls(maxLongPolls).maxUploads(maxUploads).artifactMemoryBytes((long) artifactMemoryMb << 20)
                        .requestTimeout(java.time.Duration.ofSeconds(requestTimeoutS)).idleTimeout(java.time.Duration.ofSeconds(idleTimeoutS)).build();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            if (allowUnsigned && !keys.isEmpty()) throw new CommandLine.ParameterException(spec.commandLine(), "--allow-unsigned and --trust contradict each other: give one");
            ModelRegistry r = new ModelRegistry(RegistryLocations.open(dir), keys, !allowUnsigned, Clock.systemUTC());
            // what a crash left (temporary files, a blob whose publish never committed) goes before serving
            int removed = r.recover();
            RegistryHttpServer s = new RegistryHttpServer(r, new InetSocketAddress(host, port), config).start();
            out().printf("serving %s on http://%s:%d (%s, %d leftovers removed)%n", RegistryLocations.scheme(dir) == null ? Path.of(dir).toAbsolutePath() : dir, host, s.port(),
                    allowUnsigned ? "unsigned accepted" : keys.isEmpty() ? "signed only, any key" : keys.size() + " trusted keys", removed);
            out().flush();
            try {
                stop.await();
            } finally {
                s.close();
            }
            return 0;
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true, description = "Publish an artifact as the next version of a model.")
    static final class Publish extends OnRegistry {
        @Parameters(index = "0", description = "model name") String model;
        @Parameters(index = "1", description = "artifact (.wnm)") Path file;
        @Option(names = "--tag", description = "key=value, repeatable") Map<String, String> tags = new LinkedHashMap<>();
        @Option(names = "--alias", description = "also point this alias at the new version, in the same commit") String alias;
        @Option(names = "--allow-signature-change", description = "accept an input spec or labels that differ from the model's current version "
                + "(jobs following its aliases will fail to load it)") boolean allowSignatureChange;

        @Override
        int execute() throws Exception {
            RegistryTarget.Ops ops = target.open();
            // one commit: a crash cannot leave the version published and the alias not moved
            ModelVersion v = ops.publish(model, Files.readAllBytes(file), tags, allowSignatureChange, alias);
            out().printf("%-8s %-14s %-10s %10s  %-20s %-10s %s%n", "version", "sha256", "family", "bytes", "published", "by", "aliases");
            out().println(row(v, alias == null ? Map.of() : Map.of(alias, v.version())));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the models.")
    static final class ListModels extends OnRegistry {

        @Override
        int execute() throws Exception {
            RegistryTarget.Ops ops = target.open();
            out().printf("%-32s %8s  %s%n", "model", "versions", "aliases");
            for (String m : ops.models()) out().printf("%-32s %8d  %s%n", m, ops.versions(m).size(), ops.aliases(m));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a model's versions and aliases.")
    static final class Show extends OnRegistry {
        @Parameters(description = "model name") String model;

        @Override
        int execute() throws Exception {
            RegistryTarget.Ops ops = target.open();
            Map<String, Integer> aliases = ops.aliases(model);
            out().printf("%-8s %-14s %-10s %10s  %-20s %-10s %s%n", "version", "sha256", "family", "bytes", "published", "by", "aliases");
            for (ModelVersion v : ops.versions(model)) out().println(row(v, aliases));
            return 0;
        }
    }

    @Command(name = "alias", mixinStandardHelpOptions = true, description = "Point an alias at a version, or remove it.")
    static final class Alias extends OnRegistry {
        @Parameters(index = "0") String model;
        @Parameters(index = "1") String alias;
        @Parameters(index = "2", arity = "0..1", description = "version (omit with --remove)") Integer version;
        @Option(names = "--remove", description = "remove the alias instead of pointing it at a version") boolean remove;

        @Override
        int execute() throws Exception {
            RegistryTarget.Ops ops = target.open();
            if (remove == (version != null)) throw new CommandLine.ParameterException(spec.commandLine(), "give a version, or --remove");
            RegistryEvent e = remove ? ops.removeAlias(model, alias) : ops.setAlias(model, alias, version);
            out().printf("#%d %s@%s %s%n", e.sequence(), model, alias,
                    remove ? "removed (was " + e.previousVersion() + ")" : "-> " + e.version() + (e.previousVersion() > 0 ? " (was " + e.previousVersion() + ")" : ""));
            return 0;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Move an alias back to the version it had before its last move.")
    static final class Rollback extends OnRegistry {
        @Parameters(index = "0") String model;
        @Parameters(index = "1") String alias;

        @Override
        int execute() throws Exception {
            RegistryEvent e = target.open().rollback(model, alias);
            out().printf("#%d %s@%s -> %d (was %d)%n", e.sequence(), model, alias, e.version(), e.previousVersion());
            return 0;
        }
    }

    @Command(name = "events", mixinStandardHelpOptions = true, description = "Print the change feed.")
    static final class Events extends OnRegistry {
        @Option(names = "--after", defaultValue = "0", description = "print the events after this sequence number (default: ${DEFAULT-VALUE}, from the first)") long after;
        @Option(names = "--follow", description = "keep waiting for new events") boolean follow;

        @Override
        int execute() throws Exception {
            RegistryTarget.Ops ops = target.open();
            out().printf("%-6s %-14s %-24s %-8s %s%n", "seq", "type", "model", "version", "alias");
            long last = after;
            do {
                for (RegistryEvent e : ops.events(last, follow ? 30 : 0)) {
                    out().printf("%-6d %-14s %-24s %-8d %s%n", e.sequence(), e.type().name().toLowerCase(), e.model(), e.version(), e.alias() == null ? "" : e.alias());
                    last = e.sequence();
                }
                out().flush();
            } while (follow);
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = "Check an artifact file: format, digest and, with --trust, its signature.")
    static final class Verify extends Sub {
        @Parameters(description = "artifact (.wnm)") Path file;
        @Option(names = "--trust", description = "Ed25519 public key (PEM); repeatable") List<Path> trust = new ArrayList<>();

        @Override
        int execute() throws Exception {
            Artifact a = ArtifactReader.read(file);   // an invalid artifact: exit 3 (Exits)
            List<PublicKey> keys = new ArrayList<>();
            for (Path p : trust) keys.add(Ed25519Keys.readPublicPem(p));
            String sig = a.signature().isEmpty() ? "unsigned" : a.signatureIntact() ? "signed (intact)" : "signature BROKEN";
            boolean trusted = !keys.isEmpty() && a.verifySignedBy(keys);
            out().printf("%-24s %-10s %10s  %-16s %s%n", "model", "family", "bytes", "sha256", "signature");
            out().printf("%-24s %-10s %10d  %-16s %s%s%n", a.metadata().name(), a.metadata().family(), a.sizeBytes(), a.sha256Hex().substring(0, 16), sig,
                    keys.isEmpty() ? "" : trusted ? ", trusted" : ", NOT trusted");
            // a broken signature fails even without --trust; with --trust, only a trusted signer passes
            if (a.signature().isPresent() && !a.signatureIntact()) return Exits.BAD_SIGNATURE;
            if (keys.isEmpty()) return Exits.OK;
            if (a.signature().isEmpty()) return Exits.UNSIGNED;
            return trusted ? Exits.OK : Exits.UNTRUSTED_KEY;
        }
    }
}
