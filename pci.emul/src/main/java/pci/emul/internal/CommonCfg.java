package pci.emul.internal;

import static virtio.spec.VirtioPci.VIRTIO_MSI_NO_VECTOR;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_CFGGENERATION;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_DF;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_DFSELECT;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_GF;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_GFSELECT;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_MSIX;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_NUMQ;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_Q_AVAILHI;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_Q_AVAILLO;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_Q_DESCHI;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_Q_DESCLO;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_Q_ENABLE;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_Q_MSIX;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_Q_NDATA;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_Q_NOFF;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_Q_RESET;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_Q_SELECT;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_Q_SIZE;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_Q_USEDHI;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_Q_USEDLO;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_STATUS;

import java.util.concurrent.atomic.AtomicIntegerArray;
import pci.bus.PciRegion;
import vdpa.bus.VdpaCallback;
import vdpa.sim.model.NetModel;
import virtio.spec.DeviceStatus;
import virtio.spec.VirtioFeatures;

/**
 * The common configuration structure of an emulated virtio-pci function (virtio 1.2 section
 * 4.1.4.3), as a register file in front of the device model. Register writes become the model's
 * config ops at the moments the spec gives them meaning: the driver features at FEATURES_OK, a
 * queue's size, addresses, callback and ready at queue_enable, a reset at device_status 0 (which
 * reads 0 as soon as the model's reset returned). What the device presents (device_feature,
 * num_queues, device_status, config_generation, queue_size's maximum) is read from the model.
 *
 * <p>Every access a driver gets wrong is one of {@link RegisterFault}'s: handled as the device
 * side of the spec says, counted, never thrown. A model op that refuses is counted as
 * {@link RegisterFault#MODEL_REFUSED} and leaves the register as it was.
 *
 * <p>Register state is guarded by this object; queue vectors are also read without it, by the
 * model's worker when it interrupts ({@link #queueVector}).
 */
final class CommonCfg implements PciRegion.Access {

    /** What the function does when the model interrupts: MSI-X vector or ISR, see {@link EmulatedFunction}. */
    interface Interrupts {
        void queue(int index);

        void config();

        /** Vectors in the MSI-X table: a larger one cannot be mapped. */
        int tableSize();
    }

    /** One queue's registers. */
    private static final class Queue {
        final int max;
        int size;
        boolean enabled;
        long desc;
        long driver;
        long device;
        /** Which of desc, driver, device were written since reset (bits 0, 1, 2). */
        int written;

        Queue(int max) {
            this.max = max;
            this.size = max;
        }

        void reset() {
            size = max;
            enabled = false;
            desc = driver = device = 0;
            written = 0;
        }
    }

    private final NetModel model;
    private final RegisterFault.Counters faults;
    private final Interrupts interrupts;
    private final Queue[] queues;
    private final VdpaCallback[] callbacks;
    private final AtomicIntegerArray vectors;
    private volatile int configVector = VIRTIO_MSI_NO_VECTOR;
    private int dfselect;
    private int gfselect;
    private long driverFeatures;
    private int select;

    CommonCfg(NetModel model, RegisterFault.Counters faults, Interrupts interrupts) {
        this.model = model;
        this.faults = faults;
        this.interrupts = interrupts;
        int n = model.vqCount();
        this.queues = new Queue[n];
        this.callbacks = new VdpaCallback[n];
        this.vectors = new AtomicIntegerArray(n);
        for (int i = 0; i < n; i++) {
            queues[i] = new Queue(model.getVqSize(i));
            int q = i;
            // made once: an interrupt allocates nothing
            callbacks[i] = () -> interrupts.queue(q);
            vectors.set(i, VIRTIO_MSI_NO_VECTOR);
        }
        model.setConfigCb(interrupts::config);
    }

    /** The vector mapped to queue {@code index}'s events, or VIRTIO_MSI_NO_VECTOR. Any thread. */
    int queueVector(int index) {
        return vectors.get(index);
    }

    /** The vector mapped to config changes, or VIRTIO_MSI_NO_VECTOR. Any thread. */
    int configVector() {
        return configVector;
    }

