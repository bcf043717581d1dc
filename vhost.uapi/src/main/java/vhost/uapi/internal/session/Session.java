package vhost.uapi.internal.session;

import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.util.List;
import linux.ffm.Epoll;
import linux.ffm.LinuxException;
import vdpa.bus.VdpaCallback;
import vdpa.bus.VdpaDevice;
import vhost.uapi.internal.proto.Channel;
import vhost.uapi.internal.proto.Message;
import vhost.uapi.internal.proto.ProtocolError;
import vhost.uapi.internal.proto.ProtocolException;
import vhost.uapi.internal.proto.Request;
import vhost.uapi.internal.proto.Wire;
import virtio.spec.VirtioConfig;
import virtio.spec.VirtioFeatures;

/**
 * One front-end's connection to one device: handles each message (validated against the device
 * and the negotiated features; the rings' own in {@link RingMessages}), keeps the front-end's
 * set-up, and has the {@link Bridge} program the device after each message. Owned by the endpoint's thread; {@link #info} may be called under
 * the endpoint's lock from another.
 *
 * <p>A {@link ProtocolException} from {@link #handle} means the front-end broke the protocol: the
 * endpoint closes the connection and {@link #close()} resets the device and unmaps the memory. A
 * request the front-end may make but the device refuses (features it does not accept, an MTU above
 * its own) is answered with a failure when REPLY_ACK asks for one, and logged.
 */
public final class Session implements AutoCloseable {

    /** Epoll token of ring {@code i}'s kick descriptor: {@code KICK_TOKEN + i}. */
    public static final long KICK_TOKEN = Doorbells.KICK_TOKEN;

    static final long PROTOCOL_FEATURES = Wire.bit(Wire.PROTOCOL_F_MQ) | Wire.bit(Wire.PROTOCOL_F_REPLY_ACK)
            | Wire.bit(Wire.PROTOCOL_F_NET_MTU) | Wire.bit(Wire.PROTOCOL_F_BACKEND_REQ) | Wire.bit(Wire.PROTOCOL_F_CONFIG)
            | Wire.bit(Wire.PROTOCOL_F_RESET_DEVICE) | Wire.bit(Wire.PROTOCOL_F_CONFIGURE_MEM_SLOTS)
            | Wire.bit(Wire.PROTOCOL_F_STATUS);

    private static final System.Logger LOG = System.getLogger("vhost.uapi");

    private final String name;
    private final VdpaDevice device;
    private final Channel channel;
    private final Doorbells doorbells;
    private final Bridge bridge;
    private final Vring[] rings;
    private final RingMessages ringMessages;
    private final GuestMemory memory = new GuestMemory();
    private final long offered;
    private final int peerPid;

    private long acked;
    private boolean featuresSet;
    private long protocol;
    private int status;
    private boolean owner;
    private Channel backend;
    private int mtu;
    private boolean needsResetReported;
    private long configChangesSent;
    private long refusedRequests;

    /**
     * @param deviceEvent what the device's config callback runs (it wakes the endpoint, which then
     *     calls {@link #deviceEvent()}); called on the device's thread
     */
    public Session(String name, VdpaDevice device, Channel channel, Epoll epoll, int peerPid, VdpaCallback deviceEvent) {
        this.name = name;
        this.device = device;
        this.channel = channel;
        this.peerPid = peerPid;
        this.offered = Features.offered(device);
        this.rings = new Vring[device.vqCount()];
        for (int i = 0; i < rings.length; i++) {
            rings[i] = new Vring(i);
        }
        this.bridge = new Bridge(name, device, deviceEvent, rings, memory);
        this.doorbells = new Doorbells(name, device, epoll, rings);
        this.ringMessages = new RingMessages(name, device, bridge, rings, doorbells);
    }

    public Channel channel() {
        return channel;
    }

    // ================================================================ messages

    /** Handles one message and answers it; throws if the front-end broke the protocol. */
    public void handle(Message m) throws ProtocolException, LinuxException {
        boolean ok;
        try {
            ok = dispatch(m);
            bridge.sync(wantedFeatures(), (status & VirtioConfig.VIRTIO_CONFIG_S_DRIVER_OK) != 0, has(Wire.PROTOCOL_F_STATUS),
                    Features.bridgeOwnsControlQueue(device, acked));
            if (m.request() == Request.SET_FEATURES || m.request() == Request.SET_STATUS) {
                ok &= !bridge.featuresRefused();
            }
        } catch (ProtocolException | LinuxException | RuntimeException e) {
            m.closeFds();
            throw e;
        }
        if (!ok) {
            refusedRequests++;
        }
        if (m.needsReply() && !m.request().replies && has(Wire.PROTOCOL_F_REPLY_ACK)) {
            channel.replyU64(m.request(), ok ? 0 : 1);
        }
    }

