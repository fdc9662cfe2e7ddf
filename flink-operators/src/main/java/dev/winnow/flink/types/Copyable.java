package dev.winnow.flink.types;

/**
 * A record type that can copy itself field for field, for an operator that emits a variant of a record
 * it keeps (in state, or as the last one seen) without writing out every field by hand. The copy is
 * shallow: arrays are shared, so a caller that changes one replaces it rather than writing into it.
 * No fields here, so a subclass stays a Flink POJO with exactly its own fields.
 */
public abstract class Copyable<T extends Copyable<T>> implements Cloneable {
    @SuppressWarnings("unchecked")
    public T copy() {
        try {
            return (T) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError("Copyable implements Cloneable", e);
        }
    }
}
