package dev.winnow.tools.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.registry.cli.Exits;
import dev.winnow.runtime.format.Ed25519Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeygenCommandTest {
    @TempDir Path tmp;

    @Test
    void thePrivateKeyIsReadableByItsOwnerOnly() throws Exception {
        assertEquals(0, CliRun.winnow("keygen", tmp.resolve("team").toString()).code());
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(tmp.resolve("team.key.pem"));
        assertEquals(PosixFilePermissions.fromString("rw-------"), perms);
        assertNotNull(Ed25519Keys.readPrivatePem(tmp.resolve("team.key.pem")));
    }

    @Test
    void anExistingKeyIsKeptUnlessForced() throws Exception {
        Path priv = tmp.resolve("team.key.pem"), pub = tmp.resolve("team.pub.pem");
        assertEquals(0, CliRun.winnow("keygen", tmp.resolve("team").toString()).code());
        String oldPriv = Files.readString(priv), oldPub = Files.readString(pub);

        CliRun.Result again = CliRun.winnow("keygen", tmp.resolve("team").toString());
        assertEquals(Exits.USAGE, again.code());
        assertEquals(1, again.err().strip().lines().count(), again.err());
        assertTrue(again.err().contains("already exists") && again.err().contains("--force"), again.err());
        assertEquals(oldPriv, Files.readString(priv));
        assertEquals(oldPub, Files.readString(pub));

        // a stray public key alone also blocks: the pair would not match
        Files.delete(priv);
        assertEquals(Exits.USAGE, CliRun.winnow("keygen", tmp.resolve("team").toString()).code());
        assertFalse(Files.exists(priv));

        // --force replaces both, and a world-readable old file does not keep its permissions
        Files.writeString(priv, oldPriv);
        Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(0, CliRun.winnow("keygen", "--force", tmp.resolve("team").toString()).code());
        assertNotEquals(oldPriv, Files.readString(priv));
        assertNotEquals(oldPub, Files.readString(pub));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(priv));
    }
}
