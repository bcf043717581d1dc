package pci.emul.internal;

import static virtio.spec.VirtioPci.VIRTIO_PCI_ISR_CONFIG;
import static virtio.spec.VirtioPci.VIRTIO_PCI_ISR_QUEUE;
import static virtio.spec.VirtioPci.VIRTIO_PCI_MODERN_COMMON_CFG_SIZEOF;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;
import pci.bus.PciRegion;
import vdpa.sim.model.NetModel;

/**
 * The BAR that holds an emulated function's virtio structures, laid out as QEMU lays out
 * virtio-net-pci's: common configuration at {@link #COMMON}, ISR status at {@link #ISR}, device
 * configuration at {@link #DEVICE}, notifications at {@link #NOTIFY} with a multiplier of
 * {@link #NOTIFY_MULTIPLIER} (queue {@code n} is notified at {@code NOTIFY + 4n}, its
 * queue_notify_off being {@code n}). Each structure gets one page; bytes between the structures'
 * lengths and their pages hold no register.
 */
final class VirtioBar implements PciRegion.Access {

    static final int COMMON = 0x0000;
    static final int ISR = 0x1000;
    static final int DEVICE = 0x2000;
    static final int NOTIFY = 0x3000;
    static final int PAGE = 0x1000;
    static final int SIZE = 0x4000;
    static final int NOTIFY_MULTIPLIER = 4;
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final CommonCfg common;
    private final NetModel model;
    private final RegisterFault.Counters faults;
    private final AtomicInteger isr = new AtomicInteger();
    /** One device-config access at a time: its bytes pass through here. */
    private final MemorySegment configBuffer = MemorySegment.ofArray(new byte[4]);

    VirtioBar(CommonCfg common, NetModel model, RegisterFault.Counters faults) {
        this.common = common;
        this.model = model;
        this.faults = faults;
    }

    /** Length of the notify structure: one multiplier per queue. */
    int notifyLength() {
        return common.queueCount() * NOTIFY_MULTIPLIER;
    }

    /** Sets ISR status bits (before the interrupt they announce, as 4.1.4.5.1 requires). */
    void raiseIsr(int bits) {
        isr.getAndUpdate(v -> v | bits);
    }

    @Override
    public long read(long offset, int width) {
        if (offset < ISR) {
            if (offset >= VIRTIO_PCI_MODERN_COMMON_CFG_SIZEOF) {
                faults.count(RegisterFault.BAR_UNMAPPED);
                return 0;
            }
            return common.read(offset - COMMON, width);
        }
        if (offset < DEVICE) {
            if (offset != ISR || width != 1) {
                faults.count(offset == ISR ? RegisterFault.ISR_BAD_ACCESS : RegisterFault.BAR_UNMAPPED);
                return 0;
            }
            // reading ISR status clears it (4.1.4.5)
            return isr.getAndSet(0) & (VIRTIO_PCI_ISR_QUEUE | VIRTIO_PCI_ISR_CONFIG);
        }
        if (offset < NOTIFY) {
            return deviceConfig(offset - DEVICE, width, 0, false);
        }
        // notifications are writes; a read returns nothing
        faults.count(RegisterFault.NOTIFY_BAD_ACCESS);
        return 0;
    }

    @Override
    public void write(long offset, int width, long value) {
        if (offset < ISR) {
            if (offset >= VIRTIO_PCI_MODERN_COMMON_CFG_SIZEOF) {
                faults.count(RegisterFault.BAR_UNMAPPED);
            } else {
                common.write(offset - COMMON, width, value);
            }
        } else if (offset < DEVICE) {
            faults.count(offset == ISR ? RegisterFault.READ_ONLY_WRITE : RegisterFault.BAR_UNMAPPED);
        } else if (offset < NOTIFY) {
            deviceConfig(offset - DEVICE, width, value, true);
        } else {
            notify(offset - NOTIFY, width, value);
        }
    }

    /** The hot path: one kick, no allocation, no lock. */
    private void notify(long off, int width, long value) {
        if (width != 2 || off % NOTIFY_MULTIPLIER != 0 || off >= notifyLength()) {
            faults.count(RegisterFault.NOTIFY_BAD_ACCESS);
            return;
        }
        int queue = (int) (off / NOTIFY_MULTIPLIER);
        if ((value & 0xffff) != queue) {
            // without VIRTIO_F_NOTIFICATION_DATA the driver writes the queue's index; the address decides
            faults.count(RegisterFault.NOTIFY_VALUE_MISMATCH);
        }
        model.kickVq(queue);
    }

    /** Naturally aligned 1, 2 or 4 bytes inside the model's config space, little-endian. */
    private long deviceConfig(long off, int width, long value, boolean write) {
        int size = model.getConfigSize();
        if (width > 4 || off % width != 0 || off + width > size) {
            faults.count(off >= size ? RegisterFault.BAR_UNMAPPED : RegisterFault.DEVICE_CFG_BAD_ACCESS);
            return 0;
        }
        synchronized (configBuffer) {
            MemorySegment bytes = configBuffer.asSlice(0, width);
            try {
                if (write) {
                    configBuffer.set(LE32, 0, (int) value);
                    model.setConfig((int) off, bytes);
                    return 0;
                }
                configBuffer.set(LE32, 0, 0);
                model.getConfig((int) off, bytes);
                return configBuffer.get(LE32, 0) & 0xffff_ffffL;
            } catch (RuntimeException refused) {
                faults.count(RegisterFault.MODEL_REFUSED);
                return 0;
            }
        }
    }
}
