package dev.framebench.harness.util;

import dev.framebench.error.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuPinningTest {
    private static final BitSet EIGHT = CpuList.parse("0-7");

    @Test
    void cpuListsParseAndFormatAsTasksetWritesThem() {
        assertEquals("0-3,6", CpuList.format(CpuList.parse("0,1,2,3,6")));
        assertEquals("0,1", CpuList.format(CpuList.parse("0-1")));
        assertEquals("5", CpuList.format(CpuList.parse(" 5 ")));
        assertThrows(IllegalArgumentException.class, () -> CpuList.parse("3-1"));
        assertThrows(IllegalArgumentException.class, () -> CpuList.parse("a"));
        assertThrows(IllegalArgumentException.class, () -> CpuList.parse("1-2-3"));
        assertThrows(IllegalArgumentException.class, () -> CpuList.parse("2000"));
    }

    @Test
    void explicitCpusAreTakenInEitherOrder() {
        CpuPinning pin = CpuPinning.resolve("sender=0,2,receiver=4-5", EIGHT);
        assertEquals("0,2", CpuList.format(pin.sender()));
        assertEquals("4,5", CpuList.format(pin.receiver()));
        assertEquals("sender=0,2,receiver=4,5", pin.toProperty());
        CpuPinning reversed = CpuPinning.resolve("receiver=1,sender=3", EIGHT);
        assertEquals("3", CpuList.format(reversed.sender()));
        assertEquals("1", CpuList.format(reversed.receiver()));
    }

    @Test
    void badValuesAreOneLineNamingTheValueAndWhatIsAllowed() {
        BadInputException shape = assertThrows(BadInputException.class, () -> CpuPinning.resolve("fast", EIGHT));
        assertEquals("pin 'fast' is not one of none, auto, sender=CPUS,receiver=CPUS (e.g. --pin sender=2,receiver=3);"
                + " CPUs this process may use: 0-7", shape.getMessage());
        BadInputException outside = assertThrows(BadInputException.class, () -> CpuPinning.resolve("sender=1,receiver=9-10", EIGHT));
        assertEquals("pin 'sender=1,receiver=9-10': the receiver's CPUs 9,10 are not ones this process may run on (0-7); choose among those",
                outside.getMessage());
        BadInputException syntax = assertThrows(BadInputException.class, () -> CpuPinning.resolve("sender=2-1,receiver=3", EIGHT));
        assertTrue(syntax.getMessage().contains("range '2-1' runs backwards"), syntax.getMessage());
        assertFalse(syntax.getMessage().contains("\n"));
    }

    @Test
    void autoPinsNothingBelowFourCpusAndSaysWhy() {
        CpuPinning pin = CpuPinning.auto(CpuList.parse("0-1"), Map.of(0, "0/0", 1, "0/1"));
        assertFalse(pin.pinned());
        assertEquals("none (pin=auto: this process may use 2 CPUs (0,1); auto pins only where there are at least 4)", pin.describe());
        assertEquals("none", pin.toProperty());
    }

    @Test
    void autoTakesTwoPhysicalCoresOfOnePackageAndAvoidsCpuZero() {
        // 4 cores with 2 hyperthreads each, siblings numbered n and n+4 as Linux does on x86.
        Map<Integer, String> cores = new TreeMap<>();
        for (int cpu = 0; cpu < 8; cpu++) {
            cores.put(cpu, "0/" + cpu % 4);
        }
        CpuPinning pin = CpuPinning.auto(EIGHT, cores);
        assertEquals("2", CpuList.format(pin.sender()));
        assertEquals("3", CpuList.format(pin.receiver()));
        assertTrue(pin.describe().startsWith("sender CPUs 2, receiver CPUs 3"), pin.describe());
    }

    @Test
    void autoStaysInOnePackage() {
        // Two packages of two cores each: package 0 has CPUs 0-1, package 1 has CPUs 2-3.
        Map<Integer, String> cores = Map.of(0, "0/0", 1, "0/1", 2, "1/0", 3, "1/1");
        CpuPinning pin = CpuPinning.auto(CpuList.parse("0-3"), cores);
        // Package 0 has only core 1 besides CPU 0's: package 1 it is.
        assertEquals("2", CpuList.format(pin.sender()));
        assertEquals("3", CpuList.format(pin.receiver()));
    }

    @Test
    void aThreadPinnedReadsBackItsCpusFromTheKernel() throws Exception {
        BitSet allowed = CpuAffinity.ofCurrentThread();
        int last = allowed.length() - 1;
        BitSet one = new BitSet();
        one.set(last);
        BitSet[] seen = new BitSet[1];
        Thread thread = new Thread(() -> {
            CpuAffinity.pinCurrentThread(one);
            seen[0] = CpuAffinity.ofCurrentThread();
        });
        thread.start();
        thread.join(10_000);
        assertEquals(one, seen[0]);
        // Only that thread: this one keeps every CPU it had.
        assertEquals(allowed, CpuAffinity.ofCurrentThread());
    }

    @Test
    void aProcessPinnedReportsItInProcStatus() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            BitSet allowed = CpuAffinity.ofCurrentThread();
            BitSet one = new BitSet();
            one.set(allowed.nextSetBit(0));
            CpuAffinity.pinProcess(sleeper.pid(), one);
            assertEquals(CpuList.format(one), CpuAffinity.allowedList(sleeper.pid()));
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
    }
}
