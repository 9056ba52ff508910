package dev.framebench.transport.aeron;

import dev.framebench.error.TransportException;
import dev.framebench.transport.shm.ShmFiles;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Aeron media driver of one aeron-ipc receiver, running in the receiver's JVM with its Aeron directory
 * in a private folder ({@code framebench-aeron-<pid>-<n>}, 0700) of the shared-memory folder.
 *
 * <p>Aeron makes its directory and files itself, with the process umask (0755 and 0644 under the usual
 * 022), and {@code MediaDriver.Context} has no option for their modes: it recreates the directory at start
 * ({@code IoUtil.ensureDirectoryIsRecreated}) and opens each file with {@code RandomAccessFile}. So the
 * private folder is made 0700 before the driver starts, which keeps other users from reaching anything
 * inside from the first moment, and {@link #restrictFiles()} then makes the driver's directory 0700 and
 * every file in it 0600: once the driver is up ({@code cnc.dat}, the loss report) and again each time a
 * publication's log buffer appears (the receiver's subscription calls it as each image becomes available),
 * so that what another user would see even past the folder is private too.
 *
 * <p>Chosen for a 2-core machine, where the sender and receiver threads already want both cores: on IPC
 * the driver moves no data (the publisher writes the log, the subscriber reads it); its one job on the
 * data path is to advance the publisher's limit as the subscriber's position moves. So the driver runs
 * {@link ThreadingMode#SHARED}, one thread instead of the three of DEDICATED, and that thread sleeps 1 ms
 * between duty cycles instead of spinning: at most 1,000 wake-ups a second, and a limit at most ~1 ms
 * stale, which stalls a sender only once it is already half a term (4 frames) ahead of its receiver.
 *
 * <p>Threading: open and close on any thread; the driver's own thread stops in {@link #close()}.
 */
final class EmbeddedMediaDriver implements AutoCloseable {
    static final ThreadingMode THREADING = ThreadingMode.SHARED;
    static final long IDLE_SLEEP_MILLIS = 1;
    /**
     * How often the driver checks its clients (Aeron's default is 1 s): a client that closed without first
     * closing its publication has its stream ended at the next check, well inside the receiver's patience
     * for a sender that is gone ({@link AeronIpcReceiver}).
     */
    static final long TIMER_INTERVAL_NANOS = Duration.ofMillis(100).toNanos();
    static final Set<PosixFilePermission> PRIVATE_FOLDER = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");

    private final Path folder;
    private final MediaDriver driver;

    private EmbeddedMediaDriver(Path folder, MediaDriver driver) {
        this.folder = folder;
        this.driver = driver;
    }

    /** Sweeps what dead runs left in {@code shmDir}, then starts a driver in a new private folder there. */
    static EmbeddedMediaDriver launch(Path shmDir) {
        ShmFiles.sweepStale(shmDir);
        Path folder = ShmFiles.createDirectory(shmDir, "aeron");
        try {
            MediaDriver.Context context = new MediaDriver.Context()
                    .aeronDirectoryName(folder.resolve("driver").toString())
                    .threadingMode(THREADING)
                    .sharedIdleStrategy(new SleepingMillisIdleStrategy(IDLE_SLEEP_MILLIS))
                    .timerIntervalNs(TIMER_INTERVAL_NANOS)
                    // Pages are taken as the sender first writes them (warm-up), not all at connect time.
                    .termBufferSparseFile(true)
                    .dirDeleteOnShutdown(true);
            EmbeddedMediaDriver driver = new EmbeddedMediaDriver(folder, MediaDriver.launch(context));
            driver.restrictFiles();
            return driver;
        } catch (RuntimeException e) {
            ShmFiles.delete(folder);
            throw new TransportException("cannot start the Aeron media driver in " + folder + ": " + e.getMessage(), e);
        }
    }

    String aeronDirectory() {
        return driver.aeronDirectoryName();
    }

    Path folder() {
        return folder;
    }

    /**
     * Makes every folder under the private folder 0700 and every file 0600. Safe from any thread, and
     * harmless to repeat; a file the driver deletes meanwhile is skipped.
     */
    void restrictFiles() {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.forEach(EmbeddedMediaDriver::restrict);
        } catch (IOException | UncheckedIOException e) {
            // The folder itself is 0700 whatever happens here: say so rather than fail the run.
            System.err.println("framebench: cannot make every file of the Aeron driver in " + folder + " private: " + e.getMessage()
                    + "; its 0700 folder still keeps other users out");
        }
    }

    private static void restrict(Path path) {
        try {
            Files.setPosixFilePermissions(path, Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? PRIVATE_FOLDER : PRIVATE_FILE);
        } catch (NoSuchFileException gone) {
            // Deleted by the driver as we walked: nothing left to protect.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("driver", "embedded in the receiver JVM");
        d.put("driverThreading", THREADING.name());
        d.put("driverIdle", "sleep " + IDLE_SLEEP_MILLIS + " ms");
        return d;
    }

    /** Stops the driver's thread, then deletes the whole private folder. */
    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            ShmFiles.delete(folder);
        }
    }
}
