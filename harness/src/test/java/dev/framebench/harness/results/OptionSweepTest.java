package dev.framebench.harness.results;

import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A run that swept option sets ({@code --options 'A,B'}) has one row per transport x frame x set, each labelled by
 * its set; the fixture is the jmh.json of {@code scripts/bench.sh --profile smoke --transport shm-ffm,inproc-copy
 * --frame 720p-i420 --options 'shm.ringFrames=2;idle=spin,shm.ringFrames=8' --order interleaved --forks 2}, trimmed.
 */
class OptionSweepTest {
    @Test
    void eachOptionSetIsARowOfItsOwnNamedByTheSet() throws URISyntaxException {
        RunResults results = JmhJson.read(Path.of(OptionSweepTest.class.getResource("/results/sweep/jmh.json").toURI()));
        assertEquals(List.of("shm-ffm [shm.ringFrames=2;idle=spin]", "shm-ffm [shm.ringFrames=8]",
                        "inproc-copy [shm.ringFrames=2;idle=spin]", "inproc-copy [shm.ringFrames=8]"),
                results.rows().stream().map(BenchmarkRow::label).toList());
        assertEquals(4, results.rows().stream().map(BenchmarkRow::key).distinct().count());
    }

    @Test
    void aRunOfOneOptionSetKeepsItsLabelsPlain() {
        BenchmarkRow row = new BenchmarkRow("shm-ffm", "720p-i420", "read", Estimate.ABSENT, Estimate.ABSENT, Estimate.ABSENT,
                Estimate.ABSENT, Estimate.ABSENT, Estimate.ABSENT, Estimate.ABSENT, Estimate.ABSENT, Estimate.ABSENT, StorageFigures.NONE);
        assertEquals("shm-ffm", row.label());
        assertEquals("shm-ffm [idle=spin]", row.withOptions("idle=spin").label());
    }
}
