package dev.winnow.flink.model;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.registry.LocalDirectoryStore;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.registry.RegistryClient;
import dev.winnow.runtime.format.Ed25519Keys;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed by default: a connection without trusted keys opens only when unsigned artifacts were allowed explicitly. */
class RegistryConnectionTest {
    @TempDir Path dir;

    @Test
    void noTrustedKeysAndNoExplicitAllowanceIsRefusedAtOpen() throws Exception {
        new ModelRegistry(new LocalDirectoryStore(dir));
        RegistryConnection bare = RegistryConnection.directory(dir, List.of());
        var e = assertThrows(IllegalArgumentException.class, bare::open);
        assertEquals("registry dir " + dir + ": no trusted keys; name the keys whose signed versions load, or allow unsigned artifacts explicitly",
                e.getMessage());
        assertFalse(bare.allowsUnsigned());

        RegistryConnection open = bare.allowingUnsigned();
        assertTrue(open.allowsUnsigned());
        try (RegistryClient c = open.open()) {
            assertEquals(List.of(), c.events(0, 0), "the empty registry opens and answers");
        }
    }

    @Test
    void trustedKeysCannotAlsoAllowUnsigned() throws Exception {
        Path pem = dir.resolve("k.pub.pem");
        Ed25519Keys.writePem(pem, Ed25519Keys.generate().getPublic());
        RegistryConnection trusting = RegistryConnection.directory(dir, List.of(pem));
        assertThrows(IllegalArgumentException.class, trusting::allowingUnsigned);
    }
}
