package clinicrelay.journal;

import java.io.IOException;

/**
 * The seam through which tests make journal writes fail like a full or broken disk, or
 * watch the order of write, force and acknowledgement. Called by the writer thread;
 * production uses {@link #NONE}.
 */
@FunctionalInterface
public interface WriteFaults {
    WriteFaults NONE = () -> { };

    /** Throws to fail the batch about to be written, exactly as a failing write would. */
    void beforeBatch() throws IOException;

    /** Called after the batch's bytes are written and before they are forced; throwing
     *  fails the batch as a failing fsync would, with its bytes already in the file. */
    default void beforeForce() throws IOException {
    }
}
