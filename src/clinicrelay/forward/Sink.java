package clinicrelay.forward;

import java.util.List;

/** How events reach one kind of target. Called from that target's thread only. */
interface Sink {
    /** Most events one send carries (1: one request per event). */
    int batchMax();

    /** Sends {@code batch} (1 to {@link #batchMax} events, in journal order); never throws for what the target did. */
    SinkAnswer send(List<ForwardEvent> batch) throws InterruptedException;
}
