package dev.framebench.harness.report;

import dev.framebench.transport.host.Ec2Detector;
import dev.framebench.harness.run.EnvironmentProbe;
import dev.framebench.harness.run.InstanceMetadata;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * env.json from a fake root of system files. No test here sends a packet: the metadata service is a
 * stand-in that counts its calls, so off EC2 the count must stay zero.
 */
class EnvironmentProbeTest {
    private static void file(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static Path workstation(Path root) throws IOException {
        file(root, "proc/cpuinfo", "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Platinum 8488C\n\nprocessor\t: 1\nmodel name\t: Intel(R) Xeon(R) Platinum 8488C\n");
        file(root, "proc/meminfo", "MemTotal:        3906250 kB\nMemFree:          100000 kB\n");
        file(root, "proc/sys/kernel/osrelease", "6.1.0-test\n");
        file(root, "proc/sys/kernel/hostname", "bench-box\n");
        file(root, "proc/sys/kernel/perf_event_paranoid", "2\n");
        file(root, "proc/sys/kernel/kptr_restrict", "1\n");
        file(root, "etc/os-release", "NAME=\"Amazon Linux\"\nPRETTY_NAME=\"Amazon Linux 2023.6\"\nID=amzn\n");
        file(root, "sys/kernel/mm/transparent_hugepage/enabled", "always [madvise] never\n");
        file(root, "sys/kernel/mm/transparent_hugepage/defrag", "always defer defer+madvise [madvise] never\n");
        file(root, Ec2Detector.DMI + "sys_vendor", "Dell Inc.\n");
        return root;
    }

    private static ObjectNode record(Path root, InstanceMetadata metadata) {
        return new EnvironmentProbe(root, root, () -> metadata).record("nightly", Map.of("forks", "2"), 30);
    }

    @Test
    void readsMachineFilesAndNeverAsksMetadataOffEc2(@TempDir Path root) throws IOException {
        AtomicInteger asked = new AtomicInteger();
        ObjectNode env = record(workstation(root), () -> {
            asked.incrementAndGet();
            return Map.of();
        });
        assertEquals(0, asked.get(), "the metadata service is asked only on EC2");
        assertFalse(env.path("ec2").path("detected").asBoolean());
        assertEquals("Intel(R) Xeon(R) Platinum 8488C", env.path("cpu").path("model").asText());
        assertEquals(2, env.path("cpu").path("logicalCores").asInt());
        assertEquals(4000, env.path("memoryMB").asLong(), "3,906,250 KiB is 4,000 MB");
        assertEquals("6.1.0-test", env.path("kernel").asText());
        assertEquals("Amazon Linux 2023.6", env.path("distribution").asText());
        assertEquals("2", env.path("kernelSettings").path("perf_event_paranoid").asText());
        assertEquals("1", env.path("kernelSettings").path("kptr_restrict").asText());
        assertEquals("madvise", env.path("kernelSettings").path("transparent_hugepage").asText());
        assertEquals("nightly", env.path("profile").path("name").asText());
        assertEquals("2", env.path("profile").path("forks").asText());
        assertEquals(System.getProperty("java.runtime.version"), env.path("jdk").path("version").asText());
        assertTrue(env.path("jdk").path("forkFlags").toString().contains("-Xmx2g"), env.toString());
        assertEquals("unknown", env.path("framebench").path("commit").asText(), "the fake root is no git checkout");
        assertEquals("bench-box", env.path("label").asText());
    }

    @Test
    void recordsWhereTheJvmsRanAndTheHostLineSaysIt(@TempDir Path root) throws IOException {
        workstation(root);
        String cpu = Integer.toString(dev.framebench.harness.util.CpuAffinity.ofCurrentThread().nextSetBit(0));
        ObjectNode pinned = new EnvironmentProbe(root, root, () -> Map::of).record("quick",
                Map.of("pin", "sender=" + cpu + ",receiver=" + cpu), 30);
        assertEquals(cpu, pinned.path("pinning").path("sender").asText());
        assertEquals(cpu, pinned.path("pinning").path("receiver").asText());
        assertTrue(pinned.path("jdk").path("forkFlags").toString().contains("-Dframebench.pin=sender=" + cpu + ",receiver=" + cpu),
                pinned.path("jdk").path("forkFlags").toString());
        assertTrue(Markdown.hostLine(pinned).endsWith("; CPU pinning: sender CPUs " + cpu + ", receiver CPUs " + cpu
                + " (pin=sender=" + cpu + ",receiver=" + cpu + ")"), Markdown.hostLine(pinned));
        ObjectNode unpinned = record(root, Map::of);
        assertEquals("none", unpinned.path("pinning").path("requested").asText());
        assertTrue(Markdown.hostLine(unpinned).endsWith("; CPU pinning: none (pin=none)"), Markdown.hostLine(unpinned));
    }

    @Test
    void nitroInstanceIsRecognisedFromDmiVendorThenAskedForTypeAndRegion(@TempDir Path root) throws IOException {
        workstation(root);
        file(root, Ec2Detector.DMI + "sys_vendor", "Amazon EC2\n");
        AtomicInteger asked = new AtomicInteger();
        ObjectNode env = record(root, () -> {
            asked.incrementAndGet();
            return Map.of("instanceType", "c7i.large", "region", "us-east-1");
        });
        assertEquals(1, asked.get());
        assertTrue(env.path("ec2").path("detected").asBoolean());
        assertEquals("sys_vendor=Amazon EC2", env.path("ec2").path("evidence").asText());
        assertEquals("c7i.large", env.path("ec2").path("instanceType").asText());
        assertEquals("us-east-1", env.path("ec2").path("region").asText());
        assertEquals("c7i.large", env.path("label").asText(), "results folders are named by instance type on EC2");
    }

    @Test
    void xenInstanceIsRecognisedFromHypervisorUuid(@TempDir Path root) throws IOException {
        workstation(root);
        file(root, "sys/hypervisor/uuid", "ec2e1916-9099-7caf-fd21-012345abcdef\n");
        assertTrue(new Ec2Detector(root).evidence().orElseThrow().startsWith("hypervisor uuid=ec2e1916"));
    }

    @Test
    void instanceIdAsAssetTagCountsOnlyOnAnAmazonBoard(@TempDir Path root) throws IOException {
        workstation(root);
        file(root, Ec2Detector.DMI + "board_asset_tag", "i-0123456789abcdef0\n");
        assertTrue(new Ec2Detector(root).evidence().isEmpty(), "another cloud may use the asset tag too");
        file(root, Ec2Detector.DMI + "board_vendor", "Amazon EC2\n");
        assertEquals("board_asset_tag=i-0123456789abcdef0", new Ec2Detector(root).evidence().orElseThrow());
    }

    @Test
    void failedMetadataIsRecordedNotThrown(@TempDir Path root) throws IOException {
        workstation(root);
        file(root, Ec2Detector.DMI + "bios_vendor", "Amazon EC2\n");
        ObjectNode env = record(root, () -> Map.of("error", "instance metadata not available: timed out"));
        assertTrue(env.path("ec2").path("detected").asBoolean());
        assertEquals("instance metadata not available: timed out", env.path("ec2").path("error").asText());
        assertEquals("bench-box", env.path("label").asText(), "without an instance type the host name names the run");
    }

    @Test
    void emptyRootGivesUnknownsNotErrors(@TempDir Path root) {
        ObjectNode env = record(root, () -> {
            throw new AssertionError("asked off EC2");
        });
        assertEquals("unknown", env.path("cpu").path("model").asText());
        assertEquals("unknown", env.path("kernelSettings").path("perf_event_paranoid").asText());
        assertEquals("unknown", env.path("label").asText());
    }
}
