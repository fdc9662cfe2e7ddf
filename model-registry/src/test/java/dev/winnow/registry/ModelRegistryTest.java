package dev.winnow.registry;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.format.Ed25519Keys;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
    @TempDir Path dir;

    @Test
    void publishAliasRollbackArchiveAndTheChangeFeed() throws Exception {
        ModelRegistry r = new ModelRegistry(new LocalDirectoryStore(dir));
        ModelVersion v1 = r.publish("detector", TestArtifacts.model("detector", 1), "alice", Map.of("data", "vtest"));
        ModelVersion v2 = r.publish("detector", TestArtifacts.model("detector", 2), "bob", Map.of());
        assertEquals(1, v1.version());
        assertEquals(2, v2.version());
        assertEquals("bonsai", v1.family());
        assertEquals(0.901, v1.metrics().get("accuracy"), 1e-9);
        assertEquals("vtest", v1.tags().get("data"));
        r.setAlias("detector", "production", 1, "ops");
        assertEquals(1, r.resolve("detector@production").version());
        r.setAlias("detector", "production", 2, "ops");
        assertEquals(2, r.resolve("detector@production").version());
        assertEquals(2, r.resolve("detector").version());
        assertEquals(1, r.resolve("detector:1").version());
        RegistryEvent back = r.rollback("detector", "production", "ops");
        assertEquals(1, back.version());
        assertEquals(2, back.previousVersion());
        assertEquals(1, r.resolve("detector@production").version());
        assertArrayEquals(TestArtifacts.model("detector", 2), r.artifact(v2));

        RegistryException e = assertThrows(RegistryException.class, () -> r.archive("detector", 1, "ops"));
        assertEquals(RegistryException.Kind.CONFLICT, e.kind());
        r.archive("detector", 2, "ops");
        assertTrue(r.version("detector", 2).archived());
        assertEquals(RegistryException.Kind.CONFLICT, assertThrows(RegistryException.class, () -> r.setAlias("detector", "canary", 2, "ops")).kind());
        r.removeAlias("detector", "production", "ops");
        assertEquals(Map.of(), r.aliases("detector"));

        List<RegistryEvent> feed = r.events(0, 100);
        assertEquals(List.of(RegistryEvent.Type.PUBLISH, RegistryEvent.Type.PUBLISH, RegistryEvent.Type.ALIAS_SET, RegistryEvent.Type.ALIAS_SET,
                RegistryEvent.Type.ALIAS_SET, RegistryEvent.Type.ARCHIVE, RegistryEvent.Type.ALIAS_REMOVED), feed.stream().map(RegistryEvent::type).toList());
        for (int i = 0; i < feed.size(); i++) assertEquals(i + 1, feed.get(i).sequence());
        assertEquals(2, r.events(5, 10).size());

        // a second registry on the same directory replays the same state
        ModelRegistry again = new ModelRegistry(new LocalDirectoryStore(dir));
        assertEquals(r.versions("detector"), again.versions("detector"));
        assertEquals(7, again.lastSequence());
    }

    @Test
    void badInputNeverChangesState() throws Exception {
        ModelRegistry r = new ModelRegistry(new LocalDirectoryStore(dir));
        r.publish("m", TestArtifacts.model("m", 1), "a", Map.of());
        byte[] corrupt = TestArtifacts.model("m", 2);
        corrupt[30] ^= 1;
        RegistryException e = assertThrows(RegistryException.class, () -> r.publish("m", corrupt, "a", Map.of()));
        assertEquals(RegistryException.Kind.BAD_REQUEST, e.kind());
        assertTrue(e.getMessage().contains("not a valid artifact"), e.getMessage());
        for (String bad : new String[] {"../etc", "a/b", "", "UPPER", ".hidden", "x".repeat(65), "a..b", "nul\0"}) {
            assertEquals(RegistryException.Kind.BAD_REQUEST, assertThrows(RegistryException.class, () -> r.publish(bad, TestArtifacts.model("m", 1), "a", Map.of())).kind(), bad);
        }
        assertEquals(RegistryException.Kind.NOT_FOUND, assertThrows(RegistryException.class, () -> r.resolve("nope@production")).kind());
        assertEquals(RegistryException.Kind.NOT_FOUND, assertThrows(RegistryException.class, () -> r.resolve("m@production")).kind());
        assertEquals(RegistryException.Kind.NOT_FOUND, assertThrows(RegistryException.class, () -> r.resolve("m:9")).kind());
        assertEquals(RegistryException.Kind.BAD_REQUEST, assertThrows(RegistryException.class, () -> r.resolve("m:x")).kind());
        assertEquals(RegistryException.Kind.BAD_REQUEST, assertThrows(RegistryException.class, () -> r.resolve("m@a:1")).kind());
        assertEquals(1, r.lastSequence());
        assertEquals(1, r.versions("m").size());
    }

    @Test
    void trustListFailsClosedOnPublishAndLoad() throws Exception {
        KeyPair ours = Ed25519Keys.generate(), theirs = Ed25519Keys.generate();
        ModelRegistry open = new ModelRegistry(new LocalDirectoryStore(dir));
        ModelVersion unsigned = open.publish("m", TestArtifacts.model("m", 1), "a", Map.of());
        ModelRegistry strict = new ModelRegistry(new LocalDirectoryStore(dir), List.of(ours.getPublic()), Clock.systemUTC());
        assertEquals(RegistryException.Kind.UNTRUSTED, assertThrows(RegistryException.class, () -> strict.publish("m", TestArtifacts.model("m", 2), "a", Map.of())).kind());
        assertEquals(RegistryException.Kind.UNTRUSTED, assertThrows(RegistryException.class, () -> strict.publish("m", TestArtifacts.signed("m", 3, theirs), "a", Map.of())).kind());
        ModelVersion good = strict.publish("m", TestArtifacts.signed("m", 4, ours), "a", Map.of());
        assertEquals(2, good.version());
        assertNotNull(strict.artifact(good));
        assertEquals(RegistryException.Kind.UNTRUSTED, assertThrows(RegistryException.class, () -> strict.artifact(unsigned)).kind(), "loads fail closed too");
    }

    @Test
    void aSignedPublishOfWeightsPublishedUnsignedKeepsItsSignature() throws Exception {
        KeyPair ours = Ed25519Keys.generate(), other = Ed25519Keys.generate();
        byte[] unsignedBytes = TestArtifacts.model("m", 1), signedBytes = TestArtifacts.signed("m", 1, ours);
        ModelRegistry open = new ModelRegistry(new LocalDirectoryStore(dir));
        ModelVersion v1 = open.publish("m", unsignedBytes, "a", Map.of());
        ModelRegistry strict = new ModelRegistry(new LocalDirectoryStore(dir), List.of(ours.getPublic()), Clock.systemUTC());
        ModelVersion v2 = strict.publish("m", signedBytes, "a", Map.of());
        assertEquals(v1.sha256(), v2.sha256(), "same weights, same digest");
        assertEquals(2, v2.version(), "the signed copy is a version of its own");
        assertEquals(dev.winnow.runtime.format.Hex.of(Ed25519Keys.rawPublicKey(ours.getPublic())), v2.signer());
        assertNull(v1.signer());
        assertArrayEquals(signedBytes, strict.artifact(v2), "the signed bytes are what is served");
        assertArrayEquals(unsignedBytes, open.artifact(v1), "and the unsigned version still has its own");
        ModelVersion v3 = open.publish("m", TestArtifacts.signed("m", 1, other), "a", Map.of());
        assertEquals(3, v3.version());
        assertArrayEquals(signedBytes, open.artifact(v2), "a second signer does not replace the first");
        assertEquals(2, strict.publish("m", signedBytes, "a", Map.of()).version(), "republishing the same signed bytes is idempotent");
        ModelRegistry reopened = new ModelRegistry(new LocalDirectoryStore(dir), List.of(ours.getPublic()), Clock.systemUTC());
        assertEquals(v2, reopened.version("m", 2), "the signer survives a replay of the log");

        byte[] broken = signedBytes.clone();
        broken[broken.length - 1] ^= 1;
        RegistryException e = assertThrows(RegistryException.class, () -> open.publish("m", broken, "a", Map.of()));
        assertEquals(RegistryException.Kind.BAD_REQUEST, e.kind());
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
        assertEquals(3, open.versions("m").size());
    }

    @Test
    void aChangedInputOrOutputSignatureIsRefusedUnlessAllowed() throws Exception {
        ModelRegistry r = new ModelRegistry(new LocalDirectoryStore(dir));
        List<String> ab = List.of("a", "b");
        r.publish("m", TestArtifacts.shaped("m", 1, 4, ab), "a", Map.of());
        r.setAlias("m", "production", 1, "a");
        assertEquals(2, r.publish("m", TestArtifacts.shaped("m", 2, 4, ab), "a", Map.of()).version(), "new weights, same signature");
        long before = r.lastSequence();

        RegistryException input = assertThrows(RegistryException.class, () -> r.publish("m", TestArtifacts.shaped("m", 3, 5, ab), "a", Map.of()));
        assertEquals(RegistryException.Kind.CONFLICT, input.kind());
        assertTrue(input.getMessage().contains("input x[5]") && input.getMessage().contains("m:2's x[4]"), input.getMessage());
        assertFalse(input.getMessage().contains("\n"));
        RegistryException labels = assertThrows(RegistryException.class, () -> r.publish("m", TestArtifacts.shaped("m", 4, 4, List.of("a", "b", "c")), "a", Map.of()));
        assertEquals(RegistryException.Kind.CONFLICT, labels.kind());
        assertTrue(labels.getMessage().contains("labels [a, b, c]"), labels.getMessage());
        assertEquals(before, r.lastSequence(), "nothing was published");

        ModelVersion changed = r.publish("m", TestArtifacts.shaped("m", 5, 5, ab), "a", Map.of(), true);
        assertEquals(3, changed.version());
        // the new signature is the current one now: the next publish is compared with it
        assertEquals(4, r.publish("m", TestArtifacts.shaped("m", 6, 5, ab), "a", Map.of()).version());
        assertEquals(RegistryException.Kind.CONFLICT, assertThrows(RegistryException.class, () -> r.publish("m", TestArtifacts.shaped("m", 7, 4, ab), "a", Map.of())).kind());
        // archived versions are not what jobs follow: with 3 and 4 archived, version 2's signature is current again
        r.archive("m", 4, "a");
        r.archive("m", 3, "a");
        assertEquals(5, r.publish("m", TestArtifacts.shaped("m", 8, 4, ab), "a", Map.of()).version());
        // another model name is not compared with this one
        assertEquals(1, r.publish("other", TestArtifacts.shaped("other", 1, 7, List.of()), "a", Map.of()).version());
    }

    @Test
    void aStoreWrittenBeforeSignersWereRecordedStillServesItsSignedBlobs() throws Exception {
        KeyPair ours = Ed25519Keys.generate();
        byte[] signed = TestArtifacts.signed("m", 1, ours);
        String sha = dev.winnow.runtime.format.ArtifactReader.read(signed).sha256Hex();
        LocalDirectoryStore store = new LocalDirectoryStore(dir);
        // the earlier layout: the signed bytes under the digest alone, an event without a signer
        store.put("blobs/sha256/" + sha + ".wnm", signed);
        assertTrue(store.putIfAbsent(ModelRegistry.eventKey(1), RegistryEvent.builder(1, RegistryEvent.Type.PUBLISH, "m", 1).sha256(sha)
                .size(signed.length).family("bonsai").actor("old").timeMillis(1).build().toJson()));
        ModelRegistry strict = new ModelRegistry(store, List.of(ours.getPublic()), Clock.systemUTC());
        ModelVersion v = strict.resolve("m");
        assertNull(v.signer());
        assertArrayEquals(signed, strict.artifact(v));
    }

    /**
     * A job's change-feed update names a version by model, number and digest only; the signer, part of the
     * blob's key, comes from the registry's own record. A digest that disagrees with the record is refused.
     */
    @Test
    void aSignedVersionNamedByNumberAndDigestOnlyIsFetched() throws Exception {
        KeyPair ours = Ed25519Keys.generate();
        ModelRegistry r = new ModelRegistry(new LocalDirectoryStore(dir), List.of(ours.getPublic()), Clock.systemUTC());
        byte[] signed = TestArtifacts.signed("m", 1, ours);
        ModelVersion published = r.publish("m", signed, "a", Map.of());
        assertNotNull(published.signer());
        LocalRegistryClient client = new LocalRegistryClient(r, List.of(ours.getPublic()));
        assertArrayEquals(signed, client.fetch(ModelVersion.builder("m", published.version(), published.sha256()).build()));
        RegistryException e = assertThrows(RegistryException.class,
                () -> client.fetch(ModelVersion.builder("m", published.version(), "0".repeat(64)).build()));
        assertTrue(e.getMessage().contains("not " + "0".repeat(64)), e.getMessage());
    }
}
