package clinicrelay.planning;

import clinicrelay.event.AppointmentEvent;
import clinicrelay.event.EventShape;
import clinicrelay.event.EventType;
import clinicrelay.event.Timestamps;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every appointment's state, folded from events in journal order and kept compact (see
 * {@link AppointmentTable}): status, start, Zocdoc version, provider, whether the patient
 * can be reached, and the journal positions of the events that carried the details —
 * never the patient data itself. Not thread-safe: owned by the delivery engine's thread.
 */
public final class Appointments {

    /**
     * The state before and after one event (before is null for a new appointment), and what
     * the event amounts to for this appointment: its own type, except that details fetched
     * from Zocdoc saying "created" for an appointment already known are an update.
     */
    public record Change(Appointment before, Appointment after, EventType type) {
        public boolean startMoved() {
            return before != null && before.start() != null && after.start() != null
                    && !before.start().toInstant().equals(after.start().toInstant());
        }
    }

    /**
     * How long after its start an appointment is remembered. Past that, nothing is sent
     * about it any more, and an event about it is taken as the first one heard.
     */
    public static final Duration KEPT_AFTER_START = Duration.ofDays(1);
    /**
     * Distinct providers remembered by id (a practice has tens); past this, new ones are
     * not named in the figures, which is all the name is used for here.
     */
    static final int PROVIDERS_MAX = 4096;

    private final AppointmentTable table = new AppointmentTable();
    private final Map<String, Integer> providerRows = new HashMap<>();
    private final String[] providerIds = new String[PROVIDERS_MAX];
    private final String[] providerNames = new String[PROVIDERS_MAX];
    /**
     * The latest receipt time of the events folded in. Forgetting is measured against it,
     * never against the wall clock, so that forgetting depends only on the events and a
     * replay of the journal forgets exactly what the live server forgot.
     */
    private Instant latestEvent = Instant.MIN;

    /** The appointment as known now, or null when it is not known. */
    public Appointment get(String id) {
        int row = table.find(id);
        return row < 0 || table.status(row) == AppointmentTable.UNKNOWN ? null : view(row);
    }

    /** The latest receipt time of the events folded in ({@link Instant#MIN} before the first). */
    public Instant latestEvent() {
        return latestEvent;
    }

    /** Appointments held (with rows that only anchor deliveries). */
    /** The oldest journal position read for an appointment's details, or {@link Long#MAX_VALUE}. */
    public long oldestPosition() {
        return table.oldestPosition();
    }

    public int size() {
        return table.size();
    }

    /** The journal positions of the events that carried this appointment's details, oldest first (empty when unknown). */
    public long[] detailPositions(String id) {
        int row = table.find(id);
        return row < 0 ? new long[0] : table.positions(row);
    }

    /**
     * Forgets appointments that started more than {@link #KEPT_AFTER_START} before the
     * latest event: memory stays proportional to the appointments ahead. Forgetting here
     * changes no outcome, since {@link #apply} ignores such an appointment anyway. A row
     * that deliveries still hang on stays, knowing nothing, until they are gone.
     */
    public int forgetPast() {
        long cutoff = cutoffSecond();
        int forgotten = 0;
        for (int row = 0; row < table.rowLimit(); row++) {
            if (table.inUse(row) && isPast(row, cutoff)) {
                forgotten++;
                forget(row);
            }
        }
        return forgotten;
    }

    /**
     * The booked appointments starting in [{@code from}, {@code until}), at most {@code max}
     * (a scan of the table: memory holds only appointments ahead, so this is bounded by them).
     */
    public List<Appointment> bookedBetween(Instant from, Instant until, int max) {
        List<Appointment> found = new ArrayList<>();
        long fromSecond = from.getEpochSecond();
        long untilSecond = until.getEpochSecond();
        for (int row = 0; row < table.rowLimit() && found.size() < max; row++) {
            if (table.inUse(row) && table.status(row) != AppointmentTable.UNKNOWN && table.startSecond(row) >= fromSecond
                    && table.startSecond(row) < untilSecond) {
                Appointment appointment = view(row);
                if (appointment.isBooked()) {
                    found.add(appointment);
                }
            }
        }
        return found;
    }