    int queueCount() {
        return queues.length;
    }

    // ---------------------------------------------------------------- reads

    @Override
    public synchronized long read(long offset, int width) {
        int at = (int) offset;
        if (!natural(at, width)) {
            faults.count(RegisterFault.COMMON_BAD_ACCESS);
            return 0;
        }
        Queue q = select < queues.length ? queues[select] : null;
        return switch (at) {
            case VIRTIO_PCI_COMMON_DFSELECT -> dfselect & 0xffff_ffffL;
            case VIRTIO_PCI_COMMON_DF -> word(model.getDeviceFeatures(), dfselect);
            case VIRTIO_PCI_COMMON_GFSELECT -> gfselect & 0xffff_ffffL;
            case VIRTIO_PCI_COMMON_GF -> word(driverFeatures, gfselect);
            case VIRTIO_PCI_COMMON_MSIX -> configVector;
            case VIRTIO_PCI_COMMON_NUMQ -> queues.length;
            case VIRTIO_PCI_COMMON_STATUS -> model.getStatus() & 0xff;
            case VIRTIO_PCI_COMMON_CFGGENERATION -> model.getGeneration() & 0xff;
            case VIRTIO_PCI_COMMON_Q_SELECT -> select;
            // a queue that is not there presents size 0 (4.1.4.3.2), and nothing else
            case VIRTIO_PCI_COMMON_Q_SIZE -> q == null ? 0 : q.size;
            case VIRTIO_PCI_COMMON_Q_MSIX -> q == null ? VIRTIO_MSI_NO_VECTOR : vectors.get(select);
            case VIRTIO_PCI_COMMON_Q_ENABLE -> q != null && q.enabled ? 1 : 0;
            case VIRTIO_PCI_COMMON_Q_NOFF -> q == null ? 0 : select;
            case VIRTIO_PCI_COMMON_Q_DESCLO, VIRTIO_PCI_COMMON_Q_DESCHI -> half(q == null ? 0 : q.desc, at, width, VIRTIO_PCI_COMMON_Q_DESCLO);
            case VIRTIO_PCI_COMMON_Q_AVAILLO, VIRTIO_PCI_COMMON_Q_AVAILHI -> half(q == null ? 0 : q.driver, at, width, VIRTIO_PCI_COMMON_Q_AVAILLO);
            case VIRTIO_PCI_COMMON_Q_USEDLO, VIRTIO_PCI_COMMON_Q_USEDHI -> half(q == null ? 0 : q.device, at, width, VIRTIO_PCI_COMMON_Q_USEDLO);
            // queue_notify_data and queue_reset: their features are not offered, so they read 0
            default -> 0;
        };
    }

    private static long word(long features, int select) {
        return select == 0 ? features & 0xffff_ffffL : select == 1 ? features >>> 32 : 0;
    }

    private static long half(long value, int at, int width, int low) {
        return width == 8 ? value : at == low ? value & 0xffff_ffffL : value >>> 32;
    }

    /**
     * Whether an access is one field with its natural width (4.1.3.1): 32-bit fields by 32 bits,
     * 16-bit by 16, 8-bit by 8; a 64-bit field whole or by either 32-bit half.
     */
    private static boolean natural(int at, int width) {
        return switch (at) {
            case VIRTIO_PCI_COMMON_DFSELECT, VIRTIO_PCI_COMMON_DF, VIRTIO_PCI_COMMON_GFSELECT, VIRTIO_PCI_COMMON_GF -> width == 4;
            case VIRTIO_PCI_COMMON_MSIX, VIRTIO_PCI_COMMON_NUMQ, VIRTIO_PCI_COMMON_Q_SELECT, VIRTIO_PCI_COMMON_Q_SIZE,
                    VIRTIO_PCI_COMMON_Q_MSIX, VIRTIO_PCI_COMMON_Q_ENABLE, VIRTIO_PCI_COMMON_Q_NOFF,
                    VIRTIO_PCI_COMMON_Q_NDATA, VIRTIO_PCI_COMMON_Q_RESET -> width == 2;
            case VIRTIO_PCI_COMMON_STATUS, VIRTIO_PCI_COMMON_CFGGENERATION -> width == 1;
            case VIRTIO_PCI_COMMON_Q_DESCLO, VIRTIO_PCI_COMMON_Q_AVAILLO, VIRTIO_PCI_COMMON_Q_USEDLO -> width == 4 || width == 8;
            case VIRTIO_PCI_COMMON_Q_DESCHI, VIRTIO_PCI_COMMON_Q_AVAILHI, VIRTIO_PCI_COMMON_Q_USEDHI -> width == 4;
            default -> false;
        };
    }

