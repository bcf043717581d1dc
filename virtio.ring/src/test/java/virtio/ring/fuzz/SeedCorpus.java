package virtio.ring.fuzz;

import static virtio.ring.fuzz.DeviceHarness.DATA_IOVA;
import static virtio.ring.fuzz.DeviceHarness.DATA_SIZE;
import static virtio.ring.fuzz.DeviceHarness.DRIVER_AREA;
import static virtio.ring.fuzz.SeedBytes.descriptor;
import static virtio.spec.Virtq.VIRTQ_DESC_F_INDIRECT;
import static virtio.spec.Virtq.VIRTQ_DESC_F_NEXT;
import static virtio.spec.Virtq.VIRTQ_DESC_F_WRITE;
import static virtio.spec.VirtqPacked.VIRTQ_DESC_F_AVAIL;
import static virtio.spec.VirtqPacked.VIRTQ_DESC_F_USED;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import virtio.ring.AddressSpace;
import virtio.ring.RingError;

/**
 * The checked-in seed corpus, generated: each seed is a meaningful ring (a valid chain, an indirect
 * one, a loop, an index out of range, ...) with the outcome it must have, which {@link SeedCorpusTest}
 * checks, so the seeds keep meaning what their names say when the input format changes.
 *
 * <p>Regenerate after changing a format: {@code main} writes every seed into
 * {@code src/test/resources/virtio/ring/fuzz/<Class>Inputs/<method>/} (run it from {@code virtio.ring/}).
 * Files the fuzzer adds there (crash-*) are left alone.
 */
final class SeedCorpus {

    private SeedCorpus() {}

    /** A seed file and what running it must come to: chains served or buffers taken back, and the fault. */
    record Seed(String target, String name, byte[] bytes, int count, RingError broken) {
        @Override
        public String toString() {
            return target + "/" + name;
        }

        Path path(Path resources) {
            String cls = target.endsWith("Chains") ? "DeviceChainFuzzTest" : "DriverUsedFuzzTest";
            return resources.resolve("virtio/ring/fuzz/" + cls + "Inputs/" + target + "/" + name);
        }
    }

    // flags byte of a DeviceScript
    private static final int INDIRECT = 1;
    private static final int EVENT_IDX = 2;
    private static final int IN_ORDER = 4;
    private static final int RING_READ_ONLY = 1 << 5;

    private static final int NEXT = VIRTQ_DESC_F_NEXT;
    private static final int WRITE = VIRTQ_DESC_F_WRITE;
    private static final int IND = VIRTQ_DESC_F_INDIRECT;
    /** Packed: available for the driver wrap counter 1 / 0, and used for the device wrap counter 1. */
    private static final int AVAIL1 = VIRTQ_DESC_F_AVAIL;
    private static final int AVAIL0 = VIRTQ_DESC_F_USED;
    private static final int USED1 = VIRTQ_DESC_F_AVAIL | VIRTQ_DESC_F_USED;

