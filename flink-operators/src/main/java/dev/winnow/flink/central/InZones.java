package dev.winnow.flink.central;

import dev.winnow.flink.zone.ZoneConfig;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Passes the records of cameras that are in a zone of the configuration; the others (a topic carries
 * every edge's cameras) are counted in {@code winnow.outsideZones} and go no further.
 */
public class InZones<T> extends RichFilterFunction<T> {
    private static final long serialVersionUID = 1L;

    private final ZoneConfig config;
    private final SerializableFunction<T, String> camera;
    private transient Counter outside;

    public InZones(ZoneConfig config, SerializableFunction<T, String> camera) {
        this.config = config;
        this.camera = camera;
    }

    @Override
    public void open(OpenContext ctx) {
        outside = getRuntimeContext().getMetricGroup().addGroup("winnow").counter("outsideZones");
    }

    @Override
    public boolean filter(T record) {
        if (config.covers(camera.apply(record))) return true;
        outside.inc();
        return false;
    }
}
