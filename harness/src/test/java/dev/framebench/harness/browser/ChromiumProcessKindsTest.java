package dev.framebench.harness.browser;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A browser's processes by kind, from argv as /proc shows it (Chromium's children show theirs as one string). */
class ChromiumProcessKindsTest {
    @Test
    void namesEachKindOfChromiumProcess() {
        assertEquals("browser", ChromiumProcessKinds.kindOf(List.of("/usr/lib/chromium/chromium", "--headless=new", "--remote-debugging-pipe")));
        assertEquals("renderer", ChromiumProcessKinds.kindOf(List.of("/usr/lib/chromium/chromium --type=renderer --no-sandbox")));
        assertEquals("network", ChromiumProcessKinds.kindOf(List.of("/usr/lib/chromium/chromium --type=utility"
                + " --utility-sub-type=network.mojom.NetworkService --lang=en-US")));
        assertEquals("utility", ChromiumProcessKinds.kindOf(List.of("/usr/lib/chromium/chromium", "--type=utility",
                "--utility-sub-type=storage.mojom.StorageService")));
        assertEquals("gpu", ChromiumProcessKinds.kindOf(List.of("/usr/lib/chromium/chromium --type=gpu-process")));
        assertEquals("zygote", ChromiumProcessKinds.kindOf(List.of("/usr/lib/chromium/chromium --type=zygote --no-zygote-sandbox")));
        assertEquals("broker", ChromiumProcessKinds.kindOf(List.of("/usr/lib/chromium/chromium --type=broker")));
    }
}
