package dev.framebench.frame;

import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32C;

/** CRC-32C (Castagnoli) of native memory; the JDK intrinsic uses the SSE4.2/ARMv8 CRC instructions. */
public final class Crc32c {
    private Crc32c() {
    }

    public static int of(MemorySegment bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes.asByteBuffer());
        return (int) crc.getValue();
    }
}
