package dev.framebench.transport.s3;

import java.io.IOException;
import java.io.InputStream;

/**
 * The main class of the store's JVM: runs S3Proxy's own main, and ends the JVM when its standard input
 * reaches end of file. The receiver that started the store holds the other end of that pipe, so the store
 * goes with it however it ends, a SIGKILL included: the kernel closes the pipe of a dead process.
 *
 * @implSpec Loaded from a class file the receiver copies beside S3Proxy's jar, never from framebench's
 * jar (whose libraries would clash with S3Proxy's): so it uses the JDK only, reaches S3Proxy by reflection,
 * and has no nested classes (a lambda makes no class file).
 */
public final class StoreWatch {
    private StoreWatch() {
    }

    public static void main(String[] args) throws Exception {
        Thread watch = new Thread(() -> {
            try {
                InputStream in = System.in;
                while (in.read() >= 0) {
                    // Nothing is ever written: the pipe only tells whether its writer lives.
                }
            } catch (IOException e) {
                // A broken pipe means the same as its end.
            }
            Runtime.getRuntime().halt(0);
        }, "framebench-store-watch");
        watch.setDaemon(true);
        watch.start();
        Class.forName("org.gaul.s3proxy.Main").getMethod("main", String[].class).invoke(null, (Object) args);
    }
}
