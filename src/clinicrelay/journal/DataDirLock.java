package clinicrelay.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Keeps a second clinic-relay process out of a DATA_DIR that one already serves: two
 * writers appending to one journal would interleave records and corrupt it.
 * The lock is the kernel's (fcntl), so it is released when the process dies, even by
 * SIGKILL, and never needs cleaning up by hand.
 */
public final class DataDirLock implements AutoCloseable {
    static final String LOCK_FILE_NAME = "lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static DataDirLock acquire(Path dataDir) throws IOException {
        Path file = dataDir.resolve(LOCK_FILE_NAME);
        FileChannel channel = FileChannel.open(file,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), PrivateFiles.fileMode());
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("DATA_DIR " + dataDir + " is in use by another clinic-relay process"
                    + " (lock held on " + file + ")");
        }
        return new DataDirLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
