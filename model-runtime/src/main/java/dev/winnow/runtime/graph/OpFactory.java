package dev.winnow.runtime.graph;

import dev.winnow.runtime.format.ModelFormatException;

/** Builds an {@link Op} of one type from a graph node of an artifact. */
@FunctionalInterface
public interface OpFactory {
    Op create(NodeContext node) throws ModelFormatException;
}
