package dev.winnow.connectors.avro;

import org.apache.flink.api.common.serialization.SerializationSchema;

/** Writes a POJO as raw Avro binary of its generated record (see {@link AvroFormat}). */
public final class PojoAvroSerializationSchema<P> extends FormatCodec<P> implements SerializationSchema<P> {
    private static final long serialVersionUID = 1L;

    PojoAvroSerializationSchema(AvroFormat<P, ?> format) {
        super(format);
    }

    @Override
    public void open(InitializationContext context) {
        codec();
    }

    @Override
    public byte[] serialize(P element) {
        return codec().encode(element);
    }
}
