package clinicrelay.event;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;

/**
 * One inbound event, normalised from whichever payload shape it arrived in, built with
 * {@link #builder}. Everything but the patient and the video link may be kept forever and
 * shown in logs by id; those two are PHI and are stored apart (see
 * {@code ingest.EventRecords}). There is deliberately no {@code toString}: an event must
 * never be printed whole.
 */
public final class AppointmentEvent {
    /**
     * Events fetched from Zocdoc's partner API: {@code updatedAt} is the appointment's
     * version ({@code last_modified_time_utc}), and only a newer version changes its state.
     */
    public static final String SOURCE_ZOCDOC_API = "zocdoc-api";

    private final String eventId;
    private final String idempotencyKey;
    private final String source;
    private final EventShape shape;
    private final EventType type;
    private final String rawType;
    private final String appointmentId;
    private final String updatedAt;
    private final OffsetDateTime startTime;
    private final String providerId;
    private final String providerName;
    private final String locationId;
    private final String locationName;
    private final String locationPhone;
    private final String videoLink;
    private final List<String> changedAttributes;
    private final Patient patient;
    private final List<String> problems;

    private AppointmentEvent(Builder b) {
        this.eventId = b.eventId;
        this.idempotencyKey = b.idempotencyKey != null ? b.idempotencyKey : b.eventId;
        this.source = b.source;
        this.shape = b.shape;
        this.type = b.type;
        this.rawType = b.rawType != null ? b.rawType : b.type.wireName();
        this.appointmentId = b.appointmentId;
        this.updatedAt = b.updatedAt;
        this.startTime = b.startTime;
        this.providerId = b.providerId;
        this.providerName = b.providerName;
        this.locationId = b.locationId;
        this.locationName = b.locationName;
        this.locationPhone = b.locationPhone;
        this.videoLink = b.videoLink;
        this.changedAttributes = List.copyOf(b.changedAttributes);
        this.patient = b.patient;
        this.problems = List.copyOf(b.problems);
    }

    /** An event of {@code source}, {@code shape} and {@code type}; the rest is set on the builder. */
    public static Builder builder(String source, EventShape shape, EventType type) {
        return new Builder(source, shape, type);
    }

    /** The sender's event id (see docs/webhooks.md "The Zocdoc receiver"). */
    public String eventId() {
        return eventId;
    }

    /**
     * What duplicates are detected on: the event id when it is part of the signed body, else
     * the body's SHA-256 (an id from an unsigned header could be changed by anyone replaying
     * the request).
     */
    public String idempotencyKey() {
        return idempotencyKey;
    }

    /** The platform, e.g. {@code zocdoc}. */
    public String source() {
        return source;
    }

    public EventShape shape() {
        return shape;
    }

    public EventType type() {
        return type;
    }

    /** The type as the sender named it. */
    public String rawType() {
        return rawType;
    }

    public String appointmentId() {
        return appointmentId;
    }

    /** When the sender says the change happened, as sent (may be null). */
    public String updatedAt() {
        return updatedAt;
    }

    /** The appointment's start with its offset, or null when absent or unparsable. */
    public OffsetDateTime startTime() {
        return startTime;
    }

    public String providerId() {
        return providerId;
    }

    public String providerName() {
        return providerName;
    }

    public String locationId() {
        return locationId;
    }

    public String locationName() {
        return locationName;
    }

    /** The location's phone, for patients to call (not PHI), or null. */
    public String locationPhone() {
        return locationPhone;
    }

    /** The visit's video link for virtual visits (treated as PHI: it opens the visit), or null. */
    public String videoLink() {
        return videoLink;
    }

    /** Attribute paths the sender says changed (thin shape); may be empty. */
    public List<String> changedAttributes() {
        return changedAttributes;
    }

    /** Null when the payload carries no patient (thin shape). PHI. */
    public Patient patient() {
        return patient;
    }

    /** Fixed codes for fields that were present but unusable. */
    public List<String> problems() {
        return problems;
    }

    /** The key under which the event is journaled and deduplicated: unique across sources. */
    public String journalKey() {
        return source + ":" + idempotencyKey;
    }

    /** Collects an event's fields; {@link #build} checks what every event needs. */
    public static final class Builder {
        private final String source;
        private final EventShape shape;
        private final EventType type;
        private String eventId;
        private String idempotencyKey;
        private String rawType;
        private String appointmentId;
        private String updatedAt;
        private OffsetDateTime startTime;
        private String providerId;
        private String providerName;
        private String locationId;
        private String locationName;
        private String locationPhone;
        private String videoLink;
        private List<String> changedAttributes = List.of();
        private Patient patient;
        private List<String> problems = List.of();

        private Builder(String source, EventShape shape, EventType type) {
            this.source = Objects.requireNonNull(source, "source");
            this.shape = Objects.requireNonNull(shape, "shape");
            this.type = Objects.requireNonNull(type, "type");
        }

        /** The event id; also the idempotency key unless {@link #idempotencyKey} says otherwise. */
        public Builder eventId(String id) {
            this.eventId = id;
            return this;
        }

        public Builder idempotencyKey(String key) {
            this.idempotencyKey = key;
            return this;
        }

        /** The sender's own name for the type (default: the normalised one). */
        public Builder rawType(String name) {
            this.rawType = name;
            return this;
        }

        public Builder appointmentId(String id) {
            this.appointmentId = id;
            return this;
        }

        public Builder updatedAt(String stamp) {
            this.updatedAt = stamp;
            return this;
        }

        public Builder startTime(OffsetDateTime start) {
            this.startTime = start;
            return this;
        }

        public Builder provider(String id, String name) {
            this.providerId = id;
            this.providerName = name;
            return this;
        }

        public Builder location(String id, String name, String phone) {
            this.locationId = id;
            this.locationName = name;
            this.locationPhone = phone;
            return this;
        }

        public Builder videoLink(String link) {
            this.videoLink = link;
            return this;
        }

        public Builder changedAttributes(List<String> attributes) {
            this.changedAttributes = attributes;
            return this;
        }

        public Builder patient(Patient who) {
            this.patient = who;
            return this;
        }

        public Builder problems(List<String> codes) {
            this.problems = codes;
            return this;
        }

        /** @throws IllegalStateException without an event id, or for a thin event that carries a patient */
        public AppointmentEvent build() {
            if (eventId == null) {
                throw new IllegalStateException("an event needs an id");
            }
            if (shape == EventShape.THIN && patient != null) {
                throw new IllegalStateException("a thin event carries no patient");
            }
            return new AppointmentEvent(this);
        }
    }
}
