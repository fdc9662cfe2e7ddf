package dev.winnow.registry;

/** A registry request that cannot be carried out; {@link #kind()} maps to an HTTP status. */
public class RegistryException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Kind { BAD_REQUEST, NOT_FOUND, CONFLICT, UNTRUSTED, STORAGE }

    private final Kind kind;

    public RegistryException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public RegistryException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
