package dev.deliverycheck.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JDK Flight Recorder profile of this JVM (the "profile" settings, as {@code -XX:StartFlightRecording=settings=
 * profile} would take), summarised as {@code jfr print --events jdk.ExecutionSample} would be read by hand: the
 * share of execution samples whose top frame is each method, over the threads a predicate selects, and the share
 * of samples per thread. The recording file is kept for {@code jfr} and JDK Mission Control.
 */
final class JfrProfile implements AutoCloseable {
    private final Recording recording;
    private final Path file;

    private JfrProfile(Recording recording, Path file) {
        this.recording = recording;
        this.file = file;
    }

    /** Starts recording into {@code file} (written on {@link #stop}). */
    static JfrProfile start(Path file) throws IOException {
        try {
            Recording r = new Recording(Configuration.getConfiguration("profile"));
            r.setToDisk(true);
            r.start();
            return new JfrProfile(r, file);
        } catch (java.text.ParseException e) {
            throw new IOException("the JDK's JFR profile settings cannot be read: " + e.getMessage(), e);
        }
    }

    /** What the samples say. */
    record Summary(Path file, int samples, Map<String, Double> topFrames, Map<String, Double> threads) {
    }

    /**
     * Stops, writes the file and summarises the execution samples of the threads {@code threads} accepts: the
     * {@code top} most frequent top-frame methods and every sampled thread, each with its share of those samples.
     */
    Summary stop(Predicate<String> threads, int top) throws IOException {
        recording.stop();
        recording.dump(file);
        Map<String, Integer> byFrame = new HashMap<>();
        Map<String, Integer> byThread = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
            if (thread == null || !threads.test(thread)) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            RecordedFrame f = frames.get(0);
            String method = f.getMethod().getType().getName() + "." + f.getMethod().getName();
            byFrame.merge(method, 1, Integer::sum);
            byThread.merge(thread.replaceAll("\\d+", "N"), 1, Integer::sum);
            samples++;
        }
        return new Summary(file, samples, shares(byFrame, samples, top), shares(byThread, samples, Integer.MAX_VALUE));
    }

    private static Map<String, Double> shares(Map<String, Integer> counts, int total, int top) {
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : sorted.subList(0, Math.min(top, sorted.size()))) {
            out.put(e.getKey(), Math.round(1000.0 * e.getValue() / Math.max(1, total)) / 10.0);
        }
        return out;
    }

    @Override
    public void close() {
        recording.close();
    }
}
