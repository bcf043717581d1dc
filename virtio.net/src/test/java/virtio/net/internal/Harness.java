package virtio.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_MAC_ADDR;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_RX;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_VQ;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MAC;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MQ;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MRG_RXBUF;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MTU;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_STATUS;

import driver.core.DeviceContext;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import virtio.net.api.MacAddress;
import virtio.net.api.NetDevice;
import virtio.spec.VirtioFeatures;

/**
 * A driver bound to a {@link LoopbackNetDevice}, without a framework: the driver publishes into a
 * recording {@link Publisher}; probe and remove are called as the virtio bus would.
 */
final class Harness implements AutoCloseable {

    static final MacAddress MAC = MacAddress.parse("52:54:00:12:34:56");

    /** Every device feature the driver knows, plus the ring features; not RING_PACKED. */
    static final long ALL = VirtioFeatures.bits(VIRTIO_NET_F_MAC, VIRTIO_NET_F_MTU,
            VIRTIO_NET_F_STATUS, VIRTIO_NET_F_MRG_RXBUF, VIRTIO_NET_F_CTRL_VQ,
            VIRTIO_NET_F_CTRL_RX, VIRTIO_NET_F_CTRL_MAC_ADDR, VIRTIO_NET_F_MQ,
            VirtioFeatures.VIRTIO_F_INDIRECT_DESC, VirtioFeatures.VIRTIO_F_EVENT_IDX,
            VirtioFeatures.VIRTIO_F_ACCESS_PLATFORM);
    static final long PACKED = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_RING_PACKED);
    static final long MRG = VirtioFeatures.bit(VIRTIO_NET_F_MRG_RXBUF);
    static final long MQ = VirtioFeatures.bit(VIRTIO_NET_F_MQ);

    /** What the publisher saw, in order: "publish eth0", "update eth0", "unregister eth0 resets=N". */
    final List<String> events = new CopyOnWriteArrayList<>();
    final Map<String, Map<String, Object>> services = new java.util.concurrent.ConcurrentHashMap<>();
    final LoopbackNetDevice device;
    final VirtioNetDriver driver;
    private final List<LoopbackNetDevice> extra = new ArrayList<>();
    private boolean bound;

    Harness(long features, int mtu, int pairs, int queueSize, Settings settings) {
        this(new LoopbackNetDevice(features, MAC, mtu, pairs, queueSize), settings);
    }

    Harness(LoopbackNetDevice device, Settings settings) {
        this.device = device;
        this.driver = new VirtioNetDriver(settings, new Recorder());
    }

    static Harness standard() {
        return new Harness(ALL, 1500, 1, 256, Settings.DEFAULTS);
    }

    static DeviceContext context(String name, Map<String, Object> props) {
        return new DeviceContext() {
            @Override public String bus() { return "virtio"; }
            @Override public String name() { return name; }
            @Override public Map<String, Object> properties() { return props; }
        };
    }

    /** Probes {@link #device} as virtio0 and returns its NetDevice. */
    VirtioNet probe() throws Exception {
        driver.probe(device, context("virtio0", Map.of()));
        bound = true;
        return (VirtioNet) driver.netDevices().getFirst();
    }

    void remove() {
        if (bound) {
            bound = false;
            driver.remove(device, context("virtio0", Map.of()));
        }
    }

    /** Another device probed by the same driver (for naming tests). */
    NetDevice probeAnother(String name, Map<String, Object> props) throws Exception {
        LoopbackNetDevice d = new LoopbackNetDevice(ALL, MAC, 1500, 1, 64);
        extra.add(d);
        driver.probe(d, context(name, props));
        return driver.netDevices().stream().filter(n -> n.parentDevice().equals(name)).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        remove();
        for (LoopbackNetDevice d : extra) {
            driver.remove(d, context("extra", Map.of()));
            d.close();
        }
        driver.close();
        device.close();
    }

    /** Waits until {@code condition} holds, at most 10 s (a bound against hangs, not a timing assertion). */
    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /**
     * A frame of {@code length} bytes: broadcast destination, our MAC as source, EtherType 0x88b5
     * (local experimental), then a payload of {@code seq} and a pattern derived from it.
     */
    static byte[] frame(int length, int seq) {
        byte[] f = new byte[length];
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) 0xff;
        }
        System.arraycopy(MAC.octets(), 0, f, 6, 6);
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xb5;
        for (int i = 14; i < length; i++) {
            f[i] = (byte) (seq * 31 + i);
        }
        if (length >= 18) {
            f[14] = (byte) (seq >>> 24);
            f[15] = (byte) (seq >>> 16);
            f[16] = (byte) (seq >>> 8);
            f[17] = (byte) seq;
        }
        return f;
    }

    static int seqOf(byte[] f) {
        return (f[14] & 0xff) << 24 | (f[15] & 0xff) << 16 | (f[16] & 0xff) << 8 | (f[17] & 0xff);
    }

    static MemorySegment seg(byte[] b) {
        return MemorySegment.ofArray(b);
    }

    static void assertNoViolations(LoopbackNetDevice d) {
        assertThat(d.violations()).isEmpty();
        assertThat(d.datapath.badHeaders.get()).as("TX headers not all zero").isZero();
    }

    private final class Recorder implements Publisher {
        @Override
        public Publication publish(NetDevice dev, Map<String, Object> properties) {
            String name = dev.name();
            events.add("publish " + name);
            services.put(name, new HashMap<>(properties));
            return new Publication() {
                @Override
                public void update(Map<String, Object> p) {
                    events.add("update " + name);
                    services.put(name, new HashMap<>(p));
                }

                @Override
                public void unregister() {
                    // what the device looks like at the moment the service goes away
                    events.add("unregister " + name + " resets=" + device.resets() + " queues=" + device.hasQueues());
                    services.remove(name);
                }
            };
        }
    }
}
