package dev.framebench.transport.aeron;

import dev.framebench.error.TransportException;
import dev.framebench.transport.shm.ShmFiles;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Aeron media driver of one aeron-ipc receiver, running in the receiver's JVM with its Aeron directory
 * in a private folder ({@code framebench-aeron-<pid>-<n>}, 0700) of the shared-memory folder. Aeron makes
 * its own files inside with the process umask; the 0700 folder is what keeps other users out.
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
            return new EmbeddedMediaDriver(folder, MediaDriver.launch(context));
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
