package clinicrelay.delivery;

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
import java.util.Map;

/**
 * The deliveries in columns of numbers, about 40 bytes a delivery: no id string (it is
 * rebuilt from the appointment's id, the kind, the start and the label), no text, no
 * recipient. Each delivery hangs on its appointment's row in {@link Appointments} (a list
 * through {@code next}), which is how an id is found. Rows freed by {@link #release} are
 * reused. Not thread-safe: owned by the engine's thread.
 */
final class DeliveryTable implements DueQueue.Index {
    private static final int INITIAL_ROWS = 1 << 10;
    static final byte NO_STATUS = 0;

    private final Appointments appointments;
    private int[] appointmentRow = new int[INITIAL_ROWS];
    /** The next delivery of the same appointment, or -1. */
    private int[] next = new int[INITIAL_ROWS];
    private byte[] kind = new byte[INITIAL_ROWS];
    /** State ordinal, or -1 for a free row. */
    private byte[] state = freeFrom(new byte[INITIAL_ROWS], 0);
    private byte[] attempts = new byte[INITIAL_ROWS];
    private boolean[] verify = new boolean[INITIAL_ROWS];
    private boolean[] retryRequested = new boolean[INITIAL_ROWS];
    /** A provider status that arrived before the send's own result (state ordinal + 1), or {@link #NO_STATUS}. */
    private byte[] earlyStatus = new byte[INITIAL_ROWS];
    private byte[] labelForm = new byte[INITIAL_ROWS];
    private int[] labelValue = new int[INITIAL_ROWS];
    private long[] notAfterMillis = new long[INITIAL_ROWS];
    private long[] dueAtMillis = new long[INITIAL_ROWS];
    private final AttemptPositions attemptPositions = new AttemptPositions();
    private int[] heapIndex = new int[INITIAL_ROWS];
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
        appointmentRow[row] = appointment;
        next[row] = appointments.firstDelivery(appointment);
        appointments.firstDelivery(appointment, row);
        kind[row] = (byte) planned.kind().ordinal();
        state[row] = (byte) DeliveryState.PENDING.ordinal();
        attempts[row] = 0;
        verify[row] = false;
        retryRequested[row] = false;
        earlyStatus[row] = NO_STATUS;
        DeliveryId.LabelForm form = id.labelForm();
        labelForm[row] = (byte) form.ordinal();
        if (form == DeliveryId.LabelForm.TEXT) {
            textLabels.put(row, id.label());
        } else {
            labelValue[row] = id.labelValue();
        }
        notAfterMillis[row] = planned.notAfter().toEpochMilli();
        dueAtMillis[row] = planned.dueAt().toEpochMilli();
        heapIndex[row] = -1;
        size++;
        return row;
    }

    /** The deliveries hanging on one appointment row, for a checkpoint (about 45 bytes each). */
    void write(int appointment, DataOutputStream out) throws IOException {
        int count = 0;
        for (int row = appointments.firstDelivery(appointment); row >= 0; row = next[row]) {
            count++;
        }
        out.writeShort(count);
        for (int row = appointments.firstDelivery(appointment); row >= 0; row = next[row]) {
            out.writeByte(kind[row]);
            out.writeByte(labelForm[row]);
            if (labelForm[row] == DeliveryId.LabelForm.TEXT.ordinal()) {
                out.writeUTF(textLabels.get(row));
            } else {
                out.writeInt(labelValue[row]);
            }
            out.writeByte(state[row]);
            out.writeByte(attempts[row]);
            out.writeBoolean(verify[row]);
            out.writeBoolean(retryRequested[row]);
            out.writeByte(earlyStatus[row]);
            out.writeLong(notAfterMillis[row]);
            out.writeLong(dueAtMillis[row]);
            out.writeLong(attemptPositions.send(row));
            out.writeLong(attemptPositions.result(row));
        }
    }

    /** Reads back what {@link #write} wrote for an appointment now at {@code appointment}; tells {@code added} each row. */
    void read(int appointment, DataInputStream in, java.util.function.IntConsumer added) throws IOException {
        int count = in.readUnsignedShort();
        for (int i = 0; i < count; i++) {
            int row = newRow();
            appointmentRow[row] = appointment;
            next[row] = appointments.firstDelivery(appointment);
            appointments.firstDelivery(appointment, row);
            kind[row] = in.readByte();
            labelForm[row] = in.readByte();
            if (kind[row] < 0 || kind[row] >= DeliveryKind.values().length || labelForm[row] < 0
                    || labelForm[row] >= DeliveryId.LabelForm.values().length) {
                throw new IOException("a delivery of unknown kind or label");
            }
            if (labelForm[row] == DeliveryId.LabelForm.TEXT.ordinal()) {
                textLabels.put(row, in.readUTF());
            } else {
                labelValue[row] = in.readInt();
            }
            state[row] = in.readByte();
            if (state[row] < 0 || state[row] >= DeliveryState.values().length) {
                throw new IOException("a delivery in an unknown state");
            }
            attempts[row] = in.readByte();
            verify[row] = in.readBoolean();
            retryRequested[row] = in.readBoolean();
            earlyStatus[row] = in.readByte();
            notAfterMillis[row] = in.readLong();
            dueAtMillis[row] = in.readLong();
            attemptPositions.send(row, in.readLong());
            attemptPositions.result(row, in.readLong());
            heapIndex[row] = -1;
            size++;
            added.accept(row);
        }
    }

    /** Unhooks the row from its appointment (which goes too if it knows nothing any more) and frees it. */
    void release(int row) {
        int appointment = appointmentRow[row];
        int first = appointments.firstDelivery(appointment);
        if (first == row) {
            appointments.firstDelivery(appointment, next[row]);
        } else {
            int before = first;
            while (next[before] != row) {
                before = next[before];
            }
            next[before] = next[row];
        }
        appointments.releaseIfIdle(appointment);
        state[row] = -1;
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
        for (int row = appointments.firstDelivery(appointment); row >= 0; row = next[row]) {
            if (kind[row] == parsed.kind().ordinal() && idStartSecond(row) == parsed.startSecond()
                    && label(row).equals(parsed.label())) {
                return row;
            }
        }
        return -1;
    }

    /** The first delivery hung on the same appointment as {@code row}. */
    int firstOfAppointment(int row) {
        return appointments.firstDelivery(appointmentRow[row]);
    }

    /** The first delivery of this appointment, or -1 when it has none (or is unknown). */
    int firstOf(String appointmentId) {
        int appointment = appointments.row(appointmentId);
        return appointment < 0 ? -1 : appointments.firstDelivery(appointment);
    }

    int next(int row) {
        return next[row];
    }

    Delivery view(int row) {
        return new Delivery(row, id(row), appointmentId(row), kind(row), notAfter(row), Instant.ofEpochMilli(dueAtMillis[row]),
                state(row), attempts[row], verify[row], attemptPositions.send(row), attemptPositions.result(row), retryRequested[row]);
    }

    String id(int row) {
        return new DeliveryId(appointmentId(row), kind(row), idStartSecond(row), label(row)).text();
    }

    /** The start in the id: the appointment's for a message (its not-after), 0 for a step. */
    private long idStartSecond(int row) {
        return kind(row).isMessage() ? Math.floorDiv(notAfterMillis[row], 1000) : 0;
    }

    private String label(int row) {
        DeliveryId.LabelForm form = DeliveryId.LabelForm.values()[labelForm[row]];
        return form == DeliveryId.LabelForm.TEXT ? textLabels.get(row) : DeliveryId.label(form, labelValue[row]);
    }

    String appointmentId(int row) {
        return appointments.idOf(appointmentRow[row]);
    }

    /** Whether the row holds a delivery. */
    boolean inUse(int row) {
        return state[row] >= 0;
    }

    /** One past the highest row ever used. */
    int rowLimit() {
        return rowsUsed;
    }

    int size() {
        return size;
    }

    DeliveryState state(int row) {
        return DeliveryState.values()[state[row]];
    }

    void state(int row, DeliveryState value) {
        state[row] = (byte) value.ordinal();
    }

    DeliveryKind kind(int row) {
        return DeliveryKind.values()[kind[row]];
    }

    Lane lane(int row) {
        return kind(row).lane();
    }

    Instant notAfter(int row) {
        return Instant.ofEpochMilli(notAfterMillis[row]);
    }

    int attempts(int row) {
        return attempts[row];
    }

    void attempts(int row, int value) {
        attempts[row] = (byte) value;
    }

    boolean verify(int row) {
        return verify[row];
    }

    void verify(int row, boolean value) {
        verify[row] = value;
    }

    void retryRequested(int row, boolean value) {
        retryRequested[row] = value;
    }

    /** The status that beat the result, or null. */
    DeliveryState earlyStatus(int row) {
        return earlyStatus[row] == NO_STATUS ? null : DeliveryState.values()[earlyStatus[row] - 1];
    }

    void earlyStatus(int row, DeliveryState value) {
        earlyStatus[row] = value == null ? NO_STATUS : (byte) (value.ordinal() + 1);
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
        dueAtMillis[row] = at.toEpochMilli();
    }

    @Override
    public int heapIndex(int row) {
        return heapIndex[row];
    }

    @Override
    public void heapIndex(int row, int index) {
        heapIndex[row] = index;
    }

    @Override
    public long dueAtMillis(int row) {
        return dueAtMillis[row];
    }

    private int newRow() {
        if (freeCount > 0) {
            return free[--freeCount];
        }
        if (rowsUsed == state.length) {
            int rows = state.length * 2;
            appointmentRow = Arrays.copyOf(appointmentRow, rows);
            next = Arrays.copyOf(next, rows);
            kind = Arrays.copyOf(kind, rows);
            state = freeFrom(Arrays.copyOf(state, rows), rowsUsed);
            attempts = Arrays.copyOf(attempts, rows);
            verify = Arrays.copyOf(verify, rows);
            retryRequested = Arrays.copyOf(retryRequested, rows);
            earlyStatus = Arrays.copyOf(earlyStatus, rows);
            labelForm = Arrays.copyOf(labelForm, rows);
            labelValue = Arrays.copyOf(labelValue, rows);
            notAfterMillis = Arrays.copyOf(notAfterMillis, rows);
            dueAtMillis = Arrays.copyOf(dueAtMillis, rows);
            heapIndex = Arrays.copyOf(heapIndex, rows);
        }
        return rowsUsed++;
    }

    private static byte[] freeFrom(byte[] states, int from) {
        Arrays.fill(states, from, states.length, (byte) -1);
        return states;
    }
}
