package dev.winnow.flink.sql;

import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.registry.ModelReference;
import dev.winnow.registry.RegistryException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.ResolvedCatalogModel;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.ModelProviderFactory;
import org.apache.flink.table.functions.PredictFunction;
import org.apache.flink.table.ml.ModelProvider;
import org.apache.flink.table.ml.PredictRuntimeProvider;

/**
 * {@code CREATE MODEL m INPUT (…) OUTPUT (…) WITH ('provider' = 'winnow', 'model' = 'name@alias',
 * 'registry' = '/shared/registry')}, then {@code ML_PREDICT(TABLE t, MODEL m, DESCRIPTOR(…))} runs the
 * model inside the task, no remote call. Options are checked, and the schema mapped, when the model
 * is created, so a typo fails the statement rather than the job.
 */
public final class WinnowModelProviderFactory implements ModelProviderFactory {
    public static final String IDENTIFIER = "winnow";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(WinnowModelOptions.MODEL);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(WinnowModelOptions.REGISTRY, WinnowModelOptions.ARTIFACT, WinnowModelOptions.TRUSTED_KEYS, WinnowModelOptions.ALLOW_UNSIGNED);
    }

    @Override
    public ModelProvider createModelProvider(Context context) {
        FactoryUtil.ModelProviderFactoryHelper helper = FactoryUtil.createModelProviderFactoryHelper(this, context);
        helper.validate();
        ReadableConfig options = helper.getOptions();
        String reference = options.get(WinnowModelOptions.MODEL);
        String registry = options.getOptional(WinnowModelOptions.REGISTRY).orElse(null);
        String artifact = options.getOptional(WinnowModelOptions.ARTIFACT).orElse(null);
        if ((registry == null) == (artifact == null)) {
            throw new ValidationException("model " + context.getObjectIdentifier() + ": set exactly one of 'registry' and 'artifact'");
        }
        List<Path> keys = options.getOptional(WinnowModelOptions.TRUSTED_KEYS)
                .map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).map(Path::of).toList())
                .orElse(List.of());
        ResolvedCatalogModel catalogModel = context.getCatalogModel();
        PredictColumns columns = PredictColumns.of(catalogModel.getResolvedInputSchema(), catalogModel.getResolvedOutputSchema());
        RegistryConnection connection = null;
        ModelSource source = null;
        if (registry != null) {
            try {
                ModelReference.parse(reference);
            } catch (RegistryException e) {
                throw new ValidationException("model " + context.getObjectIdentifier() + ": " + e.getMessage(), e);
            }
            boolean allowUnsigned = options.get(WinnowModelOptions.ALLOW_UNSIGNED);
            // signed by default: a registry model loads only versions signed by a named key
            if (keys.isEmpty() && !allowUnsigned) {
                throw new ValidationException("model " + context.getObjectIdentifier() + ": 'registry' needs 'trusted-keys' (PEM files of the keys "
                        + "whose signed versions load) or 'allow-unsigned' = 'true'");
            }
            if (!keys.isEmpty() && allowUnsigned) {
                throw new ValidationException("model " + context.getObjectIdentifier() + ": 'trusted-keys' and 'allow-unsigned' contradict each other: give one");
            }
            connection = allowUnsigned ? RegistryConnection.of(registry, keys).allowingUnsigned() : RegistryConnection.of(registry, keys);
        } else {
            if (options.get(WinnowModelOptions.ALLOW_UNSIGNED)) throw new ValidationException("'allow-unsigned' applies to registry loads");
            if (!keys.isEmpty()) throw new ValidationException("'trusted-keys' applies to registry loads; sign and verify artifacts with the registry");
            source = ModelSource.ofPath(Path.of(artifact), 0);
        }
        return new Provider(reference, connection, source, columns);
    }

    private record Provider(String reference, RegistryConnection registry, ModelSource artifact, PredictColumns columns) implements PredictRuntimeProvider {
        @Override
        public PredictFunction createPredictFunction(ModelProvider.Context context) {
            return new WinnowPredictFunction(reference, registry, artifact, columns);
        }

        @Override
        public ModelProvider copy() {
            return new Provider(reference, registry, artifact, columns);
        }
    }
}