    static List<Seed> all() {
        return java.util.stream.Stream.of(splitChains(), packedChains(), splitUsed(), packedUsed())
                .flatMap(List::stream).toList();
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A device script for a queue of 8 with the data area mapped read-write at DATA_IOVA. */
    private static DeviceScript.Writer ring8(boolean packed, int flags) {
        return new DeviceScript.Writer(packed ? 7 : 3, flags, 0, 0).map(0, DATA_SIZE - 1, DATA_IOVA, AddressSpace.READ_WRITE);
    }

    /** Split avail ring: flags 0, idx, ring entries. */
    private static byte[] avail(int idx, int... heads) {
        SeedBytes b = new SeedBytes().u16(0).u16(idx);
        for (int h : heads) {
            b.u16(h);
        }
        return b.toByteArray();
    }

    private static Seed split(String name, DeviceScript.Writer w, int served, RingError broken) {
        return new Seed("splitChains", name, w.toByteArray(), served, broken);
    }

    private static Seed packed(String name, DeviceScript.Writer w, int served, RingError broken) {
        return new Seed("packedChains", name, w.toByteArray(), served, broken);
    }

    static List<Seed> splitChains() {
        long d = DATA_IOVA;
        byte[] readWrite = cat(descriptor(d, 16, NEXT, 1), descriptor(d + 0x100, 64, WRITE, 0));
        byte[] table = cat(descriptor(d, 8, NEXT, 1), descriptor(d + 8, 8, NEXT, 2), descriptor(d + 0x100, 32, WRITE, 0));
        return List.of(
                split("valid-chain", ring8(false, 0).pokeRing(0, readWrite).pokeRing(DRIVER_AREA, avail(1, 0)), 1, null),
                split("indirect-chain", ring8(false, INDIRECT).pokeData(0x1000, table)
                        .pokeRing(0, descriptor(d + 0x1000, 48, IND, 0)).pokeRing(DRIVER_AREA, avail(1, 0)), 1, null),
                split("loop", ring8(false, 0).pokeRing(0, cat(descriptor(d, 1, NEXT, 1), descriptor(d, 1, NEXT, 0)))
                        .pokeRing(DRIVER_AREA, avail(1, 0)), 0, RingError.CHAIN_TOO_LONG),
                split("head-out-of-range", ring8(false, 0).pokeRing(0, readWrite).pokeRing(DRIVER_AREA, avail(1, 9)),
                        0, RingError.HEAD_OUT_OF_RANGE),
                split("next-out-of-range", ring8(false, 0).pokeRing(0, descriptor(d, 1, NEXT, 8))
                        .pokeRing(DRIVER_AREA, avail(1, 0)), 0, RingError.NEXT_OUT_OF_RANGE),
                split("avail-idx-ahead", ring8(false, 0).pokeRing(0, readWrite).pokeRing(DRIVER_AREA, avail(9, 0)),
                        0, RingError.AVAIL_IDX_AHEAD),
                split("unmapped-buffer", ring8(false, 0).pokeRing(0, descriptor(0xDEAD_0000L, 16, 0, 0))
                        .pokeRing(DRIVER_AREA, avail(1, 0)), 0, RingError.UNMAPPED_ADDRESS),
                split("write-to-read-only-mapping",
                        new DeviceScript.Writer(3, 0, 0, 0).map(0, DATA_SIZE - 1, d, AddressSpace.READ)
                                .pokeRing(0, descriptor(d, 16, WRITE, 0)).pokeRing(DRIVER_AREA, avail(1, 0)),
                        0, RingError.PERMISSION_DENIED),
                split("buffer-across-two-mappings",
                        new DeviceScript.Writer(3, 0, 0, 0).map(0, 0xff, d, AddressSpace.READ_WRITE)
                                .map(0x100, 0xff, d + 0x100, AddressSpace.READ)
                                .pokeRing(0, descriptor(d + 0x80, 0x100, 0, 0)).pokeRing(DRIVER_AREA, avail(1, 0)), 1, null),
                split("readable-after-writable", ring8(false, 0)
                        .pokeRing(0, cat(descriptor(d, 8, WRITE | NEXT, 1), descriptor(d + 8, 8, 0, 0)))
                        .pokeRing(DRIVER_AREA, avail(1, 0)), 0, RingError.READABLE_AFTER_WRITABLE),
                split("nested-indirect", ring8(false, INDIRECT).pokeData(0x1000, descriptor(d, 16, IND, 0))
                        .pokeRing(0, descriptor(d + 0x1000, 16, IND, 0)).pokeRing(DRIVER_AREA, avail(1, 0)),
                        0, RingError.NESTED_INDIRECT),
                split("index-wraps-at-65536", new DeviceScript.Writer(3, EVENT_IDX, 0xffff, 0xffff)
                        .map(0, DATA_SIZE - 1, d, AddressSpace.READ_WRITE).pokeRing(0, readWrite)
                        .pokeRing(DRIVER_AREA, avail(1, 0, 0, 0, 0, 0, 0, 0, 0)), 2, null),
                split("in-order-batch-then-migrate", ring8(false, IN_ORDER | EVENT_IDX)
                        .pokeRing(0, cat(descriptor(d, 16, WRITE, 0), descriptor(d + 16, 16, WRITE, 0),
                                descriptor(d + 32, 16, WRITE, 0)))
                        .pokeRing(DRIVER_AREA, avail(2, 0, 1, 2)).serve(true, 16).migrate()
                        .pokeRing(DRIVER_AREA, avail(3)).notify(false), 3, null),
                split("unmapped-between-serves", ring8(false, 0)
                        .pokeRing(0, cat(descriptor(d, 16, 0, 0), descriptor(d + 0x8000, 16, 0, 0)))
                        .pokeRing(DRIVER_AREA, avail(1, 0, 1)).serve(false, 0).unmap(d + 0x4000, 0x8000)
                        .pokeRing(DRIVER_AREA, avail(2)), 1, RingError.UNMAPPED_ADDRESS),
                split("ring-mapped-read-only", new DeviceScript.Writer(3, RING_READ_ONLY, 0, 0), 0,
                        RingError.RING_ADDRESS_INVALID));
    }

    static List<Seed> packedChains() {
        long d = DATA_IOVA;
        byte[] readWrite = cat(descriptor(d, 16, 0, NEXT | AVAIL1), descriptor(d + 0x100, 64, 0, WRITE | AVAIL1));
        byte[] table = cat(descriptor(d, 8, 0, 0), descriptor(d + 8, 8, 0, 0), descriptor(d + 0x100, 32, 0, WRITE));
        return List.of(
                packed("valid-chain", ring8(true, 0).pokeRing(0, readWrite), 1, null),
                packed("indirect-chain", ring8(true, INDIRECT).pokeData(0x1000, table)
                        .pokeRing(0, descriptor(d + 0x1000, 48, 3, IND | AVAIL1)), 1, null),
                packed("chain-longer-than-ring", ring8(true, 0).pokeRing(0, cat(
                        descriptor(d, 1, 0, NEXT | AVAIL1), descriptor(d, 1, 0, NEXT | AVAIL1),
                        descriptor(d, 1, 0, NEXT | AVAIL1), descriptor(d, 1, 0, NEXT | AVAIL1),
                        descriptor(d, 1, 0, NEXT | AVAIL1), descriptor(d, 1, 0, NEXT | AVAIL1),
                        descriptor(d, 1, 0, NEXT | AVAIL1), descriptor(d, 1, 0, NEXT | AVAIL1))),
                        0, RingError.CHAIN_TOO_LONG),
                packed("id-out-of-range", ring8(true, 0).pokeRing(0, descriptor(d, 16, 9, AVAIL1)),
                        0, RingError.PACKED_ID_OUT_OF_RANGE),
                packed("unmapped-buffer", ring8(true, 0).pokeRing(0, descriptor(0xDEAD_0000L, 16, 0, AVAIL1)),
                        0, RingError.UNMAPPED_ADDRESS),
                packed("indirect-with-next", ring8(true, INDIRECT).pokeData(0x1000, table)
                        .pokeRing(0, descriptor(d + 0x1000, 48, 0, IND | NEXT | AVAIL1)), 0, RingError.INDIRECT_WITH_NEXT),
                packed("indirect-bad-length", ring8(true, INDIRECT).pokeData(0x1000, table)
                        .pokeRing(0, descriptor(d + 0x1000, 20, 0, IND | AVAIL1)), 0, RingError.INDIRECT_BAD_LENGTH),
                packed("chain-across-wrap", new DeviceScript.Writer(7, 0, 7, 7)
                        .map(0, DATA_SIZE - 1, d, AddressSpace.READ_WRITE)
                        .pokeRing(16 * 7, descriptor(d, 16, 0, NEXT | AVAIL1))
                        .pokeRing(0, descriptor(d + 0x100, 64, 5, WRITE | AVAIL0)), 1, null),
                packed("in-order-batch-then-migrate", ring8(true, IN_ORDER | EVENT_IDX)
                        .pokeRing(0, cat(descriptor(d, 16, 0, WRITE | AVAIL1), descriptor(d + 16, 16, 1, WRITE | AVAIL1)))
                        .serve(true, 16).migrate()
                        .pokeRing(32, descriptor(d + 32, 16, 2, WRITE | AVAIL1)).notify(true), 3, null),
                packed("ring-mapped-read-only", new DeviceScript.Writer(7, RING_READ_ONLY, 0, 0), 0,
                        RingError.RING_ADDRESS_INVALID));
    }

    private static Seed used(boolean packed, String name, DriverScript.Writer w, int taken, RingError broken) {
        return new Seed(packed ? "packedUsed" : "splitUsed", name, w.toByteArray(), taken, broken);
    }

    /** Split used ring entry {@code slot}: le32 id, le32 len. */
    private static DriverScript.Writer usedEntry(DriverScript.Writer w, int slot, int id, int len) {
        return w.poke(DriverScript.DEVICE_AREA, 4 + 8 * slot, new SeedBytes().u32(id).u32(len).toByteArray());
    }

    private static DriverScript.Writer usedIdx(DriverScript.Writer w, int idx) {
        return w.poke(DriverScript.DEVICE_AREA, 2, new SeedBytes().u16(idx).toByteArray());
    }

    /** Packed used descriptor at ring slot {@code slot} for wrap counter 1: id, len, USED|AVAIL|WRITE. */
    private static DriverScript.Writer usedDesc(DriverScript.Writer w, int slot, int id, int len) {
        return w.poke(DriverScript.DESCRIPTOR_AREA, 16 * slot + 8,
                new SeedBytes().u32(len).u16(id).u16(USED1 | WRITE).toByteArray());
    }

    static List<Seed> splitUsed() {
        return List.of(
                used(false, "honest-device", new DriverScript.Writer(3, 0, 0).add(1, 1, 16, 32).add(1, 1, 16, 32)
                        .add(0, 1, 32).kick().device(0, 8).poll(0), 3, null),
                used(false, "id-not-outstanding", usedIdx(usedEntry(new DriverScript.Writer(3, 0, 0).add(0, 1, 32), 0, 5, 0), 1)
                        .poll(0), 0, RingError.USED_ID_NOT_OUTSTANDING),
                used(false, "length-too-large", usedIdx(usedEntry(new DriverScript.Writer(3, 0, 0).add(0, 1, 32), 0, 0, 1000), 1)
                        .poll(0), 0, RingError.USED_LEN_TOO_LARGE),
                used(false, "used-idx-ahead", usedIdx(new DriverScript.Writer(3, 0, 0).add(0, 1, 32), 20).poll(0),
                        0, RingError.USED_IDX_AHEAD),
                used(false, "returned-twice", usedIdx(usedEntry(new DriverScript.Writer(3, 0, 0).add(0, 1, 32).add(0, 1, 32)
                        .device(1, 4).poll(0), 1, 0, 4), 2).poll(0), 1, RingError.USED_ID_NOT_OUTSTANDING),
                used(false, "in-order-batch", usedIdx(usedEntry(new DriverScript.Writer(3, IN_ORDER, 0).add(0, 1, 32)
                        .add(0, 1, 32).add(0, 1, 32), 0, 2, 5), 3).poll(0), 3, null),
                used(false, "indirect-event-idx-callbacks", new DriverScript.Writer(3, INDIRECT | EVENT_IDX, 4)
                        .add(2, 1, 8, 8, 64).add(1, 2, 8, 32, 32).kick().callbacks(false).device(0, 1000)
                        .callbacks(true).drain(0), 2, null),
                used(false, "reset-after-fault", usedIdx(usedEntry(new DriverScript.Writer(3, 0, 0).add(0, 1, 32)
                        .add(0, 1, 32), 0, 7, 0), 1).poll(0).detach().add(0, 1, 32).device(0, 32).poll(0),
                        1, RingError.USED_ID_NOT_OUTSTANDING));
    }

    static List<Seed> packedUsed() {
        return List.of(
                used(true, "honest-device", new DriverScript.Writer(7, 0, 0).add(1, 1, 16, 32).add(1, 1, 16, 32)
                        .add(0, 1, 32).kick().device(0, 8).poll(0), 3, null),
                used(true, "id-not-outstanding", usedDesc(new DriverScript.Writer(7, 0, 0).add(0, 1, 32), 0, 5, 0)
                        .poll(0), 0, RingError.USED_ID_NOT_OUTSTANDING),
                used(true, "length-too-large", usedDesc(new DriverScript.Writer(7, 0, 0).add(0, 1, 32), 0, 0, 1000)
                        .poll(0), 0, RingError.USED_LEN_TOO_LARGE),
                used(true, "returned-twice", usedDesc(new DriverScript.Writer(7, 0, 0).add(0, 1, 32).add(0, 1, 32)
                        .device(1, 4).poll(0), 1, 0, 4).poll(0), 1, RingError.USED_ID_NOT_OUTSTANDING),
                used(true, "in-order-batch", usedDesc(new DriverScript.Writer(7, IN_ORDER, 0).add(0, 1, 32)
                        .add(0, 1, 32).add(0, 1, 32), 0, 2, 5).poll(0), 3, null),
                used(true, "indirect-event-idx-callbacks", new DriverScript.Writer(7, INDIRECT | EVENT_IDX, 4)
                        .add(2, 1, 8, 8, 64).add(1, 2, 8, 32, 32).kick().callbacks(false).device(0, 1000)
                        .callbacks(true).drain(0), 2, null),
                used(true, "reset-after-fault", usedDesc(new DriverScript.Writer(7, 0, 0).add(0, 1, 32)
                        .add(0, 1, 32), 0, 7, 0).poll(0).detach().add(0, 1, 32).device(0, 32).poll(0),
                        1, RingError.USED_ID_NOT_OUTSTANDING));
    }

    /** Writes every seed under {@code args[0]} (default {@code src/test/resources}). */
    public static void main(String[] args) throws IOException {
        Path resources = Path.of(args.length > 0 ? args[0] : "src/test/resources");
        for (Seed s : all()) {
            Path p = s.path(resources);
            Files.createDirectories(p.getParent());
            Files.write(p, s.bytes());
        }
        System.out.println(all().size() + " seeds written under " + resources);
    }
}
