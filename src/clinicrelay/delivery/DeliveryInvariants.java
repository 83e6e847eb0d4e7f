package clinicrelay.delivery;

import clinicrelay.journal.JournalPosition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What must hold of the delivery book after any sequence of records, checked after
 * replay: the counts per state match the deliveries, every pending delivery is queued
 * once and nothing else is, a delivery to verify or in flight knows where its send is,
 * every delivery hangs on its appointment. Each finding names the delivery by id (never
 * patient data).
 */
final class DeliveryInvariants {
    private DeliveryInvariants() {
    }

    static List<String> check(DeliveryTable table, DueQueue due, int[] counts) {
        List<String> found = new ArrayList<>();
        int[] counted = new int[counts.length];
        int live = 0;
        for (int row = 0; row < table.rowLimit(); row++) {
            if (!table.inUse(row)) {
                continue;
            }
            live++;
            DeliveryState current = table.state(row);
            counted[current.ordinal()]++;
            if (table.verify(row) && (!current.isPending() || table.sendPosition(row) == JournalPosition.NONE)) {
                found.add(table.id(row) + ": to be verified but " + current.wireName() + " with no send to look for");
            }
            if (current == DeliveryState.ATTEMPTING && table.kind(row).isMessage()
                    && table.sendPosition(row) == JournalPosition.NONE) {
                found.add(table.id(row) + ": attempting with no send recorded");
            }
            if ((table.heapIndex(row) >= 0) != current.isPending()) {
                found.add(table.id(row) + ": " + current.wireName() + (table.heapIndex(row) >= 0 ? " yet queued" : " yet not queued"));
            }
            if (!listed(table, row)) {
                found.add(table.id(row) + ": missing from its appointment's list");
            }
        }
        if (live != table.size()) {
            found.add(live + " deliveries held but the table counts " + table.size());
        }
        if (!Arrays.equals(counted, counts)) {
            found.add("state counts " + Arrays.toString(counts) + " differ from the deliveries' " + Arrays.toString(counted));
        }
        if (due.size() != counts[DeliveryState.PENDING.ordinal()]) {
            found.add(counts[DeliveryState.PENDING.ordinal()] + " pending deliveries but " + due.size() + " queued");
        }
        return found;
    }

    private static boolean listed(DeliveryTable table, int row) {
        for (int other = table.firstOfAppointment(row); other >= 0; other = table.next(other)) {
            if (other == row) {
                return true;
            }
        }
        return false;
    }
}