    /** Acts on one message; false if the device refused what it asked (a failure reply, not a broken protocol). */
    private boolean dispatch(Message m) throws ProtocolException, LinuxException {
        Message.Body b = m.body();
        switch (m.request()) {
            case SET_VRING_NUM, SET_VRING_ADDR, SET_VRING_BASE, GET_VRING_BASE, SET_VRING_KICK, SET_VRING_CALL, SET_VRING_ERR,
                    SET_VRING_ENABLE -> {
                Boolean packed = featuresSet ? VirtioFeatures.has(acked, VirtioFeatures.VIRTIO_F_RING_PACKED) : null;
                return ringMessages.handle(m, usableRings(), !protocolFeaturesNegotiated(), packed,
                        (index, num) -> channel.replyVringState(m.request(), index, num));
            }
            case GET_FEATURES -> channel.replyU64(m.request(), offered);
            case SET_FEATURES -> {
                long f = ((Message.U64) b).value();
                if ((f & ~offered) != 0) {
                    throw new ProtocolException(ProtocolError.FEATURES_NOT_OFFERED, "SET_FEATURES 0x" + Long.toHexString(f)
                            + " has bits 0x" + Long.toHexString(f & ~offered) + " that were not offered");
                }
                acked = f;
                featuresSet = true;
                if (Features.bridgeOwnsControlQueue(device, acked)) {
                    ringMessages.claim(rings.length - 1);
                }
            }
            case SET_OWNER -> owner = true;
            case RESET_OWNER -> reset();
            case GET_PROTOCOL_FEATURES -> channel.replyU64(m.request(), PROTOCOL_FEATURES);
            case SET_PROTOCOL_FEATURES -> {
                long f = ((Message.U64) b).value();
                if ((f & ~PROTOCOL_FEATURES) != 0) {
                    throw new ProtocolException(ProtocolError.FEATURES_NOT_OFFERED, "SET_PROTOCOL_FEATURES 0x" + Long.toHexString(f)
                            + " has bits 0x" + Long.toHexString(f & ~PROTOCOL_FEATURES) + " that were not offered");
                }
                protocol = f;
            }
            case SET_MEM_TABLE -> {
                List<Message.Region> regions = ((Message.MemTable) b).regions();
                if (memory.holdsExactly(regions)) {
                    m.closeFds(); // the same table again (QEMU sends it per queue pair): nothing moves
                } else {
                    List<GuestMemory.Mapped> table = GuestMemory.mapTable(regions, m.fds());
                    bridge.releaseMemory();
                    memory.replaceWith(table);
                }
            }
            case GET_MAX_MEM_SLOTS -> {
                need(Wire.PROTOCOL_F_CONFIGURE_MEM_SLOTS, m);
                channel.replyU64(m.request(), Wire.MAX_MEM_SLOTS);
            }
            case ADD_MEM_REG -> {
                need(Wire.PROTOCOL_F_CONFIGURE_MEM_SLOTS, m);
                memory.add(((Message.MemRegion) b).region(), m.fds().get(0), Wire.MAX_MEM_SLOTS);
            }
            case REM_MEM_REG -> {
                need(Wire.PROTOCOL_F_CONFIGURE_MEM_SLOTS, m);
                m.closeFds(); // the protocol lets a front-end send one; it is never used
                GuestMemory.Mapped gone = memory.find(((Message.MemRegion) b).region());
                if (memory.release(gone)) {
                    bridge.releaseRegion(gone);
                    memory.remove(gone);
                }
            }
            case GET_QUEUE_NUM -> {
                need(Wire.PROTOCOL_F_MQ, m);
                channel.replyU64(m.request(), Features.queueNum(device));
            }
            case SEND_RARP -> need(Wire.PROTOCOL_F_RARP, m);
            case NET_SET_MTU -> {
                need(Wire.PROTOCOL_F_NET_MTU, m);
                long v = ((Message.U64) b).value();
                if (v < 68 || v > 65535) {
                    throw new ProtocolException(ProtocolError.BAD_MTU, "NET_SET_MTU " + v + " outside 68..65535");
                }
                int most = Features.deviceMtu(device);
                if (v > most) {
                    LOG.log(Level.WARNING, "vhost {0}: refusing NET_SET_MTU {1}: the device takes frames of MTU {2} at most",
                            name, v, most);
                    return false;
                }
                mtu = (int) v;
            }
            case SET_BACKEND_REQ_FD -> {
                need(Wire.PROTOCOL_F_BACKEND_REQ, m);
                if (backend != null) {
                    backend.close();
                }
                backend = new Channel(m.fds().get(0));
            }
            case GET_CONFIG -> {
                need(Wire.PROTOCOL_F_CONFIG, m);
                Message.Config c = config(m);
                channel.replyConfig(m.request(), c.offset(), c.flags(), device.getConfig(c.offset(), c.size()));
            }
            case SET_CONFIG -> {
                need(Wire.PROTOCOL_F_CONFIG, m);
                Message.Config c = config(m);
                device.setConfig(c.offset(), c.data());
            }
            case RESET_DEVICE -> {
                need(Wire.PROTOCOL_F_RESET_DEVICE, m);
                reset();
            }
            case SET_STATUS -> {
                need(Wire.PROTOCOL_F_STATUS, m);
                long v = ((Message.U64) b).value();
                if (v > 0xff) {
                    throw new ProtocolException(ProtocolError.BAD_SIZE, "SET_STATUS 0x" + Long.toHexString(v) + " is not a status byte");
                }
                if (v == 0) {
                    reset();
                } else {
                    status = (int) v;
                }
            }
            case GET_STATUS -> {
                need(Wire.PROTOCOL_F_STATUS, m);
                channel.replyU64(m.request(), status());
            }
        }
        return true;
    }

