package dev.deliverycheck.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's load average when a figure was measured (the machine is shared: figures need it beside them), as
 * written in the bench's JSON: {@code "1m"}, {@code "5m"}, {@code "15m"} from /proc/loadavg (absent where there is
 * no /proc), then the number of cores.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record LoadAverage(@JsonProperty("1m") Double oneMinute, @JsonProperty("5m") Double fiveMinutes,
                   @JsonProperty("15m") Double fifteenMinutes, int cores) {

    /** Now; without the three averages where /proc/loadavg cannot be read. */
    static LoadAverage now() {
        int cores = Runtime.getRuntime().availableProcessors();
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new LoadAverage(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), cores);
        } catch (IOException | RuntimeException e) {
            // not Linux: the figure stays without its load
            return new LoadAverage(null, null, null, cores);
        }
    }
}
