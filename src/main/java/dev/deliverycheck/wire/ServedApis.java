package dev.deliverycheck.wire;

import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * The api keys and version ranges this broker serves, and the ApiVersions answer built from them.
 *
 * <p>Invariant: the answer lists exactly the keys and ranges {@link #serves} accepts (clients pick
 * versions from it), and every range lies inside what kafka-clients 4.4.0 can parse and write, so
 * each served request parses and each answer serializes. AddPartitionsToTxn stops at v3: v4+ is
 * the broker-to-broker batched form, which no client sends; CreateTopics starts at v2, the oldest
 * kafka-clients 4.4 knows. The {@code transaction.version}
 * feature is advertised (supported and finalized) only when the broker runs transaction version 2,
 * because the Java client chooses its transaction flow from it alone.
 */
public final class ServedApis {
    private static final Map<ApiKeys, short[]> RANGES = new TreeMap<>();

    static {
        RANGES.put(ApiKeys.PRODUCE, new short[] {3, 13});
        RANGES.put(ApiKeys.FETCH, new short[] {4, 18});
        RANGES.put(ApiKeys.LIST_OFFSETS, new short[] {1, 11});
        RANGES.put(ApiKeys.METADATA, new short[] {0, 13});
        RANGES.put(ApiKeys.FIND_COORDINATOR, new short[] {0, 6});
        RANGES.put(ApiKeys.API_VERSIONS, new short[] {0, 5});
        RANGES.put(ApiKeys.INIT_PRODUCER_ID, new short[] {0, 6});
        RANGES.put(ApiKeys.ADD_PARTITIONS_TO_TXN, new short[] {0, 3});
        RANGES.put(ApiKeys.END_TXN, new short[] {0, 5});
        RANGES.put(ApiKeys.CREATE_TOPICS, new short[] {2, 7});
    }

    private ServedApis() {
    }

    /** The served keys and their [min, max] versions. */
    public static Map<ApiKeys, short[]> ranges() {
        return RANGES;
    }

    /** Whether requests of this key at this version are served. */
    public static boolean serves(ApiKeys key, short version) {
        short[] r = RANGES.get(key);
        return r != null && version >= r[0] && version <= r[1];
    }

    public static boolean servesKey(ApiKeys key) {
        return RANGES.containsKey(key);
    }

    /** The ApiVersions answer: {@code error} NONE, or UNSUPPORTED_VERSION for a version not served. */
    public static ApiVersionsResponseData apiVersions(Errors error, int transactionVersion) {
        ApiVersionsResponseData data = new ApiVersionsResponseData().setErrorCode(error.code());
        RANGES.forEach((key, r) -> data.apiKeys().add(new ApiVersionsResponseData.ApiVersion()
                .setApiKey(key.id).setMinVersion(r[0]).setMaxVersion(r[1])));
        if (error == Errors.NONE && transactionVersion >= 2) {
            data.supportedFeatures().add(new ApiVersionsResponseData.SupportedFeatureKey()
                    .setName("transaction.version").setMinVersion((short) 0).setMaxVersion((short) 2));
            data.finalizedFeatures().add(new ApiVersionsResponseData.FinalizedFeatureKey()
                    .setName("transaction.version").setMinVersionLevel((short) 2).setMaxVersionLevel((short) 2));
            data.setFinalizedFeaturesEpoch(1);
        }
        return data;
    }
}
