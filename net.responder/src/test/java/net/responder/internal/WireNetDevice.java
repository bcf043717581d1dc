package net.responder.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import virtio.net.api.FrameHandler;
import virtio.net.api.LinkState;
import virtio.net.api.MacAddress;
import virtio.net.api.NetDevice;
import virtio.net.api.QueueStats;
import virtio.net.api.SendResult;

/**
 * The far end of a wire, as a NetDevice: a test hands frames to the receive handler as a driver's
 * receive thread would ({@link #receive}), and what the device is asked to send is kept, per
 * queue, or (with {@link #keep} off) only counted, or refused with {@link #refuseWith}.
 */
final class WireNetDevice implements NetDevice {

    record Sent(int queue, byte[] frame) {}

    final String name;
    final MacAddress mac;
    final int queues;
    final List<Sent> sent = new ArrayList<>();
    volatile FrameHandler handler;
    boolean keep = true;
    long sends;
    SendResult refuseWith;

    WireNetDevice(String name, MacAddress mac, int queues) {
        this.name = name;
        this.mac = mac;
        this.queues = queues;
    }

    /** A frame arriving on {@code queue}. */
    void receive(int queue, MemorySegment frame) {
        FrameHandler h = handler;
        if (h != null) {
            h.frame(queue, frame);
        }
    }

    @Override public String name() { return name; }
    @Override public MacAddress mac() { return mac; }
    @Override public int mtu() { return 1500; }
    @Override public LinkState link() { return LinkState.UP; }
    @Override public int queuePairs() { return queues; }
    @Override public String parentDevice() { return "virtio9"; }

    @Override
    public SendResult send(int queue, MemorySegment frame) {
        if (queue >= queues) {
            throw new IndexOutOfBoundsException(queue);
        }
        if (refuseWith != null) {
            return refuseWith;
        }
        sends++;
        if (keep) {
            sent.add(new Sent(queue, frame.toArray(ValueLayout.JAVA_BYTE)));
        }
        return SendResult.SENT;
    }

    @Override public int queueFor(MemorySegment frame) { return 0; }
    @Override public void setReceiveHandler(FrameHandler h) { handler = h; }
    @Override public int poll(int queue, FrameHandler h, int budget) { return 0; }
    @Override public void setTap(FrameHandler tap) {}
    @Override public void setPromiscuous(boolean on) {}
    @Override public void setAllMulticast(boolean on) {}
    @Override public void setMulticastList(List<MacAddress> addresses) {}
    @Override public void setMacAddress(MacAddress m) {}
    @Override public boolean promiscuous() { return false; }
    @Override public boolean allMulticast() { return false; }
    @Override public List<QueueStats> stats() { return new ArrayList<>(); }
}
