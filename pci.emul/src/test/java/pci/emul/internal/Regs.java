package pci.emul.internal;

import static virtio.spec.VirtioPci.*;

import pci.bus.PciDevice;
import pci.bus.PciRegion;
import pci.bus.PciRegs;

/** A driver's-eye view of an emulated function's registers for register-level tests. */
final class Regs {

    final PciDevice f;
    final PciRegion config;
    final PciRegion bar4;
    final PciRegion bar1;

    Regs(PciDevice f) {
        this.f = f;
        this.config = f.config();
        this.bar4 = f.bar(EmulatedFunction.VIRTIO_BAR).orElseThrow().region();
        this.bar1 = f.bar(EmulatedFunction.MSIX_BAR).orElseThrow().region();
    }

    /** Memory Space and Bus Master on, as pci_enable_device and pci_set_master do. */
    Regs enable() {
        config.write16(PciRegs.PCI_COMMAND, PciRegs.PCI_COMMAND_MEMORY | PciRegs.PCI_COMMAND_MASTER);
        return this;
    }

    int r8(int common) { return bar4.read8(VirtioBar.COMMON + common); }
    int r16(int common) { return bar4.read16(VirtioBar.COMMON + common); }
    int r32(int common) { return bar4.read32(VirtioBar.COMMON + common); }
    void w8(int common, int v) { bar4.write8(VirtioBar.COMMON + common, v); }
    void w16(int common, int v) { bar4.write16(VirtioBar.COMMON + common, v); }
    void w32(int common, int v) { bar4.write32(VirtioBar.COMMON + common, v); }
    void w64(int common, long v) { bar4.write64(VirtioBar.COMMON + common, v); }

    int status() { return r8(VIRTIO_PCI_COMMON_STATUS); }
    void status(int s) { w8(VIRTIO_PCI_COMMON_STATUS, s); }

    long deviceFeatures() {
        w32(VIRTIO_PCI_COMMON_DFSELECT, 0);
        long lo = r32(VIRTIO_PCI_COMMON_DF) & 0xffff_ffffL;
        w32(VIRTIO_PCI_COMMON_DFSELECT, 1);
        return lo | (long) r32(VIRTIO_PCI_COMMON_DF) << 32;
    }

    void driverFeatures(long f) {
        w32(VIRTIO_PCI_COMMON_GFSELECT, 0);
        w32(VIRTIO_PCI_COMMON_GF, (int) f);
        w32(VIRTIO_PCI_COMMON_GFSELECT, 1);
        w32(VIRTIO_PCI_COMMON_GF, (int) (f >>> 32));
    }

    long driverFeaturesRead() {
        w32(VIRTIO_PCI_COMMON_GFSELECT, 0);
        long lo = r32(VIRTIO_PCI_COMMON_GF) & 0xffff_ffffL;
        w32(VIRTIO_PCI_COMMON_GFSELECT, 1);
        return lo | (long) r32(VIRTIO_PCI_COMMON_GF) << 32;
    }

    /** ACKNOWLEDGE, DRIVER, features, FEATURES_OK; returns the status read back. */
    int negotiate(long features) {
        status(0);
        status(1);
        status(3);
        driverFeatures(features);
        status(11);
        return status();
    }

    void select(int q) { w16(VIRTIO_PCI_COMMON_Q_SELECT, q); }

    /** Size and three addresses of the selected queue. */
    void program(int size, long desc, long driver, long device) {
        w16(VIRTIO_PCI_COMMON_Q_SIZE, size);
        w64(VIRTIO_PCI_COMMON_Q_DESCLO, desc);
        w32(VIRTIO_PCI_COMMON_Q_AVAILLO, (int) driver);
        w32(VIRTIO_PCI_COMMON_Q_AVAILHI, (int) (driver >>> 32));
        w64(VIRTIO_PCI_COMMON_Q_USEDLO, device);
    }

    long fault(RegisterFault fault) {
        return ((EmulatedFunction) f).faults().get(fault);
    }
}
