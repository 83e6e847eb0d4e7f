package clinicrelay.journal;

import java.nio.file.Path;

/**
 * A record that fails its checks somewhere other than the torn tail of the newest segment.
 * Start-up stops: silently skipping it could lose an acknowledged event.
 */
public final class JournalCorruptException extends Exception {
    private final Path file;
    private final long offset;

    public JournalCorruptException(Path file, long offset, String reason) {
        super("journal corrupt: " + reason + " in " + file + " at offset " + offset
                + "; the file was left untouched. Keep a copy, then see docs/journal.md (\"Recovering\")");
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
