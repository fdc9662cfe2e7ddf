package dev.winnow.flink.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * What a per-key scorer follows (per camera, {@code PerCameraFrameScorer}; per sensor group, the
 * per-group sensor operators): the default alias of a model, and the alias each named key follows.
 * Serializable, built by the operator's builder through {@link Builder}; each subtask opens its
 * {@link AliasModels} from it.
 */
public final class KeyAliases implements Serializable {
    private static final long serialVersionUID = 1L;

    private final RegistryConnection registry;
    private final String modelName;
    private final String defaultAlias;
    private final String noun;
    private final HashMap<String, String> byKey;

    private KeyAliases(Builder b, AliasedModel ref) {
        this.registry = b.registry;
        this.modelName = ref.name();
        this.defaultAlias = ref.alias();
        this.noun = b.noun;
        this.byKey = new HashMap<>(b.byKey);
    }

    /** The model name every alias belongs to (what the registry feed should be filtered to). */
    public String modelName() {
        return modelName;
    }

    RegistryConnection registry() {
        return registry;
    }

    String defaultAlias() {
        return defaultAlias;
    }

    /** What a key is, for log lines ("camera", "group"). */
    String noun() {
        return noun;
    }

    /** Key → the alias it follows, for the keys that follow their own. */
    Map<String, String> byKey() {
        return Collections.unmodifiableMap(byKey);
    }

    /**
     * The keys already warned about, in operator state (a union list, so a restore or rescale does not
     * repeat a warning). Restored in {@code initializeState}, before {@code open}; task thread only.
     */
    public static final class Warned {
        private final ListState<String> state;
        private final Set<String> keys = new HashSet<>();

        private Warned(ListState<String> state) {
            this.state = state;
        }

        public static Warned restore(FunctionInitializationContext ctx, ListStateDescriptor<String> descriptor) throws Exception {
            Warned w = new Warned(ctx.getOperatorStateStore().getUnionListState(descriptor));
            for (String key : w.state.get()) w.keys.add(key);
            return w;
        }

        public Set<String> keys() {
            return keys;
        }

        public void snapshot() throws Exception {
            state.update(new ArrayList<>(keys));
        }
    }

    /** The part of an operator's builder that names the aliases; its mistakes are reported by {@link #build}. */
    public static final class Builder {
        private final RegistryConnection registry;
        private final String model;
        private final String noun;
        private final Map<String, String> byKey = new LinkedHashMap<>();
        private final List<String> errors = new ArrayList<>();

        /**
         * @param model the default reference, {@code name@alias}: what keys without an alias of their own follow
         * @param noun  what a key is ("camera", "group"): the jobs' flag is {@code --<noun>-alias}
         */
        public Builder(RegistryConnection registry, String model, String noun) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.model = Objects.requireNonNull(model, "model");
            this.noun = noun;
        }

        /** Key {@code key} follows alias {@code alias} of the model. */
        public void key(String key, String alias) {
            if (key == null || key.isBlank()) {
                errors.add("a " + noun + " alias needs a " + noun + ", got '" + key + "'");
            } else if (byKey.containsKey(key)) {
                errors.add(noun + " " + key + " has two aliases: " + byKey.get(key) + " and " + alias);
            } else {
                byKey.put(key, alias);
            }
        }

        /** {@code key=alias} specs, as the jobs' {@code --<noun>-alias} flag takes them. */
        public void specs(List<String> specs) {
            for (String spec : specs) {
                int eq = spec.indexOf('=');
                if (eq <= 0 || eq == spec.length() - 1) errors.add("--" + noun + "-alias expects " + noun + "=alias, got '" + spec + "'");
                else key(spec.substring(0, eq), spec.substring(eq + 1));
            }
        }

        /**
         * The aliases, or one IllegalArgumentException naming every mistake ("; " between them): the
         * aliases' first, then those {@code operatorChecks} adds for the operator's own settings, so an
         * operator's builder reports all of them at once.
         */
        public KeyAliases build(Consumer<List<String>> operatorChecks) {
            List<String> problems = new ArrayList<>();
            KeyAliases named = build(problems);
            operatorChecks.accept(problems);
            if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
            return named;
        }

        /** Adds every mistake to {@code problems}; null when there is one. */
        private KeyAliases build(List<String> problems) {
            int before = problems.size();
            problems.addAll(errors);
            AliasedModel ref = AliasedModel.parse(model, problems);
            AliasedModel.checkAliases(byKey.values(), problems);
            return problems.size() > before || ref == null ? null : new KeyAliases(this, ref);
        }
    }
}