    // ---------------------------------------------------------------- writes

    @Override
    public synchronized void write(long offset, int width, long value) {
        int at = (int) offset;
        if (!natural(at, width)) {
            faults.count(RegisterFault.COMMON_BAD_ACCESS);
            return;
        }
        int v = (int) value;
        switch (at) {
            case VIRTIO_PCI_COMMON_DFSELECT -> dfselect = v;
            case VIRTIO_PCI_COMMON_GFSELECT -> gfselect = v;
            case VIRTIO_PCI_COMMON_GF -> driverFeature(v);
            case VIRTIO_PCI_COMMON_MSIX -> configVector = mapVector(v & 0xffff);
            case VIRTIO_PCI_COMMON_STATUS -> status(v & 0xff);
            case VIRTIO_PCI_COMMON_Q_SELECT -> select = v & 0xffff;
            case VIRTIO_PCI_COMMON_Q_SIZE -> queueSize(v & 0xffff);
            case VIRTIO_PCI_COMMON_Q_MSIX -> {
                if (writableQueue() != null) {
                    vectors.set(select, mapVector(v & 0xffff));
                }
            }
            case VIRTIO_PCI_COMMON_Q_ENABLE -> queueEnable(v & 0xffff);
            case VIRTIO_PCI_COMMON_Q_DESCLO, VIRTIO_PCI_COMMON_Q_DESCHI, VIRTIO_PCI_COMMON_Q_AVAILLO,
                    VIRTIO_PCI_COMMON_Q_AVAILHI, VIRTIO_PCI_COMMON_Q_USEDLO, VIRTIO_PCI_COMMON_Q_USEDHI -> address(at, width, value);
            case VIRTIO_PCI_COMMON_DF, VIRTIO_PCI_COMMON_NUMQ, VIRTIO_PCI_COMMON_CFGGENERATION, VIRTIO_PCI_COMMON_Q_NOFF ->
                    faults.count(RegisterFault.READ_ONLY_WRITE);
            default -> faults.count(RegisterFault.FIELD_NOT_OFFERED);
        }
    }

    private void driverFeature(int v) {
        if (DeviceStatus.FEATURES_OK.in(model.getStatus())) {
            faults.count(RegisterFault.FEATURES_AFTER_FEATURES_OK);
            return;
        }
        if (gfselect == 0) {
            driverFeatures = (driverFeatures & ~0xffff_ffffL) | (v & 0xffff_ffffL);
        } else if (gfselect == 1) {
            driverFeatures = (driverFeatures & 0xffff_ffffL) | ((long) v << 32);
        }
        // a word above 1 holds no feature this device offers: FEATURES_OK would refuse it anyway
    }

    /** A vector the table has, or NO_VECTOR as the read-back of a failed mapping. */
    private int mapVector(int v) {
        if (v == VIRTIO_MSI_NO_VECTOR || v < interrupts.tableSize()) {
            return v;
        }
        faults.count(RegisterFault.MSIX_VECTOR_REFUSED);
        return VIRTIO_MSI_NO_VECTOR;
    }

    private void status(int v) {
        if (v == 0) {
            reset();
            return;
        }
        int now = model.getStatus();
        if ((v & now) != now) {
            faults.count(RegisterFault.STATUS_BIT_CLEARED);
        }
        try {
            if (DeviceStatus.FEATURES_OK.in(v) && !DeviceStatus.FEATURES_OK.in(now)) {
                // the features the driver wrote become the device's at FEATURES_OK (3.1.1 step 5)
                model.setDriverFeatures(driverFeatures);
            }
            model.setStatus(v | now);
        } catch (RuntimeException refused) {
            faults.count(RegisterFault.MODEL_REFUSED);
        }
    }

