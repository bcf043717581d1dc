package virtio.net.internal;

import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_MAC_ADDR;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_RX;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_MAC;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_MAC_ADDR_SET;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_MAC_ENTRIES_SIZE;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_MAC_TABLE_SET;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_MQ;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_RX;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_RX_ALLMULTI;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_RX_PROMISC;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import virtio.net.api.FrameHandler;
import virtio.net.api.LinkState;
import virtio.net.api.MacAddress;
import virtio.net.api.NetDevice;
import virtio.net.api.NetDeviceConstants;
import virtio.net.api.NetDeviceException;
import virtio.net.api.NetDeviceException.Reason;
import virtio.net.api.QueueStats;
import virtio.net.api.SendResult;
import virtio.spec.VirtioFeatures;

/**
 * The NetDevice of one bound virtio-net device: its queue pairs, its control queue, its state,
 * and its service publication. Built and torn down by {@link VirtioNetDriver}.
 */
final class VirtioNet implements NetDevice {

    private final String name;
    private final int ifindex;
    private final String parent;
    private final long features;
    private final int mtu;
    private final QueuePair[] pairs;
    private final ControlQueue ctrl;
    private volatile int activePairs;
    private volatile MacAddress mac;
    private volatile LinkState link;
    private final Receivers receivers;
    private volatile boolean promiscuous;
    private volatile boolean allMulticast;
    private volatile boolean closed;
    /** Guards the publication and property updates against teardown. */
    private final Object publication = new Object();
    private Publisher.Publication published;

    VirtioNet(String name, int ifindex, String parent, long features, NetConfig config, QueuePair[] pairs,
            ControlQueue ctrl, Receivers receivers) {
        this.receivers = receivers;
        this.name = name;
        this.ifindex = ifindex;
        this.parent = parent;
        this.features = features;
        this.mtu = config.mtu();
        this.mac = config.mac();
        this.link = config.linkUp() ? LinkState.UP : LinkState.DOWN;
        this.pairs = pairs;
        this.ctrl = ctrl;
        this.activePairs = pairs.length;
    }

    QueuePair pair(int i) {
        return pairs[i];
    }

    int pairCount() {
        return pairs.length;
    }

    ControlQueue ctrl() {
        return ctrl;
    }

    /** The interface index, {@value NetDeviceConstants#NET_IFINDEX}. */
    int ifindex() {
        return ifindex;
    }

    // ---------------------------------------------------------------- NetDevice

    @Override public String name() { return name; }
    @Override public MacAddress mac() { return mac; }
    @Override public int mtu() { return mtu; }
    @Override public LinkState link() { return link; }
    @Override public int queuePairs() { return activePairs; }
    @Override public String parentDevice() { return parent; }
    @Override public boolean promiscuous() { return promiscuous; }
    @Override public boolean allMulticast() { return allMulticast; }

    @Override
    public SendResult send(int queue, MemorySegment frame) {
        QueuePair p = pairs[Objects.checkIndex(queue, activePairs)];
        return closed ? SendResult.DOWN : p.tx.send(frame);
    }

    @Override
    public int send(int queue, MemorySegment[] frames, int from, int count) {
        QueuePair p = pairs[Objects.checkIndex(queue, activePairs)];
        Objects.checkFromIndexSize(from, count, frames.length);
        return closed ? 0 : p.tx.send(frames, from, count);
    }

    @Override
    public int queueFor(MemorySegment frame) {
        return FlowHash.queue(frame, activePairs);
    }

    @Override
    public void setReceiveHandler(FrameHandler handler) {
        receivers.handler = handler;
        if (closed) {
            receivers.handler = null; // no handler survives teardown, whichever ran first
        }
    }

    /** The tap now set, or null. */
    FrameHandler tap() {
        return receivers.tap;
    }

    @Override
    public void setTap(FrameHandler tap) {
        receivers.tap = tap;
        if (closed) {
            receivers.tap = null;
        }
    }

    @Override
    public int poll(int queue, FrameHandler handler, int budget) {
        QueuePair p = pairs[Objects.checkIndex(queue, activePairs)];
        return closed ? 0 : p.backlog.poll(handler, budget);
    }

    @Override
    public void setPromiscuous(boolean on) throws NetDeviceException {
        rxMode(VIRTIO_NET_CTRL_RX_PROMISC, on, "promiscuous " + (on ? "on" : "off"));
        promiscuous = on;
    }

    @Override
    public void setAllMulticast(boolean on) throws NetDeviceException {
        rxMode(VIRTIO_NET_CTRL_RX_ALLMULTI, on, "allmulticast " + (on ? "on" : "off"));
        allMulticast = on;
    }

    private void rxMode(int cmd, boolean on, String what) throws NetDeviceException {
        require(VIRTIO_NET_F_CTRL_RX, "VIRTIO_NET_F_CTRL_RX", what);
        control().command(VIRTIO_NET_CTRL_RX, cmd, new byte[] {(byte) (on ? 1 : 0)}, what);
    }