    /** Folds in an event that has no journal position (planning tests): its details are not kept. */
    Change apply(AppointmentEvent event, Instant receivedAt) {
        return apply(event, receivedAt, -1);
    }

    /**
     * Folds one event in, received at {@code receivedAt} and stored at {@code position};
     * null when the event concerns no appointment (unknown type, no id).
     */
    public Change apply(AppointmentEvent event, Instant receivedAt, long position) {
        if (receivedAt.isAfter(latestEvent)) {
            latestEvent = receivedAt;
        }
        if (event.type() == EventType.UNKNOWN || event.appointmentId() == null) {
            return null;
        }
        int row = table.find(event.appointmentId());
        if (row >= 0 && table.status(row) != AppointmentTable.UNKNOWN && isPast(row, cutoffSecond())) {
            table.clearState(row);
        }
        Appointment before = row < 0 || table.status(row) == AppointmentTable.UNKNOWN ? null : view(row);
        if (event.shape() == EventShape.THIN && !(before != null && withdrawsReminders(event.type()))) {
            // A thin event says only that something changed: its details, fetched from the API,
            // come as an event of their own. Arrived and no-show need no details: they only
            // withdraw the reminders of an appointment we know.
            return null;
        }
        Instant version = AppointmentEvent.SOURCE_ZOCDOC_API.equals(event.source()) ? Timestamps.parseUtcInstant(event.updatedAt()) : null;
        if (version != null && before != null && before.version() != null && !version.isAfter(before.version())) {
            // Details fetched for an older webhook that finished after a newer one: stale, not news.
            return null;
        }
        EventType type = version != null && before != null && event.type() == EventType.CREATED
                ? EventType.UPDATED // the API calls every recent booking "created": only the first time is news
                : event.type();
        if (row < 0) {
            row = table.add(event.appointmentId());
        }
        merge(row, before, event, version, type, position);
        Appointment after = view(row);
        if (isPast(row, cutoffSecond())) {
            forget(row); // an event about the past: nothing to keep it for
        }
        return new Change(before, after, type);
    }

    private static boolean withdrawsReminders(EventType type) {
        return type == EventType.CHECKED_IN || type == EventType.NO_SHOW;
    }

    private void forget(int row) {
        if (table.work(row) < 0) {
            table.remove(row);
        } else {
            table.clearState(row);
        }
    }

    private long cutoffSecond() {
        return latestEvent.equals(Instant.MIN) ? Long.MIN_VALUE : latestEvent.minus(KEPT_AFTER_START).getEpochSecond();
    }

    private boolean isPast(int row, long cutoffSecond) {
        long start = table.startSecond(row);
        return start != AppointmentTable.NO_START && start < cutoffSecond;
    }

    private void merge(int row, Appointment before, AppointmentEvent event, Instant version, EventType type, long position) {
        table.status(row, (byte) (statusAfter(before == null ? null : before.status(), type).ordinal() + 1));
        if (before == null) {
            table.start(row, AppointmentTable.NO_START, 0);
            table.reach(row, Reachability.NONE.bits());
            table.versionMillis(row, AppointmentTable.NO_VERSION);
            table.provider(row, -1);
        }
        OffsetDateTime start = event.startTime();
        if (start != null) {
            table.start(row, start.toEpochSecond(), start.getOffset().getTotalSeconds());
        }
        Reachability reach = Reachability.fromBits(table.reach(row)).then(Reachability.of(event.patient()));
        table.reach(row, reach.bits());
        if (version != null) {
            table.versionMillis(row, version.toEpochMilli());
        }
        int provider = providerRow(event.providerId(), event.providerName());
        if (provider >= 0) {
            table.provider(row, provider);
        }
        if (event.shape() != EventShape.THIN && position >= 0) {
            table.addPosition(row, position);
        }
    }

    /** The provider's row, its name brought up to date; -1 for no id (or past {@link #PROVIDERS_MAX}). */
    private int providerRow(String id, String name) {
        if (id == null) {
            return -1;
        }
        Integer known = providerRows.get(id);
        if (known == null) {
            if (providerRows.size() == PROVIDERS_MAX) {
                return -1;
            }
            known = providerRows.size();
            providerRows.put(id, known);
            providerIds[known] = id;
        }
        if (name != null) {
            providerNames[known] = name;
        }
        return known;
    }

