package clinicrelay.zocdoc;

import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.EventShape;
import clinicrelay.event.EventType;
import clinicrelay.event.Patient;
import clinicrelay.event.PhoneNumbers;
import clinicrelay.event.Timestamps;
import clinicrelay.json.JsonArray;
import clinicrelay.json.JsonNumber;
import clinicrelay.json.JsonObject;
import clinicrelay.signature.HeaderLookup;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Normalises the two payload shapes the Zocdoc route receives into one
 * {@link AppointmentEvent} (docs/webhooks.md "The Zocdoc receiver", step 4):
 *
 * <ul>
 *   <li><b>thin</b> — Zocdoc's documented {@code appointment_updated} with
 *   {@code data.appointment_data}: ids only; event id
 *   {@code appointment_id|appointment_updated_timestamp|appointment_update_type};</li>
 *   <li><b>full</b> — the tutorials' shape with the appointment and patient inline and
 *   several accepted spellings per field.</li>
 * </ul>
 *
 * A field that is present but unusable (a start time without offset, a phone that cannot
 * be E.164) is dropped and named in {@code problems}; its value is never echoed, since it
 * may be PHI. The event is still stored: it is signed, so it is genuine.
 */
final class ZocdocPayload {
    public static final String SOURCE = "zocdoc";
    static final String THIN_EVENT_TYPE = "appointment_updated";
    /** Longest sender-supplied event id kept as is; longer ones are replaced by their hash. */
    static final int EVENT_ID_CHARS_MAX = 200;
    /** Longest free-text field kept (names, provider, location); longer ones are cut. */
    static final int TEXT_CHARS_MAX = 200;
    /** Most changed attribute paths kept from a thin event. */
    static final int CHANGED_ATTRIBUTES_MAX = 32;
    /** Longest e-mail address (RFC 5321 path limit). */
    private static final int EMAIL_CHARS_MAX = 254;

    private ZocdocPayload() {
    }

    public static AppointmentEvent normalise(JsonObject body, byte[] rawBody, HeaderLookup headers) {
        JsonObject data = body.object("data");
        JsonObject appointmentData = data == null ? null : data.object("appointment_data");
        if (THIN_EVENT_TYPE.equals(body.string("event_type")) && appointmentData != null) {
            return thin(appointmentData, rawBody);
        }
        return full(SOURCE, body, rawBody, headers, null);
    }

    /**
     * A Standard Webhooks sender's event: the full shape, its id the signed {@code webhook-id}
     * (what the sender keeps across its retries, so duplicates are found by it).
     */
    public static AppointmentEvent standardWebhook(String source, JsonObject body, byte[] rawBody, HeaderLookup headers,
                                                   String webhookId) {
        return full(source, body, rawBody, headers, webhookId);
    }

    private static AppointmentEvent thin(JsonObject appointment, byte[] rawBody) {
        List<String> problems = new ArrayList<>();
        String appointmentId = text(appointment, "appointment_id");
        String updatedAt = text(appointment, "appointment_updated_timestamp");
        String updateType = text(appointment, "appointment_update_type");
        String eventId;
        if (appointmentId != null && updatedAt != null && updateType != null) {
            eventId = boundedId(appointmentId + "|" + updatedAt + "|" + updateType);
        } else {
            problems.add("thin_event_incomplete");
            eventId = bodyHash(rawBody);
        }
        String rawType = updateType == null ? THIN_EVENT_TYPE : THIN_EVENT_TYPE + "/" + updateType;
        return AppointmentEvent.builder(SOURCE, EventShape.THIN, thinType(updateType))
                .eventId(eventId)
                .rawType(rawType)
                .appointmentId(cut(appointmentId))
                .updatedAt(cut(updatedAt))
                .changedAttributes(changedAttributes(appointment.array("changed_attributes")))
                .problems(problems)
                .build();
    }

    private static EventType thinType(String updateType) {
        if (updateType == null) {
            return EventType.UNKNOWN;
        }
        switch (updateType.toLowerCase(Locale.ROOT)) {
            case "created": return EventType.CREATED;
            case "updated": return EventType.UPDATED;
            case "cancelled":
            case "canceled": return EventType.CANCELLED;
            case "arrived": return EventType.CHECKED_IN;
            case "no_show": return EventType.NO_SHOW;
            default: return EventType.UNKNOWN;
        }
    }

    private static List<String> changedAttributes(JsonArray attributes) {
        List<String> paths = new ArrayList<>();
        if (attributes == null) {
            return paths;
        }
        for (Object attribute : attributes.values()) {
            if (paths.size() == CHANGED_ATTRIBUTES_MAX) {
                break;
            }
            if (attribute instanceof JsonObject object && object.string("attribute_path") != null) {
                paths.add(cut(object.string("attribute_path")));
            }
        }
        return paths;
    }

