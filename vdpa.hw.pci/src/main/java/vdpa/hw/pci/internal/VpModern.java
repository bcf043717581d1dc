package vdpa.hw.pci.internal;

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
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_Q_NOFF;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_Q_SELECT;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_Q_SIZE;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_Q_USEDHI;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_Q_USEDLO;
import static virtio.spec.VirtioPci.VIRTIO_PCI_COMMON_STATUS;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import pci.bus.PciBar;
import pci.bus.PciDevice;

/**
 * The register accesses of a modern virtio-pci function (the kernel's virtio_pci_modern_dev.c):
 * every field of the common configuration with its natural width (64-bit ones as two 32-bit
 * halves, low first), the queue fields behind queue_select, notifications, ISR and the device
 * configuration bytes. Accesses that go through queue_select are serialized here; status, features
 * and config are single registers.
 */
final class VpModern {

    /** How long a reset may take before the function counts as broken (the kernel waits for ever). */
    static final Duration RESET_TIMEOUT = Duration.ofSeconds(2);

    private final PciDevice function;
    private final Window common;
    private final Window notify;
    private final Window isr;
    private final Window device;
    private final long multiplier;

    /** Maps the checked structures of {@code caps} onto the function's BARs. */
    VpModern(PciDevice function, VirtioPciCaps caps) {
        this.function = function;
        this.common = window(function, caps.commonCfg());
        this.notify = window(function, caps.notifyCfg());
        this.isr = window(function, caps.isrCfg());
        this.device = caps.deviceCfg() == null ? null : window(function, caps.deviceCfg());
        this.multiplier = caps.notifyMultiplier();
    }

    private static Window window(PciDevice f, VirtioPciCaps.Structure s) {
        PciBar bar = f.bar(s.bar()).orElseThrow(() -> new IllegalStateException("BAR " + s.bar() + " went away"));
        return new Window(bar.region(), s.offset(), s.length());
    }

    PciDevice function() {
        return function;
    }

    // ---------------------------------------------------------------- device

    int status() {
        return common.read8(VIRTIO_PCI_COMMON_STATUS);
    }

    void status(int s) {
        common.write8(VIRTIO_PCI_COMMON_STATUS, s);
    }

    /**
     * Writes 0 and waits for device_status to read 0 (4.1.4.3.1: the driver MUST wait for that
     * before reinitializing the device).
     *
     * @return false if it did not read 0 within {@link #RESET_TIMEOUT}
     */
    boolean reset() {
        status(0);
        long deadline = System.nanoTime() + RESET_TIMEOUT.toNanos();
        while (status() != 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(1_000_000);
        }
        return true;
    }

    synchronized long deviceFeatures() {
        common.write32(VIRTIO_PCI_COMMON_DFSELECT, 0);
        long low = common.read32(VIRTIO_PCI_COMMON_DF) & 0xffff_ffffL;
        common.write32(VIRTIO_PCI_COMMON_DFSELECT, 1);
        return low | (long) common.read32(VIRTIO_PCI_COMMON_DF) << 32;
    }

    synchronized void driverFeatures(long features) {
        common.write32(VIRTIO_PCI_COMMON_GFSELECT, 0);
        common.write32(VIRTIO_PCI_COMMON_GF, (int) features);
        common.write32(VIRTIO_PCI_COMMON_GFSELECT, 1);
        common.write32(VIRTIO_PCI_COMMON_GF, (int) (features >>> 32));
    }

    synchronized long driverFeatures() {
        common.write32(VIRTIO_PCI_COMMON_GFSELECT, 0);
        long low = common.read32(VIRTIO_PCI_COMMON_GF) & 0xffff_ffffL;
        common.write32(VIRTIO_PCI_COMMON_GFSELECT, 1);
        return low | (long) common.read32(VIRTIO_PCI_COMMON_GF) << 32;
    }

    int numQueues() {
        return common.read16(VIRTIO_PCI_COMMON_NUMQ);
    }

    int generation() {
        return common.read8(VIRTIO_PCI_COMMON_CFGGENERATION);
    }

