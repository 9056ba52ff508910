"""framebench's Python receiver: one WebSocket sender's frames, received with asyncio `websockets`.

Started by the harness (`session.PythonReceiver`, `--receiver python`), never by hand: it serves
ws://127.0.0.1:PORT/frames (a free loopback port), takes one sender (with a run token, the one whose first
binary message is the token's 24-byte hello), consumes every frame as `--consume` says, and reports to the
JVM that started it in binary records on its stdout (docs/WIRE.md section 3, "The Python receiver"). stderr
is for people only. The run's token comes in the environment (FRAMEBENCH_TOKEN), never on the command line,
which every local user can read in /proc.

It exits when its stdin reaches end of file (the JVM that started it is gone, even if SIGKILLed), after a
clean end of stream (DONE), and after a failure (FAIL).
"""

import argparse
import asyncio
import hmac
import os
import struct
import sys
import threading
import time
from http import HTTPStatus

TOKEN_ENV = "FRAMEBENCH_TOKEN"
PATH = "/frames"
HELLO_TIMEOUT_SECONDS = 5.0

# The report: an 8-byte prefix (4 ASCII tag bytes, u32 body length, little-endian), then the body.
PREFIX = struct.Struct("<4sI")
# A receipt's prefix and receive time; the frame's 64-byte header follows.
RECEIPT = struct.Struct("<4sIq")
TAG_LISTENING = b"LSTN"
TAG_TAKEN = b"TAKN"
TAG_REFUSED = b"RFSD"
TAG_RECEIPT = b"RCPT"
TAG_DONE = b"DONE"
TAG_FAIL = b"FAIL"
FAIL_BAD_INPUT = 1
FAIL_STREAM = 2
FAIL_VERIFICATION = 3

# The frame header, version 1 (docs/WIRE.md section 1): magic, version, pixelFormat, width, height,
# streamId, sequence, sendTimeNanos, payloadLength, payloadCrc32c; 24 reserved bytes follow.
HEADER = struct.Struct("<IHHHHiqqiI")
HEADER_BYTES = 64
FRAME_MAGIC = 0x31464246  # "FBF1"
FRAME_VERSION = 1

# The sender hello, version 1 (docs/WIRE.md section 5).
HELLO_BYTES = 24
HELLO = struct.Struct("<IHH")
HELLO_MAGIC = 0x31484246  # "FBH1"
HELLO_VERSION = 1
TOKEN_BYTES = 16

SERVING_ONE_SENDER = "it serves one sender, whose stream goes on"
WAITING_FOR_THE_SENDER = "it keeps waiting for the sender that presents the run's token"

# Once the process is done, only os._exit: asyncio's orderly shutdown would wait for connections to close.
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_ORPHANED = 4


def report(tag, body=b""):
    write_record(PREFIX.pack(tag, len(body)) + body)


def write_record(record):
    """One record in one write: a pipe takes writes of up to PIPE_BUF (4096) bytes whole."""
    view = memoryview(record)
    try:
        while view:
            # Blocks while the pipe is full: the JVM is not taking receipts, so this receiver stops reading
            # frames and the sender is held back, as by a JVM receiver that is not receiving.
            view = view[os.write(1, view):]
    except BrokenPipeError:
        os._exit(EXIT_ORPHANED)


def say(line):
    print("framebench python receiver: " + line, file=sys.stderr, flush=True)


def fail(kind, line):
    """Reports the failure, says it on stderr and exits: nothing after a failure may count."""
    line = " ".join(line.split())[:2000]
    try:
        report(TAG_FAIL, bytes([kind]) + line.encode("utf-8"))
        say(line)
    finally:
        os._exit(EXIT_BAD_INPUT if kind == FAIL_BAD_INPUT else EXIT_FAILED)


def exit_when_orphaned():
    """Ends this process once stdin reaches end of file: the JVM that started it is gone."""
    while True:
        try:
            if not os.read(0, 4096):
                break
        except InterruptedError:
            continue
        except OSError:
            break
    os._exit(EXIT_ORPHANED)


