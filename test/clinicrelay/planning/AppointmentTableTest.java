package clinicrelay.planning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The appointment table against a plain map: ids of every form, removal, reuse, detail positions. */
class AppointmentTableTest {
    @Test
    void idsOfEveryFormAreFoundAndGivenBackExactlyThroughAddsAndRemovals() {
        AppointmentTable table = new AppointmentTable();
        Map<String, Integer> expected = new HashMap<>();
        List<String> present = new ArrayList<>();
        Random random = new Random(7);
        for (int step = 0; step < 20_000; step++) {
            if (!present.isEmpty() && random.nextInt(3) == 0) {
                String gone = present.remove(random.nextInt(present.size()));
                table.remove(expected.remove(gone));
                assertEquals(-1, table.find(gone));
                continue;
            }
            String id = switch (random.nextInt(4)) {
                case 0 -> UUID.randomUUID().toString();
                case 1 -> UUID.randomUUID().toString().toUpperCase(); // not packed: kept as it came
                case 2 -> "appt-" + step;
                default -> UUID.randomUUID().toString().substring(0, 35) + "g"; // almost a UUID
            };
            int row = table.add(id);
            expected.put(id, row);
            present.add(id);
        }
        assertEquals(expected.size(), table.size());
        for (Map.Entry<String, Integer> entry : expected.entrySet()) {
            assertEquals(entry.getValue(), table.find(entry.getKey()), entry.getKey());
            assertEquals(entry.getKey(), table.id(entry.getValue()));
            assertTrue(table.inUse(entry.getValue()));
        }
    }

    @Test
    void detailPositionsKeepTheNewestFourOldestFirstAndGoWithTheirRow() {
        AppointmentTable table = new AppointmentTable();
        int a = table.add("a");
        int b = table.add("b");
        assertArrayEquals(new long[0], table.positions(a));
        for (long position = 1; position <= 6; position++) {
            table.addPosition(a, position * 100);
            table.addPosition(b, position);
        }
        assertArrayEquals(new long[] {300, 400, 500, 600}, table.positions(a));
        assertArrayEquals(new long[] {3, 4, 5, 6}, table.positions(b));
        table.clearState(a);
        assertArrayEquals(new long[0], table.positions(a));
        table.remove(b);
        assertFalse(table.inUse(b));
        int c = table.add("c");
        table.addPosition(c, 42);
        assertArrayEquals(new long[] {42}, table.positions(c), "a reused row starts with nothing");
    }
}
