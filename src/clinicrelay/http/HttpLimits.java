package clinicrelay.http;

/**
 * Every limit of the HTTP layer, with the reason for its value. The JDK server reads most
 * of its limits from system properties once, when its classes load, so
 * {@link #applyToJdkServer()} must run before the first server is created.
 */
public final class HttpLimits {
    /** Largest webhook body (docs/webhooks.md). A real Zocdoc webhook is under 1 KiB. */
    public static final int WEBHOOK_BODY_BYTES_MAX = 256 * 1024;
    /** Time a client has to send a whole request (headers and body). Slow-loris clients are
     *  cut off after this; honest senders need milliseconds. */
    static final int REQUEST_SECONDS_MAX = 10;
    /** Time for us to answer and the client to take the answer. Zocdoc gives up after 5 s,
     *  and the journal wait is capped lower still (see ingest.EventIngest). */
    static final int RESPONSE_SECONDS_MAX = 10;
    /** Idle keep-alive connections are closed after this. */
    static final int IDLE_SECONDS_MAX = 30;
    /** Idle keep-alive connections kept open at most; beyond it a connection closes after its response. */
    static final int IDLE_CONNECTIONS_MAX = 256;
    /** Open connections at most; further ones are closed at accept. Bounds file descriptors. */
    static final int CONNECTIONS_MAX = 1024;
    /** Header lines per request and bytes of headers per request: a webhook needs a dozen lines. */
    static final int REQUEST_HEADERS_MAX = 64;
    static final int REQUEST_HEADER_BYTES_MAX = 16 * 1024;
    /** Worker threads at most. The JDK server reads a request on the worker thread, so a
     *  slow client holds one until REQUEST_SECONDS_MAX; the pool is sized so a hundred such
     *  clients still leave most threads for honest requests. Idle threads cost only their
     *  (lazily committed) stack and expire after WORKER_IDLE_SECONDS. */
    static final int WORKER_THREADS_MAX = 256;
    static final int WORKER_THREADS_CORE = 4;
    /**
     * Exchanges one address may have in progress at once (a proxy in front counts as one
     * address: far more than it forwards concurrently for webhooks); the rest are turned away.
     */
    public static final int EXCHANGES_PER_ADDRESS_MAX = 64;
    static final int WORKER_IDLE_SECONDS = 30;
    /** Stack of a worker thread: handlers are shallow and JSON nesting is capped at 64. */
    static final long WORKER_STACK_BYTES = 512 * 1024;
    /** Threads and queue that answer "busy" when every worker is taken (see WorkerPool). */
    static final int SHED_THREADS = 2;
    static final int SHED_QUEUE_MAX = 128;
    /** Seconds a client is told to wait after a 503. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private HttpLimits() {
    }

    /**
     * Sets the JDK server's properties unless the operator set them on the command line.
     * {@code nodelay}: without TCP_NODELAY, Nagle's algorithm and delayed ACKs add ~40 ms
     * to every keep-alive response (measured: 700 instead of 19 000 requests/s).
     */
    public static void applyToJdkServer() {
        setDefault("sun.net.httpserver.nodelay", "true");
        setDefault("sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_SECONDS_MAX));
        setDefault("sun.net.httpserver.maxRspTime", Integer.toString(RESPONSE_SECONDS_MAX));
        setDefault("sun.net.httpserver.idleInterval", Integer.toString(IDLE_SECONDS_MAX));
        setDefault("sun.net.httpserver.maxIdleConnections", Integer.toString(IDLE_CONNECTIONS_MAX));
        setDefault("jdk.httpserver.maxConnections", Integer.toString(CONNECTIONS_MAX));
        setDefault("sun.net.httpserver.maxReqHeaders", Integer.toString(REQUEST_HEADERS_MAX));
        setDefault("sun.net.httpserver.maxReqHeaderSize", Integer.toString(REQUEST_HEADER_BYTES_MAX));
    }

    private static void setDefault(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}
