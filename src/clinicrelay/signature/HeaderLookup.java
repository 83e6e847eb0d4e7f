package clinicrelay.signature;

/** Case-insensitive access to a request's headers, so verifiers do not depend on the HTTP server. */
@FunctionalInterface
public interface HeaderLookup {
    /** The first value of the header, or null when absent. */
    String first(String name);
}
