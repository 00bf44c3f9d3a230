package dev.deliverycheck.producer;

/** Four bytes, big endian, as Kafka's {@code IntegerSerializer}. */
public final class IntegerSerializer implements Serializer<Integer> {
    @Override
    public byte[] serialize(String topic, Integer data) {
        if (data == null) {
            return null;
        }
        int v = data;
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