    /** The status GET_STATUS reports: the front-end's, less FEATURES_OK if the device refused, plus the device's NEEDS_RESET. */
    private int status() {
        int s = status;
        if (bridge.featuresRefused()) {
            s &= ~VirtioConfig.VIRTIO_CONFIG_S_FEATURES_OK;
        }
        return s | (device.getStatus() & VirtioConfig.VIRTIO_CONFIG_S_NEEDS_RESET);
    }

    /** Device reset as RESET_OWNER, RESET_DEVICE and SET_STATUS 0 ask: rings back to their initial state, memory kept. */
    private void reset() {
        bridge.reset();
        ringMessages.reset();
        featuresSet = false;
        acked = 0;
        status = 0;
        needsResetReported = false;
    }

    private long wantedFeatures() {
        boolean statusDriven = has(Wire.PROTOCOL_F_STATUS);
        if (!featuresSet || statusDriven && (status & VirtioConfig.VIRTIO_CONFIG_S_FEATURES_OK) == 0) {
            return -1;
        }
        return Features.forDevice(device, acked);
    }

    private boolean protocolFeaturesNegotiated() {
        return (acked & Wire.bit(Wire.VHOST_USER_F_PROTOCOL_FEATURES)) != 0;
    }

    private boolean has(int protocolFeature) {
        return (protocol & Wire.bit(protocolFeature)) != 0;
    }

    private void need(int protocolFeature, Message m) throws ProtocolException {
        if (!has(protocolFeature)) {
            throw new ProtocolException(ProtocolError.NOT_NEGOTIATED, m.request() + " without its protocol feature (bit "
                    + protocolFeature + ")");
        }
    }

    /** The rings a front-end may name: the control queue is the bridge's when the front-end keeps its own. */
    private int usableRings() {
        return featuresSet && Features.bridgeOwnsControlQueue(device, acked) ? rings.length - 1 : rings.length;
    }

    private Message.Config config(Message m) throws ProtocolException {
        Message.Config c = (Message.Config) m.body();
        if (Integer.toUnsignedLong(c.offset()) + Integer.toUnsignedLong(c.size()) > device.getConfigSize()) {
            throw new ProtocolException(ProtocolError.BAD_CONFIG_ACCESS, m.request() + " of " + c.size() + " bytes at "
                    + c.offset() + " leaves config space of " + device.getConfigSize());
        }
        return c;
    }

    // ================================================================ doorbells and device events

