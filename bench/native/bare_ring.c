/*
 * The native floor of the split virtqueue: exactly the memory traffic of bench.reference.BareSplitRing
 * (read it side by side), in C11 with acquire/release atomics, and the two benchmarks that run it:
 *
 *   roundTrip  one thread, ns per buffer: stage, kick decision, pop (NEXT walk), push used,
 *              publish used, notify decision, poll; BareRingRoundTripBenchmark's sequence.
 *   handoff    a driver and a device thread, buffers taken back per second, batch 1 and 32;
 *              BareRingHandoffBenchmark's two methods, called in a loop as JMH calls them.
 *
 * Per buffer the driver writes two chained descriptors as two 64-bit stores each (address, then
 * length|flags|next), the token and an avail entry, and per batch the avail idx with release; the
 * device reads the idx with acquire, the entry and both descriptors, writes a used element (one
 * 64-bit store) and per batch the used idx with release; the driver reads the used idx with
 * acquire and the element. The kick and notify decisions read the other side's flags with acquire.
 * The ring layout and flags are the kernel's (linux/virtio_ring.h), so no spec number is written
 * here a second time.
 *
 * Threads are not pinned, as JMH's are not. Every token staged must come back, in order: the
 * driver keeps a count and a sum of the tokens it took back and the device a sum of the bytes it
 * walked; both are checked at the end and a mismatch ends the program with status 2.
 *
 * Output, one line per result that passed its checks (bench.report.LineResults reads it):
 *   result NativeBareRing.<bench> [batch=<n>] queue=<size> unit=<unit> samples=<v>,<v>,...
 * and "#" comment lines (build, verification). Each sample is one measured iteration.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/virtio_ring.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* RingFixture.QUEUE_SIZE; the report warns if the two differ. */
#define QUEUE_SIZE 256
/* BareRingRoundTripBenchmark.READ_ADDR/WRITE_ADDR and the two elements' 64 bytes */
#define READ_ADDR 0x40050080ULL
#define WRITE_ADDR 0x400b0100ULL
#define ELEM_LEN 64u

#ifndef BARE_RING_CFLAGS
#define BARE_RING_CFLAGS "?"
#endif

/* The ring operations are inlined into the loops, as the JIT inlines BareSplitRing's methods; the
 * loops stay functions of their own so objdump shows each one whole. */
#define ALWAYS_INLINE __attribute__((always_inline))
#define NOINLINE __attribute__((noinline))

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "virtio 1.x rings are little-endian; this build stores host order");
_Static_assert(sizeof(struct vring_desc) == 16, "descriptor layout");

/* One ring of QUEUE_SIZE in one page-aligned allocation, laid out by vring_init (used ring 4-aligned). */
struct ring {
    struct vring vr;
    void *mem;
};

/* The driver's state; its own 128 bytes, as BareSplitRing's padding keeps it apart from the device's. */
struct driver {
    struct vring vr;
    uint64_t tokens[QUEUE_SIZE];
    _Alignas(128) uint32_t next_desc;
    uint32_t in_flight;
    uint16_t avail_idx;
    uint16_t published_avail;
    uint16_t kicked_avail;
    uint16_t last_used;
    uint16_t seen_used;
    /* verification: tokens taken back, their sum */
    uint64_t polled;
    uint64_t token_sum;
};

struct device {
    _Alignas(128) struct vring vr;
    uint16_t last_avail;
    uint16_t seen_avail;
    uint16_t used_idx;
    uint16_t published_used;
    uint16_t signalled_used;
    /* bytes of the last chain walked (BareSplitRing.chainBytes) and their running sum, checked at the end */
    uint64_t chain_bytes;
    uint64_t bytes_sum;
};

