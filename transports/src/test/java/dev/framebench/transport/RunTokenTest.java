package dev.framebench.transport;

import dev.framebench.error.BadInputException;
import dev.framebench.frame.SenderHello;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunTokenTest {
    private static final String HEX = "00112233445566778899aabbccddeeff";

    @Test
    void parsesThirtyTwoLowercaseHexDigitsIntoTheHelloItPresents() {
        RunToken token = RunToken.parse(HEX);
        assertEquals(HEX, token.hex());
        ByteBuffer hello = token.helloBuffer();
        byte[] bytes = new byte[hello.remaining()];
        hello.get(bytes);
        assertEquals("46424831" + "0100" + "1000" + HEX, HexFormat.of().formatHex(bytes));
        assertEquals(SenderHello.HELLO_OK, token.check(token.helloBuffer()));
        assertEquals(SenderHello.WRONG_TOKEN, RunToken.random().check(token.helloBuffer()));
    }

    @Test
    void rejectsAValueOfAnotherLengthNamingKeyLengthAndFixButNotTheValue() {
        String almost = HEX.substring(1);
        BadInputException e = assertThrows(BadInputException.class, () -> RunToken.parse(almost));
        assertEquals("bad value for option token: it has 31 characters; give exactly 32 lowercase hex digits (128 bits),"
                + " e.g. from 'openssl rand -hex 16', the same to sender and receiver", e.getMessage());
        assertFalse(e.getMessage().contains(almost));
        assertTrue(assertThrows(BadInputException.class, () -> RunToken.parse(""))
                .getMessage().startsWith("bad value for option token: it has 0 characters;"));
    }

    @Test
    void rejectsUppercaseAndNonHexDigits() {
        for (String bad : List.of(HEX.toUpperCase(), HEX.substring(0, 31) + "g", "0x" + HEX.substring(2), HEX.substring(0, 31) + " ")) {
            BadInputException e = assertThrows(BadInputException.class, () -> RunToken.parse(bad), bad);
            assertEquals("bad value for option token: its 32 characters are not all lowercase hex digits; give exactly 32 lowercase"
                    + " hex digits (128 bits), e.g. from 'openssl rand -hex 16', the same to sender and receiver", e.getMessage());
        }
    }

    @Test
    void neverShowsTheTokenInItsString() {
        RunToken token = RunToken.parse(HEX);
        assertFalse(token.toString().contains(HEX), token.toString());
    }

    @Test
    void makesADifferentRandomTokenEachTime() {
        String first = RunToken.random().hex();
        assertEquals(RunToken.HEX_DIGITS, first.length());
        assertNotEquals(first, RunToken.random().hex());
        assertEquals(first, RunToken.parse(first).hex(), "a random token parses back");
    }

    @Test
    void awaitsAHelloNoLongerThanTheTimeoutOrTheCallersDeadline() {
        long soon = Deadline.after(Duration.ofMillis(500));
        assertEquals(soon, RunToken.helloDeadline(soon));
        long late = Deadline.after(Duration.ofMinutes(5));
        long capped = RunToken.helloDeadline(late);
        assertTrue(capped - late < 0 && Deadline.remainingNanos(capped) <= RunToken.HELLO_TIMEOUT.toNanos(), "capped at the hello timeout");
        long past = Deadline.after(Duration.ofMillis(-1));
        assertTrue(RunToken.helloDeadline(past) - past > 0, "a deadline already past is no call in progress: the timeout applies");
    }

    @Test
    void everyTransportKnowsTheTokenAndKeepsItThroughForTransport() {
        TransportOptions options = TransportOptions.parse("token=" + HEX + ";tcp.io=selector;ws.fragment=131072");
        for (Transport transport : TransportRegistry.all()) {
            TransportOptions.parse("token=" + HEX).requireKnownBy(List.of(transport));
            TransportOptions own = options.forTransport(transport);
            assertEquals(HEX, own.get(RunToken.KEY, null), transport.name());
            assertEquals(HEX, own.token().hex(), transport.name());
            assertFalse(transport.options().containsKey(RunToken.KEY), transport.name() + " lists the universal key itself");
        }
        assertEquals("token=" + HEX, options.forTransport(TransportRegistry.byName("inproc-copy")).toString());
    }

    @Test
    void checksTheTokenOnceWhenTheOptionsAreMade() {
        assertThrows(BadInputException.class, () -> TransportOptions.parse("tcp.io=selector;token=abc"));
        assertThrows(BadInputException.class, () -> TransportOptions.NONE.with(RunToken.KEY, "abc"));
        assertNull(TransportOptions.NONE.token());
        TransportOptions options = TransportOptions.parse("token=" + HEX);
        assertSame(options.token(), options.token());
    }
}
