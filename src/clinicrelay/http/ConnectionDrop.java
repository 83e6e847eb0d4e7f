package clinicrelay.http;

/**
 * Thrown by a handler to close the connection without sending any status line.
 *
 * <p>Zocdoc redelivers a webhook only after a timeout or a broken connection, never after
 * an HTTP status; so when an event cannot be stored, dropping the connection is the only
 * answer that makes it come back. The JDK server closes the connection on any exception
 * from a handler; this type makes the intent explicit and skips the stack trace.
 */
final class ConnectionDrop extends RuntimeException {
    public ConnectionDrop(String reason) {
        super(reason, null, false, false);
    }
}
