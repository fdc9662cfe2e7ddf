package dev.winnow.registry;

import java.util.regex.Pattern;

/**
 * The one form the registry accepts for an artifact's SHA-256 digest and for a signer's raw Ed25519
 * public key: 64 lowercase hex digits. Both become parts of stored blob names, so the value types and
 * the HTTP client hold them to the same rule, defined here once.
 */
final class Digests {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private Digests() {}

    /** True when {@code s} is 64 lowercase hex digits; false for null. */
    static boolean isHex64(String s) {
        return s != null && HEX64.matcher(s).matches();
    }

    /**
     * For a value type's constructor: throws IllegalArgumentException
     * "{@code where}: {@code field} must be 64 lowercase hex digits, is {@code value}" unless
     * {@link #isHex64}; a null value fails too, so an optional field is checked only when set.
     */
    static void requireHex64(String value, String field, String where) {
        if (!isHex64(value)) throw new IllegalArgumentException(where + ": " + field + " must be 64 lowercase hex digits, is " + value);
    }
}