    @Override
    public void setMulticastList(List<MacAddress> addresses) throws NetDeviceException {
        String what = "multicast list of " + addresses.size();
        require(VIRTIO_NET_F_CTRL_RX, "VIRTIO_NET_F_CTRL_RX", what);
        for (MacAddress a : addresses) {
            if (!a.isMulticast()) {
                throw new NetDeviceException(Reason.INVALID, what + ": " + a + " is not a multicast address");
            }
        }
        // two struct virtio_net_ctrl_mac: unicast (empty), then multicast (5.1.6.5.2)
        ByteBuffer b = ByteBuffer.allocate(2 * VIRTIO_NET_CTRL_MAC_ENTRIES_SIZE + 6 * addresses.size())
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0).putInt(addresses.size());
        for (MacAddress a : addresses) {
            b.put(a.octets());
        }
        control().command(VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_TABLE_SET, b.array(), what);
    }

    @Override
    public void setMacAddress(MacAddress address) throws NetDeviceException {
        String what = "MAC address " + address;
        require(VIRTIO_NET_F_CTRL_MAC_ADDR, "VIRTIO_NET_F_CTRL_MAC_ADDR", what);
        if (address.isMulticast() || address.value() == 0) {
            throw new NetDeviceException(Reason.INVALID, what + ": not a unicast address");
        }
        control().command(VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET, address.octets(), what);
        mac = address;
        republish();
    }

    /** VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET; on success TX spreads over {@code n} pairs. */
    void setQueuePairs(int n) throws NetDeviceException {
        String what = "queue pairs " + n;
        if (n < 1 || n > pairs.length) {
            throw new NetDeviceException(Reason.INVALID, what + ": outside 1.." + pairs.length);
        }
        byte[] data = {(byte) n, (byte) (n >>> 8)};
        control().command(VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, data, what);
        activePairs = n;
        republish();
    }

    /** The device only uses the first pair until told otherwise (5.1.6.5.5). */
    void useFirstPairOnly() {
        activePairs = 1;
    }

    private void require(int feature, String featureName, String what) throws NetDeviceException {
        if (closed) {
            throw new NetDeviceException(Reason.DOWN, what + ": " + name + " is gone");
        }
        if (!VirtioFeatures.has(features, feature)) {
            throw new NetDeviceException(Reason.UNSUPPORTED, what + ": " + featureName + " not negotiated");
        }
    }

    private ControlQueue control() throws NetDeviceException {
        if (ctrl == null) {
            throw new NetDeviceException(Reason.UNSUPPORTED, "VIRTIO_NET_F_CTRL_VQ not negotiated");
        }
        return ctrl;
    }

    @Override
    public List<QueueStats> stats() {
        List<QueueStats> out = new ArrayList<>(pairs.length);
        for (QueuePair p : pairs) {
            out.add(p.counters.snapshot(p.queue));
        }
        return out;
    }

    // ---------------------------------------------------------------- publication and state

    Map<String, Object> properties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(NetDeviceConstants.NET_IFINDEX, ifindex);
        p.put(NetDeviceConstants.NET_NAME, name);
        p.put(NetDeviceConstants.NET_MAC, mac.toString());
        p.put(NetDeviceConstants.NET_MTU, mtu);
        p.put(NetDeviceConstants.NET_LINK, link.property());
        p.put(NetDeviceConstants.NET_QUEUES, activePairs);
        p.put(NetDeviceConstants.NET_VIRTIO_DEVICE, parent);
        p.put(NetDeviceConstants.NET_DRIVER, VirtioNetDriver.NAME);
        return p;
    }

    void publish(Publisher publisher) {
        synchronized (publication) {
            if (!closed && published == null) {
                published = publisher.publish(this, properties());
            }
        }
    }

    /** The link changed (config change): update state and service properties. */
    void linkChanged(boolean up) {
        LinkState now = up ? LinkState.UP : LinkState.DOWN;
        if (link != now) {
            link = now;
            republish();
        }
    }

    private void republish() {
        synchronized (publication) {
            if (!closed && published != null) {
                published.update(properties());
            }
        }
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Teardown, first half (before the device reset): withdraw the service, refuse new work, stop
     * the workers and wait out senders and control commands in progress.
     *
     * @return the pairs whose worker stopped (the others must keep their memory)
     */
    boolean[] shutdown() {
        Publisher.Publication withdraw;
        synchronized (publication) {
            closed = true;
            withdraw = published;
            published = null;
        }
        // outside the lock: service listeners run synchronously and may call back into us
        if (withdraw != null) {
            withdraw.unregister();
        }
        receivers.clear();
        if (ctrl != null) {
            ctrl.shutdown();
        }
        boolean[] stopped = new boolean[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            stopped[i] = pairs[i].stop();
            pairs[i].tx.shutdown();
        }
        return stopped;
    }

    /** Teardown, second half (after the device reset): count what was lost, free the memory. */
    void release(boolean[] stopped) {
        for (int i = 0; i < pairs.length; i++) {
            pairs[i].tx.release();
            if (stopped[i]) {
                pairs[i].rx.release();
                pairs[i].backlog.close();
            }
        }
        if (ctrl != null) {
            ctrl.release();
        }
    }

    @Override
    public String toString() {
        return "NetDevice " + name + " (" + parent + ", " + mac + ", mtu " + mtu + ", " + link.property() + ")";
    }
}
