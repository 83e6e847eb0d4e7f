package clinicrelay.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a whole journal folder, oldest segment first, without changing anything: used by
 * start-up replay (which then cuts off a torn tail) and by {@code journal verify/dump}.
 */
public final class JournalReader {

    /**
     * What a full read found.
     *
     * @param newestSegment the segment appends continue in, or null for an empty journal
     * @param endOfGoodData offset after the last good frame of the newest segment
     * @param tornAt        offset of a torn tail in the newest segment, or -1
     */
    public record Report(int segments, long records, Path newestSegment, long endOfGoodData,
                         long tornAt, String tornReason) {
    }

    private JournalReader() {
    }

    /**
     * @throws JournalCorruptException on any bad record that is not a torn tail, and on a
     *                                 gap in segment numbers
     */
    public static Report read(Path journalDir, Journal.ReplayVisitor visitor) throws IOException, JournalCorruptException {
        return read(journalDir, visitor, JournalPosition.NONE);
    }

    /**
     * Reads from {@code from} on (a checkpoint's position; {@link JournalPosition#NONE}:
     * from the start): earlier segments are not read at all.
     *
     * @throws JournalCorruptException also when {@code from}'s segment is not there
     */
    public static Report read(Path journalDir, Journal.ReplayVisitor visitor, long from)
            throws IOException, JournalCorruptException {
        if (!Files.isDirectory(journalDir)) {
            if (from != JournalPosition.NONE) {
                throw new JournalCorruptException(journalDir, 0, "no journal for the checkpoint's position");
            }
            return new Report(0, 0, null, 0, -1, null);
        }
        List<Path> segments = Segments.list(journalDir);
        long fromSequence = from == JournalPosition.NONE ? -1 : JournalPosition.segmentSequence(from);
        if (fromSequence >= 0 && segments.stream().noneMatch(s -> Segments.sequenceOf(s) == fromSequence)) {
            throw new JournalCorruptException(journalDir, 0, "the checkpoint's segment " + fromSequence + " is not there");
        }
        long records = 0;
        long expectedSequence = -1;
        SegmentScanner.Result last = null;
        for (int i = 0; i < segments.size(); i++) {
            Path segment = segments.get(i);
            long sequence = Segments.sequenceOf(segment);
            if (sequence < fromSequence) {
                continue; // covered by the checkpoint
            }
            if (expectedSequence >= 0 && sequence != expectedSequence) {
                throw new JournalCorruptException(segment, 0, "segment " + expectedSequence + " is missing before it");
            }
            expectedSequence = sequence + 1;
            long startOffset = sequence == fromSequence ? JournalPosition.offset(from) : Segments.HEADER_BYTES;
            last = SegmentScanner.scan(segment, i == segments.size() - 1, startOffset, visitor::visit);
            records += last.records();
        }
        if (last == null) {
            return new Report(0, 0, null, 0, -1, null);
        }
        return new Report(segments.size(), records, segments.get(segments.size() - 1),
                last.endOfGoodData(), last.tornAt(), last.tornReason());
    }
}
