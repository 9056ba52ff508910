package dev.framebench.transport;

import dev.framebench.error.BadInputException;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TransportOptionsTest {
    /** What a run checks before its first benchmark: no transport refuses its own defaults, at any frame size. */
    @Test
    void everyTransportValidatesItsDefaultsForEveryFrame() {
        for (Transport t : TransportRegistry.all()) {
            for (dev.framebench.frame.FramePreset frame : dev.framebench.frame.FramePreset.values()) {
                TransportOptions.NONE.requireValidFor(List.of(t), frame.frameBytes());
            }
        }
    }

    /** The values issue 21 found checked only inside the JMH fork, each refused by validate alone, before anything opens. */
    @Test
    void validateRefusesBadValuesWithoutOpeningAnything() {
        int frameBytes = dev.framebench.frame.FramePreset.byName("1080p-i420").frameBytes();
        record Bad(String transports, String options, String message) {
        }
        List<Bad> cases = List.of(
                new Bad("tcp,uds-jdk,shm-ffm", "idle=sleepy", "bad value for option idle: idle=sleepy; allowed: "),
                new Bad("shm-ffm", "shm.ringBytes=1000", "bad value for option shm.ringBytes: shm.ringBytes=1000; allowed: a power of two"),
                new Bad("shm-agrona", "shm.ringBytes=1000", "shm.ringBytes"),
                new Bad("ws-netty", "ws.fragment=-1", "bad value for option ws.fragment: ws.fragment=-1"),
                new Bad("ws-javaws", "listen=nowhere", "listen"),
                new Bad("tcp", "tcp.io=", "bad value for option tcp.io: tcp.io=; allowed: "),
                new Bad("tcp-netty", "netty.transport=kqueue", "bad value for option netty.transport: netty.transport=kqueue"),
                new Bad("uds-jdk", "uds.dir=/no/such/folder", "bad value for option uds.dir: uds.dir=/no/such/folder; no such directory"),
                new Bad("uds-junix", "listen=relative.sock", "bad value for listen: listen=relative.sock"),
                new Bad("aeron-ipc", "aeron.termBytes=3", "aeron.termBytes"),
                new Bad("file-handoff", "file.inflight=0", "bad value for option file.inflight: file.inflight=0"),
                new Bad("file-handoff", "file.dir=/no/such/folder", "bad value for option file.dir: file.dir=/no/such/folder"),
                new Bad("shm-ffm", "shm.dir=/no/such/folder", "bad value for option shm.dir: shm.dir=/no/such/folder"),
                new Bad("s3-handoff", "s3.inflight=0", "bad value for option s3.inflight: s3.inflight=0"),
                new Bad("s3-handoff", "s3.storage=disk", "bad value for option s3.storage: s3.storage=disk; allowed: memory, files"),
                new Bad("s3-handoff", "s3.checksums=sdk-default", "s3.checksums=sdk-default needs a store that takes the SDK's trailing checksums"),
                new Bad("s3-handoff", "s3.endpoint=http://127.0.0.1:9000", "s3.endpoint=http://127.0.0.1:9000 needs s3.bucket=NAME"),
                new Bad("s3-handoff", "s3.bucket=Frames_1", "bad bucket name s3.bucket=Frames_1"),
                new Bad("s3-handoff", "s3.bucket=frames;s3.endpoint=ftp://store", "bad store URL s3.endpoint=ftp://store"),
                new Bad("s3-handoff", "s3.bucket=frames;s3.storage=files", "s3.storage configures the S3Proxy store, which s3.bucket=frames replaces"),
                new Bad("s3-handoff", "s3.region=US East", "bad region s3.region=US East"),
                new Bad("s3-handoff", "s3.proxyJar=/no/such.jar", "s3.proxyJar=/no/such.jar is not a file"));
        for (Bad bad : cases) {
            List<Transport> chosen = TransportRegistry.byNames(bad.transports());
            TransportOptions options = TransportOptions.parse(bad.options());
            BadInputException e = assertThrows(BadInputException.class, () -> options.requireValidFor(chosen, frameBytes), bad.toString());
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith(bad.message()) || e.getMessage().contains(bad.message()),
                    bad + ": " + e.getMessage());
        }
    }

    @Test
    void rejectsAKeyGivenTwiceNamingBothValues() {
        BadInputException e = assertThrows(BadInputException.class, () -> TransportOptions.parse("tcp.io=blocking;tcp.io=selector"));
        assertEquals("transport option 'tcp.io' given twice (tcp.io=blocking, tcp.io=selector); give each key once", e.getMessage());
    }

    @Test
    void parsesSemicolonSeparatedPairs() {
        TransportOptions o = TransportOptions.parse("tcp.io=selector; listen=127.0.0.1:0");
        assertEquals("selector", o.get("tcp.io", null));
        assertEquals("127.0.0.1:0", o.get("listen", null));
        assertEquals("tcp.io=selector;listen=127.0.0.1:0", o.toString());
    }

    @Test
    void rejectsUnknownKeyListingTheValidOnes() {
        TransportOptions o = TransportOptions.parse("tcp.nodelay=false");
        BadInputException e = assertThrows(BadInputException.class, () -> o.requireKnownBy(List.of(TransportRegistry.byName("tcp"))));
        assertEquals("unknown transport option 'tcp.nodelay' for tcp; valid options: listen, tcp.io, tcp.socketBufferBytes", e.getMessage());
    }

    @Test
    void rejectsBadValuesNamingKeyValueAndRange() {
        TransportOptions o = TransportOptions.parse("tcp.socketBufferBytes=-1;tcp.io=epoll");
        assertEquals("bad value for option tcp.socketBufferBytes: tcp.socketBufferBytes=-1; allowed: a whole number from 0 to 100",
                assertThrows(BadInputException.class, () -> o.getInt("tcp.socketBufferBytes", 0, 0, 100)).getMessage());
        assertEquals("bad value for option tcp.io: tcp.io=epoll; allowed: blocking, selector",
                assertThrows(BadInputException.class, () -> o.getChoice("tcp.io", "blocking", List.of("blocking", "selector"))).getMessage());
    }

    @Test
    void rejectsPairWithoutEquals() {
        assertThrows(BadInputException.class, () -> TransportOptions.parse("tcp.io"));
    }

    @Test
    void keepsOnlyTheChosenTransportsKeys() {
        TransportOptions o = TransportOptions.parse("tcp.io=selector;ws.fragment=131072");
        assertEquals("tcp.io=selector", o.forTransport(TransportRegistry.byName("tcp")).toString());
        assertEquals("", o.forTransport(TransportRegistry.byName("inproc-copy")).toString());
    }

    @Test
    void rejectsUnknownTransportListingTheValidOnes() {
        BadInputException e = assertThrows(BadInputException.class, () -> TransportRegistry.byName("carrier-pigeon"));
        assertEquals("unknown transport 'carrier-pigeon'; valid transports: " + TransportRegistry.validNames(), e.getMessage());
    }
}
