package clinicrelay.delivery;

import clinicrelay.columns.ByteColumn;
import clinicrelay.columns.Column;
import clinicrelay.columns.IntColumn;
import clinicrelay.columns.LongColumn;
import clinicrelay.planning.Appointments;
import clinicrelay.planning.DeliveryKind;
import clinicrelay.planning.Lane;
import clinicrelay.planning.PlannedDelivery;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The deliveries in columns of numbers, about 40 bytes a delivery: no id string (it is
 * rebuilt from the appointment's id, the kind, the start and the label), no text, no
 * recipient. Each delivery hangs on its appointment's row in {@link Appointments} (a list
 * through {@code next}), which is how an id is found. Rows freed by {@link #release} are
 * reused. Not thread-safe: owned by the engine's thread.
 */
final class DeliveryTable implements DueQueue.Index {
    static final byte NO_STATUS = 0;
    /** State of a free row. */
    private static final byte FREE = -1;
    private static final byte NO = 0;
    private static final byte YES = 1;

    private final Appointments appointments;
    private final IntColumn appointmentRow = new IntColumn(-1);
    /** The next delivery of the same appointment, or -1. */
    private final IntColumn next = new IntColumn(-1);
    private final ByteColumn kind = new ByteColumn((byte) 0);
    /** State ordinal, or -1 for a free row. */
    private final ByteColumn state = new ByteColumn(FREE);
    private final ByteColumn attempts = new ByteColumn((byte) 0);
    private final ByteColumn verify = new ByteColumn((byte) 0);
    private final ByteColumn retryRequested = new ByteColumn((byte) 0);
    /** A provider status that arrived before the send's own result (state ordinal + 1), or {@link #NO_STATUS}. */
    private final ByteColumn earlyStatus = new ByteColumn(NO_STATUS);
    private final ByteColumn labelForm = new ByteColumn((byte) 0);
    private final IntColumn labelValue = new IntColumn(0);
    private final LongColumn notAfterMillis = new LongColumn(0);
    private final LongColumn dueAtMillis = new LongColumn(0);
    private final AttemptPositions attemptPositions = new AttemptPositions();
    private final IntColumn heapIndex = new IntColumn(-1);
    private final List<Column> columns = List.of(appointmentRow, next, kind, state, attempts, verify, retryRequested,
            earlyStatus, labelForm, labelValue, notAfterMillis, dueAtMillis, heapIndex);
    /** Labels of ids that are not of the usual forms, by row (never for ids the planner made). */
    private final Map<Integer, String> textLabels = new HashMap<>();
    private int[] free = new int[16];
    private int freeCount;
    private int rowsUsed;
    private int size;

    DeliveryTable(Appointments appointments) {
        this.appointments = appointments;
    }

    /** A new pending row for the planned delivery, hung on its appointment (made if need be). */
    int add(PlannedDelivery planned) {
        DeliveryId id = DeliveryId.parse(planned.id());
        if (id == null) {
            throw new IllegalArgumentException("not a delivery id the planner makes");
        }
        int row = newRow();
        int appointment = appointments.anchor(planned.appointmentId());
        appointmentRow.set(row, appointment);
        next.set(row, appointments.firstDelivery(appointment));
        appointments.firstDelivery(appointment, row);
        kind.set(row, (byte) planned.kind().ordinal());
        state.set(row, (byte) DeliveryState.PENDING.ordinal());
        attempts.set(row, (byte) 0);
        verify.set(row, NO);
        retryRequested.set(row, NO);
        earlyStatus.set(row, NO_STATUS);
        DeliveryId.LabelForm form = id.labelForm();
        labelForm.set(row, (byte) form.ordinal());
        if (form == DeliveryId.LabelForm.TEXT) {
            textLabels.put(row, id.label());
        } else {
            labelValue.set(row, id.labelValue());
        }
        notAfterMillis.set(row, planned.notAfter().toEpochMilli());
        dueAtMillis.set(row, planned.dueAt().toEpochMilli());
        heapIndex.set(row, -1);
        size++;
        return row;
    }

    /** The deliveries hanging on one appointment row, for a checkpoint (about 45 bytes each). */
    void write(int appointment, DataOutputStream out) throws IOException {
        int count = 0;
        for (int row = appointments.firstDelivery(appointment); row >= 0; row = next.get(row)) {
            count++;
        }
        out.writeShort(count);
        for (int row = appointments.firstDelivery(appointment); row >= 0; row = next.get(row)) {
            out.writeByte(kind.get(row));
            out.writeByte(labelForm.get(row));
            if (labelForm.get(row) == DeliveryId.LabelForm.TEXT.ordinal()) {
                out.writeUTF(textLabels.get(row));
            } else {
                out.writeInt(labelValue.get(row));
            }
            out.writeByte(state.get(row));
            out.writeByte(attempts.get(row));
            out.writeBoolean(verify.get(row) == YES);
            out.writeBoolean(retryRequested.get(row) == YES);
            out.writeByte(earlyStatus.get(row));
            out.writeLong(notAfterMillis.get(row));
            out.writeLong(dueAtMillis.get(row));
            out.writeLong(attemptPositions.send(row));
            out.writeLong(attemptPositions.result(row));
        }
    }

    /** Reads back what {@link #write} wrote for an appointment now at {@code appointment}; tells {@code added} each row. */
    void read(int appointment, DataInputStream in, java.util.function.IntConsumer added) throws IOException {
        int count = in.readUnsignedShort();
        for (int i = 0; i < count; i++) {
            int row = newRow();
            appointmentRow.set(row, appointment);
            next.set(row, appointments.firstDelivery(appointment));
            appointments.firstDelivery(appointment, row);
            kind.set(row, in.readByte());
            labelForm.set(row, in.readByte());
            if (kind.get(row) < 0 || kind.get(row) >= DeliveryKind.values().length || labelForm.get(row) < 0
                    || labelForm.get(row) >= DeliveryId.LabelForm.values().length) {
                throw new IOException("a delivery of unknown kind or label");
            }
            if (labelForm.get(row) == DeliveryId.LabelForm.TEXT.ordinal()) {
                textLabels.put(row, in.readUTF());
            } else {
                labelValue.set(row, in.readInt());
            }
            state.set(row, in.readByte());
            if (state.get(row) < 0 || state.get(row) >= DeliveryState.values().length) {
                throw new IOException("a delivery in an unknown state");
            }
            attempts.set(row, in.readByte());
            verify.set(row, in.readBoolean() ? YES : NO);
            retryRequested.set(row, in.readBoolean() ? YES : NO);
            earlyStatus.set(row, in.readByte());
            notAfterMillis.set(row, in.readLong());
            dueAtMillis.set(row, in.readLong());
            attemptPositions.send(row, in.readLong());
            attemptPositions.result(row, in.readLong());
            heapIndex.set(row, -1);
            size++;
            added.accept(row);
        }
    }

    /** Unhooks the row from its appointment (which goes too if it knows nothing any more) and frees it. */
    void release(int row) {
        int appointment = appointmentRow.get(row);
        int first = appointments.firstDelivery(appointment);
        if (first == row) {
            appointments.firstDelivery(appointment, next.get(row));
        } else {
            int before = first;
            while (next.get(before) != row) {
                before = next.get(before);
            }
            next.set(before, next.get(row));
        }
        appointments.releaseIfIdle(appointment);
        state.set(row, FREE);
        textLabels.remove(row);
        attemptPositions.remove(row);
        size--;
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = row;
    }

    /** The row of the delivery with this id, or -1. */
    int find(String id) {
        DeliveryId parsed = DeliveryId.parse(id);
        if (parsed == null) {
            return -1;
        }
        int appointment = appointments.row(parsed.appointmentId());
        if (appointment < 0) {
            return -1;
        }
        for (int row = appointments.firstDelivery(appointment); row >= 0; row = next.get(row)) {
            if (kind.get(row) == parsed.kind().ordinal() && idStartSecond(row) == parsed.startSecond()
                    && label(row).equals(parsed.label())) {
                return row;
            }
        }
        return -1;
    }

    /** The first delivery hung on the same appointment as {@code row}. */
    int firstOfAppointment(int row) {
        return appointments.firstDelivery(appointmentRow.get(row));
    }

    /** The first delivery of this appointment, or -1 when it has none (or is unknown). */
    int firstOf(String appointmentId) {
        int appointment = appointments.row(appointmentId);
        return appointment < 0 ? -1 : appointments.firstDelivery(appointment);
    }

    int next(int row) {
        return next.get(row);
    }

    Delivery view(int row) {
        return new Delivery(row, id(row), appointmentId(row), kind(row), notAfter(row), Instant.ofEpochMilli(dueAtMillis.get(row)),
                state(row), attempts.get(row), verify.get(row) == YES, attemptPositions.send(row), attemptPositions.result(row),
                retryRequested.get(row) == YES);
    }

    String id(int row) {
        return new DeliveryId(appointmentId(row), kind(row), idStartSecond(row), label(row)).text();
    }

    /** The start in the id: the appointment's for a message (its not-after), 0 for a step. */
    private long idStartSecond(int row) {
        return kind(row).isMessage() ? Math.floorDiv(notAfterMillis.get(row), 1000) : 0;
    }

    private String label(int row) {
        DeliveryId.LabelForm form = DeliveryId.LabelForm.values()[labelForm.get(row)];
        return form == DeliveryId.LabelForm.TEXT ? textLabels.get(row) : DeliveryId.label(form, labelValue.get(row));
    }

    String appointmentId(int row) {
        return appointments.idOf(appointmentRow.get(row));
    }

    /** Whether the row holds a delivery. */
    boolean inUse(int row) {
        return state.get(row) >= 0;
    }

    /** One past the highest row ever used. */
    int rowLimit() {
        return rowsUsed;
    }

    int size() {
        return size;
    }

    DeliveryState state(int row) {
        return DeliveryState.values()[state.get(row)];
    }

    void state(int row, DeliveryState value) {
        state.set(row, (byte) value.ordinal());
    }

    DeliveryKind kind(int row) {
        return DeliveryKind.values()[kind.get(row)];
    }

    Lane lane(int row) {
        return kind(row).lane();
    }

    Instant notAfter(int row) {
        return Instant.ofEpochMilli(notAfterMillis.get(row));
    }

    int attempts(int row) {
        return attempts.get(row);
    }

    void attempts(int row, int value) {
        attempts.set(row, (byte) value);
    }

    boolean verify(int row) {
        return verify.get(row) == YES;
    }

    void verify(int row, boolean value) {
        verify.set(row, value ? YES : NO);
    }

    void retryRequested(int row, boolean value) {
        retryRequested.set(row, value ? YES : NO);
    }

    /** The status that beat the result, or null. */
    DeliveryState earlyStatus(int row) {
        return earlyStatus.get(row) == NO_STATUS ? null : DeliveryState.values()[earlyStatus.get(row) - 1];
    }

    void earlyStatus(int row, DeliveryState value) {
        earlyStatus.set(row, value == null ? NO_STATUS : (byte) (value.ordinal() + 1));
    }

    /** The oldest send or result position held, or {@link Long#MAX_VALUE}. */
    long oldestPosition() {
        return attemptPositions.oldest();
    }

    long sendPosition(int row) {
        return attemptPositions.send(row);
    }

    void sendPosition(int row, long position) {
        attemptPositions.send(row, position);
    }

    long resultPosition(int row) {
        return attemptPositions.result(row);
    }

    void resultPosition(int row, long position) {
        attemptPositions.result(row, position);
    }

    void dueAt(int row, Instant at) {
        dueAtMillis.set(row, at.toEpochMilli());
    }

    @Override
    public int heapIndex(int row) {
        return heapIndex.get(row);
    }

    @Override
    public void heapIndex(int row, int index) {
        heapIndex.set(row, index);
    }

    @Override
    public long dueAtMillis(int row) {
        return dueAtMillis.get(row);
    }

    private int newRow() {
        if (freeCount > 0) {
            return free[--freeCount];
        }
        int row = rowsUsed++;
        for (Column column : columns) {
            column.ensure(rowsUsed);
        }
        return row;
    }
}
