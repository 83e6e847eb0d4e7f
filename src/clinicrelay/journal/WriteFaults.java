package clinicrelay.journal;

import java.io.IOException;

/**
 * The seam through which tests make journal writes fail like a full or broken disk.
 * Called by the writer thread before each batch; production uses {@link #NONE}.
 */
@FunctionalInterface
public interface WriteFaults {
    WriteFaults NONE = () -> { };

    /** Throws to fail the batch about to be written, exactly as a failing write would. */
    void beforeBatch() throws IOException;
}
