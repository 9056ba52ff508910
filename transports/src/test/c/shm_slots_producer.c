/*
 * A shm-slots producer in C, written from docs/WIRE.md ("shm-slots") alone: it proves the layout is
 * documented well enough for a peer outside the JVM. C11 atomics and libc only; software CRC-32C.
 *
 *   shm_slots_producer FILE PRESET FRAMES [TOKEN_HEX]
 *
 * Opens the receiver's slots file, claims the producer slot (presenting the run's hello when the file
 * requires one), writes FRAMES frames of PRESET (720p-i420, 1080p-i420, 1080p-nv12, 1080p-rgba,
 * 2160p-i420) on stream 0 with sequences 0, 1, 2, ..., then ends the stream cleanly.
 * Each slot's payload is framebench's test pattern (TestPattern.java), picture = slot index, rendered and
 * CRC'd the first time the slot is used; per frame only the header is stamped, as the JVM sender does.
 *
 * Exit status: 0 sent and closed; 2 bad arguments; 3 the receiver refused this producer (wrong token, or
 * the file already has a sender); 1 anything else (no such file, bad layout, receiver died, timeout).
 * Build: gcc -O2 -std=c11 -o shm_slots_producer shm_slots_producer.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Control area, docs/WIRE.md "shm-slots". All little-endian; this file assumes a little-endian host. */
#define MAGIC 0x4c534246u /* "FBSL" */
#define VERSION 1u
#define HEADER_BYTES 4096u
#define OFF_MAGIC 0
#define OFF_VERSION 4
#define OFF_HEADER_BYTES 8
#define OFF_SLOT_COUNT 12
#define OFF_SLOT_BYTES 16
#define OFF_CONSUMER_PID 24
#define OFF_PRODUCER_PID 32
#define OFF_PRODUCER_CLOSED 40
#define OFF_HELLO_REQUIRED 44
#define OFF_HELLO_PID 48
#define OFF_ACCEPTED_PID 56
#define OFF_HELLO 64
#define OFF_READY_TAIL 128
#define OFF_FREE_TAIL 256
#define OFF_DATA_WAITER 384
#define OFF_DATA_FUTEX 388
#define OFF_READY_QUEUE 1024
#define OFF_FREE_QUEUE 2048
#define QUEUE_ENTRIES 64u
#define ENTRY_BYTES 8u

#define FRAME_HEADER 64u
#define TIMEOUT_NANOS 30000000000LL
#define PEER_CHECK_NANOS 100000000LL

static uint8_t *base;

#define A64(off) ((_Atomic int64_t *) (base + (off)))
#define A32(off) ((_Atomic int32_t *) (base + (off)))
#define U32(off) (*(uint32_t *) (base + (off)))

static int64_t now_nanos(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(int status, const char *what) {
    fprintf(stderr, "shm_slots_producer: %s\n", what);
    exit(status);
}

static int alive(int64_t pid) {
    return kill((pid_t) pid, 0) == 0 || errno == EPERM;
}

/* Waits a little, and fails if the deadline passed or the receiver is gone. */
static void idle(int64_t deadline, int64_t *next_check, int64_t consumer_pid, const char *waiting_for) {
    struct timespec nap = {0, 20000};
    nanosleep(&nap, NULL);
    int64_t now = now_nanos();
    if (now > deadline) {
        fprintf(stderr, "shm_slots_producer: timed out waiting for %s\n", waiting_for);
        exit(1);
    }
    if (now > *next_check) {
        if (!alive(consumer_pid)) {
            die(1, "the receiver died");
        }
        *next_check = now + PEER_CHECK_NANOS;
    }
}

/* CRC-32C (Castagnoli): reflected polynomial 0x82F63B78, init and final XOR 0xFFFFFFFF. */
static uint32_t crc_table[256];

static void crc_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) {
            c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        }
        crc_table[i] = c;
    }
}

static uint32_t crc32c(const uint8_t *p, size_t n) {
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        crc = crc_table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
    }
    return crc ^ 0xFFFFFFFFu;
}