def hex32(value):
    return "0x%08x" % (value & 0xFFFFFFFF)


def int32(value):
    """Java's int arithmetic, so that a garbled geometry names the same expected length as the JVM's verifier."""
    return (value + 2**31) % 2**32 - 2**31


def payload_bytes(pixel_format, width, height):
    if pixel_format in (1, 2):  # I420, NV12: Y plane, then two quarter-size chroma planes (rounded up)
        return int32(int32(width * height) + int32(2 * int32(((width + 1) // 2) * ((height + 1) // 2))))
    if pixel_format == 3:  # RGBA
        return int32(4 * width * height)
    return None


class FrameFailure(Exception):
    """The first failed check of a frame, worded as the JVM's FrameVerificationException."""

    def __init__(self, stream, sequence, field, expected, actual):
        super().__init__("frame verification failed: stream=%d sequence=%d field=%s expected=%s actual=%s"
                         % (stream, sequence, field, expected, actual))


class Consumer:
    """What the receiver does with each frame, as the JVM's ConsumeMode: none, read or verify."""

    def __init__(self, mode, max_payload_bytes, crc32c):
        self.mode = mode
        self.max_payload_bytes = max_payload_bytes
        self.crc32c = crc32c
        self.next_sequence = {}

    def consume(self, message):
        """Checks the framing as every framebench WebSocket receiver does (Framing.checkMessage), then consumes."""
        size = len(message)
        if size < HEADER_BYTES:
            raise FrameFailure(-1, -1, "frameBytes", ">= %d" % HEADER_BYTES, size)
        magic, version, pixel_format, width, height, stream, sequence, _, payload_length, crc = HEADER.unpack_from(message)
        if magic != FRAME_MAGIC:
            raise FrameFailure(stream, sequence, "magic", hex32(FRAME_MAGIC), hex32(magic))
        if payload_length < 0 or payload_length > self.max_payload_bytes:
            raise FrameFailure(stream, sequence, "payloadLength", "0..%d" % self.max_payload_bytes, payload_length)
        if payload_length != size - HEADER_BYTES:
            raise FrameFailure(stream, sequence, "payloadLength", "%d (the message's bytes after the header)" % (size - HEADER_BYTES),
                               payload_length)
        if self.mode == "read":
            # A slice with a step of 64 copies one byte of each 64: every cache line of the payload is loaded
            # once, in C, so memory traffic is the JVM's read's (which XORs every 8 bytes) without a Python
            # loop per byte; reading every byte in C (bytes.count) would cost 30 times as much CPU here.
            message[HEADER_BYTES::64]
        elif self.mode == "verify":
            self.verify(message, version, pixel_format, width, height, stream, sequence, payload_length, crc)

    def verify(self, message, version, pixel_format, width, height, stream, sequence, payload_length, crc):
        """FrameVerifier's checks in its order; magic and the message's length were checked as framing."""
        if version != FRAME_VERSION:
            raise FrameFailure(stream, sequence, "version", FRAME_VERSION, version)
        expected_payload = payload_bytes(pixel_format, width, height)
        if expected_payload is None:
            raise FrameFailure(stream, sequence, "pixelFormat", "1, 2 or 3", pixel_format)
        if payload_length != expected_payload:
            raise FrameFailure(stream, sequence, "payloadLength", expected_payload, payload_length)
        if len(message) != HEADER_BYTES + payload_length:
            raise FrameFailure(stream, sequence, "frameBytes", HEADER_BYTES + payload_length, len(message))
        if stream < 0:
            raise FrameFailure(stream, sequence, "streamId", ">= 0", stream)
        expected_sequence = self.next_sequence.get(stream, 0)
        if sequence != expected_sequence:
            raise FrameFailure(stream, sequence, "sequence", expected_sequence, sequence)
        actual_crc = self.crc32c(memoryview(message)[HEADER_BYTES:])
        if actual_crc != crc:
            raise FrameFailure(stream, sequence, "payloadCrc32c", hex32(crc), hex32(actual_crc))
        self.next_sequence[stream] = sequence + 1


def hello_refusal(message, token):
    """Why a first message is not the run's hello, in SenderHello.refusal's words (never the token), or None."""
    if isinstance(message, str):
        return "no hello: a text message (a first message of %d characters)" % len(message)
    size = len(message)
    suffix = "" if size == HELLO_BYTES else " (a first message of %d bytes)" % size
    if size < 4:
        return "no hello: %d of %d bytes%s" % (size, HELLO_BYTES, suffix)
    magic = struct.unpack_from("<I", message)[0]
    if size != HELLO_BYTES or magic != HELLO_MAGIC:
        if magic == FRAME_MAGIC:
            return "no hello: magic=%s is a frame header's, the sender presented no token%s" % (hex32(magic), suffix)
        return "no hello: magic=%s, expected %s (\"FBH1\")%s" % (hex32(magic), hex32(HELLO_MAGIC), suffix)
    _, version, token_length = HELLO.unpack_from(message)
    if version != HELLO_VERSION:
        return "hello version=%d, expected %d" % (version, HELLO_VERSION)
    if token_length != TOKEN_BYTES:
        return "hello tokenLength=%d, expected %d" % (token_length, TOKEN_BYTES)
    if not hmac.compare_digest(message[8:HELLO_BYTES], token):
        return "hello with another token (a sender of another run, or a guess)"
    return None


def address(peer):
    return "%s:%s" % (peer[0], peer[1]) if peer else "an unnamed peer"


class Receiver:
    """One sender's stream: takes the sender, refuses everyone else, receives until the sender closes.

    Every connection is settled once: taken as the sender, or refused and counted (a wrong path, a missing or
    wrong hello, no handshake or hello within 5 s, closed before its hello, any connection after the sender).

    Threading: the event loop's thread only.
    """

    def __init__(self, token, consumer):
        self.token = token
        self.consumer = consumer
        self.endpoint = None
        self.sender = None
        self.refused = 0

    def refuse(self, connection, reason):
        if connection.settled:
            return
        connection.settled = True
        self.refused += 1
        report(TAG_REFUSED, struct.pack("<I", self.refused))
        print("framebench receiver (python): refused a foreign connection to %s from %s (%d so far): %s; %s"
              % (self.endpoint, address(connection.remote_address), self.refused, reason,
                 SERVING_ONE_SENDER if self.sender is not None else WAITING_FOR_THE_SENDER), file=sys.stderr, flush=True)

    def screen(self, connection, path):
        """Before the handshake: a wrong path, or any connection once the sender is taken, is refused there."""
        if path != PATH:
            self.refuse(connection, "asked for %s; frames are served at %s" % (path, PATH))
            return HTTPStatus.NOT_FOUND, [], b""
        if self.sender is not None:
            self.refuse(connection, "came after the sender")
            return HTTPStatus.FORBIDDEN, [], b""
        return None

    def no_handshake(self, connection):
        """A connection that said nothing a WebSocket server understands within the hello's time (websockets 10.4 has no such timeout)."""
        if not connection.settled:
            self.refuse(connection, "no WebSocket handshake within %d ms" % (HELLO_TIMEOUT_SECONDS * 1000))
            connection.transport.abort()

    def lost(self, connection):
        if not connection.settled:
            self.refuse(connection, "closed the connection before its hello" if connection.open_handshake_done
                        else "closed the connection before the WebSocket handshake completed")

    async def handle(self, ws):
        try:
            await self.take(ws)
        except Exception as e:
            # websockets would log a handler's exception and go on: the JVM would wait for a frame until its deadline.
            fail(FAIL_STREAM, "the python receiver failed on a connection from %s: %s: %s" % (address(ws.remote_address), type(e).__name__, e))

    async def take(self, ws):
        import websockets
        ws.open_handshake_done = True
        skip_hello = False
        if self.token is None:
            if self.sender is not None:
                self.refuse(ws, "came after the sender")
                await ws.close(1008, "this receiver has its sender")
                return
            skip_hello = True
        else:
            try:
                hello = await asyncio.wait_for(ws.recv(), HELLO_TIMEOUT_SECONDS)
            except asyncio.TimeoutError:
                self.refuse(ws, "no hello within %d ms" % (HELLO_TIMEOUT_SECONDS * 1000))
                await ws.close(1008, "no hello with the run's token")
                return
            except websockets.ConnectionClosed:
                self.refuse(ws, "closed the connection before its hello")
                return
            why = hello_refusal(hello, self.token)
            if why is None and self.sender is not None:
                why = "came after the sender"
            if why is not None:
                self.refuse(ws, why)
                await ws.close(1008, "no hello with the run's token")
                return
        ws.settled = True
        self.sender = ws
        report(TAG_TAKEN, address(ws.remote_address).encode("utf-8"))
        await self.receive(ws, address(ws.remote_address), skip_hello)

    async def receive(self, ws, peer, skip_hello):
        import websockets
        frames = 0
        consume = self.consumer.consume
        receipt = RECEIPT
        try:
            while True:
                message = await ws.recv()
                received_nanos = time.monotonic_ns()
                if isinstance(message, str):
                    fail(FAIL_STREAM, "%s sent a text message; framebench expects one binary message per frame" % peer)
                if skip_hello:
                    skip_hello = False
                    # A sender given a token is taken by a receiver given none: its hello is dropped.
                    if len(message) == HELLO_BYTES and message[:4] == b"FBH1":
                        continue
                try:
                    consume(message)
                except FrameFailure as failure:
                    fail(FAIL_VERIFICATION, str(failure))
                # One write per frame: the prefix, the receive time, the header as received.
                write_record(receipt.pack(TAG_RECEIPT, 8 + HEADER_BYTES, received_nanos) + message[:HEADER_BYTES])
                frames += 1
        except websockets.ConnectionClosed as closed:
            if closed.rcvd is not None and closed.rcvd.code == 1000:
                report(TAG_DONE, struct.pack("<Q", frames))
                say("the sender closed its stream (status 1000) after %d frames" % frames)
                os._exit(EXIT_OK)
            if closed.rcvd is not None:
                fail(FAIL_STREAM, "%s closed with status %d (%s) after %d frames; a clean end is status 1000"
                     % (peer, closed.rcvd.code, closed.rcvd.reason, frames))
            fail(FAIL_STREAM, "%s broke the connection after %d frames without a WebSocket close frame: %s" % (peer, frames, closed))


def parse_token(text):
    if text is None:
        return None
    if len(text) != 2 * TOKEN_BYTES or any(c not in "0123456789abcdef" for c in text):
        fail(FAIL_BAD_INPUT, "bad value in %s: it must be exactly %d lowercase hex digits, it has %d characters"
             % (TOKEN_ENV, 2 * TOKEN_BYTES, len(text)))
    return bytes.fromhex(text)


def crc32c_function(needed):
    """crcmod's CRC-32C when its C extension loads (the pure-Python fallback would be 100 times slower)."""
    if not needed:
        return None, "not used (consume is not verify)"
    try:
        import crcmod._crcfunext  # noqa: F401  (only to know the C extension is there)
        import crcmod.predefined
        function = crcmod.predefined.mkCrcFun("crc-32c")
    except ImportError as e:
        fail(FAIL_BAD_INPUT, "consume verify needs a C-backed CRC-32C, and %s cannot import crcmod's C extension (%s); install Debian's"
             " package python3-crcmod (apt-get install python3-crcmod) or set FRAMEBENCH_PYTHON to an interpreter that has crcmod"
             % (sys.executable, e))
    if function(b"123456789") != 0xE3069283:
        fail(FAIL_BAD_INPUT, "crcmod's crc-32c gives %s for '123456789', not 0xe3069283" % hex32(function(b"123456789")))
    return function, "crcmod._crcfunext (C, table-driven)"


def shrink_report_pipe():
    """One page of pipe (51 receipts) instead of 64 KiB (819): the fewer receipts in flight, the sooner a JVM
    that stops taking them holds this receiver back, and the closer each receipt is to its frame's arrival."""
    try:
        import fcntl
        fcntl.fcntl(1, fcntl.F_SETPIPE_SZ, 4096)
    except (ImportError, AttributeError, OSError):
        pass  # Not a pipe, or a kernel without it: the default size only widens the slack.


async def serve(receiver, max_message_bytes, description):
    import websockets

    class FrameProtocol(websockets.WebSocketServerProtocol):
        """A connection as the receiver settles it: its clock runs from the TCP accept to the handshake."""

        def connection_made(self, transport):
            self.settled = False
            self.open_handshake_done = False
            super().connection_made(transport)
            self.handshake_clock = self.loop.call_later(HELLO_TIMEOUT_SECONDS, receiver.no_handshake, self)

        async def process_request(self, path, request_headers):
            self.handshake_clock.cancel()
            return receiver.screen(self, path)

        def connection_lost(self, exc):
            self.handshake_clock.cancel()
            receiver.lost(self)
            super().connection_lost(exc)

    server = await websockets.serve(
        receiver.handle, "127.0.0.1", 0, create_protocol=FrameProtocol,
        # framebench's senders offer no compression; a frame is one message of up to twice the largest preset.
        compression=None, max_size=max_message_bytes,
        # A back-pressuring receiver answers pings late; the senders send none either.
        ping_interval=None,
        # At most two frames wait, received but not consumed: a JVM receiver holds about that in its buffers.
        max_queue=2)
    port = server.sockets[0].getsockname()[1]
    receiver.endpoint = "ws://127.0.0.1:%d%s" % (port, PATH)
    report(TAG_LISTENING, struct.pack("<H", port) + description.encode("utf-8"))
    await asyncio.Future()


def main():
    threading.Thread(target=exit_when_orphaned, name="stdin-watch", daemon=True).start()
    parser = argparse.ArgumentParser(description="framebench's Python receiver (started by the harness)")
    parser.add_argument("--consume", choices=("none", "read", "verify"), required=True)
    parser.add_argument("--max-message-bytes", type=int, required=True)
    parser.add_argument("--max-payload-bytes", type=int, required=True)
    args = parser.parse_args()
    token = parse_token(os.environ.pop(TOKEN_ENV, None))
    try:
        import websockets
    except ImportError as e:
        fail(FAIL_BAD_INPUT, "the python receiver needs the websockets module, which %s cannot import (%s); install Debian's package"
             " python3-websockets (apt-get install python3-websockets) or set FRAMEBENCH_PYTHON to an interpreter that has it"
             % (sys.executable, e))
    try:
        import websockets.speedups  # noqa: F401
        speedups = "C"
    except ImportError:
        speedups = "absent (unmasking in Python big-integer XOR)"
    crc32c, crc_name = crc32c_function(args.consume == "verify")
    description = "\n".join([
        "python=" + sys.version.split()[0],
        "python.executable=" + sys.executable,
        "websockets=" + websockets.version.version,
        "websockets.speedups=" + speedups,
        "crc32c=" + crc_name,
        "pid=%d" % os.getpid(),
    ])
    shrink_report_pipe()
    receiver = Receiver(token, Consumer(args.consume, args.max_payload_bytes, crc32c))
    try:
        asyncio.run(serve(receiver, args.max_message_bytes, description))
    except Exception as e:
        fail(FAIL_STREAM, "the python receiver failed: %s: %s" % (type(e).__name__, e))


if __name__ == "__main__":
    main()
