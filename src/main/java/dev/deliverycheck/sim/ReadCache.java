package dev.deliverycheck.sim;

import dev.deliverycheck.broker.Broker;
import dev.deliverycheck.event.ConsumerFetch;
import dev.deliverycheck.event.SpecAction;
import dev.deliverycheck.protocol.FetchRequest;
import dev.deliverycheck.protocol.FetchResponse;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader's fetch of a whole partition from offset 0, answered from the last fetch when the
 * leader's log position is unchanged.
 *
 * <p>Invariant: an answer from the cache equals a fresh fetch. A fetch is reused only when the
 * leader is the same broker instance and its log end, high watermark and last stable offset are
 * unchanged: within one broker incarnation a log only grows at its end (truncation happens only
 * in recovery, when a restarted broker opens it), every marker that decides a transaction takes
 * an offset, and the read stops at the high watermark or the last stable offset, so an equal
 * position means an equal answer.
 */
final class ReadCache {
    private final Map<FetchKey, LastFetch> lastFetches = new HashMap<>();
    private boolean enabled = true;

    /** Off, every read goes through the broker (the test that proves the shortcut changes nothing). */
    void enable(boolean on) {
        this.enabled = on;
    }

    /** What {@code leader} answers a fetch of {@code tp} from offset 0 at {@code isolation}. */
    ConsumerFetch fetch(Broker leader, TopicPartition tp, IsolationLevel isolation) {
        long logEnd = leader.logEndOffset(tp);
        long highWatermark = leader.highWatermark(tp);
        long lastStable = leader.lastStableOffset(tp);
        FetchKey key = new FetchKey(tp, isolation);
        LastFetch last = enabled ? lastFetches.get(key) : null;
        if (last != null && last.leader() == leader && last.logEnd() == logEnd
                && last.highWatermark() == highWatermark && last.lastStable() == lastStable) {
            return last.fetch();
        }
        ConsumerFetch fetch = fetchFrom(leader, tp, isolation);
        lastFetches.put(key, new LastFetch(leader, logEnd, highWatermark, lastStable, fetch));
        return fetch;
    }

    @SpecAction("ConsumerFetch")
    private static ConsumerFetch fetchFrom(Broker leader, TopicPartition tp, IsolationLevel isolation) {
        FetchResponse r = leader.fetch(new FetchRequest(0, tp, 0, Integer.MAX_VALUE, isolation));
        List<Long> offsets = new ArrayList<>(r.records().size());
        List<Long> ids = new ArrayList<>(r.records().size());
        for (FetchResponse.FetchedRecord f : r.records()) {
            offsets.add(f.offset());
            ids.add(f.record().recordId());
        }
        return new ConsumerFetch(tp, isolation, offsets, ids);
    }

    private record FetchKey(TopicPartition topicPartition, IsolationLevel isolation) {
    }

    /** The last fetch of one partition and isolation level, and the leader's log position it saw. */
    private record LastFetch(Broker leader, long logEnd, long highWatermark, long lastStable, ConsumerFetch fetch) {
    }
}
