package dev.winnow.tools.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class SigningOptionsTest {
    @Command(name = "holder")
    static final class Holder {
        @Mixin SigningOptions signing;
    }

    static SigningOptions parse(String... args) {
        Holder h = new Holder();
        new CommandLine(h).parseArgs(args);
        return h.signing;
    }

    /** The worker forwards what it was given; adapt, parsing that, holds the same keys. */
    @Test
    void argumentsParseBackToTheSameKeys() {
        SigningOptions given = parse("--key", "keys/edge", "--trust", "a.pub.pem", "--trust", "b.pub.pem");
        assertTrue(given.hasKey());
        assertEquals(List.of("--key", "keys/edge", "--trust", "a.pub.pem", "--trust", "b.pub.pem"), given.arguments());
        SigningOptions forwarded = parse(given.arguments().toArray(String[]::new));
        assertEquals(given.key, forwarded.key);
        assertEquals(given.trust, forwarded.trust);
    }

    @Test
    void aBlankKeyIsNoKey() {
        SigningOptions blank = parse("--key", " ");
        assertFalse(blank.hasKey());
        assertEquals(List.of(), blank.arguments());
    }
}
