package dev.deliverycheck.wire.harness;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.wire.proxy.Fault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A schedule for real Kafka: the mode whose workload and expectations apply, the seed that generated it, the
 * partition count, the invariant it was saved for (or null) and the steps. File form as the explorer's: a
 * header of {@code key: value} lines, {@code ---}, one step per line, {@code #} comments.
 */
public record RealSchedule(Mode mode, long seed, int partitions, String failing, List<RealStep> steps) {
    public RealSchedule {
        steps = List.copyOf(steps);
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
    }

    public RealSchedule withSteps(List<RealStep> newSteps) {
        return new RealSchedule(mode, seed, partitions, failing, newSteps);
    }

    /** The same steps judged as {@code newMode} (a user's producer settings decide the mode). */
    public RealSchedule withMode(Mode newMode) {
        return new RealSchedule(newMode, seed, partitions, failing, steps);
    }

    public RealSchedule failing(String invariant) {
        return new RealSchedule(mode, seed, partitions, invariant, steps);
    }

    /** The proxy faults the schedule arms. */
    public List<Fault> faults() {
        List<Fault> faults = new ArrayList<>();
        for (RealStep step : steps) {
            if (step instanceof RealStep.ProxyFault f) {
                faults.add(f.fault());
            }
        }
        return faults;
    }

    public long faultSteps() {
        return steps.stream().filter(RealStep::isFault).count();
    }

    public String format() {
        StringBuilder sb = new StringBuilder("# deliverycheck kafka schedule: replay with ./deliverycheck kafka --schedule FILE\n");
        sb.append("mode: ").append(mode.cliName()).append('\n');
        sb.append("seed: ").append(seed).append('\n');
        sb.append("partitions: ").append(partitions).append('\n');
        if (failing != null) {
            sb.append("fails: ").append(failing).append('\n');
        }
        sb.append("---\n");
        steps.forEach(s -> sb.append(s.toLine()).append('\n'));
        return sb.toString();
    }

    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, format(), StandardCharsets.UTF_8);
    }

    /** Reads a schedule file; throws IllegalArgumentException "FILE:LINE: what is wrong" on malformed input. */
    public static RealSchedule read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    public static RealSchedule parse(String text, String source) {
        Mode mode = null;
        long seed = 0;
        int partitions = 2;
        String failing = null;
        List<RealStep> steps = new ArrayList<>();
        boolean inSteps = false;
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String where = source + ":" + (i + 1) + ": ";
            int hash = lines[i].indexOf('#');
            String line = (hash >= 0 ? lines[i].substring(0, hash) : lines[i]).trim();
            if (line.isEmpty()) {
                continue;
            }
            try {
                if (inSteps) {
                    steps.add(RealStep.parse(line));
                } else if (line.equals("---")) {
                    inSteps = true;
                } else {
                    int colon = line.indexOf(':');
                    if (colon <= 0) {
                        throw new IllegalArgumentException("expected a header line 'key: value' or '---', got '" + line + "'");
                    }
                    String key = line.substring(0, colon).trim();
                    String value = line.substring(colon + 1).trim();
                    switch (key) {
                        case "mode" -> mode = Mode.fromCliName(value);
                        case "seed" -> seed = Long.parseLong(value);
                        case "partitions" -> partitions = Integer.parseInt(value);
                        case "fails" -> failing = value;
                        default -> throw new IllegalArgumentException("unknown header '" + key
                                + "' (known: mode, seed, partitions, fails)");
                    }
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + "expected a number: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage());
            }
        }
        if (mode == null) {
            throw new IllegalArgumentException(source + ": missing header 'mode: M'");
        }
        if (!inSteps) {
            throw new IllegalArgumentException(source + ": missing '---' line before the steps");
        }
        if (partitions < 1 || partitions > 100) {
            throw new IllegalArgumentException(source + ": partitions must be 1-100, got " + partitions);
        }
        return new RealSchedule(mode, seed, partitions, failing, steps);
    }
}
