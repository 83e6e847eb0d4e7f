package clinicrelay.delivery;

import clinicrelay.event.AppointmentEvent;
import clinicrelay.ingest.EventRecords;
import clinicrelay.journal.Journal;
import clinicrelay.journal.JournalCorruptException;
import clinicrelay.journal.JournalPosition;
import clinicrelay.journal.RecordCodec;
import clinicrelay.journal.StoredRecord;
import clinicrelay.json.JsonException;
import clinicrelay.json.JsonObject;
import clinicrelay.planning.Channel;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads back, by position, what the engine does not keep in memory: an appointment's
 * details (its events' patient data, decrypted), what an attempt sent, why a send failed
 * and the provider's id for it. A record that is gone for good (its segment deleted by
 * retention, its data key destroyed, its bytes damaged) reads as unknown, and the caller
 * acts as if the data were absent, the safe side (no recipient, no send). A read that
 * fails for now (an I/O error) is {@link Unavailable}: the caller tries again later rather
 * than decide anything on it.
 */
final class JournalReads {
    /** The journal could not be read just now; nothing may be concluded from it. */
    static final class Unavailable extends Exception {
        Unavailable(Throwable cause) {
            super(cause.getClass().getSimpleName(), null, false, false);
        }
    }

    /** Events remembered at most: about a megabyte of patient data, messages about to go out. */
    static final int RECENT_EVENTS_MAX = 1024;

    private final Journal journal;
    private final RecordCodec codec;
    /**
     * Events just stored whose messages go out now (confirmations), by position: sending
     * them needs no read and no decryption of what is still in memory. Least recently used
     * first out; emptied whenever the engine has nothing left to do, so patient data stays
     * only while its messages are going out.
     */
    private final Map<Long, AppointmentEvent> recent = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, AppointmentEvent> eldest) {
            return size() > RECENT_EVENTS_MAX;
        }
    };

    JournalReads(Journal journal, RecordCodec codec) {
        this.journal = journal;
        this.codec = codec;
    }

    /** The event at {@code position}, in memory, whose messages are about to be sent. */
    void remember(long position, AppointmentEvent event) {
        recent.put(position, event);
    }

    /** Events remembered now (tests: none once the engine is idle). */
    int rememberedCount() {
        return recent.size();
    }

    /** Forgets the events remembered: the engine has nothing left to send now. */
    void forgetRecent() {
        recent.clear();
    }

    /** The details merged over the events at these positions, oldest first. */
    AppointmentDetails details(long[] positions) throws Unavailable {
        AppointmentDetails details = AppointmentDetails.NONE;
        for (long position : positions) {
            AppointmentEvent remembered = recent.get(position);
            if (remembered != null) {
                details = details.then(remembered);
                continue;
            }
            StoredRecord record = read(position);
            if (record == null) {
                continue;
            }
            try {
                AppointmentEvent event = EventRecords.fromRecord(record, codec).event();
                details = details.then(event);
            } catch (JsonException | GeneralSecurityException | RuntimeException unreadable) {
                // unreadable (erased): these details are unknown
            }
        }
        return details;
    }

    /** What the delivery's last send carried, as a new attempt numbered {@code attempt}; null when unknown. */
    OutgoingMessage sentMessage(Delivery delivery, int attempt) throws Unavailable {
        JsonObject phi = phiOf(delivery.sendPosition());
        if (phi == null || !delivery.kind().isMessage()) {
            return null;
        }
        Channel channel = delivery.kind().channel();
        return new OutgoingMessage(delivery.id(), attempt, channel, phi.string("to"), phi.string("subject"), phi.string("body"));
    }

    /** When the delivery's last send started (the provider may hold it since then); null when unknown. */
    Instant sentSince(Delivery delivery) throws Unavailable {
        JsonObject publicPart = publicOf(delivery.sendPosition());
        try {
            return publicPart == null ? null : Instant.parse(publicPart.string("started_at"));
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** Why the delivery's last attempt did not send ("retry requested" after the operator's retry), or null. */
    String lastError(Delivery delivery) throws Unavailable {
        if (delivery.retryRequested()) {
            return "retry requested";
        }
        JsonObject result = publicOf(delivery.resultPosition());
        return result == null ? null : result.string("error");
    }

    /** The provider's id for the delivery's sent message, or null. */
    String providerMessageId(Delivery delivery) throws Unavailable {
        JsonObject result = publicOf(delivery.resultPosition());
        return result == null ? null : result.string("provider_id");
    }

    /** The provider ids in the results at these positions (another message's: "claimed"). */
    Set<String> providerMessageIds(List<Long> resultPositions) throws Unavailable {
        Set<String> ids = new HashSet<>();
        for (long position : resultPositions) {
            JsonObject result = publicOf(position);
            if (result != null && result.string("provider_id") != null) {
                ids.add(result.string("provider_id"));
            }
        }
        return ids;
    }

    private JsonObject publicOf(long position) throws Unavailable {
        StoredRecord record = read(position);
        try {
            return record == null ? null : record.publicPart();
        } catch (JsonException unreadable) {
            return null;
        }
    }

    private JsonObject phiOf(long position) throws Unavailable {
        StoredRecord record = read(position);
        try {
            return record == null ? null : codec.openPhi(record);
        } catch (JsonException | GeneralSecurityException unreadable) {
            return null;
        }
    }

    private StoredRecord read(long position) throws Unavailable {
        if (position == JournalPosition.NONE) {
            return null;
        }
        try {
            return journal.read(position);
        } catch (NoSuchFileException | JournalCorruptException gone) {
            return null; // deleted by retention, or damaged: gone for good
        } catch (IOException notNow) {
            throw new Unavailable(notNow);
        }
    }
}
