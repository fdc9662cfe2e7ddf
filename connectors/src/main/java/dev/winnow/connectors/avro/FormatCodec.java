package dev.winnow.connectors.avro;

import java.io.Serializable;

/**
 * The part both (de)serialization schemas of an {@link AvroFormat} share: the format, and the codec
 * (reader, writer and buffers) each schema instance owns. The codec is made in {@code open()}, or on
 * first use by a caller that never opens the schema.
 */
abstract class FormatCodec<P> implements Serializable {
    private static final long serialVersionUID = 1L;

    protected final AvroFormat<P, ?> format;
    private transient AvroFormat<P, ?>.Codec codec;

    FormatCodec(AvroFormat<P, ?> format) {
        this.format = format;
    }

    final AvroFormat<P, ?>.Codec codec() {
        if (codec == null) codec = format.newCodec();
        return codec;
    }
}
