package clinicrelay.journal;

/**
 * What /health reports about the journal: whether the last batch reached the disk.
 * It turns degraded on a failed write and healthy again on the next successful one.
 *
 * @param failureReason the last failure's exception class and message (paths, errno text;
 *                      never record content), or null when writable
 */
public record JournalHealth(boolean writable, String failureReason, long recordsWritten, long batchesWritten) {
}
