package dev.winnow.flink.sql;

import dev.winnow.flink.inference.ServingInfo;
import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.ServingMetrics;
import dev.winnow.registry.ModelVersion;
import dev.winnow.registry.RegistryClient;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.graph.Interpreter;
import java.util.Collection;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.PredictFunction;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ML_PREDICT} with a winnow model: loads it once per subtask in {@link #open}, runs every row
 * through the subtask's interpreter. A row with a null feature is kept with null predictions and
 * counted (dropping it would lose data the query already accepted).
 */
public final class WinnowPredictFunction extends PredictFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(WinnowPredictFunction.class);

    private final String reference;
    private final RegistryConnection registry;
    private final ModelSource artifact;
    private final PredictColumns columns;

    private transient Model model;
    private transient int version;
    private transient Interpreter interpreter;
    private transient float[] input, output;
    private transient List<String> labels;
    private transient StringData name;
    private transient ServingMetrics metrics;
    private transient Counter nullFeatures;

    WinnowPredictFunction(String reference, RegistryConnection registry, ModelSource artifact, PredictColumns columns) {
        this.reference = reference;
        this.registry = registry;
        this.artifact = artifact;
        this.columns = columns;
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        if (registry != null) {
            try (RegistryClient client = registry.open()) {
                ModelVersion v = client.resolve(reference);
                model = Model.load(client.fetch(v));
                version = v.version();
            }
        } else {
            model = artifact.load();
            version = artifact.version();
        }
        interpreter = model.newInterpreter();
        input = new float[model.input(0).elementCount()];
        output = new float[model.output(0).elementCount()];
        labels = model.metadata().labels();
        name = StringData.fromString(model.name());
        long arena = model.report().arenaBytes();
        metrics = new ServingMetrics(context.getMetricGroup(), version, arena);
        nullFeatures = metrics.group().counter("recordsWithNullFeatures");
        LOG.info("ML_PREDICT serves {} v{} ({} inputs, {} outputs, {} arena bytes)", reference, version, input.length, output.length, arena);
    }

    @Override
    public Collection<RowData> predict(RowData row) {
        int n = 0;
        for (int i = 0; i < columns.inputRoots.length; i++) {
            if (row.isNullAt(i)) return List.of(nullPrediction());
            if (columns.inputIsArray[i]) {
                ArrayData a = row.getArray(i);
                for (int j = 0; j < a.size(); j++) {
                    if (a.isNullAt(j)) return List.of(nullPrediction());
                    n = put(n, arrayValue(a, j, columns.inputRoots[i]));
                }
            } else {
                n = put(n, value(row, i, columns.inputRoots[i]));
            }
        }
        if (n != input.length) {
            throw new IllegalArgumentException("ML_PREDICT with " + reference + ": the DESCRIPTOR columns hold " + n
                    + " features, the model takes " + input.length);
        }
        long t0 = System.nanoTime();
        interpreter.predict(input, output);
        metrics.scored(t0);
        int best = ServingInfo.argmax(output);
        GenericRowData out = new GenericRowData(columns.outputs.length);
        for (int i = 0; i < columns.outputs.length; i++) {
            out.setField(i, switch (columns.outputs[i]) {
                case LABEL -> best < labels.size() ? StringData.fromString(labels.get(best)) : null;
                case SCORE -> columns.outputIsDouble[i] ? (Object) (double) output[best] : (Object) output[best];
                case CLASS_INDEX -> best;
                case SCORES -> new GenericArrayData(output.clone());
                case MODEL_NAME -> name;
                case MODEL_VERSION -> version;
            });
        }
        return List.of(out);
    }

    private int put(int n, float v) {
        if (n < input.length) input[n] = v;
        return n + 1;
    }

    private GenericRowData nullPrediction() {
        nullFeatures.inc();
        GenericRowData out = new GenericRowData(columns.outputs.length);
        for (int i = 0; i < columns.outputs.length; i++) {
            if (columns.outputs[i] == PredictColumns.Output.MODEL_NAME) out.setField(i, name);
            if (columns.outputs[i] == PredictColumns.Output.MODEL_VERSION) out.setField(i, version);
        }
        return out;
    }

    private static float value(RowData r, int i, LogicalTypeRoot root) {
        return switch (root) {
            case FLOAT -> r.getFloat(i);
            case DOUBLE -> (float) r.getDouble(i);
            case INTEGER -> r.getInt(i);
            case BIGINT -> r.getLong(i);
            case SMALLINT -> r.getShort(i);
            case TINYINT -> r.getByte(i);
            case DECIMAL -> throw new UnsupportedOperationException("DECIMAL features: cast them to DOUBLE in the query");
            default -> throw new IllegalStateException("unchecked input type " + root);
        };
    }

    private static float arrayValue(ArrayData a, int j, LogicalTypeRoot root) {
        return switch (root) {
            case FLOAT -> a.getFloat(j);
            case DOUBLE -> (float) a.getDouble(j);
            case INTEGER -> a.getInt(j);
            case BIGINT -> a.getLong(j);
            case SMALLINT -> a.getShort(j);
            case TINYINT -> a.getByte(j);
            default -> throw new UnsupportedOperationException(root + " array features: cast them to ARRAY<FLOAT> in the query");
        };
    }
}