    /** Maps config changes to {@code vector}; returns what reads back (VIRTIO_MSI_NO_VECTOR if the mapping failed). */
    int configVector(int vector) {
        common.write16(VIRTIO_PCI_COMMON_MSIX, vector);
        return common.read16(VIRTIO_PCI_COMMON_MSIX);
    }

    // ---------------------------------------------------------------- queues

    synchronized int queueSize(int q) {
        common.write16(VIRTIO_PCI_COMMON_Q_SELECT, q);
        return common.read16(VIRTIO_PCI_COMMON_Q_SIZE);
    }

    /** Writes the queue's size; returns what reads back. */
    synchronized int queueSize(int q, int size) {
        common.write16(VIRTIO_PCI_COMMON_Q_SELECT, q);
        common.write16(VIRTIO_PCI_COMMON_Q_SIZE, size);
        return common.read16(VIRTIO_PCI_COMMON_Q_SIZE);
    }

    synchronized void queueAddress(int q, long desc, long driver, long device) {
        common.write16(VIRTIO_PCI_COMMON_Q_SELECT, q);
        twoPart(VIRTIO_PCI_COMMON_Q_DESCLO, VIRTIO_PCI_COMMON_Q_DESCHI, desc);
        twoPart(VIRTIO_PCI_COMMON_Q_AVAILLO, VIRTIO_PCI_COMMON_Q_AVAILHI, driver);
        twoPart(VIRTIO_PCI_COMMON_Q_USEDLO, VIRTIO_PCI_COMMON_Q_USEDHI, device);
    }

    private void twoPart(int low, int high, long value) {
        common.write32(low, (int) value);
        common.write32(high, (int) (value >>> 32));
    }

    /** Maps the queue's events to {@code vector}; returns what reads back. */
    synchronized int queueVector(int q, int vector) {
        common.write16(VIRTIO_PCI_COMMON_Q_SELECT, q);
        common.write16(VIRTIO_PCI_COMMON_Q_MSIX, vector);
        return common.read16(VIRTIO_PCI_COMMON_Q_MSIX);
    }

    synchronized void queueEnable(int q) {
        common.write16(VIRTIO_PCI_COMMON_Q_SELECT, q);
        common.write16(VIRTIO_PCI_COMMON_Q_ENABLE, 1);
    }

    synchronized boolean queueEnabled(int q) {
        common.write16(VIRTIO_PCI_COMMON_Q_SELECT, q);
        return common.read16(VIRTIO_PCI_COMMON_Q_ENABLE) == 1;
    }

    synchronized int queueNotifyOff(int q) {
        common.write16(VIRTIO_PCI_COMMON_Q_SELECT, q);
        return common.read16(VIRTIO_PCI_COMMON_Q_NOFF);
    }

    /**
     * Where queue {@code q}'s notification goes in the notify structure: queue_notify_off times
     * the multiplier (4.1.4.4), checked to hold a 16-bit write.
     *
     * @throws IllegalStateException the function names an address outside its notify structure
     */
    long notifyOffset(int q) {
        long off = (queueNotifyOff(q) & 0xffffL) * multiplier;
        if (!notify.contains(off, 2)) {
            throw new IllegalStateException("queue " + q + "'s notify address 0x" + Long.toHexString(off)
                    + " leaves the notify structure of 0x" + Long.toHexString(notify.length()) + " bytes");
        }
        return off;
    }

    /** The notification of queue {@code q} at its checked offset: the hot path, one 16-bit write. */
    void notify(long offset, int q) {
        notify.write16(offset, q);
    }

    int isr() {
        return isr.read8(0);
    }

    // ---------------------------------------------------------------- device configuration

    /** Bytes of device configuration: the structure's length, 0 without one. */
    int configSize() {
        return device == null ? 0 : (int) Math.min(device.length(), Integer.MAX_VALUE);
    }

    int configByte(int offset) {
        return device.read8(offset);
    }

    void configByte(int offset, int value) {
        device.write8(offset, value);
    }

    static boolean mapped(int readBack, int vector) {
        return readBack == vector && readBack != VIRTIO_MSI_NO_VECTOR;
    }
}
