package vdpa.hw.pci.internal;

import driver.core.BusConstants;
import driver.core.BusException;
import driver.core.DeviceRegistration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import vdpa.bus.VdpaAttr;
import vdpa.bus.VdpaBus;
import vdpa.bus.VdpaConstants;
import vdpa.bus.VdpaDevAttrs;
import vdpa.bus.VdpaMgmtDevice;
import vdpa.bus.VdpaRefusal;
import vdpa.hw.pci.VpVdpa;
import virtio.spec.VirtioFeatures;

/**
 * The management device of one bound function ({@code pci/<slot>}): {@code vdpa dev add} makes
 * its one vDPA device (a function is one device), which may offer fewer features than the
 * function ({@code device_features}); the other attributes are the function's own (its config
 * space is read-only to a driver). Deleting the device, or the function going, unregisters it:
 * the vDPA bus removes its driver, and with it everything built above, first.
 */
final class VpMgmtDevice implements VdpaMgmtDevice {

    private final String name;
    private final VpModern hw;
    private final VdpaBus bus;
    private final List<VdpaRefusal> refusals = new CopyOnWriteArrayList<>();
    private String deviceName;
    private VpVdpaDevice device;
    private DeviceRegistration registration;
    private boolean closed;

    VpMgmtDevice(VpModern hw, VdpaBus bus) {
        this.name = VpVdpa.MGMTDEV_PREFIX + hw.function().address();
        this.hw = hw;
        this.bus = bus;
    }

    @Override public String name() { return name; }
    @Override public int maxSupportedVqs() { return hw.numQueues(); }
    @Override public long supportedFeatures() { return hw.deviceFeatures(); }
    @Override public Set<VdpaAttr> configAttributes() { return EnumSet.of(VdpaAttr.DEVICE_FEATURES); }
    @Override public List<VdpaRefusal> refusals() { return List.copyOf(refusals); }

    @Override
    public Set<Integer> supportedClasses() {
        return Set.of(hw.function().config().read16(pci.bus.PciRegs.PCI_DEVICE_ID) - virtio.spec.VirtioPci.VIRTIO_PCI_MODERN_DEVICE_ID_BASE);
    }

    /** The name of the device made here, or null. */
    synchronized String deviceName() {
        return deviceName;
    }

    /**
     * dev_add: resets the function, reads what it presents, and registers the device (outside the
     * lock: listeners of the registration run on this thread). The name is reserved first.
     */
    @Override
    public void add(VdpaDevAttrs attrs) throws BusException {
        String refusal = attrs.refusalFor(this);
        if (refusal != null) {
            throw new BusException(refusal);
        }
        long features = attrs.deviceFeatures().orElse(-1L);
        if (!VirtioFeatures.has(features & hw.deviceFeatures(), VirtioFeatures.VIRTIO_F_VERSION_1)) {
            throw new BusException("device_features must include VERSION_1: " + name + " is driven as a modern device");
        }
        synchronized (this) {
            if (closed) {
                throw new BusException(name + " went away");
            }
            if (deviceName != null) {
                throw new BusException(name + " already has device '" + deviceName + "': a PCI function makes one vDPA device");
            }
            deviceName = attrs.name();
        }
        VpVdpaDevice d;
        DeviceRegistration reg;
        try {
            if (!hw.reset()) {
                throw new BusException(hw.function().address() + " did not finish its reset within " + VpModern.RESET_TIMEOUT);
            }
            d = new VpVdpaDevice(attrs.name(), hw, features);
            reg = bus.register(d, Map.of(BusConstants.DEVICE_NAME, attrs.name(), VdpaConstants.MGMTDEV, name));
        } catch (BusException | RuntimeException e) {
            synchronized (this) {
                deviceName = null;
            }
            throw e instanceof BusException b ? b : new BusException(name + ": " + e.getMessage());
        }
        boolean gone;
        synchronized (this) {
            gone = closed;
            if (!gone) {
                device = d;
                registration = reg;
            }
        }
        if (gone) {
            reg.unregister();
            d.reset();
            throw new BusException(name + " went away while '" + attrs.name() + "' was added");
        }
    }

    @Override
    public void delete(String device) throws BusException {
        DeviceRegistration reg;
        VpVdpaDevice d;
        synchronized (this) {
            if (!device.equals(deviceName) || registration == null) {
                throw new BusException(name + " did not create a device '" + device + "'"
                        + (device.equals(deviceName) ? " (it is still being added)" : ""));
            }
            reg = registration;
            d = this.device;
            registration = null;
            this.device = null;
            deviceName = null;
        }
        take(reg, d);
    }

    /** Unregisters (the vDPA driver's remove runs first), then leaves the function reset. */
    private static void take(DeviceRegistration reg, VpVdpaDevice d) {
        reg.unregister();
        try {
            d.reset();
            d.resetMap(0);
        } catch (RuntimeException e) {
            System.getLogger("vdpa.hw.pci").log(System.Logger.Level.WARNING, "{0}: reset after delete failed: {1}", d.name(), e.toString());
        }
    }

    /** A configuration asked for a device this management device refused; listed until {@link #withdraw}. */
    void refuse(VdpaRefusal r) {
        refusals.add(r);
    }

    void withdraw(String source) {
        refusals.removeIf(r -> r.source().equals(source));
    }

    /** The function goes: its device goes first. Idempotent. */
    void close() {
        DeviceRegistration reg;
        VpVdpaDevice d;
        synchronized (this) {
            closed = true;
            reg = registration;
            d = device;
            registration = null;
            device = null;
            deviceName = null;
        }
        if (reg != null) {
            take(reg, d);
        }
    }
}
