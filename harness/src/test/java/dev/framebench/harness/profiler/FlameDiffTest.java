package dev.framebench.harness.profiler;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The differential flame graph of two hand-written profiles of different lengths. */
class FlameDiffTest {
    @Test
    void headlineNamesWhatGrewAndWhatShrankByShareOfSamples(@TempDir Path dir) throws IOException {
        // A: 100 samples, the copy is 80%. B: 400 samples, masking takes 50% and the copy 40%.
        Path a = Files.writeString(dir.resolve("a.collapsed"), "recv;read;copy 80\nrecv;consume 20\n");
        Path b = Files.writeString(dir.resolve("b.collapsed"), "recv;read;copy 160\nrecv;read;unmask 200\nrecv;consume 40\n");
        Path html = dir.resolve("diff.html");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = FlameDiff.run(new String[] {a.toString(), b.toString(), html.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));

        String headline = out.toString(StandardCharsets.UTF_8);
        assertTrue(headline.contains("grew most: unmask (+50.0 pp); shrank most: copy (-40.0 pp)"), headline);
        String page = Files.readString(html);
        assertTrue(page.startsWith("<!DOCTYPE html>"), page);
        // unmask is new in B: it grew most, so it is drawn in the deepest red.
        assertTrue(page.contains("<title>unmask\nA 0.00% (0) -> B 50.00% (200): +50.00 pp</title>"), page);
        assertTrue(page.contains("fill='rgb(255,0,0)'"), page);
    }

    @Test
    void refusesAMissingProfileWithOneLine(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = FlameDiff.run(new String[] {dir.resolve("none.collapsed").toString(), dir.resolve("none.collapsed").toString(),
                dir.resolve("d.html").toString()}, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertEquals(1, err.toString(StandardCharsets.UTF_8).lines().count(), err.toString(StandardCharsets.UTF_8));
    }
}
