'use strict';
/*
 * framebench's sender in a browser (docs/WIRE.md, section 4, "A sender in a browser"): one WebSocket per
 * stream, the 24-byte hello first, then one binary message per frame in wire format v1. The harness calls
 * window.framebench over the DevTools pipe, in this order: prepare, setClock, connect, start, stop.
 *
 * The pictures are framebench's own TestPattern (TestPattern.java), rendered once with their CRC-32C, so a
 * frame costs this page only its header: streamId, sequence and sendTimeNanos are stamped into one of the
 * 8 pooled buffers, and WebSocket.send copies it (Blink copies an ArrayBuffer at send, so the next stamp
 * cannot reach a frame already queued).
 */
(() => {
    const HEADER_BYTES = 64;
    const POOL_PICTURES = 8;
    const BOX = 128;
    // Back-pressure: a stream sends while its socket has less than this queued, then looks again WAIT_MILLIS later.
    // Measured on a 2-core VM (1080p-i420 to ws-netty): 1, 4, 16 and 64 MiB, waits of 1 and 4 ms, all gave the same
    // ~0.2-0.3 GB/s at ~3 s/GB of browser CPU; the limit is Chromium's own path (renderer -> network service), not
    // the queue. Looking again at once (a 0 ms wait) was slower (0.11 GB/s, renderer 80%): the renderer's main thread
    // also feeds the network service, and a page that never yields starves it. So: a small queue (one 1080p frame
    // and part of the next, little memory and little paced latency) and a 2 ms look, which at 1 GB/s would drain
    // 2 MB of the >= 4 MiB left: the queue does not run dry between two looks.
    const HIGH_WATER_BYTES = 4 * 1024 * 1024;
    const WAIT_MILLIS = 2;
    // A paced stream sleeps on a timer until this long before a frame is due, then spins on performance.now():
    // setTimeout counts whole milliseconds and fires late under load, which would read as latency no transport
    // caused. The spin costs at most 1 ms a frame (3% of a core at 30 fps); PacedSendLoop spins 50 us.
    const SPIN_NANOS = 1_000_000;

    const CRC_TABLES = crc32cTables();
    const pool = { pictures: [], frameBytes: 0 };
    const clock = { offsetNanos: 0n };
    const streams = [];
    let stopping = false;
    let failure = '';

    // Timers set from a timer callback are clamped to >= 4 ms after five levels of nesting (HTML spec);
    // hopping through a MessageChannel starts each wait from a task that is not a timer, so 1 ms stays 1 ms.
    const hop = new MessageChannel();
    const hopQueue = [];
    hop.port1.onmessage = () => hopQueue.shift()();
    function later(millis, task) {
        setTimeout(() => {
            hopQueue.push(task);
            hop.port2.postMessage(0);
        }, millis);
    }

    function crc32cTables() {
        const t = new Int32Array(8 * 256);
        for (let n = 0; n < 256; n++) {
            let c = n;
            for (let k = 0; k < 8; k++) {
                c = (c & 1) ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
            }
            t[n] = c;
        }
        for (let n = 0; n < 256; n++) {
            let c = t[n];
            for (let k = 1; k < 8; k++) {
                c = t[c & 0xff] ^ (c >>> 8);
                t[k * 256 + n] = c;
            }
        }
        return t;
    }

    /** CRC-32C (Castagnoli), slicing by 8: once per picture, when the pool is rendered. */
    function crc32c(b) {
        const t = CRC_TABLES;
        let c = ~0;
        let i = 0;
        const n = b.length;
        for (; i + 8 <= n; i += 8) {
            c ^= b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
            c = t[1792 + (c & 0xff)] ^ t[1536 + ((c >>> 8) & 0xff)] ^ t[1280 + ((c >>> 16) & 0xff)] ^ t[1024 + (c >>> 24)]
                ^ t[768 + b[i + 4]] ^ t[512 + b[i + 5]] ^ t[256 + b[i + 6]] ^ t[b[i + 7]];
        }
        for (; i < n; i++) {
            c = t[(c ^ b[i]) & 0xff] ^ (c >>> 8);
        }
        return (~c) >>> 0;
    }

    /** TestPattern.render, byte for byte (a Uint8Array stores values mod 256, as Java's (byte) cast does). */
    function render(p, format, width, height, index) {
        if (format === 3) {
            const shift = 7 * index;
            for (let y = 0, o = 0; y < height; y++) {
                for (let x = 0; x < width; x++, o += 4) {
                    p[o] = x + shift;
                    p[o + 1] = y - shift;
                    p[o + 2] = (x ^ y) + 3 * index;
                    p[o + 3] = 0xff;
                }
            }
            return;
        }
        const shift = 7 * index;
        const boxX = (13 * index * 8) % Math.max(1, width - BOX);
        const boxY = (7 * index * 8) % Math.max(1, height - BOX);
        for (let y = 0, o = 0; y < height; y++) {
            const rowInBox = y >= boxY && y < boxY + BOX;
            for (let x = 0; x < width; x++, o++) {
                p[o] = rowInBox && x >= boxX && x < boxX + BOX ? 235 : 16 + ((x + y + shift) & 0x7f) + ((x >> 4) & 0x3f);
            }
        }
        const cw = (width + 1) >> 1;
        const ch = (height + 1) >> 1;
        const luma = width * height;
        const plane = cw * ch;
        for (let y = 0; y < ch; y++) {
            const v = 64 + ((y * 2 + 5 * index) & 0x7f);
            for (let x = 0; x < cw; x++) {
                const u = 64 + ((x * 2 - 3 * index) & 0x7f);
                if (format === 2) {
                    p[luma + 2 * (y * cw + x)] = u;
                    p[luma + 2 * (y * cw + x) + 1] = v;
                } else {
                    p[luma + y * cw + x] = u;
                    p[luma + plane + y * cw + x] = v;
                }
            }
        }
    }

    function payloadBytes(format, width, height) {
        return format === 3 ? 4 * width * height : width * height + 2 * ((width + 1) >> 1) * ((height + 1) >> 1);
    }

    function nowNanos() {
        return performance.now() * 1e6;
    }

    /** The smallest step performance.now() takes here, ms: Chromium coarsens it (100 us unless cross-origin isolated). */
    function clockResolutionMillis() {
        let smallest = Infinity;
        const end = performance.now() + 20;
        let last = performance.now();
        while (last < end) {
            const t = performance.now();
            if (t > last) {
                smallest = Math.min(smallest, t - last);
                last = t;
            }
        }
        return smallest;
    }

    function stamp(picture, streamId, sequence, sendTimeNanos) {
        const h = picture.header;
        h.setInt32(12, streamId, true);
        h.setBigInt64(16, BigInt(sequence), true);
        h.setBigInt64(24, sendTimeNanos, true);
        return picture.buffer;
    }

    function helloBytes(tokenHex) {
        const hello = new Uint8Array(24);
        hello.set([0x46, 0x42, 0x48, 0x31, 1, 0, 16, 0]);
        for (let i = 0; i < 16; i++) {
            hello[8 + i] = parseInt(tokenHex.substr(2 * i, 2), 16);
        }
        return hello;
    }

    function fail(message) {
        if (!failure) {
            failure = message;
        }
    }

    function sendNext(s, sendTimeNanos) {
        const picture = pool.pictures[s.sequence % POOL_PICTURES];
        s.ws.send(stamp(picture, s.id, s.sequence, sendTimeNanos));
        s.sequence++;
    }

    /** Saturation: as fast as the socket takes frames, never more than HIGH_WATER_BYTES queued. */
    function pump(s) {
        while (!stopping && !failure && s.ws.bufferedAmount < HIGH_WATER_BYTES) {
            sendNext(s, clock.offsetNanos + BigInt(Math.round(nowNanos())));
        }
        if (!stopping && !failure) {
            later(WAIT_MILLIS, () => pump(s));
        } else {
            s.sending = false;
        }
    }

    /**
     * Paced: frame k is due at start + phase + k * interval (page ns, exact integers) and carries that intended
     * time on CLOCK_MONOTONIC; overdue frames go back to back, each with its own due time, as PacedSendLoop does.
     */
    function pace(s) {
        while (!stopping && !failure) {
            const due = s.firstDueNanos + s.sequence * s.intervalNanos;
            const early = due - nowNanos();
            if (early > SPIN_NANOS) {
                later(Math.floor((early - SPIN_NANOS) / 1e6), () => pace(s));
                return;
            }
            while (due - nowNanos() > 0) {
                // Under a millisecond: spin, as the timer cannot be trusted this close.
            }
            if (s.ws.bufferedAmount >= HIGH_WATER_BYTES) {
                later(WAIT_MILLIS, () => pace(s));
                return;
            }
            sendNext(s, clock.offsetNanos + BigInt(due));
            if (nowNanos() - due > s.intervalNanos) {
                s.framesBehind++;
            }
        }
        s.sending = false;
    }

    function waitFor(condition, deadline, what) {
        return new Promise((resolve, reject) => {
            const look = () => {
                if (condition()) {
                    resolve();
                } else if (failure) {
                    reject(new Error(failure));
                } else if (performance.now() > deadline) {
                    reject(new Error('timed out waiting for ' + what()));
                } else {
                    later(WAIT_MILLIS, look);
                }
            };
            look();
        });
    }

    window.framebench = {
        /** Renders the pool for {format (wire code), width, height}; returns picture 0's CRC and the clock's step. */
        prepare(preset) {
            if (crc32c(new TextEncoder().encode('123456789')) !== 0xE3069283) {
                throw new Error('CRC-32C self-check failed');
            }
            const started = performance.now();
            const payload = payloadBytes(preset.format, preset.width, preset.height);
            pool.frameBytes = HEADER_BYTES + payload;
            pool.pictures = [];
            for (let i = 0; i < POOL_PICTURES; i++) {
                const buffer = new ArrayBuffer(HEADER_BYTES + payload);
                const body = new Uint8Array(buffer, HEADER_BYTES);
                render(body, preset.format, preset.width, preset.height, i);
                const header = new DataView(buffer, 0, HEADER_BYTES);
                header.setUint32(0, 0x31464246, true);
                header.setUint16(4, 1, true);
                header.setUint16(6, preset.format, true);
                header.setUint16(8, preset.width, true);
                header.setUint16(10, preset.height, true);
                header.setInt32(32, payload, true);
                header.setUint32(36, crc32c(body), true);
                pool.pictures.push({ buffer, header });
            }
            return {
                crc0: pool.pictures[0].header.getUint32(36, true),
                renderMillis: performance.now() - started,
                clockResolutionMillis: clockResolutionMillis(),
                highWaterBytes: HIGH_WATER_BYTES,
            };
        },

        /** CLOCK_MONOTONIC ns = performance.now() * 1e6 + offsetNanos (a decimal string: it exceeds 2^53). */
        setClock(offsetNanos) {
            clock.offsetNanos = BigInt(offsetNanos);
        },

        /** Opens one socket per url and sends each its hello; resolves once every hello is queued. */
        connect(urls, tokenHex, timeoutMillis) {
            const hello = tokenHex ? helloBytes(tokenHex) : null;
            return Promise.all(urls.map((url, id) => new Promise((resolve, reject) => {
                const ws = new WebSocket(url);
                ws.binaryType = 'arraybuffer';
                const s = { id, url, ws, sequence: 0, framesBehind: 0, sending: false, open: false, closed: false, closeCode: 0 };
                streams.push(s);
                const timer = setTimeout(() => reject(new Error('stream ' + id + ': ' + url + ' did not open within ' + timeoutMillis + ' ms')),
                    timeoutMillis);
                ws.onopen = () => {
                    clearTimeout(timer);
                    s.open = true;
                    if (hello) {
                        ws.send(hello);
                    }
                    resolve();
                };
                ws.onclose = (e) => {
                    clearTimeout(timer);
                    s.closed = true;
                    s.closeCode = e.code;
                    if (!s.open) {
                        reject(new Error('stream ' + id + ': cannot connect to ' + url + ' (closed with code ' + e.code + ')'));
                    } else if (!stopping) {
                        fail('stream ' + id + ': the receiver closed ' + url + ' with code ' + e.code
                            + (e.reason ? ' (' + e.reason + ')' : '') + ' while sending (frame ' + s.sequence + ')');
                    }
                };
            })));
        },

        /** Begins every stream: schedule null = saturation, else {intervalNanos} with stream i phased by interval * i / n. */
        start(schedule) {
            const startNanos = Math.round(nowNanos());
            for (const s of streams) {
                s.sending = true;
                if (schedule) {
                    s.intervalNanos = schedule.intervalNanos;
                    s.firstDueNanos = startNanos + Math.floor(schedule.intervalNanos * s.id / streams.length);
                    pace(s);
                } else {
                    later(0, () => pump(s));
                }
            }
        },

        /** Finishes the frame in hand, waits for every queue to drain, closes with 1000; resolves to the stats. */
        async stop(timeoutMillis) {
            stopping = true;
            const deadline = performance.now() + timeoutMillis;
            await waitFor(() => streams.every(s => !s.sending), deadline, () => 'the send loops to end');
            await waitFor(() => streams.every(s => s.ws.bufferedAmount === 0), deadline,
                () => 'the queues to drain (' + streams.map(s => s.ws.bufferedAmount).join(', ') + ' bytes queued)');
            streams.forEach(s => s.ws.close(1000));
            await waitFor(() => streams.every(s => s.closed), deadline, () => 'the receiver to answer close 1000');
            const unclean = streams.find(s => s.closeCode !== 1000);
            if (unclean) {
                throw new Error('stream ' + unclean.id + ' ended with close code ' + unclean.closeCode + ', not 1000');
            }
            const frames = streams.reduce((sum, s) => sum + s.sequence, 0);
            return {
                frames,
                bytes: frames * pool.frameBytes,
                framesBehind: streams.reduce((sum, s) => sum + s.framesBehind, 0),
            };
        },

        /** What broke a stream, or '' while every stream is whole. */
        failure() {
            return failure;
        },
    };
})();
