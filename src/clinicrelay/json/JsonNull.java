package clinicrelay.json;

/** The JSON literal {@code null}, distinct from a missing member. */
enum JsonNull {
    INSTANCE;

    @Override
    public String toString() {
        return "null";
    }
}
