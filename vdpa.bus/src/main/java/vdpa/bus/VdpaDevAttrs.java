package vdpa.bus;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import virtio.net.api.MacAddress;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtioIds;
import virtio.spec.VirtioNet;

/**
 * What {@code vdpa dev add} asks a management device for (the kernel's vdpa_dev_set_config plus the
 * name). Absent values leave the choice to the management device.
 *
 * @param name the new device's name on the bus
 * @param mac the net device's MAC address (VDPA_ATTR_DEV_NET_CFG_MACADDR)
 * @param mtu the net device's MTU, 68..65535 as the spec bounds it (VDPA_ATTR_DEV_NET_CFG_MTU)
 * @param maxVqp the net device's queue pairs, 1..65535 (VDPA_ATTR_DEV_NET_CFG_MAX_VQP)
 * @param deviceFeatures the features the device offers (VDPA_ATTR_DEV_FEATURES)
 */
public record VdpaDevAttrs(String name, Optional<MacAddress> mac, OptionalInt mtu, OptionalInt maxVqp,
        OptionalLong deviceFeatures) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

    /** Checks each value on its own; the message names the attribute. */
    public VdpaDevAttrs {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(mtu, "mtu");
        Objects.requireNonNull(maxVqp, "maxVqp");
        Objects.requireNonNull(deviceFeatures, "deviceFeatures");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid name '" + name
                    + "': 1-64 characters of letters, digits, '_', '.', ':', '-', starting with a letter or digit");
        }
        if (mtu.isPresent() && (mtu.getAsInt() < VirtioNet.VIRTIO_NET_MIN_MTU || mtu.getAsInt() > VirtioNet.VIRTIO_NET_MAX_MTU)) {
            throw new IllegalArgumentException("invalid mtu " + mtu.getAsInt() + ": must be " + VirtioNet.VIRTIO_NET_MIN_MTU
                    + ".." + VirtioNet.VIRTIO_NET_MAX_MTU);
        }
        if (maxVqp.isPresent() && (maxVqp.getAsInt() < 1 || maxVqp.getAsInt() > 0xffff)) {
            throw new IllegalArgumentException("invalid max_vqp " + maxVqp.getAsInt() + ": at least one queue pair, at most 65535");
        }
    }

    /** Attributes with only a name. */
    public static VdpaDevAttrs named(String name) {
        return new VdpaDevAttrs(name, Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalLong.empty());
    }

    /** The attributes given (the kernel's config.mask). */
    public Set<VdpaAttr> given() {
        EnumSet<VdpaAttr> s = EnumSet.noneOf(VdpaAttr.class);
        mac.ifPresent(m -> s.add(VdpaAttr.MAC));
        mtu.ifPresent(m -> s.add(VdpaAttr.MTU));
        maxVqp.ifPresent(m -> s.add(VdpaAttr.MAX_VQP));
        deviceFeatures.ifPresent(m -> s.add(VdpaAttr.DEVICE_FEATURES));
        return s;
    }

    /**
     * Why {@code mgmtdev} cannot create a device with these attributes, or {@code null}: the
     * checks the kernel's vdpa_nl_cmd_dev_add_set_doit makes before calling dev_add, plus the
     * feature and queue limits the management device advertises. The bus's shell runs it before
     * {@link VdpaMgmtDevice#add}; other callers should too.
     */
    public String refusalFor(VdpaMgmtDevice mgmtdev) {
        Set<VdpaAttr> given = given();
        List<String> unsupported = new ArrayList<>();
        for (VdpaAttr a : given) {
            if (!mgmtdev.configAttributes().contains(a)) {
                unsupported.add(a.word());
            }
        }
        if (!unsupported.isEmpty()) {
            return "mgmtdev " + mgmtdev.name() + " does not support attributes: " + String.join(", ", unsupported);
        }
        boolean net = given.stream().anyMatch(VdpaAttr::isNet);
        if (net && !mgmtdev.supportedClasses().contains(VirtioIds.VIRTIO_ID_NET)) {
            return "network attributes given but mgmtdev " + mgmtdev.name() + " creates no network devices";
        }
        if (deviceFeatures.isPresent()) {
            long f = deviceFeatures.getAsLong();
            long extra = f & ~mgmtdev.supportedFeatures();
            if (extra != 0) {
                return "device_features 0x" + Long.toHexString(f) + " has bits mgmtdev " + mgmtdev.name()
                        + " does not support: 0x" + Long.toHexString(extra);
            }
            long missing = 0;
            if (mac.isPresent() && !VirtioFeatures.has(f, VirtioNet.VIRTIO_NET_F_MAC)) {
                missing |= VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_MAC);
            }
            if (mtu.isPresent() && !VirtioFeatures.has(f, VirtioNet.VIRTIO_NET_F_MTU)) {
                missing |= VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_MTU);
            }
            if (maxVqp.isPresent() && maxVqp.getAsInt() > 1 && !VirtioFeatures.has(f, VirtioNet.VIRTIO_NET_F_MQ)) {
                missing |= VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_MQ);
            }
            if (missing != 0) {
                return "device_features lack 0x" + Long.toHexString(missing) + " needed by the attributes given";
            }
        }
        if (maxVqp.isPresent() && 2L * maxVqp.getAsInt() > mgmtdev.maxSupportedVqs()) {
            return "max_vqp " + maxVqp.getAsInt() + " needs " + 2L * maxVqp.getAsInt() + " virtqueues but mgmtdev "
                    + mgmtdev.name() + " supports " + mgmtdev.maxSupportedVqs();
        }
        return null;
    }
}
