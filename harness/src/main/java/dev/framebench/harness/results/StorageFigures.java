package dev.framebench.harness.results;

/**
 * The figures of a store that carried a row's frames, a third process beside sender and receiver
 * (s3-handoff's S3Proxy): its CPU s/GB, every process's CPU s/GB ({@code cpu.all}: sender + receiver + store)
 * and its peak RSS in MB.
 */
public record StorageFigures(Estimate cpuStorageSPerGb, Estimate cpuAllSPerGb, Estimate rssStorageMb) {
    /** A row whose frames passed through no store. */
    public static final StorageFigures NONE = new StorageFigures(Estimate.ABSENT, Estimate.ABSENT, Estimate.ABSENT);
}
