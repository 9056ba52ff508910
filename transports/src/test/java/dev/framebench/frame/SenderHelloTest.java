package dev.framebench.frame;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SenderHelloTest {
    /** docs/WIRE.md's worked example: the hello of token 00112233445566778899aabbccddeeff. */
    static final String TOKEN_HEX = "00112233445566778899aabbccddeeff";
    static final String GOLDEN_HEX = "46424831" + "0100" + "1000" + TOKEN_HEX;
    private static final byte[] TOKEN = HexFormat.of().parseHex(TOKEN_HEX);

    private static MemorySegment hello(byte[] token) {
        MemorySegment hello = MemorySegment.ofArray(new byte[SenderHello.LENGTH]);
        SenderHello.write(hello, token);
        return hello;
    }

    private static MemorySegment bytes(String hex) {
        return MemorySegment.ofArray(HexFormat.of().parseHex(hex));
    }

    @Test
    void writesTheDocumentedBytesForAKnownToken() {
        assertEquals(GOLDEN_HEX, HexFormat.of().formatHex(hello(TOKEN).toArray(ValueLayout.JAVA_BYTE)));
        assertEquals("FBH1", new String(hello(TOKEN).asSlice(0, 4).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
    }

    @Test
    void acceptsTheHelloOfTheExpectedToken() {
        assertEquals(SenderHello.HELLO_OK, SenderHello.check(bytes(GOLDEN_HEX), TOKEN));
    }

    @Test
    void refusesAHelloOfAnotherTokenWithoutShowingEither() {
        byte[] other = TOKEN.clone();
        other[15] ^= 1;
        MemorySegment presented = hello(other);
        assertEquals(SenderHello.WRONG_TOKEN, SenderHello.check(presented, TOKEN));
        String refusal = SenderHello.refusal(presented, SenderHello.WRONG_TOKEN);
        assertFalse(refusal.contains("eeff") || refusal.contains("eefe"), refusal);
    }

    @Test
    void saysAFrameHeaderInPlaceOfAHelloMeansTheSenderHadNoToken() {
        MemorySegment frameHeader = bytes(FrameHeaderTest.GOLDEN_HEX.substring(0, 2 * SenderHello.LENGTH));
        assertEquals(SenderHello.NOT_A_HELLO, SenderHello.check(frameHeader, TOKEN));
        assertEquals("no hello: magic=0x31464246 is a frame header's, the sender presented no token",
                SenderHello.refusal(frameHeader, SenderHello.NOT_A_HELLO));
    }

    @Test
    void namesTheFieldThatIsWrongInAnyOtherHello() {
        MemorySegment garbage = bytes("deadbeef" + GOLDEN_HEX.substring(8));
        assertEquals(SenderHello.NOT_A_HELLO, SenderHello.check(garbage, TOKEN));
        assertEquals("no hello: magic=0xefbeadde, expected 0x31484246 (\"FBH1\")", SenderHello.refusal(garbage, SenderHello.NOT_A_HELLO));

        MemorySegment version2 = bytes("46424831" + "0200" + GOLDEN_HEX.substring(12));
        assertEquals(SenderHello.UNKNOWN_VERSION, SenderHello.check(version2, TOKEN));
        assertEquals("hello version=2, expected 1", SenderHello.refusal(version2, SenderHello.UNKNOWN_VERSION));

        MemorySegment shortToken = bytes("46424831" + "0100" + "0800" + TOKEN_HEX);
        assertEquals(SenderHello.BAD_TOKEN_LENGTH, SenderHello.check(shortToken, TOKEN));
        assertEquals("hello tokenLength=8, expected 16", SenderHello.refusal(shortToken, SenderHello.BAD_TOKEN_LENGTH));

        MemorySegment truncated = bytes(GOLDEN_HEX.substring(0, 20));
        assertEquals(SenderHello.NOT_A_HELLO, SenderHello.check(truncated, TOKEN));
    }

    @Test
    void recognisesAHelloByItsMagicAlone() {
        assertTrue(SenderHello.isHelloMagic(0x31484246));
        assertFalse(SenderHello.isHelloMagic(FrameHeader.MAGIC));
    }

    @Test
    void rejectsATokenOfAnotherSize() {
        assertThrows(IllegalArgumentException.class, () -> hello(new byte[8]));
    }
}
