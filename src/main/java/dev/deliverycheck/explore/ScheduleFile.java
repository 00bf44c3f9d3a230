package dev.deliverycheck.explore;

import dev.deliverycheck.broker.txn.ProducerIdManager;
import dev.deliverycheck.check.Mode;
import dev.deliverycheck.check.ProgressChecker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The replay-file format: a header of {@code key: value} lines, a {@code ---} line, then one
 * step per line. {@code #} starts a comment; blank lines are ignored.
 *
 * <pre>
 * # deliverycheck schedule
 * mode: at-least-once
 * seed: 42
 * brokers: 1
 * partitions: 2
 * fails: NoDuplicate
 * ---
 * send key=k1
 * advance 5
 * deliver 0
 * lose-response 0
 * </pre>
 */
public final class ScheduleFile {
    private ScheduleFile() {
    }

    /** A malformed file; the message is "FILE:LINE: what is wrong". */
    public static final class MalformedScheduleException extends Exception {
        public MalformedScheduleException(String message) {
            super(message);
        }
    }

    public static String format(Schedule s) {
        StringBuilder sb = new StringBuilder();
        sb.append("# deliverycheck schedule: replay with ./deliverycheck replay FILE\n");
        sb.append("mode: ").append(s.mode().cliName()).append('\n');
        sb.append("seed: ").append(s.seed()).append('\n');
        sb.append("brokers: ").append(s.brokers()).append('\n');
        sb.append("partitions: ").append(s.partitions()).append('\n');
        if (s.failing() != null) {
            sb.append("fails: ").append(s.failing()).append('\n');
        }
        sb.append("---\n");
        for (Step step : s.steps()) {
            sb.append(step.toLine()).append('\n');
        }
        return sb.toString();
    }

    public static void write(Schedule s, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, format(s), StandardCharsets.UTF_8);
    }

    public static Schedule read(Path file) throws IOException, MalformedScheduleException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    public static Schedule parse(String text, String source) throws MalformedScheduleException {
        Mode mode = null;
        Long seed = null;
        int brokers = 1;
        int partitions = 1;
        String failing = null;
        String failingWhere = null;
        List<Step> steps = new ArrayList<>();
        boolean inSteps = false;
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String where = source + ":" + (i + 1) + ": ";
            String line = stripComment(lines[i]).trim();
            if (line.isEmpty()) {
                continue;
            }
            if (!inSteps) {
                if (line.equals("---")) {
                    inSteps = true;
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new MalformedScheduleException(where + "expected a header line 'key: value' or '---', got '" + line + "'");
                }
                String key = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                try {
                    switch (key) {
                        case "mode" -> mode = Mode.fromCliName(value);
                        case "seed" -> seed = Long.parseLong(value);
                        case "brokers" -> brokers = brokerCount(value);
                        case "partitions" -> partitions = positive(value, "partitions");
                        case "fails" -> {
                            failing = value;
                            failingWhere = where;
                        }
                        default -> throw new IllegalArgumentException("unknown header '" + key
                                + "' (known: mode, seed, brokers, partitions, fails)");
                    }
                } catch (NumberFormatException e) {
                    throw new MalformedScheduleException(where + key + " must be a number, got '" + value + "'");
                } catch (IllegalArgumentException e) {
                    throw new MalformedScheduleException(where + e.getMessage());
                }
            } else {
                Step step;
                try {
                    step = Step.parse(line);
                } catch (IllegalArgumentException e) {
                    throw new MalformedScheduleException(where + e.getMessage());
                }
                int broker = brokerOf(step);
                if (broker >= brokers) {
                    throw new MalformedScheduleException(where + "'" + step.toLine() + "' names broker " + broker
                            + ", but the schedule has " + brokers + " (brokers 0.." + (brokers - 1) + ")");
                }
                steps.add(step);
            }
        }
        if (mode == null) {
            throw new MalformedScheduleException(source + ": missing header 'mode: M'");
        }
        if (seed == null) {
            throw new MalformedScheduleException(source + ": missing header 'seed: S'");
        }
        if (!inSteps) {
            throw new MalformedScheduleException(source + ": missing '---' line before the steps");
        }
        if (failing != null && !judged(mode).contains(failing)) {
            throw new MalformedScheduleException(failingWhere + "fails: '" + failing + "' is not judged in mode "
                    + mode.cliName() + ", expected one of " + String.join(", ", judged(mode)));
        }
        return new Schedule(mode, seed, brokers, partitions, failing, steps);
    }

    /** What a run in {@code mode} can fail: the mode's invariants, then Progress. */
    private static List<String> judged(Mode mode) {
        List<String> names = new ArrayList<>();
        mode.invariants().forEach(inv -> names.add(inv.tlaName()));
        names.add(ProgressChecker.NAME);
        return names;
    }

    /** At most as many brokers as the producer-id blocks allow (each broker hands out its own block). */
    private static int brokerCount(String value) {
        int v = positive(value, "brokers");
        if (v > ProducerIdManager.MAX_BROKERS) {
            throw new IllegalArgumentException("brokers must be at most " + ProducerIdManager.MAX_BROKERS + ", got " + v);
        }
        return v;
    }

    /** The broker a step names, or -1. */
    private static int brokerOf(Step step) {
        if (step instanceof Step.CrashBroker c) {
            return c.broker();
        } else if (step instanceof Step.ShutdownBroker sd) {
            return sd.broker();
        } else if (step instanceof Step.RestartBroker r) {
            return r.broker();
        }
        return -1;
    }

    private static int positive(String value, String key) {
        int v = Integer.parseInt(value);
        if (v < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, got " + v);
        }
        return v;
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        return hash >= 0 ? line.substring(0, hash) : line;
    }
}
