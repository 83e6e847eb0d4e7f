package clinicrelay.delivery;

import java.io.IOException;

/** Writes an image of the engine's state at rest: see {@link DeliveryEngine#checkpoint}. */
@FunctionalInterface
public interface StateImage {
    /**
     * @param position      every record before it is folded into the state, none after it
     * @param pendingEvents events before {@code position} stored and not yet folded in, in journal order
     */
    void write(long position, long[] pendingEvents) throws IOException;
}
