package dev.framebench.harness.util;

import java.util.BitSet;

/**
 * A set of CPUs written as Linux writes one ({@code taskset -c}, {@code /sys/devices/system/cpu/online}):
 * numbers and ranges, comma-separated, e.g. {@code 0-3,6}.
 */
public final class CpuList {
    private CpuList() {
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} with what is wrong in it. */
    public static BitSet parse(String text) {
        BitSet cpus = new BitSet();
        if (text.isBlank()) {
            throw new IllegalArgumentException("an empty CPU list");
        }
        for (String part : text.trim().split(",")) {
            String[] range = part.trim().split("-", -1);
            if (range.length > 2) {
                throw new IllegalArgumentException("'" + part + "' is not a CPU number or a range like 2-3");
            }
            int from = number(range[0], part);
            int to = range.length == 2 ? number(range[1], part) : from;
            if (to < from) {
                throw new IllegalArgumentException("range '" + part + "' runs backwards");
            }
            cpus.set(from, to + 1);
        }
        return cpus;
    }

    /** The shortest list naming {@code cpus}: ranges of three or more, single numbers otherwise. */
    public static String format(BitSet cpus) {
        StringBuilder text = new StringBuilder();
        for (int from = cpus.nextSetBit(0); from >= 0; ) {
            int to = cpus.nextClearBit(from) - 1;
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(from);
            if (to == from + 1) {
                text.append(',').append(to);
            } else if (to > from) {
                text.append('-').append(to);
            }
            from = cpus.nextSetBit(to + 1);
        }
        return text.toString();
    }

    private static int number(String text, String part) {
        try {
            int cpu = Integer.parseInt(text.trim());
            if (cpu < 0 || cpu > 1023) {
                throw new IllegalArgumentException("CPU " + cpu + " is out of 0..1023");
            }
            return cpu;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + part + "' is not a CPU number or a range like 2-3");
        }
    }
}
