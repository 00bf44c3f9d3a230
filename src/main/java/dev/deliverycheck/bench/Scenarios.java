package dev.deliverycheck.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The scenarios of {@code deliverycheck bench}, in the order {@code --help} lists them. */
public final class Scenarios {
    private Scenarios() {
    }

    public static List<Benchmark> all() {
        return List.of(new PartitionersScenario(), new SlowBrokerScenario(), new BatchingScenario(),
                new BufferMemoryScenario(), new ThroughputScenario(), new IdempotenceCostScenario(),
                new TransactionsScenario(), new WireThroughputScenario(), new PipelineScenario(),
                new CalibrateScenario());
    }

    public static Optional<Benchmark> named(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public static List<String> names() {
        return all().stream().map(Benchmark::name).toList();
    }

    /** Name → description, for help texts. */
    public static Map<String, String> descriptions() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Benchmark s : all()) {
            m.put(s.name(), s.description());
        }
        return m;
    }
}