    /** @param signedHeaderId an id the signature covers (Standard Webhooks' webhook-id), or null */
    private static AppointmentEvent full(String source, JsonObject body, byte[] rawBody, HeaderLookup headers,
                                         String signedHeaderId) {
        List<String> problems = new ArrayList<>();
        String signedId = signedHeaderId != null ? signedHeaderId : firstNonBlank(text(body, "event_id"), text(body, "id"));
        String eventId;
        String idempotencyKey;
        if (signedId != null) {
            eventId = boundedId(signedId);
            idempotencyKey = eventId;
        } else {
            // Neither signature scheme covers headers: an id taken from one could be changed
            // by anyone replaying a captured request, so duplicates are found by the body.
            idempotencyKey = bodyHash(rawBody);
            String headerId = firstNonBlank(headers.first("X-Zocdoc-Event-Id"), headers.first("webhook-id"));
            eventId = headerId == null ? idempotencyKey : boundedId(headerId);
        }
        String rawType = firstNonBlank(text(body, "event_type"), text(body, "type"));
        JsonObject appointment = firstObject(body.object("appointment"), body.object("data"));
        String appointmentId;
        if (appointment == null) {
            // Flat payloads: the appointment's fields at the top, where "id" is the event's.
            appointment = body;
            appointmentId = text(body, "appointment_id");
        } else {
            appointmentId = firstNonBlank(text(appointment, "id"), text(appointment, "appointment_id"));
        }
        JsonObject provider = appointment.object("provider");
        JsonObject location = appointment.object("location");
        JsonObject patient = firstObject(appointment.object("patient"), body.object("patient"));
        return AppointmentEvent.builder(source, EventShape.FULL, fullType(rawType))
                .eventId(eventId)
                .idempotencyKey(idempotencyKey)
                .rawType(rawType == null ? "" : cut(rawType))
                .appointmentId(cut(appointmentId))
                .updatedAt(cut(firstNonBlank(text(body, "created_at"), text(body, "timestamp"))))
                .startTime(startTime(appointment, problems))
                .provider(cut(firstNonBlank(text(appointment, "provider_id"), provider == null ? null : text(provider, "id"))),
                        cut(firstNonBlank(text(appointment, "provider_name"), provider == null ? null : text(provider, "name"))))
                .location(cut(firstNonBlank(text(appointment, "location_id"), location == null ? null : text(location, "id"))),
                        cut(firstNonBlank(text(appointment, "location_name"), location == null ? null : text(location, "name"))),
                        cut(firstNonBlank(text(appointment, "location_phone"), location == null ? null : text(location, "phone"))))
                .videoLink(httpsLink(firstNonBlank(text(appointment, "video_link"), text(appointment, "video_url")), problems))
                .patient(patient == null ? null : patient(patient, problems))
                .problems(problems)
                .build();
    }

    /** A video link is sent to the patient, so only an https URL is kept. */
    static String httpsLink(String raw, List<String> problems) {
        if (raw == null) {
            return null;
        }
        if (raw.startsWith("https://") && raw.length() <= TEXT_CHARS_MAX && raw.chars().noneMatch(c -> c <= ' ')) {
            return raw;
        }
        problems.add("video_link_unusable");
        return null;
    }

    private static EventType fullType(String rawType) {
        if (rawType == null) {
            return EventType.UNKNOWN;
        }
        switch (rawType.toLowerCase(Locale.ROOT)) {
            case "appointment.created": return EventType.CREATED;
            case "appointment.updated":
            case "appointment.rescheduled": return EventType.UPDATED;
            case "appointment.cancelled":
            case "appointment.canceled": return EventType.CANCELLED;
            case "appointment.checked_in": return EventType.CHECKED_IN;
            case "appointment.no_show": return EventType.NO_SHOW;
            default: return EventType.UNKNOWN;
        }
    }

    static OffsetDateTime startTime(JsonObject appointment, List<String> problems) {
        String raw = firstNonBlank(appointment.string("start_time"), appointment.string("datetime"),
                appointment.string("start"));
        if (raw == null) {
            return null;
        }
        try {
            return Timestamps.parseOffsetDateTime(raw.strip());
        } catch (DateTimeParseException unusable) {
            // The exception's message quotes the text; it is dropped here on purpose.
            problems.add("start_time_unparsable");
            return null;
        }
    }

    static Patient patient(JsonObject patient, List<String> problems) {
        String rawPhone = firstNonBlank(patient.string("phone"), patient.string("phone_number"));
        String phone = PhoneNumbers.toE164(rawPhone);
        if (rawPhone != null && phone == null) {
            problems.add("phone_unusable");
        }
        String rawEmail = firstNonBlank(patient.string("email"), patient.string("email_address"));
        String email = plausibleEmail(rawEmail);
        if (rawEmail != null && email == null) {
            problems.add("email_unusable");
        }
        return new Patient(cut(text(patient, "first_name")), cut(text(patient, "last_name")), phone, email,
                cut(text(patient, "date_of_birth")), patient.bool("sms_consent"), patient.bool("email_consent"));
    }

    private static String plausibleEmail(String raw) {
        if (raw == null) {
            return null;
        }
        String email = raw.strip();
        int at = email.indexOf('@');
        boolean plausible = email.length() <= EMAIL_CHARS_MAX && at > 0 && at == email.lastIndexOf('@')
                && email.indexOf('.', at) > at + 1 && !email.endsWith(".");
        for (int i = 0; plausible && i < email.length(); i++) {
            char c = email.charAt(i);
            plausible = c > ' ' && c != 0x7F && c != ',' && c != ';' && c != '<' && c != '>';
        }
        return plausible ? email : null;
    }

    /** A string member, or a number member's text (ids are sometimes numbers); blank counts as absent. */
    static String text(JsonObject object, String name) {
        Object value = object.get(name);
        String text = value instanceof String s ? s : value instanceof JsonNumber n ? n.text() : null;
        return text == null || text.isBlank() ? null : text.strip();
    }

    static String firstNonBlank(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate.strip();
            }
        }
        return null;
    }

    private static JsonObject firstObject(JsonObject first, JsonObject second) {
        return first != null ? first : second;
    }

    static String cut(String text) {
        return text == null || text.length() <= TEXT_CHARS_MAX ? text : text.substring(0, TEXT_CHARS_MAX);
    }

    static String boundedId(String id) {
        return id.length() <= EVENT_ID_CHARS_MAX ? id : "sha256:" + sha256Hex(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The event id of a payload that names none: the same body always gets the same id. */
    static String bodyHash(byte[] rawBody) {
        return "sha256:" + sha256Hex(rawBody);
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable in this JDK", e);
        }
    }
}
