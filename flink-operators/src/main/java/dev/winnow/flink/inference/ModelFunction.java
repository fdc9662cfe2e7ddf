package dev.winnow.flink.inference;

import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.model.ServingMetrics;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.graph.Interpreter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embedded inference for any record type: a {@link FeatureExtractor} makes the model's input, the
 * model runs in the subtask's interpreter (loaded once in {@link #open}, arena planned ahead), and a
 * {@link ResultMapper} makes the output, which knows the model's name and version. Records the
 * extractor rejects are counted ({@code recordsMalformed}) and dropped with a log line; the job goes on.
 *
 * <pre>{@code
 * DataStream<Alert> alerts = readings.flatMap(new ModelFunction<>(ModelSource.ofPath(model, 3),
 *         (Reading r, float[] x) -> { x[0] = r.temperature; x[1] = r.humidity; },
 *         (r, scores, m) -> scores[1] > 0.9f ? new Alert(r.id, m.name(), m.version()) : null,
 *         TypeInformation.of(Alert.class)));
 * }</pre>
 */
public class ModelFunction<T, R> extends RichFlatMapFunction<T, R> implements ResultTypeQueryable<R> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ModelFunction.class);

    private final ModelSource source;
    private final FeatureExtractor<T> extractor;
    private final ResultMapper<T, R> mapper;
    private final TypeInformation<R> resultType;

    private transient Interpreter interpreter;
    private transient float[] input, outputs;
    private transient ServingInfo info;
    private transient ServingMetrics metrics;
    private transient Counter malformed;

    public ModelFunction(ModelSource source, FeatureExtractor<T> extractor, ResultMapper<T, R> mapper, TypeInformation<R> resultType) {
        this.source = source;
        this.extractor = extractor;
        this.mapper = mapper;
        this.resultType = resultType;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        Model model = source.load();
        if (model.inputCount() != 1 || model.outputCount() < 1) {
            throw new IllegalArgumentException("model " + model.name() + " has " + model.inputCount() + " inputs and " + model.outputCount()
                    + " outputs; ModelFunction runs models with one input");
        }
        interpreter = model.newInterpreter();
        input = new float[model.input(0).elementCount()];
        outputs = new float[model.output(0).elementCount()];
        info = new ServingInfo(model.name(), source.version(), model.metadata().labels());
        metrics = new ServingMetrics(getRuntimeContext().getMetricGroup(), source.version(), model.report().arenaBytes());
        malformed = metrics.group().counter("recordsMalformed");
    }

    @Override
    public void flatMap(T record, Collector<R> out) {
        try {
            extractor.extract(record, input);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            malformed.inc();
            LOG.warn("dropping a record {} could not score: {}", info.name(), e.getMessage());
            return;
        }
        long t0 = System.nanoTime();
        interpreter.predict(input, outputs);
        metrics.scored(t0);
        R r = mapper.map(record, outputs, info);
        if (r != null) out.collect(r);
    }

    @Override
    public TypeInformation<R> getProducedType() {
        return resultType;
    }
}
