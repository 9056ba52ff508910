package dev.framebench.transport.websocket.javaws;

import javax.net.SocketFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;

/**
 * Gives {@code WebSocketClient} an unconnected socket whose output stream reports every byte written to a
 * {@link WireBacklog}. The client connects it itself, to the address framebench resolved (literally, no
 * name lookup), and writes to it only from its writer thread.
 */
final class MeteredSocketFactory extends SocketFactory {
    private final WireBacklog backlog;

    MeteredSocketFactory(WireBacklog backlog) {
        this.backlog = backlog;
    }

    @Override
    public Socket createSocket() {
        return new MeteredSocket(backlog);
    }

    // The four below connect while creating, by host name among others; WebSocketClient never calls them.

    @Override
    public Socket createSocket(String host, int port) {
        throw connectsItself();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
        throw connectsItself();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) {
        throw connectsItself();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
        throw connectsItself();
    }

    private static UnsupportedOperationException connectsItself() {
        return new UnsupportedOperationException("WebSocketClient connects an unconnected socket from createSocket()");
    }

    private static final class MeteredSocket extends Socket {
        private final WireBacklog backlog;

        MeteredSocket(WireBacklog backlog) {
            this.backlog = backlog;
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            OutputStream socketStream = super.getOutputStream();
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    socketStream.write(b);
                    backlog.written(1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    // Returns once the kernel has taken every byte: only then is it no longer backlog.
                    socketStream.write(bytes, offset, length);
                    backlog.written(length);
                }

                @Override
                public void flush() throws IOException {
                    socketStream.flush();
                }

                @Override
                public void close() throws IOException {
                    socketStream.close();
                }
            };
        }
    }
}
