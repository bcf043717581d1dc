package pci.emul.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import pci.bus.PciAddress;
import pci.emul.PciEmul;
import vdpa.sim.VdpaSimNet;
import vdpa.sim.model.NetModelSpec;
import virtio.net.api.MacAddress;

/**
 * One emulated net function as asked for, by a configuration or {@code pci:emul add}.
 *
 * @param slot where it sits on the bus
 * @param model the device model behind it; its name is {@code pci-<slot>}
 */
record FunctionSpec(PciAddress slot, NetModelSpec model) {

    static final int DEFAULT_MTU = VdpaSimNet.DEFAULT_MTU;
    private static final List<String> KEYWORDS = List.of(PciEmul.PROP_MAC, PciEmul.PROP_MTU, PciEmul.PROP_MAX_VQP, PciEmul.PROP_LINK);

    /**
     * A function at {@code slot}; absent values take their defaults (MAC derived from the model's
     * name, MTU 1500, one queue pair, loopback).
     *
     * @throws IllegalArgumentException naming the value at fault
     */
    static FunctionSpec of(String slot, String mac, Integer mtu, Integer maxVqp, String link) {
        PciAddress a = PciAddress.parse(slot);
        Optional<MacAddress> m = mac == null || mac.isBlank() ? Optional.empty() : Optional.of(MacAddress.parse(mac.strip()));
        return new FunctionSpec(a, new NetModelSpec(modelName(a), m, mtu == null ? DEFAULT_MTU : mtu,
                maxVqp == null ? 1 : maxVqp, link == null || link.isBlank() ? VdpaSimNet.LINK_LOOPBACK : link.strip()));
    }

    /** The model's name: {@code pci-0000:00:04.0}. */
    static String modelName(PciAddress slot) {
        return "pci-" + slot;
    }

    /**
     * Parses {@code <slot> [mac <mac>] [mtu <n>] [max_vqp <n>] [link loopback|cable:<name>]}.
     *
     * @throws IllegalArgumentException one line naming the word or value at fault
     */
    static FunctionSpec parse(List<String> words) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("usage: emul add <slot> [mac <mac>] [mtu <n>] [max_vqp <n>] [link <link>]");
        }
        Map<String, String> given = new HashMap<>();
        for (int i = 1; i < words.size(); i += 2) {
            String key = words.get(i);
            if (!KEYWORDS.contains(key)) {
                throw new IllegalArgumentException("unknown argument '" + key + "' (expected one of " + String.join(", ", KEYWORDS) + ")");
            }
            if (i + 1 >= words.size()) {
                throw new IllegalArgumentException("'" + key + "' needs a value");
            }
            if (given.putIfAbsent(key, words.get(i + 1)) != null) {
                throw new IllegalArgumentException("'" + key + "' given twice");
            }
        }
        return of(words.get(0), given.get(PciEmul.PROP_MAC), decimal(given, PciEmul.PROP_MTU),
                decimal(given, PciEmul.PROP_MAX_VQP), given.get(PciEmul.PROP_LINK));
    }

    private static Integer decimal(Map<String, String> given, String key) {
        String v = given.get(key);
        if (v == null) {
            return null;
        }
        if (!v.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("invalid " + key + " '" + v + "': not a decimal number");
        }
        return Integer.parseInt(v);
    }
}
