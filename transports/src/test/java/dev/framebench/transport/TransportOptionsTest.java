package dev.framebench.transport;

import dev.framebench.error.BadInputException;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TransportOptionsTest {
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