static inline ALWAYS_INLINE uint64_t load64(const void *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline ALWAYS_INLINE void store64(void *p, uint64_t v) {
    memcpy(p, &v, 8);
}

static inline ALWAYS_INLINE uint64_t desc_tail(uint32_t len, uint16_t flags, uint16_t next) {
    return (uint64_t) len | (uint64_t) flags << 32 | (uint64_t) next << 48;
}

/* _Atomic views of the ring's 16-bit index and flag fields, for the acquire loads and release stores. */
#define ATOMIC16(p) ((_Atomic uint16_t *) (p))

static int ring_open(struct ring *r) {
    size_t bytes = vring_size(QUEUE_SIZE, VRING_USED_ALIGN_SIZE);
    if (posix_memalign(&r->mem, 4096, (bytes + 4095) & ~(size_t) 4095) != 0) {
        return -1;
    }
    memset(r->mem, 0, bytes);
    vring_init(&r->vr, QUEUE_SIZE, r->mem, VRING_USED_ALIGN_SIZE);
    return 0;
}

/* ---- driver (BareSplitRing.Driver) ---- */

static inline ALWAYS_INLINE int stage(struct driver *d, uint64_t token) {
    if (d->in_flight + 2 > QUEUE_SIZE) {
        return 0;
    }
    uint32_t mask = QUEUE_SIZE - 1;
    uint16_t head = d->next_desc & mask;
    uint16_t second = (head + 1) & mask;
    struct vring_desc *desc = d->vr.desc;
    store64(&desc[head].addr, READ_ADDR);
    store64(&desc[head].len, desc_tail(ELEM_LEN, VRING_DESC_F_NEXT, second));
    store64(&desc[second].addr, WRITE_ADDR);
    store64(&desc[second].len, desc_tail(ELEM_LEN, VRING_DESC_F_WRITE, 0));
    d->next_desc += 2;
    d->in_flight += 2;
    d->tokens[head] = token;
    d->vr.avail->ring[d->avail_idx & mask] = head;
    d->avail_idx++;
    return 1;
}

static inline ALWAYS_INLINE void publish(struct driver *d) {
    if (d->avail_idx != d->published_avail) {
        d->published_avail = d->avail_idx;
        /* release: descriptors and entries before the index that exposes them */
        atomic_store_explicit(ATOMIC16(&d->vr.avail->idx), d->avail_idx, memory_order_release);
    }
}

static inline ALWAYS_INLINE int kick_prepare(struct driver *d) {
    publish(d);
    if (d->kicked_avail == d->avail_idx) {
        return 0;
    }
    d->kicked_avail = d->avail_idx;
    /* acquire, as BareSplitRing's plain load and acquireFence */
    uint16_t flags = atomic_load_explicit(ATOMIC16(&d->vr.used->flags), memory_order_acquire);
    return (flags & VRING_USED_F_NO_NOTIFY) == 0;
}

/* The next used buffer's token, or 0. */
static inline ALWAYS_INLINE uint64_t poll_used(struct driver *d) {
    uint16_t last = d->last_used;
    if (last == d->seen_used) {
        /* acquire: elements after the index that published them */
        uint16_t idx = atomic_load_explicit(ATOMIC16(&d->vr.used->idx), memory_order_acquire);
        d->seen_used = idx;
        if (idx == last) {
            return 0;
        }
    }
    uint64_t elem = load64(&d->vr.used->ring[last & (QUEUE_SIZE - 1)]);
    d->last_used = last + 1;
    uint32_t head = (uint32_t) elem & (QUEUE_SIZE - 1);
    uint64_t token = d->tokens[head];
    d->tokens[head] = 0;
    d->in_flight -= 2;
#ifdef BARE_RING_FAULT
    /* the test build: one token comes back wrong, and the check must say so */
    if (d->polled == 1000) {
        token++;
    }
#endif
    d->polled++;
    d->token_sum += token;
    return token;
}

/* ---- device (BareSplitRing.Device) ---- */

/* Takes the next available chain, following its NEXT links; its head, or -1. */
static inline ALWAYS_INLINE int pop(struct device *v) {
    uint16_t last = v->last_avail;
    if (last == v->seen_avail) {
        /* acquire: entries and descriptors after the index that published them */
        uint16_t idx = atomic_load_explicit(ATOMIC16(&v->vr.avail->idx), memory_order_acquire);
        v->seen_avail = idx;
        if (idx == last) {
            return -1;
        }
    }
    uint32_t mask = QUEUE_SIZE - 1;
    uint32_t head = v->vr.avail->ring[last & mask] & mask;
    v->last_avail = last + 1;
    uint64_t bytes = 0;
    uint32_t i = head;
    for (;;) {
        uint64_t addr = load64(&v->vr.desc[i].addr);
        uint64_t tail = load64(&v->vr.desc[i].len);
        bytes += (tail & 0xffffffffULL) + (addr & 1);
        if (((tail >> 32) & VRING_DESC_F_NEXT) == 0) {
            break;
        }
        i = (uint32_t) (tail >> 48) & mask;
    }
    v->chain_bytes = bytes;
    v->bytes_sum += bytes;
    return (int) head;
}

static inline ALWAYS_INLINE void push_used(struct device *v, uint32_t head, uint32_t written) {
    store64(&v->vr.used->ring[v->used_idx & (QUEUE_SIZE - 1)], (uint64_t) head | (uint64_t) written << 32);
    v->used_idx++;
}

static inline ALWAYS_INLINE void publish_used(struct device *v) {
    if (v->used_idx != v->published_used) {
        v->published_used = v->used_idx;
        /* release: elements before the index that publishes them */
        atomic_store_explicit(ATOMIC16(&v->vr.used->idx), v->used_idx, memory_order_release);
    }
}

static inline ALWAYS_INLINE int needs_notify(struct device *v) {
    if (v->signalled_used == v->published_used) {
        return 0;
    }
    v->signalled_used = v->published_used;
    uint16_t flags = atomic_load_explicit(ATOMIC16(&v->vr.avail->flags), memory_order_acquire);
    return (flags & VRING_AVAIL_F_NO_INTERRUPT) == 0;
}

/* ---- measuring ---- */

struct options {
    int warmup;
    double warmup_time;
    int iterations;
    double time;
    int run_round_trip;
    int run_handoff;
};

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void sleep_for(double seconds) {
    struct timespec t = {(time_t) seconds, (long) ((seconds - (time_t) seconds) * 1e9)};
    while (nanosleep(&t, &t) != 0 && errno == EINTR) {
    }
}

static int failures;

static void check(const char *bench, int batch, int ok, const char *what, unsigned long long got,
        unsigned long long want) {
    if (!ok) {
        fprintf(stderr, "bare_ring: %s batch=%d: %s %llu, expected %llu\n", bench, batch, what, got, want);
        failures++;
    }
}

/* Tokens 1..n came back once each: count and sum (mod 2^64) agree; every chain walked was 2 x 64 bytes. */
static int verify(const char *bench, int batch, const struct driver *d, const struct device *v, uint64_t staged,
        uint64_t popped) {
    uint64_t want_sum = staged % 2 == 0 ? staged / 2 * (staged + 1) : (staged + 1) / 2 * staged;
    int before = failures;
    check(bench, batch, d->polled == staged, "tokens taken back", d->polled, staged);
    check(bench, batch, d->token_sum == want_sum, "token sum", d->token_sum, want_sum);
    check(bench, batch, popped == staged, "chains popped", popped, staged);
    check(bench, batch, v->bytes_sum == 2 * ELEM_LEN * popped, "bytes walked", v->bytes_sum, 2 * ELEM_LEN * popped);
    if (failures > before) {
        return 0;
    }
    printf("# verified %s batch=%d: %llu tokens came back (count and sum %llu as staged), %llu bytes walked\n", bench, batch,
            (unsigned long long) d->polled, (unsigned long long) d->token_sum, (unsigned long long) v->bytes_sum);
    return 1;
}

static void print_samples(const char *bench, int batch, const char *unit, const double *s, int n) {
    printf("result NativeBareRing.%s", bench);
    if (batch > 0) {
        printf(" batch=%d", batch);
    }
    printf(" queue=%d unit=%s samples=", QUEUE_SIZE, unit);
    for (int i = 0; i < n; i++) {
        printf(i == 0 ? "%.6g" : ",%.6g", s[i]);
    }
    printf("\n");
    fflush(stdout);
}

static void init_sides(struct ring *r, struct driver *d, struct device *v) {
    memset(d, 0, sizeof *d);
    memset(v, 0, sizeof *v);
    d->vr = r->vr;
    v->vr = r->vr;
}

/* BareRingRoundTripBenchmark.roundTrip; returns the token, as the benchmark returns it to JMH. */
static inline ALWAYS_INLINE uint64_t round_trip(struct driver *d, struct device *v, uint64_t token) {
    stage(d, token);
    kick_prepare(d);
    int head = pop(v);
    push_used(v, (uint32_t) head, 1);
    publish_used(v);
    needs_notify(v);
    return poll_used(d);
}

static NOINLINE int bench_round_trip(const struct options *o) {
    struct ring r;
    static struct driver d;
    static struct device v;
    if (ring_open(&r) != 0) {
        return -1;
    }
    init_sides(&r, &d, &v);
    uint64_t token = 0;
    uint64_t sink = 0;
    double samples[o->iterations > 0 ? o->iterations : 1];
    for (int it = -o->warmup; it < o->iterations; it++) {
        double span = it < 0 ? o->warmup_time : o->time;
        uint64_t ops = 0;
        double start = now(), end;
        /* the clock is read every 4096 trips, a negligible share of each */
        do {
            for (int k = 0; k < 4096; k++) {
                sink += round_trip(&d, &v, ++token);
            }
            ops += 4096;
        } while ((end = now()) - start < span);
        if (it >= 0) {
            samples[it] = (end - start) * 1e9 / (double) ops;
        }
    }
    check("roundTrip", 1, sink == d.token_sum, "returned tokens", sink, d.token_sum);
    if (verify("roundTrip", 1, &d, &v, token, v.bytes_sum / (2 * ELEM_LEN))) {
        print_samples("roundTrip", 0, "ns/op", samples, o->iterations);
    }
    free(r.mem);
    return 0;
}

/* The two threads of BareRingHandoffBenchmark; the main thread only reads the driver's counter. */
struct handoff {
    struct driver d;
    struct device v;
    int batch;
    _Alignas(128) atomic_int stop_staging;
    atomic_int stop_device;
    /* buffers taken back, published by the driver after each call (a plain store on x86) */
    _Alignas(128) _Atomic uint64_t received;
    uint64_t staged;
    /* calls that found nothing, as JMH's counters (kept so the loops match) */
    uint64_t ring_full, driver_empty;
    /* the device thread's own line */
    _Alignas(128) uint64_t served;
    uint64_t device_empty;
};

static NOINLINE void *driver_thread(void *arg) {
    struct handoff *h = arg;
    struct driver *d = &h->d;
    int max = h->batch;
    uint64_t received = 0, token = 0;
    /* at least a ring's worth goes round whatever the scheduler does, so the checks see traffic */
    while (!atomic_load_explicit(&h->stop_staging, memory_order_relaxed) || token < QUEUE_SIZE) {
        int got = 0;
        while (got < max && poll_used(d) != 0) {
            got++;
        }
        if (got == 0) {
            h->driver_empty++;
        } else {
            received += got;
            atomic_store_explicit(&h->received, received, memory_order_relaxed);
        }
        int added = 0;
        while (added < max && stage(d, token + 1)) {
            token++;
            added++;
        }
        if (added == 0) {
            h->ring_full++;
        } else {
            kick_prepare(d);
        }
    }
    /* drain: everything staged comes back before the device stops */
    while (d->in_flight > 0) {
        if (poll_used(d) != 0) {
            received++;
        }
    }
    atomic_store_explicit(&h->received, received, memory_order_relaxed);
    h->staged = token;
    atomic_store_explicit(&h->stop_device, 1, memory_order_relaxed);
    return NULL;
}

static NOINLINE void *device_thread(void *arg) {
    struct handoff *h = arg;
    struct device *v = &h->v;
    int max = h->batch;
    uint64_t served = 0;
    while (!atomic_load_explicit(&h->stop_device, memory_order_relaxed)) {
        int n = 0;
        for (int head; n < max && (head = pop(v)) >= 0; n++) {
            push_used(v, (uint32_t) head, 1);
        }
        if (n == 0) {
            h->device_empty++;
            continue;
        }
        publish_used(v);
        needs_notify(v);
        served += n;
    }
    h->served = served;
    return NULL;
}

static NOINLINE int bench_handoff(const struct options *o, int batch) {
    struct ring r;
    struct handoff *h;
    if (ring_open(&r) != 0 || posix_memalign((void **) &h, 128, sizeof *h) != 0) {
        return -1;
    }
    memset(h, 0, sizeof *h);
    init_sides(&r, &h->d, &h->v);
    h->batch = batch;
    pthread_t driver, device;
    if (pthread_create(&device, NULL, device_thread, h) != 0 || pthread_create(&driver, NULL, driver_thread, h) != 0) {
        return -1;
    }
    double samples[o->iterations > 0 ? o->iterations : 1];
    for (int it = -o->warmup; it < o->iterations; it++) {
        uint64_t before = atomic_load_explicit(&h->received, memory_order_relaxed);
        double start = now();
        sleep_for(it < 0 ? o->warmup_time : o->time);
        uint64_t after = atomic_load_explicit(&h->received, memory_order_relaxed);
        double end = now();
        if (it >= 0) {
            samples[it] = (double) (after - before) / (end - start);
        }
    }
    atomic_store_explicit(&h->stop_staging, 1, memory_order_relaxed);
    pthread_join(driver, NULL);
    pthread_join(device, NULL);
    check("handoff", batch, atomic_load(&h->received) == h->staged, "received", atomic_load(&h->received), h->staged);
    if (verify("handoff", batch, &h->d, &h->v, h->staged, h->served)) {
        print_samples("handoff", batch, "ops/s", samples, o->iterations);
    }
    free(h);
    free(r.mem);
    return 0;
}

static void usage(void) {
    fprintf(stderr, "usage: bare_ring [-wi N] [-w SECONDS] [-i N] [-r SECONDS] [roundTrip] [handoff]\n"
            "  defaults: -wi 3 -w 2 -i 5 -r 2, both benchmarks (handoff at batch 1 and 32)\n");
    exit(1);
}

static double seconds(const char *s) {
    char *end;
    double v = strtod(s, &end);
    if (end == s || v <= 0 || (*end != 0 && strcmp(end, "s") != 0)) {
        usage();
    }
    return v;
}

static int count(const char *s) {
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end != 0 || v < 0 || v > 1000) {
        usage();
    }
    return (int) v;
}

