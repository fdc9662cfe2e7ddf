package dev.winnow.registry.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.registry.LocalDirectoryStore;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.registry.RegistryHttpServer;
import dev.winnow.runtime.format.ArtifactWriter;
import dev.winnow.runtime.format.Ed25519Keys;
import dev.winnow.runtime.format.Metadata;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RegistryCommandTest {
    @TempDir Path tmp;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Exits.install(new CommandLine(new RegistryCommand()), e -> false);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path artifact(String name, int seed, KeyPair keys) throws Exception {
        ArtifactWriter w = new ArtifactWriter(Metadata.builder(name, "protonn").input("x", new int[] {2}, "float32", "features", null).build());
        w.addFloat32("w", new int[] {2}, new float[] {seed, 1});
        Path f = tmp.resolve(name + "-" + seed + ".wnm");
        Files.write(f, keys == null ? w.toBytes() : w.toBytesSigned(keys.getPrivate(), keys.getPublic()));
        return f;
    }

    @Test
    void publishPromoteRollbackAndInspectOnADirectory() throws Exception {
        String dir = tmp.resolve("reg").toString();
        assertEquals(0, run("publish", "--dir", dir, "letters", artifact("letters", 1, null).toString(), "--tag", "data=uci").code());
        Result p2 = run("publish", "--dir", dir, "letters", artifact("letters", 2, null).toString(), "--alias", "production");
        assertEquals(0, p2.code(), p2.err());
        assertTrue(p2.out().contains("production"), p2.out());
        assertEquals(0, run("alias", "--dir", dir, "letters", "canary", "1").code());
        Result show = run("show", "--dir", dir, "letters");
        assertTrue(show.out().lines().anyMatch(l -> l.startsWith("1 ") && l.contains("canary")), show.out());
        assertTrue(show.out().lines().anyMatch(l -> l.startsWith("2 ") && l.contains("production")), show.out());
        assertEquals(0, run("alias", "--dir", dir, "letters", "production", "1").code());
        Result rb = run("rollback", "--dir", dir, "letters", "production");
        assertTrue(rb.out().contains("-> 2 (was 1)"), rb.out());
        Result events = run("events", "--dir", dir, "--after", "1");
        assertEquals(5, events.out().lines().count(), events.out()); // header + the publish that moved production + 3 alias events
        // publish --alias is one commit: the publish event names the alias, no separate alias event
        assertTrue(events.out().lines().anyMatch(l -> l.matches("2\\s+publish\\s+letters\\s+2\\s+production")), events.out());
        Result list = run("list", "--dir", dir);
        assertTrue(list.out().contains("letters") && list.out().contains("2"), list.out());
        Result bad = run("alias", "--dir", dir, "letters", "production", "9");
        assertEquals(Exits.REGISTRY, bad.code());
        assertTrue(bad.err().contains("no version 9"), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), "one line: " + bad.err());
        assertEquals(Exits.REGISTRY, run("publish", "--dir", dir, "../escape", artifact("x", 1, null).toString()).code());
    }

    @Test
    void verifyReportsSignatureAndTrust() throws Exception {
        KeyPair keys = Ed25519Keys.generate();
        Path pem = tmp.resolve("ours.pub.pem");
        Ed25519Keys.writePem(pem, keys.getPublic());
        Result signed = run("verify", artifact("m", 1, keys).toString(), "--trust", pem.toString());
        assertEquals(0, signed.code());
        assertTrue(signed.out().contains("signed (intact), trusted"), signed.out());
        Result unsigned = run("verify", artifact("m", 2, null).toString(), "--trust", pem.toString());
        assertEquals(Exits.UNSIGNED, unsigned.code());
        Path broken = artifact("m", 3, null);
        byte[] b = Files.readAllBytes(broken);
        b[20] ^= 1;
        Files.write(broken, b);
        Result invalid = run("verify", broken.toString());
        assertEquals(Exits.INVALID_ARTIFACT, invalid.code());
        assertTrue(invalid.err().startsWith("registry: invalid artifact: "), invalid.err());
    }

    @Test
    void aBrokenSignatureFailsWithOrWithoutTrust() throws Exception {
        KeyPair keys = Ed25519Keys.generate();
        Path pem = tmp.resolve("ours.pub.pem");
        Ed25519Keys.writePem(pem, keys.getPublic());
        Path f = artifact("m", 4, keys);
        byte[] b = Files.readAllBytes(f);
        b[b.length - 1] ^= 1; // the last byte of the signature: digest intact, signature not
        Files.write(f, b);
        Result bare = run("verify", f.toString());
        assertEquals(Exits.BAD_SIGNATURE, bare.code(), bare.out() + bare.err());
        assertTrue(bare.out().contains("signature BROKEN"), bare.out());
        assertEquals(Exits.BAD_SIGNATURE, run("verify", f.toString(), "--trust", pem.toString()).code());
        Result intact = run("verify", artifact("m", 5, keys).toString());
        assertEquals(Exits.OK, intact.code(), "an intact signature without --trust: format and digest pass");
        assertTrue(intact.out().contains("signed (intact)"), intact.out());
    }

    @Test
    void serveRefusesTrustTogetherWithAllowUnsigned() throws Exception {
        KeyPair keys = dev.winnow.runtime.format.Ed25519Keys.generate();
        Path pem = tmp.resolve("team.pub.pem");
        dev.winnow.runtime.format.Ed25519Keys.writePem(pem, keys.getPublic());
        // both would be a trust list that accepts unsigned: the command stops before serving
        Result r = run("serve", "--dir", tmp.resolve("reg").toString(), "--port", "0", "--token", "cli-token-0123456789",
                "--trust", pem.toString(), "--allow-unsigned");
        assertEquals(Exits.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--allow-unsigned and --trust contradict each other"), r.err());
    }

    @Test
    void publishAndListThroughAServer() throws Exception {
        // as serve builds it by default: signed publishes only
        ModelRegistry r = new ModelRegistry(new LocalDirectoryStore(tmp.resolve("srv")), java.util.List.of(), true, java.time.Clock.systemUTC());
        KeyPair keys = dev.winnow.runtime.format.Ed25519Keys.generate();
        try (RegistryHttpServer s = new RegistryHttpServer(r, new InetSocketAddress("127.0.0.1", 0), "cli-token-0123456789", 1 << 20).start()) {
            String url = "http://127.0.0.1:" + s.port();
            Result unsigned = run("publish", "--url", url, "--token", "cli-token-0123456789", "remote", artifact("remote", 3, null).toString());
            assertNotEquals(0, unsigned.code());
            assertTrue(unsigned.err().contains("--allow-unsigned"), "the refusal names the option: " + unsigned.err());
            Result p = run("publish", "--url", url, "--token", "cli-token-0123456789", "remote", artifact("remote", 1, keys).toString(), "--alias", "production");
            assertEquals(0, p.code(), p.err());
            Result list = run("list", "--url", url);
            assertTrue(list.out().contains("remote"), list.out());
            assertEquals(1, r.resolve("remote@production").version());
            Result denied = run("publish", "--url", url, "--token", "wrong-token-0000000000", "remote", artifact("remote", 2, keys).toString());
            assertEquals(Exits.REGISTRY, denied.code());
            assertTrue(denied.err().contains("403"), denied.err());
        }
    }

    @Test
    void followingADirectoryWaitsInsteadOfPolling() throws Exception {
        Path dir = tmp.resolve("reg");
        assertEquals(0, run("publish", "--dir", dir.toString(), "m", artifact("m", 1, null).toString()).code());
        RegistryTarget target = new RegistryTarget();
        target.where.dir = dir.toString();
        RegistryTarget.Ops ops = target.open();
        // nothing new: the call blocks for its wait (the follow loop re-asks at once, so an ignored wait is a busy loop)
        long t0 = System.nanoTime();
        assertEquals(java.util.List.of(), ops.events(1, 1));
        assertTrue(System.nanoTime() - t0 >= 900_000_000L, "returned after " + (System.nanoTime() - t0) / 1_000_000 + " ms of a 1 s wait");
        // an event written by another writer during the wait ends it with that event
        java.util.concurrent.CompletableFuture<java.util.List<dev.winnow.registry.RegistryEvent>> waiting =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return ops.events(1, 30);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
        Thread.sleep(200);
        new ModelRegistry(new LocalDirectoryStore(dir)).setAlias("m", "production", 1, "other");
        java.util.List<dev.winnow.registry.RegistryEvent> got = waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(1, got.size());
        assertEquals(2, got.get(0).sequence());
    }

    @Test
    void publishRefusesAChangedInputUnlessAllowed() throws Exception {
        String dir = tmp.resolve("reg").toString();
        assertEquals(0, run("publish", "--dir", dir, "m", artifact("m", 1, null).toString()).code());
        ArtifactWriter w = new ArtifactWriter(Metadata.builder("m", "protonn").input("x", new int[] {3}, "float32", "features", null).build());
        w.addFloat32("w", new int[] {3}, new float[] {1, 2, 3});
        Path wider = Files.write(tmp.resolve("wider.wnm"), w.toBytes());
        Result refused = run("publish", "--dir", dir, "m", wider.toString());
        assertEquals(Exits.REGISTRY, refused.code());
        assertEquals(1, refused.err().strip().lines().count(), refused.err());
        assertTrue(refused.err().contains("input x[3]") && refused.err().contains("x[2]"), refused.err());
        Result allowed = run("publish", "--dir", dir, "m", wider.toString(), "--allow-signature-change");
        assertEquals(0, allowed.code(), allowed.err());
        assertEquals(2, new ModelRegistry(new LocalDirectoryStore(tmp.resolve("reg"))).versions("m").size());
    }
}