    private Appointment view(int row) {
        long second = table.startSecond(row);
        OffsetDateTime start = second == AppointmentTable.NO_START ? null
                : OffsetDateTime.ofInstant(Instant.ofEpochSecond(second), ZoneOffset.ofTotalSeconds(table.startOffsetSeconds(row)));
        int provider = table.provider(row);
        long version = table.versionMillis(row);
        return new Appointment(table.id(row), AppointmentStatus.values()[table.status(row) - 1], start,
                provider < 0 ? null : providerIds[provider], provider < 0 ? null : providerNames[provider],
                Reachability.fromBits(table.reach(row)), version == AppointmentTable.NO_VERSION ? null : Instant.ofEpochMilli(version));
    }

    private static AppointmentStatus statusAfter(AppointmentStatus before, EventType type) {
        switch (type) {
            case CREATED: return AppointmentStatus.BOOKED;
            case CANCELLED: return AppointmentStatus.CANCELLED;
            case CHECKED_IN: return AppointmentStatus.CHECKED_IN;
            case NO_SHOW: return AppointmentStatus.NO_SHOW;
            default: return before == null ? AppointmentStatus.BOOKED : before;
        }
    }

    /** Writes, for a checkpoint, what hangs on one appointment's row (its deliveries). */
    @FunctionalInterface
    public interface RowWriter {
        void write(int row, DataOutputStream out) throws IOException;
    }

    /** Reads back what {@link RowWriter} wrote for the appointment now at {@code row}. */
    @FunctionalInterface
    public interface RowReader {
        void read(int row, DataInputStream in) throws IOException;
    }

    /** Every appointment held, each followed by what {@code hanging} writes for it, for a checkpoint. */
    public void writeTo(DataOutputStream out, RowWriter hanging) throws IOException {
        out.writeLong(latestEvent.getEpochSecond());
        out.writeInt(latestEvent.getNano());
        out.writeInt(providerRows.size());
        for (int i = 0; i < providerRows.size(); i++) {
            out.writeUTF(providerIds[i]);
            out.writeBoolean(providerNames[i] != null);
            if (providerNames[i] != null) {
                out.writeUTF(providerNames[i]);
            }
        }
        out.writeInt(table.size());
        for (int row = 0; row < table.rowLimit(); row++) {
            if (table.inUse(row)) {
                table.writeRow(row, out);
                hanging.write(row, out);
            }
        }
    }

    /** What {@link #writeTo} wrote, into this (empty) set. */
    public void readFrom(DataInputStream in, RowReader hanging) throws IOException {
        latestEvent = Instant.ofEpochSecond(in.readLong(), in.readInt());
        int providers = in.readInt();
        if (providers < 0 || providers > PROVIDERS_MAX) {
            throw new IOException(providers + " providers");
        }
        for (int i = 0; i < providers; i++) {
            String id = in.readUTF();
            String name = in.readBoolean() ? in.readUTF() : null;
            providerRows.put(id, i);
            providerIds[i] = id;
            providerNames[i] = name;
        }
        int rows = in.readInt();
        for (int i = 0; i < rows; i++) {
            hanging.read(table.readRow(in), in);
        }
    }

    // The delivery book hangs each appointment's deliveries on its row.

    /** The row of this appointment (known or only anchoring deliveries), or -1. */
    public int row(String id) {
        return table.find(id);
    }

    /** The row of this appointment, made (knowing nothing) when there is none, to hang deliveries on. */
    public int anchor(String id) {
        int row = table.find(id);
        return row >= 0 ? row : table.add(id);
    }

    public String idOf(int row) {
        return table.id(row);
    }

    /** The first delivery hung on this row, or -1. */
    public int firstDelivery(int row) {
        return table.work(row);
    }

    public void firstDelivery(int row, int delivery) {
        table.work(row, delivery);
    }

    /** The row's last delivery was let go: a row that knows nothing any more goes too. */
    public void releaseIfIdle(int row) {
        if (table.inUse(row) && table.work(row) < 0 && table.status(row) == AppointmentTable.UNKNOWN) {
            table.remove(row);
        }
    }
}
