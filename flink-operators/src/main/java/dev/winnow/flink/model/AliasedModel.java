package dev.winnow.flink.model;

import dev.winnow.registry.Names;
import dev.winnow.registry.RegistryException;
import java.util.Collection;
import java.util.List;

/**
 * A model named {@code name@alias} in a per-key scorer's builder (per camera, per sensor group), and
 * the registry's naming rules applied to it and to the keys' own aliases, each mistake added to the
 * builder's list of problems so that {@code build()} refuses them all in one message.
 */
public record AliasedModel(String name, String alias) {
    /** Parses {@code name@alias}; null when it is not one, with what is wrong added to {@code problems}. */
    public static AliasedModel parse(String reference, List<String> problems) {
        int at = reference.indexOf('@');
        if (at <= 0 || at == reference.length() - 1) {
            problems.add("the model must be name@alias, got '" + reference + "'");
            return null;
        }
        AliasedModel m = new AliasedModel(reference.substring(0, at), reference.substring(at + 1));
        check(problems, () -> Names.model(m.name()));
        check(problems, () -> Names.alias(m.alias()));
        return m;
    }

    /** Adds a problem for every alias the registry would refuse. */
    public static void checkAliases(Collection<String> aliases, List<String> problems) {
        for (String alias : aliases) check(problems, () -> Names.alias(alias));
    }

    private interface NameCheck {
        void run() throws RegistryException;
    }

    private static void check(List<String> problems, NameCheck c) {
        try {
            c.run();
        } catch (RegistryException e) {
            problems.add(e.getMessage());
        }
    }
}
