package vdpa.hw.pci;

import virtio.spec.VirtioPci;

/** The names under which the virtio-pci vDPA driver and its management devices appear. */
public final class VpVdpa {
    private VpVdpa() {}

    /** The driver's name on the PCI bus (the kernel's vp_vdpa). */
    public static final String DRIVER_NAME = "vp_vdpa";

    /**
     * What the driver binds: modern virtio functions, vendor 0x1af4 and device 0x1040..0x107f (the
     * ids are Integer properties, so the numbers are decimal).
     */
    public static final String MATCH = "(&(pci.vendor=" + VirtioPci.VIRTIO_PCI_VENDOR_ID + ")(pci.device>="
            + VirtioPci.VIRTIO_PCI_MODERN_DEVICE_ID_BASE + ")(pci.device<=" + VirtioPci.VIRTIO_PCI_MODERN_DEVICE_ID_LAST + "))";

    /** A function's management device is named this plus its address: {@code pci/0000:00:04.0}. */
    public static final String MGMTDEV_PREFIX = "pci/";

    /**
     * Factory PID of persistent {@code vdpa dev add}s on these management devices: properties
     * {@value #PROP_NAME} and {@value #PROP_MGMTDEV}, optionally {@value #PROP_DEVICE_FEATURES}. The
     * device is added whenever its management device is there (a function bound to this driver) and
     * deleted with the configuration.
     */
    public static final String DEV_FACTORY_PID = "vdpa.hw.pci.dev";
    /** Configuration property: the vDPA device's name. */
    public static final String PROP_NAME = "name";
    /** Configuration property: the management device, {@code pci/<slot>}. */
    public static final String PROP_MGMTDEV = "mgmtdev";
    /** Configuration property: the features the device offers, hex; default all the function offers. */
    public static final String PROP_DEVICE_FEATURES = "device_features";
}
