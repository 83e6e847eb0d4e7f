package clinicrelay.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates the files and folders that hold patient data: folders 0700, files 0600, so no
 * other local account can read them whatever the umask, and replaces files atomically.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    public static FileAttribute<Set<PosixFilePermission>> fileMode() {
        return PosixFilePermissions.asFileAttribute(FILE_MODE);
    }

    /**
     * Creates the folder (and parents) 0700 if needed. An existing folder that other users
     * can enter is refused rather than changed: it may be shared on purpose (someone set
     * DATA_DIR=/var/lib), and patient data must not go there either way.
     */
    public static Path directory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
            Files.setPosixFilePermissions(dir, DIRECTORY_MODE); // in case the umask took bits away
            return dir;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
        for (PosixFilePermission permission : mode) {
            if (!DIRECTORY_MODE.contains(permission)) {
                throw new IOException(dir + " is open to other users (" + PosixFilePermissions.toString(mode)
                        + "); it will hold patient data: make it private with chmod 700 " + dir);
            }
        }
        return dir;
    }

    /**
     * Writes a small file the SQLite way: temp file → force → atomic rename → force the
     * folder, so a crash leaves either the old content or the new, never a mix.
     */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        try (FileChannel channel = FileChannel.open(temp,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), fileMode())) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(target.getParent());
    }

    /** Makes a rename or a new file in {@code dir} durable (fsync of the folder). */
    public static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
