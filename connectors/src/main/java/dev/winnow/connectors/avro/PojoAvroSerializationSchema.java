package dev.winnow.connectors.avro;

import org.apache.flink.api.common.serialization.SerializationSchema;

/** Writes a POJO as raw Avro binary of its generated record (see {@link AvroFormat}). */
public final class PojoAvroSerializationSchema<P> implements SerializationSchema<P> {
    private static final long serialVersionUID = 1L;

    private final AvroFormat<P, ?> format;
    private transient AvroFormat<P, ?>.Codec codec;

    PojoAvroSerializationSchema(AvroFormat<P, ?> format) {
        this.format = format;
    }

    @Override
    public void open(InitializationContext context) {
        codec = format.newCodec();
    }

    @Override
    public byte[] serialize(P element) {
        if (codec == null) codec = format.newCodec();
        return codec.encode(element);
    }
}
