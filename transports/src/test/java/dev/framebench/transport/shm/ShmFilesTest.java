package dev.framebench.transport.shm;

import dev.framebench.error.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShmFilesTest {
    @Test
    void createsPrivateFilesAndFoldersNamedForTheirOwner(@TempDir Path dir) throws Exception {
        Path file = ShmFiles.createFile(dir, "ring", 1 << 20);
        Path folder = ShmFiles.createDirectory(dir, "aeron");
        try {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
            assertEquals(1 << 20, Files.size(file));
            assertEquals(ProcessHandle.current().pid(), ShmFiles.ownerPid(file.getFileName().toString()));
        } finally {
            ShmFiles.delete(file);
            ShmFiles.delete(folder);
        }
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(folder));
    }

    @Test
    void sweepsOnlyWhatDeadProcessesLeft(@TempDir Path dir) throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Path stale = Files.createFile(dir.resolve(ShmFiles.PREFIX + "ring-" + dead.pid() + "-1"));
        Path live = ShmFiles.createFile(dir, "ring", 4096);
        Path foreign = Files.createFile(dir.resolve("someone-elses-file"));
        try {
            assertEquals(1, ShmFiles.sweepStale(dir));
            assertFalse(Files.exists(stale));
            assertTrue(Files.exists(live));
            assertTrue(Files.exists(foreign));
        } finally {
            ShmFiles.delete(live);
        }
    }

    @Test
    void rejectsAMissingFolderSayingHowToFixIt(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-shm");
        BadInputException e = assertThrows(BadInputException.class, () -> ShmFiles.createFile(missing, "ring", 4096));
        assertEquals("no folder " + missing + " for shared memory; mount a tmpfs there (Linux has /dev/shm) or choose another with shm.dir=DIR",
                e.getMessage());
    }

    @Test
    void rejectsAFileLargerThanTheFreeSpace(@TempDir Path dir) {
        BadInputException e = assertThrows(BadInputException.class, () -> ShmFiles.createFile(dir, "ring", Long.MAX_VALUE / 2));
        assertTrue(e.getMessage().startsWith("not enough space in " + dir + ": need " + Long.MAX_VALUE / 2 + " bytes, "), e.getMessage());
    }
}
