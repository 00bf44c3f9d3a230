package dev.deliverycheck.broker.log;

/**
 * What the recovery pass of a {@link PartitionLog} found when it opened.
 *
 * @param logEndOffset      offset after the last valid batch: everything below it is intact
 * @param validBatches      number of batches kept
 * @param truncatedBytes    bytes cut from the log (the bad frame and everything after it)
 * @param problem           the first problem found, {@link Problem#NONE} for a clean log
 * @param corruptionInMiddle true when a {@linkplain Problem#isCorruption() corrupt} frame was
 *                           followed by more bytes: not a torn tail but damaged data in the
 *                           middle of the log, whose later batches were dropped too
 * @param detail            where and what, for a human; empty for a clean log
 */
public record RecoveryReport(long logEndOffset, int validBatches, long truncatedBytes, Problem problem,
                             boolean corruptionInMiddle, String detail) {

    /** Kind of the first bad spot in the log. */
    public enum Problem {
        /** Every byte belonged to a valid batch. */
        NONE,
        /** The last frame was cut short: an interrupted write, expected after a crash. */
        TORN_TAIL,
        /** A complete frame whose CRC-32C does not match its payload. */
        CRC_MISMATCH,
        /** A frame with a sane CRC but an impossible length, payload or offset. */
        INVALID_BATCH,
        /** A segment file that does not continue the previous one (its base offset leaves a gap). */
        ORPHAN_SEGMENT;

        public boolean isCorruption() {
            return this == CRC_MISMATCH || this == INVALID_BATCH;
        }
    }

    public boolean clean() {
        return problem == Problem.NONE && truncatedBytes == 0;
    }
}
