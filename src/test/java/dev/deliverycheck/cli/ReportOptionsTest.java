package dev.deliverycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --report and --junit-xml on the commands: an unwritable target is one error line and exit 2
 * before any work, and a run writes both.
 */
class ReportOptionsTest {
    @TempDir
    Path dir;

    private Path fileInTheWay() throws Exception {
        return Files.writeString(dir.resolve("a-file"), "x");
    }

    @Test
    void anUnwritableReportDirectoryStopsVerifyBeforeAnyWork() throws Exception {
        Path replays = dir.resolve("replays");
        CliRunner.Result r = CliRunner.run("verify", "--quick", "--out", replays.toString(), "--report",
                fileInTheWay().resolve("report").toString());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("deliverycheck: cannot write --report " + dir.resolve("a-file").resolve("report"));
        assertThat(r.out()).isEmpty();
        assertThat(replays).as("nothing explored").doesNotExist();
    }

    @Test
    void aReportPathThatIsAFileIsAUsageErrorForExplore() throws Exception {
        Path replays = dir.resolve("replays");
        CliRunner.Result r = CliRunner.run("explore", "--mode", "at-least-once", "--out", replays.toString(), "--report",
                fileInTheWay().toString());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err().strip()).isEqualTo("deliverycheck: --report " + dir.resolve("a-file") + " is not a directory");
        assertThat(replays).doesNotExist();
    }

    @Test
    void aJunitXmlPathThatIsADirectoryIsAUsageError() {
        for (String[] args : new String[][] {{"check-models", "--junit-xml", dir.toString()},
                {"replay", "no-such.schedule", "--junit-xml", dir.toString()}}) {
            CliRunner.Result r = CliRunner.run(args);
            assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
            assertThat(r.err().strip()).isEqualTo("deliverycheck: --junit-xml " + dir + " is a directory, expected a file");
        }
    }

    @Test
    void exploreAndReplayWriteTheReportAndTheXml() throws Exception {
        Path replays = dir.resolve("replays");
        Path report = dir.resolve("report");
        Path xml = dir.resolve("ci").resolve("explore.xml");
        CliRunner.Result r = CliRunner.run("explore", "--mode", "at-most-once", "--runs", "10", "--out", replays.toString(),
                "--report", report.toString(), "--junit-xml", xml.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).contains("report: " + report.resolve("index.html")).contains("junit-xml: " + xml);
        String html = Files.readString(report.resolve("index.html"));
        assertThat(html).contains("./deliverycheck explore --mode at-most-once --runs 10").contains("<svg ");
        assertThat(Files.readString(xml)).contains("<testcase classname=\"explore.at-most-once\" name=\"NoLoss\"");

        Path schedule = replays.resolve("at-most-once-NoLoss-seed1.schedule");
        Path replayReport = dir.resolve("replay-report");
        CliRunner.Result replay = CliRunner.run("replay", schedule.toString(), "--report", replayReport.toString(),
                "--junit-xml", dir.resolve("replay.xml").toString());
        assertThat(replay.exitCode()).isZero();
        assertThat(Files.readString(replayReport.resolve("index.html"))).contains("id=\"replay\"").contains("NoLoss violated");
        assertThat(Files.readString(dir.resolve("replay.xml"))).contains("failures=\"0\"")
                .contains("<testcase classname=\"replay\" name=\"at-most-once-NoLoss-seed1.schedule\"")
                .contains("./deliverycheck replay " + schedule);
    }

    @Test
    void shardsMergeIntoTheReportOfOneJob() throws Exception {
        String[] job = {"explore", "--mode", "at-least-once", "--runs", "24", "--seed", "7", "--json"};
        CliRunner.Result whole = CliRunner.run(concat(job, "--out", dir.resolve("whole").toString()));
        assertThat(whole.exitCode()).isZero();
        Path[] shards = new Path[3];
        for (int k = 1; k <= 3; k++) {
            CliRunner.Result s = CliRunner.run(concat(job, "--shard", k + "/3", "--out", dir.resolve("shards").toString()));
            assertThat(s.exitCode()).as("shard %d: %s", k, s.err()).isZero();
            shards[k - 1] = Files.writeString(dir.resolve("shard" + k + ".json"), s.out());
        }
        // Given out of order: merge sorts by seed.
        CliRunner.Result merged = CliRunner.run("merge", "--json", shards[2].toString(), shards[0].toString(), shards[1].toString());
        assertThat(merged.exitCode()).as(merged.err()).isZero();
        Map<String, Object> expected = comparable(whole.out());
        Map<String, Object> actual = comparable(merged.out());
        assertThat(actual).isEqualTo(expected.entrySet().stream().collect(LinkedHashMap::new,
                (m, e) -> m.put(e.getKey(), e.getKey().equals("invariants") ? rebase(e.getValue(), "whole", "shards") : e.getValue()),
                Map::putAll));

        CliRunner.Result gap = CliRunner.run("merge", shards[0].toString(), shards[2].toString());
        assertThat(gap.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(gap.err().strip()).startsWith("deliverycheck: " + shards[2] + ": starts at seed 23 but the shards before end at seed 14 (a shard is missing)");
    }

    @Test
    void aShardOutsideItsJobIsAUsageError() {
        CliRunner.Result r = CliRunner.run("explore", "--mode", "at-least-once", "--shard", "4/3");
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err().strip()).isEqualTo("deliverycheck: --shard must be K/N with 1 <= K <= N, got 4/3");
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** The explore --json fields that do not depend on timing. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> comparable(String json) {
        Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) Json.parse(json));
        m.remove("schedulesPerSecond");
        m.remove("schedulesPerCpuSecond");
        m.remove("shards");
        // secondsToFind is wall time too; runsToFind is not, and must survive the merge
        if (m.get("invariants") instanceof Map<?, ?> invariants) {
            Map<String, Object> stripped = new LinkedHashMap<>();
            invariants.forEach((k, v) -> {
                Map<String, Object> inv = new LinkedHashMap<>((Map<String, Object>) v);
                inv.remove("secondsToFind");
                stripped.put((String) k, inv);
            });
            m.put("invariants", stripped);
        }
        if (m.get("Progress") instanceof Map<?, ?> progress) {
            Map<String, Object> p = new LinkedHashMap<>((Map<String, Object>) progress);
            p.remove("secondsToFind");
            m.put("Progress", p);
        }
        return m;
    }

    /** The replay file paths differ only by the --out directory each run was given. */
    private static Object rebase(Object invariants, String from, String to) {
        return Json.parse(Json.write(invariants).replace("/" + from + "/", "/" + to + "/"));
    }
}