    /** device_status 0: the model resets (its callbacks end), then every register as after power-on. */
    void reset() {
        model.reset();
        model.setConfigCb(interrupts::config);
        dfselect = gfselect = 0;
        driverFeatures = 0;
        select = 0;
        configVector = VIRTIO_MSI_NO_VECTOR;
        for (int i = 0; i < queues.length; i++) {
            queues[i].reset();
            vectors.set(i, VIRTIO_MSI_NO_VECTOR);
        }
    }

    /** The selected queue if a driver may write its fields now, else null with the fault counted. */
    private Queue writableQueue() {
        if (select >= queues.length) {
            faults.count(RegisterFault.QUEUE_SELECT_OUT_OF_RANGE);
            return null;
        }
        Queue q = queues[select];
        if (q.enabled) {
            faults.count(RegisterFault.QUEUE_WRITE_WHILE_ENABLED);
            return null;
        }
        return q;
    }

    private void queueSize(int size) {
        Queue q = writableQueue();
        if (q == null) {
            return;
        }
        boolean packed = VirtioFeatures.has(driverFeatures, VirtioFeatures.VIRTIO_F_RING_PACKED);
        if (size == 0 || size > q.max || (!packed && Integer.bitCount(size) != 1)) {
            faults.count(RegisterFault.QUEUE_SIZE_INVALID);
            return;
        }
        q.size = size;
    }

    private void address(int at, int width, long value) {
        Queue q = writableQueue();
        if (q == null) {
            return;
        }
        switch (at) {
            case VIRTIO_PCI_COMMON_Q_DESCLO, VIRTIO_PCI_COMMON_Q_DESCHI -> q.desc = merge(q.desc, at, width, value, VIRTIO_PCI_COMMON_Q_DESCLO);
            case VIRTIO_PCI_COMMON_Q_AVAILLO, VIRTIO_PCI_COMMON_Q_AVAILHI -> q.driver = merge(q.driver, at, width, value, VIRTIO_PCI_COMMON_Q_AVAILLO);
            default -> q.device = merge(q.device, at, width, value, VIRTIO_PCI_COMMON_Q_USEDLO);
        }
        q.written |= switch (at) {
            case VIRTIO_PCI_COMMON_Q_DESCLO, VIRTIO_PCI_COMMON_Q_DESCHI -> 1;
            case VIRTIO_PCI_COMMON_Q_AVAILLO, VIRTIO_PCI_COMMON_Q_AVAILHI -> 2;
            default -> 4;
        };
    }

    private static long merge(long old, int at, int width, long value, int low) {
        if (width == 8) {
            return value;
        }
        return at == low ? (old & ~0xffff_ffffL) | (value & 0xffff_ffffL) : (old & 0xffff_ffffL) | (value << 32);
    }

    /** queue_enable 1: the queue's registers go to the model, which starts it at DRIVER_OK. */
    private void queueEnable(int v) {
        if (v != 1) {
            faults.count(RegisterFault.QUEUE_ENABLE_NOT_ONE);
            return;
        }
        if (select >= queues.length) {
            faults.count(RegisterFault.QUEUE_SELECT_OUT_OF_RANGE);
            return;
        }
        Queue q = queues[select];
        if (q.enabled) {
            return;
        }
        if (q.written != 7) {
            faults.count(RegisterFault.QUEUE_ENABLE_BEFORE_ADDRESS);
            return;
        }
        try {
            model.setVqNum(select, q.size);
            model.setVqAddress(select, q.desc, q.driver, q.device);
            model.setVqCb(select, callbacks[select]);
            model.setVqReady(select, true);
            q.enabled = true;
        } catch (RuntimeException refused) {
            faults.count(RegisterFault.MODEL_REFUSED);
        }
    }
}
