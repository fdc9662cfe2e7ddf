package dev.winnow.tools.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.testing.TinyCnn;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** winnow verify --key: a clear exit code and message for every way an artifact can fail, and tampering caught. */
class VerifyCommandTest {
    @TempDir Path tmp;

    @Test
    void verifyChecksDigestAndSignature() throws Exception {
        Path model = tmp.resolve("tiny.wnm");
        byte[] plain = new TinyCnn(1, 24, 32).float32Artifact();
        Files.write(model, plain);
        CliRun.winnow("keygen", tmp.resolve("team").toString());
        CliRun.winnow("keygen", tmp.resolve("other").toString());
        String pub = tmp.resolve("team.pub.pem").toString(), otherPub = tmp.resolve("other.pub.pem").toString();

        CliRun.Result unsigned = CliRun.winnow("verify", "--key", pub, model.toString());
        assertEquals(VerifyCommand.UNSIGNED, unsigned.code());
        assertTrue(unsigned.err().contains("unsigned"), unsigned.err());

        assertEquals(0, CliRun.winnow("sign", model.toString(), "--key", tmp.resolve("team.key.pem").toString(), "--pub", pub).code());
        CliRun.Result ok = CliRun.winnow("verify", "--key", pub, model.toString());
        assertEquals(VerifyCommand.OK, ok.code(), ok.err());
        assertTrue(ok.out().startsWith("OK") && ok.out().contains("digest ok") && ok.out().contains("signed by key"), ok.out());

        CliRun.Result other = CliRun.winnow("verify", "--key", otherPub, model.toString());
        assertEquals(VerifyCommand.OTHER_KEY, other.code());
        assertTrue(other.err().contains("different key"), other.err());

        byte[] signed = Files.readAllBytes(model);
        // one flipped bit in a weight: the digest no longer matches
        byte[] body = signed.clone();
        body[body.length - 200] ^= 1;
        Path tampered = tmp.resolve("tampered.wnm");
        Files.write(tampered, body);
        CliRun.Result t = CliRun.winnow("verify", "--key", pub, tampered.toString());
        assertEquals(VerifyCommand.INVALID, t.code());
        assertTrue(t.err().contains("FAIL") && t.err().toLowerCase().contains("digest"), t.err());

        // one flipped bit in the signature: digest fine, signature not
        byte[] sig = signed.clone();
        sig[sig.length - 1] ^= 1;
        Files.write(tampered, sig);
        CliRun.Result s = CliRun.winnow("verify", "--key", pub, tampered.toString());
        assertEquals(VerifyCommand.BAD_SIGNATURE, s.code());
        assertTrue(s.err().contains("signature does not verify"), s.err());

        assertEquals(VerifyCommand.UNREADABLE, CliRun.winnow("verify", "--key", pub, tmp.resolve("missing.wnm").toString()).code());
        assertEquals(2, CliRun.winnow("verify", model.toString()).code(), "--key is required");
    }
}
