package vdpa.sim.internal;

import driver.core.BusException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import virtio.net.api.MacAddress;
import vdpa.bus.VdpaDevAttrs;
import vdpa.sim.VdpaSimNet;

/**
 * One device per factory configuration of {@value VdpaSimNet#FACTORY_PID}, created through the
 * same path as {@code vdpa dev add}: deleting the configuration deletes the device; a modified
 * configuration recreates it (no {@code @Modified}: DS deactivates and activates again). A
 * configuration the management device refuses fails activation with the reason in the log.
 */
@Designate(ocd = SimNetConfig.class, factory = true)
@Component(configurationPid = VdpaSimNet.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
public final class SimNetConfigComponent {

    /** File Install's property naming the file a configuration came from. */
    static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";

    private final SimNetMgmtDevice mgmt;
    private final String name;

    @Activate
    public SimNetConfigComponent(@Reference(name = "mgmtdev") SimNetMgmtDevice mgmt, SimNetConfig config,
            Map<String, Object> properties) throws BusException {
        this.mgmt = mgmt;
        NetParams p = params(config, properties);
        this.name = p.name();
        mgmt.add(p);
    }

    @Deactivate
    void deactivate() throws BusException {
        mgmt.delete(name);
    }

    /**
     * The device a configuration asks for, checked as {@code vdpa dev add} checks its attributes.
     *
     * @throws BusException naming the property at fault
     */
    static NetParams params(SimNetConfig c, Map<String, Object> properties) throws BusException {
        String name = c.name().isBlank() ? alias(properties) : c.name().strip();
        if (name == null) {
            throw new BusException("configuration " + properties.get("service.pid") + " has no name and no file alias");
        }
        try {
            Optional<MacAddress> mac = c.mac().isBlank() ? Optional.empty() : Optional.of(MacAddress.parse(c.mac().strip()));
            VdpaDevAttrs attrs = new VdpaDevAttrs(name, mac, OptionalInt.of(c.mtu()), OptionalInt.of(c.max__vqp()),
                    OptionalLong.empty());
            return NetParams.of(attrs, LinkSpec.parse(c.link()));
        } catch (IllegalArgumentException e) {
            throw new BusException(VdpaSimNet.FACTORY_PID + " " + name + ": " + e.getMessage());
        }
    }

    /** {@code <alias>} of {@code .../vdpa.sim.net-<alias>.cfg}, or null. */
    static String alias(Map<String, Object> properties) {
        Object f = properties.get(FILEINSTALL_FILENAME);
        if (f == null) {
            return null;
        }
        String s = f.toString();
        s = s.substring(Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\')) + 1);
        String prefix = VdpaSimNet.FACTORY_PID + "-";
        if (!s.startsWith(prefix) || s.length() <= prefix.length()) {
            return null;
        }
        s = s.substring(prefix.length());
        int dot = s.lastIndexOf('.');
        return dot > 0 ? s.substring(0, dot) : s;
    }
}