/* framebench's test pattern, TestPattern.java, picture `index`. */
static void render(uint8_t *payload, int format, int w, int h, int index) {
    if (format == 3) {
        int shift = 7 * index;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                uint8_t *px = payload + 4 * ((size_t) y * w + x);
                px[0] = (uint8_t) (x + shift);
                px[1] = (uint8_t) (y - shift);
                px[2] = (uint8_t) ((x ^ y) + 3 * index);
                px[3] = 0xFF;
            }
        }
        return;
    }
    int box = 128, shift = 7 * index;
    int box_x = (13 * index * 8) % (w - box > 1 ? w - box : 1);
    int box_y = (7 * index * 8) % (h - box > 1 ? h - box : 1);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            int in_box = x >= box_x && x < box_x + box && y >= box_y && y < box_y + box;
            payload[(size_t) y * w + x] = (uint8_t) (in_box ? 235 : 16 + ((x + y + shift) & 0x7F) + ((x >> 4) & 0x3F));
        }
    }
    int cw = (w + 1) / 2, ch = (h + 1) / 2;
    size_t luma = (size_t) w * h, plane = (size_t) cw * ch;
    for (int y = 0; y < ch; y++) {
        for (int x = 0; x < cw; x++) {
            uint8_t u = (uint8_t) (64 + ((unsigned) (x * 2 - 3 * index) & 0x7F));
            uint8_t v = (uint8_t) (64 + ((unsigned) (y * 2 + 5 * index) & 0x7F));
            if (format == 2) { /* NV12: one interleaved UV plane */
                payload[luma + 2 * ((size_t) y * cw + x)] = u;
                payload[luma + 2 * ((size_t) y * cw + x) + 1] = v;
            } else { /* I420: U plane, then V plane */
                payload[luma + (size_t) y * cw + x] = u;
                payload[luma + plane + (size_t) y * cw + x] = v;
            }
        }
    }
}

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* After a publishing release store: full fence, then wake the consumer only if it announced itself. */
static void ring_data_doorbell(void) {
    atomic_thread_fence(memory_order_seq_cst);
    if (atomic_load_explicit(A32(OFF_DATA_WAITER), memory_order_acquire) != 0) {
        atomic_fetch_add_explicit(A32(OFF_DATA_FUTEX), 1, memory_order_seq_cst);
        /* Not FUTEX_PRIVATE_FLAG: the word is shared between processes. */
        syscall(SYS_futex, (void *) A32(OFF_DATA_FUTEX), FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
    }
}

int main(int argc, char **argv) {
    if (argc < 4 || argc > 5) {
        die(2, "usage: shm_slots_producer FILE PRESET FRAMES [TOKEN_HEX]");
    }
    static const struct { const char *name; int w, h, format; } presets[] = {
        {"720p-i420", 1280, 720, 1}, {"1080p-i420", 1920, 1080, 1}, {"1080p-nv12", 1920, 1080, 2},
        {"1080p-rgba", 1920, 1080, 3}, {"2160p-i420", 3840, 2160, 1},
    };
    int p = -1;
    for (int i = 0; i < 5; i++) {
        if (strcmp(argv[2], presets[i].name) == 0) {
            p = i;
        }
    }
    if (p < 0) {
        die(2, "unknown preset");
    }
    int w = presets[p].w, h = presets[p].h, format = presets[p].format;
    uint32_t payload_bytes = format == 3 ? 4u * w * h : (uint32_t) (w * h + 2 * ((w + 1) / 2) * ((h + 1) / 2));
    uint32_t frame_bytes = FRAME_HEADER + payload_bytes;
    long frames = strtol(argv[3], NULL, 10);
    uint8_t token[16];
    int have_token = argc == 5;
    if (have_token) {
        if (strlen(argv[4]) != 32) {
            die(2, "the token is 32 hex digits");
        }
        for (int i = 0; i < 16; i++) {
            unsigned byte;
            if (sscanf(argv[4] + 2 * i, "%2x", &byte) != 1) {
                die(2, "the token is 32 hex digits");
            }
            token[i] = (uint8_t) byte;
        }
    }
    crc_init();

    int fd = open(argv[1], O_RDWR);
    if (fd < 0) {
        die(1, "cannot open the slots file");
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < (off_t) HEADER_BYTES) {
        die(1, "the file is smaller than the control area");
    }
    base = mmap(NULL, (size_t) st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (base == MAP_FAILED) {
        die(1, "mmap failed");
    }
    /* Checks, in order: magic (acquire, then everything after it), version, geometry. */
    if ((uint32_t) atomic_load_explicit(A32(OFF_MAGIC), memory_order_acquire) != MAGIC) {
        die(1, "not a framebench slots file (magic)");
    }
    if (U32(OFF_VERSION) != VERSION) {
        die(1, "unknown version");
    }
    uint32_t slot_count = U32(OFF_SLOT_COUNT);
    uint64_t slot_bytes;
    memcpy(&slot_bytes, base + OFF_SLOT_BYTES, 8);
    if (U32(OFF_HEADER_BYTES) != HEADER_BYTES || slot_count < 2 || slot_count > QUEUE_ENTRIES || slot_bytes % 4096 != 0
            || (uint64_t) st.st_size != HEADER_BYTES + slot_count * slot_bytes) {
        die(1, "bad geometry");
    }
    if (frame_bytes > slot_bytes) {
        die(2, "the frame does not fit a slot");
    }
    int64_t consumer_pid;
    memcpy(&consumer_pid, base + OFF_CONSUMER_PID, 8);
    int64_t pid = getpid();
    int64_t deadline = now_nanos() + TIMEOUT_NANOS, next_check = 0;

    /* Claim the producer slot; with helloRequired, present the hello and wait to be accepted. */
    int hello_required = U32(OFF_HELLO_REQUIRED) != 0;
    if (hello_required && !have_token) {
        die(2, "the receiver requires the run's token");
    }
    for (;;) {
        int64_t expected = 0;
        if (atomic_compare_exchange_strong(A64(OFF_PRODUCER_PID), &expected, pid)) {
            break;
        }
        if (!hello_required || expected == atomic_load_explicit(A64(OFF_ACCEPTED_PID), memory_order_acquire)) {
            die(3, "the slots file already has a sender");
        }
        idle(deadline, &next_check, consumer_pid, "a stranger's claim to be evicted");
    }
    if (hello_required) {
        uint8_t *hello = base + OFF_HELLO;
        memcpy(hello, "FBH1", 4);
        put16(hello + 4, 1);
        put16(hello + 6, 16);
        memcpy(hello + 8, token, 16);
        atomic_store_explicit(A64(OFF_HELLO_PID), pid, memory_order_release);
        while (atomic_load_explicit(A64(OFF_ACCEPTED_PID), memory_order_acquire) != pid) {
            if (atomic_load_explicit(A64(OFF_PRODUCER_PID), memory_order_acquire) != pid) {
                die(3, "the receiver refused this producer's hello (its claim was evicted): wrong token");
            }
            idle(deadline, &next_check, consumer_pid, "the receiver to accept the hello");
        }
    }

    /* Both positions start at 0 (a fresh file, or the reset the receiver published with acceptedPid). */
    uint64_t free_head = 0, ready_tail = 0;
    uint32_t crc_of_slot[QUEUE_ENTRIES];
    uint8_t rendered[QUEUE_ENTRIES] = {0};
    for (long seq = 0; seq < frames; seq++) {
        /* Take the next free slot: wait until freeTail (acquire) passes our head. */
        while ((uint64_t) atomic_load_explicit(A64(OFF_FREE_TAIL), memory_order_acquire) == free_head) {
            idle(deadline, &next_check, consumer_pid, "a free slot");
        }
        uint32_t slot = U32(OFF_FREE_QUEUE + (free_head & (QUEUE_ENTRIES - 1)) * ENTRY_BYTES);
        free_head++;
        if (slot >= slot_count) {
            die(1, "corrupt free queue entry");
        }
        uint8_t *frame = base + HEADER_BYTES + slot * slot_bytes;
        if (!rendered[slot]) {
            render(frame + FRAME_HEADER, format, w, h, (int) slot);
            crc_of_slot[slot] = crc32c(frame + FRAME_HEADER, payload_bytes);
            rendered[slot] = 1;
        }
        memset(frame, 0, FRAME_HEADER);
        put32(frame, 0x31464246u); /* "FBF1" */
        put16(frame + 4, 1);
        put16(frame + 6, (uint16_t) format);
        put16(frame + 8, (uint16_t) w);
        put16(frame + 10, (uint16_t) h);
        put32(frame + 12, 0);
        put64(frame + 16, (uint64_t) seq);
        put64(frame + 24, (uint64_t) now_nanos());
        put32(frame + 32, payload_bytes);
        put32(frame + 36, crc_of_slot[slot]);
        /* Publish: the ready entry (plain stores), then readyTail with a release store, then the doorbell. */
        uint8_t *entry = base + OFF_READY_QUEUE + (ready_tail & (QUEUE_ENTRIES - 1)) * ENTRY_BYTES;
        put32(entry, slot);
        put32(entry + 4, frame_bytes);
        ready_tail++;
        atomic_store_explicit(A64(OFF_READY_TAIL), (int64_t) ready_tail, memory_order_release);
        ring_data_doorbell();
    }
    /* Clean end of stream: producerClosed = 1 after the last readyTail store, then the doorbell. */
    atomic_store_explicit(A32(OFF_PRODUCER_CLOSED), 1, memory_order_release);
    ring_data_doorbell();
    munmap(base, (size_t) st.st_size);
    return 0;
}
