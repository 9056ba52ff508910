package dev.framebench.harness.report;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What colours, dashes and markers mean: one per transport, stable, distinct for many, sides apart. */
class ChartStyleTest {
    static final List<String> KNOWN = List.of("inproc-handoff", "inproc-copy", "tcp", "tcp-netty", "uds-jdk", "uds-junix", "ws-javaws", "ws-netty",
            "shm-ffm", "shm-agrona", "shm-agrona-mpsc", "aeron-ipc", "file-handoff");

    private static Set<String> distinctLines(ChartStyle style, List<String> transports) {
        Set<String> lines = new HashSet<>();
        for (String t : transports) {
            ChartStyle.Line line = style.of(t);
            lines.add(SvgCanvas.hex(line.colour()) + Arrays.toString(line.dash()));
        }
        return lines;
    }

    @Test
    void twentyTransportsHaveTwentyDistinctLines() {
        List<String> transports = new ArrayList<>(KNOWN);
        for (int i = 0; i < 7; i++) {
            transports.add("custom-" + i);
        }
        assertEquals(20, distinctLines(new ChartStyle(transports), transports).size());
        assertTrue(ChartStyle.SLOTS >= 20, "slots: " + ChartStyle.SLOTS);
    }

    @Test
    void aTransportKeepsItsColourWhateverElseRan() {
        ChartStyle all = new ChartStyle(KNOWN);
        ChartStyle two = new ChartStyle(List.of("shm-ffm", "zz-new-transport"));
        assertEquals(all.of("shm-ffm"), two.of("shm-ffm"));
        assertEquals(new ChartStyle(List.of("b", "a")).of("a"), new ChartStyle(List.of("a", "b")).of("a"), "unknown ones by name, not by order");
    }

    @Test
    void closeNeighboursInThroughputHaveDifferentColours() {
        ChartStyle style = new ChartStyle(KNOWN);
        List<String> rings = List.of("inproc-handoff", "inproc-copy", "shm-ffm", "shm-agrona", "shm-agrona-mpsc");
        assertEquals(rings.size(), rings.stream().map(style::colourOf).distinct().count());
        assertFalse(style.colourOf("tcp").equals(style.colourOf("uds-jdk")));
    }

    @Test
    void twoTransportsOfOneColourDifferInDashAndMarkerFill() {
        ChartStyle style = new ChartStyle(KNOWN);
        for (String a : KNOWN) {
            for (String b : KNOWN) {
                if (!a.equals(b) && style.colourOf(a).equals(style.colourOf(b))) {
                    assertFalse(style.of(a).fill() == style.of(b).fill(), a + " and " + b + " share colour and fill");
                    assertFalse(Arrays.equals(style.of(a).dash(), style.of(b).dash()), a + " and " + b + " share colour and dash");
                }
            }
        }
    }

    @Test
    void sendersAndReceiversColoursAreNeverATransports() {
        assertFalse(ChartStyle.PALETTE.contains(ChartStyle.SENDER));
        assertFalse(ChartStyle.PALETTE.contains(ChartStyle.RECEIVER));
        assertFalse(ChartStyle.SENDER.equals(ChartStyle.RECEIVER));
    }

    @Test
    void everyPresetHasItsOwnMarkerAndASizedLabel() {
        List<String> presets = List.of("720p-i420", "1080p-i420", "1080p-rgba", "2160p-i420");
        assertEquals(presets.size(), presets.stream().map(ChartStyle::markerOf).distinct().count());
        assertEquals("1080p-rgba (8.29 MB)", ChartStyle.frameLabel("1080p-rgba"));
        assertEquals("not-a-preset", ChartStyle.frameLabel("not-a-preset"));
    }
}
