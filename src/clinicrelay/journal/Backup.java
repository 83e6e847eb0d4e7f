package clinicrelay.journal;

import clinicrelay.log.Log;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A consistent copy of a DATA_DIR taken while the server runs, laid out as a DATA_DIR (so
 * a restore is a copy back): the newest whole checkpoint first, then the journal's
 * segments — sealed ones copied once (they never change; a later backup into the same
 * folder skips them), the live one up to its last whole record — and the data keys last,
 * so every record copied finds its key. Each file is written aside, forced and renamed.
 */
public final class Backup {
    /** What a backup holds. */
    public record Result(Path checkpoint, int segmentsCopied, int segmentsAlreadyThere, long liveSegmentBytes) {
    }

    private Backup() {
    }

    /**
     * @throws IOException             when the target cannot be written, or a segment vanished that the checkpoint needs
     * @throws JournalCorruptException when the journal is damaged mid-file (the backup would be too)
     */
    public static Result take(Path dataDir, Path target, Log log) throws IOException, JournalCorruptException {
        PrivateFiles.directory(target);
        CheckpointFile.Loaded<Object> checkpoint = CheckpointFile.readNewest(dataDir, in -> null, log);
        Path checkpointCopy = null;
        long needsFrom = JournalPosition.NONE;
        if (checkpoint != null) {
            Path dir = PrivateFiles.directory(CheckpointFile.directoryIn(target));
            checkpointCopy = dir.resolve(checkpoint.file().getFileName());
            copyWhole(checkpoint.file(), checkpointCopy);
            deleteOthers(dir, checkpointCopy);
            needsFrom = checkpoint.needsFrom();
        }
        Path journalDir = Journal.directoryIn(dataDir);
        Path journalCopy = PrivateFiles.directory(Journal.directoryIn(target));
        List<Path> segments = Segments.list(journalDir);
        if (needsFrom != JournalPosition.NONE && (segments.isEmpty()
                || Segments.sequenceOf(segments.get(0)) > JournalPosition.segmentSequence(needsFrom))) {
            throw new IOException("the journal no longer holds what checkpoint " + checkpoint.file().getFileName()
                    + " needs (a newer one was written meanwhile): run the backup again");
        }
        int copied = 0;
        int there = 0;
        long liveBytes = 0;
        for (int i = 0; i < segments.size(); i++) {
            Path segment = segments.get(i);
            Path copy = journalCopy.resolve(segment.getFileName());
            boolean live = i == segments.size() - 1;
            try {
                if (live) {
                    liveBytes = copyUpToLastWholeRecord(segment, copy);
                    copied++;
                } else if (Files.exists(copy) && Files.size(copy) == Files.size(segment)) {
                    there++;
                } else {
                    copyWhole(segment, copy);
                    copied++;
                }
            } catch (NoSuchFileException deletedByRetention) {
                if (needsFrom != JournalPosition.NONE && Segments.sequenceOf(segment) >= JournalPosition.segmentSequence(needsFrom)) {
                    throw deletedByRetention;
                }
            }
        }
        Path keys = DataKeys.directoryIn(dataDir);
        if (Files.isDirectory(keys)) {
            Path keysCopy = PrivateFiles.directory(DataKeys.directoryIn(target));
            for (String name : new String[] {DataKeys.FILE_NAME, DataKeys.MIRROR_NAME}) {
                if (Files.exists(keys.resolve(name))) {
                    copyWhole(keys.resolve(name), keysCopy.resolve(name));
                }
            }
        }
        return new Result(checkpointCopy, copied, there, liveBytes);
    }

    /** Copies the live segment, then cuts the copy after its last whole, checksummed record. */
    private static long copyUpToLastWholeRecord(Path segment, Path copy) throws IOException, JournalCorruptException {
        Path temp = copy.resolveSibling(copy.getFileName() + ".tmp");
        Files.copy(segment, temp, StandardCopyOption.REPLACE_EXISTING);
        SegmentScanner.Result scanned = SegmentScanner.scan(temp, true, record -> { });
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.truncate(scanned.endOfGoodData());
            channel.force(true);
        }
        publish(temp, copy);
        return scanned.endOfGoodData();
    }

    private static void copyWhole(Path from, Path to) throws IOException {
        Path temp = to.resolveSibling(to.getFileName() + ".tmp");
        Files.copy(from, temp, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        publish(temp, to);
    }

    private static void publish(Path temp, Path target) throws IOException {
        Files.setPosixFilePermissions(temp, PrivateFiles.FILE_MODE);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        PrivateFiles.forceDirectory(target.getParent());
    }

    /** A backup holds one checkpoint: older ones from earlier backups into the same folder go. */
    private static void deleteOthers(Path dir, Path keep) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                if (!file.equals(keep)) {
                    Files.delete(file);
                }
            }
        }
    }
}
