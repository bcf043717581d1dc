package vdpa.bus;

/**
 * The attributes a management device may accept when it adds a device (the bits of the kernel's
 * vdpa_mgmt_dev.config_attr_mask, named after the VDPA_ATTR_* netlink attributes).
 */
public enum VdpaAttr {
    /** VDPA_ATTR_DEV_NET_CFG_MACADDR: the net device's MAC address. */
    MAC("mac"),
    /** VDPA_ATTR_DEV_NET_CFG_MTU: the net device's MTU. */
    MTU("mtu"),
    /** VDPA_ATTR_DEV_NET_CFG_MAX_VQP: the net device's number of queue pairs. */
    MAX_VQP("max_vqp"),
    /** VDPA_ATTR_DEV_FEATURES: the features the new device offers (a subset of the management device's). */
    DEVICE_FEATURES("device_features");

    private final String word;

    VdpaAttr(String word) {
        this.word = word;
    }

    /** The word iproute2's {@code vdpa dev add} uses for it. */
    public String word() {
        return word;
    }

    /** Whether this is a network-class attribute (VDPA_DEV_NET_ATTRS_MASK). */
    public boolean isNet() {
        return this != DEVICE_FEATURES;
    }
}