int main(int argc, char **argv) {
    struct options o = {3, 2, 5, 2, 0, 0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 < argc && strcmp(a, "-wi") == 0) {
            o.warmup = count(argv[++i]);
        } else if (i + 1 < argc && strcmp(a, "-w") == 0) {
            o.warmup_time = seconds(argv[++i]);
        } else if (i + 1 < argc && strcmp(a, "-i") == 0) {
            o.iterations = count(argv[++i]);
        } else if (i + 1 < argc && strcmp(a, "-r") == 0) {
            o.time = seconds(argv[++i]);
        } else if (strcmp(a, "roundTrip") == 0) {
            o.run_round_trip = 1;
        } else if (strcmp(a, "handoff") == 0) {
            o.run_handoff = 1;
        } else {
            usage();
        }
    }
    if (o.iterations < 1) {
        usage();
    }
    if (!o.run_round_trip && !o.run_handoff) {
        o.run_round_trip = o.run_handoff = 1;
    }
    printf("# bare_ring: BareSplitRing's memory traffic in C11, split ring of %d, threads not pinned; built with %s\n",
            QUEUE_SIZE, BARE_RING_CFLAGS);
    if ((o.run_round_trip && bench_round_trip(&o) != 0)
            || (o.run_handoff && (bench_handoff(&o, 1) != 0 || bench_handoff(&o, 32) != 0))) {
        fprintf(stderr, "bare_ring: out of memory or threads\n");
        return 1;
    }
    if (failures > 0) {
        fprintf(stderr, "bare_ring: %d check(s) failed: the results above are not valid\n", failures);
        return 2;
    }
    return 0;
}