    /**
     * Ring {@code ring}'s kick descriptor is readable: see {@link Doorbells#kick}.
     *
     * @throws ProtocolException the descriptor is not an eventfd (a read of other than 8 bytes)
     */
    public void kick(int ring) throws ProtocolException {
        try {
            doorbells.kick(ring);
        } catch (LinuxException e) {
            throw new ProtocolException(ProtocolError.NOT_AN_EVENTFD, "ring " + ring + ": the kick descriptor failed as an eventfd ("
                    + e.getMessage() + ")");
        }
    }

    /** Whether any running ring has no kick descriptor (the endpoint then wakes often to kick it). */
    public boolean polling() {
        return doorbells.polling();
    }

    /** Kicks each running ring that the front-end does not kick. */
    public void pollRings() {
        doorbells.pollRings();
    }

    /**
     * The device's config callback fired: a device that needs a reset is reported on each ring's
     * err descriptor; any other change reaches the front-end as a config-change message on the
     * back-end channel (when it gave one and negotiated CONFIG).
     *
     * @throws ProtocolException a memory file shrank under its region ({@link #checkMemory})
     */
    public void deviceEvent() throws LinuxException, ProtocolException {
        checkMemory(); // a device whose access faulted on a shrunk file says only that it needs a reset
        if ((device.getStatus() & VirtioConfig.VIRTIO_CONFIG_S_NEEDS_RESET) != 0) {
            if (!needsResetReported) {
                needsResetReported = true;
                LOG.log(Level.WARNING, "vhost {0}: the device needs a reset; the front-end is told on its err descriptors", name);
                doorbells.raiseErrors();
            }
            return;
        }
        if (backend != null && has(Wire.PROTOCOL_F_CONFIG)) {
            backend.send(Wire.BACKEND_CONFIG_CHANGE_MSG, Wire.VERSION, MemorySegment.ofArray(new byte[0]), List.of());
            configChangesSent++;
        }
    }

    /** Whether the memory may shrink under running rings: the endpoint then calls {@link #checkMemory} now and then. */
    public boolean watchesMemory() {
        if (!memory.mayShrink()) {
            return false;
        }
        for (Vring r : rings) {
            if (r.programmed) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks that every region's file still holds it.
     *
     * @throws ProtocolException one shrank: the front-end took its memory away under the device
     */
    public void checkMemory() throws ProtocolException {
        String why = memory.shrunk();
        if (why != null) {
            throw new ProtocolException(ProtocolError.REGION_SHRUNK, why);
        }
    }

    // ================================================================ listing and teardown

    /** A snapshot for {@code vhost:show}. */
    public SessionInfo info() {
        List<GuestMemory.Mapped> mapped = memory.regions();
        List<SessionInfo.Region> regions = new java.util.ArrayList<>();
        for (int i = 0; i < mapped.size(); i++) {
            GuestMemory.Mapped m = mapped.get(i);
            regions.add(new SessionInfo.Region(i, m.region().gpa(), m.region().size(), m.region().userAddr(), m.hostAddress(),
                    GuestMemory.sealNames(m)));
        }
        List<SessionInfo.Ring> rs = new java.util.ArrayList<>();
        for (Vring r : rings) {
            if (r.num == 0 && !r.started && r.kicks.get() == 0) {
                continue;
            }
            // a running ring's position, if the device can tell; a stopped one's is its base
            boolean known = !r.programmed || bridge.reportsQueueState();
            long base = r.programmed && known ? RingBase.of(device.getVqState(r.index)) : r.base;
            boolean packed = bridge.packed();
            int avail = known ? (int) (base & 0xffff) : -1;
            int used = !known ? -1 : packed ? (int) (base >>> 16) : avail;
            rs.add(new SessionInfo.Ring(r.index, r.num, r.enabled, r.started, r.programmed, r.polling, avail, used, r.kicks.get(),
                    r.calls.get()));
        }
        return new SessionInfo(peerPid, featuresSet ? acked : 0, bridge.deviceFeatures(), protocol, status(), owner,
                backend != null, mtu, configChangesSent, bridge.receivePairs(), refusedRequests, regions, rs);
    }

    /** Resets the device, unmaps the front-end's memory, closes every descriptor of this connection. */
    @Override
    public void close() {
        try {
            bridge.close();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "vhost " + name + ": resetting the device failed", e);
        }
        for (Vring r : rings) {
            doorbells.unwatch(r);
            r.closeFds();
        }
        memory.close();
        if (backend != null) {
            backend.close();
            backend = null;
        }
        channel.close();
    }
}
