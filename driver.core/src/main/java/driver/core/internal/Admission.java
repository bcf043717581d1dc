package driver.core.internal;

import driver.core.BusConstants;
import driver.core.BusException;
import driver.core.BusFactory;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What a bus checks before a device enters it, and the properties it enters with. */
final class Admission {
    private Admission() {}

    /** What the bus publishes about a device itself; a registrant's value would contradict it. */
    private static final List<String> SET_BY_THE_BUS =
            List.of(BusConstants.DEVICE_BUS, BusConstants.DEVICE_STATE, BusConstants.DEVICE_DRIVER);

    /**
     * The registrant's properties plus the device's identity and the bus name.
     *
     * @throws BusException wrong type, no name, a property the bus sets itself, two property names
     *     that differ only in case (the registry ignores case), refused by the bus's validator, a
     *     device op that threw while the validator or the identity asked it, or a given property
     *     that contradicts what the device says of itself
     */
    static <D> Map<String, Object> admit(BusFactory.Spec<D> spec, Object device, Map<String, ?> given) throws BusException {
        if (device == null || !spec.deviceType().isInstance(device)) {
            throw new BusException("bus " + spec.name() + " takes devices of type " + spec.deviceType().getName());
        }
        Object n = given.get(BusConstants.DEVICE_NAME);
        if (!(n instanceof String name) || name.isBlank()) {
            throw new BusException("a device needs a non-empty " + BusConstants.DEVICE_NAME);
        }
        for (String key : given.keySet()) {
            if (SET_BY_THE_BUS.stream().anyMatch(key::equalsIgnoreCase)) {
                throw new BusException("property " + key + " of device " + name + " is set by the bus, not by its registrant");
            }
        }
        D d = spec.deviceType().cast(device);
        Map<String, ?> identity;
        try {
            // The validator runs first: an inconsistent device's other ops may throw.
            String refusal = spec.validator().apply(d);
            if (refusal != null) {
                throw new BusException("bus " + spec.name() + " refuses device " + name + ": " + refusal);
            }
            identity = spec.identity().apply(d);
        } catch (RuntimeException e) {
            // The one place a device's failing op becomes a refusal: validators just ask and throw.
            throw new BusException("bus " + spec.name() + " refuses device " + name
                    + ": device ops failed while being checked: " + e);
        }
        Map<String, Object> props = new LinkedHashMap<>(given);
        for (Map.Entry<String, ?> e : identity.entrySet()) {
            Object said = props.get(e.getKey());
            if (said != null && !said.equals(e.getValue())) {
                throw new BusException("property " + e.getKey() + "=" + said + " contradicts device " + name
                        + ", which says " + e.getValue());
            }
            props.put(e.getKey(), e.getValue());
        }
        props.put(BusConstants.DEVICE_BUS, spec.name());
        Map<String, String> byLowerCase = new HashMap<>();
        for (String key : props.keySet()) {
            String other = byLowerCase.putIfAbsent(key.toLowerCase(Locale.ROOT), key);
            if (other != null) {
                throw new BusException("properties " + other + " and " + key + " of device " + name + " differ only in case");
            }
        }
        return props;
    }
}
