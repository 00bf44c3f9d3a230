package dev.deliverycheck.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The machine's load average when a figure was measured (the machine is shared: figures need it beside them). */
final class LoadAverage {
    private LoadAverage() {
    }

    /** {"1m", "5m", "15m"} from /proc/loadavg, plus the number of cores; empty where there is no /proc. */
    static Map<String, Object> now() {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            m.put("1m", Double.parseDouble(f[0]));
            m.put("5m", Double.parseDouble(f[1]));
            m.put("15m", Double.parseDouble(f[2]));
        } catch (IOException | RuntimeException e) {
            // not Linux: the figure stays without its load
        }
        m.put("cores", Runtime.getRuntime().availableProcessors());
        return m;
    }
}
