package dev.deliverycheck.producer;

/** Eight bytes, big endian, as Kafka's {@code LongSerializer}. */
public final class LongSerializer implements Serializer<Long> {
    @Override
    public byte[] serialize(String topic, Long data) {
        if (data == null) {
            return null;
        }
        long v = data;
        byte[] out = new byte[Long.BYTES];
        for (int i = Long.BYTES - 1; i >= 0; i--) {
            out[i] = (byte) v;
            v >>>= 8;
        }
        return out;
    }
}
