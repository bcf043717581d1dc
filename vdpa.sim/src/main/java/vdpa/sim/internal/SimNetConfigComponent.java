package vdpa.sim.internal;

import driver.core.BusException;
import driver.core.ConfigurationInput;
import java.util.List;
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
import vdpa.bus.VdpaRefusal;
import vdpa.sim.VdpaSimNet;

/**
 * One device per factory configuration of {@value VdpaSimNet#FACTORY_PID}, created through the
 * same path as {@code vdpa dev add}: deleting the configuration deletes the device; a modified
 * configuration recreates it (no {@code @Modified}: DS deactivates and activates again).
 *
 * <p>A configuration is input from whoever wrote the file, checked as hostile: one the management
 * device refuses (a bad value, an unknown property, a name already taken) does not fail the
 * activation, which would only get DS to print a stack trace. The component activates without a
 * device and the management device records the refusal ({@link SimNetMgmtDevice#refuse}): one log
 * line and a {@code REFUSED} row in {@code vdpa dev show}, until the configuration is fixed (DS
 * activates the component again) or removed.
 */
@Designate(ocd = SimNetConfig.class, factory = true)
@Component(configurationPid = VdpaSimNet.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
public final class SimNetConfigComponent {

    /** File Install's property naming the file a configuration came from. */
    static final String FILEINSTALL_FILENAME = ConfigurationInput.FILEINSTALL_FILENAME;
    /** The properties a configuration may set; the others it carries are namespaced (a '.' in the key). */
    static final List<String> PROPERTIES = List.of(VdpaSimNet.PROP_NAME, VdpaSimNet.PROP_MAC, VdpaSimNet.PROP_MTU,
            VdpaSimNet.PROP_MAX_VQP, VdpaSimNet.PROP_LINK, VdpaSimNet.PROP_DRIVER_OVERRIDE);

    private final SimNetMgmtDevice mgmt;
    private final String pid;
    /** The device created, or null if the configuration was refused. */
    private final String name;

    @Activate
    public SimNetConfigComponent(@Reference(name = "mgmtdev") SimNetMgmtDevice mgmt, SimNetConfig config,
            Map<String, Object> properties) {
        this.mgmt = mgmt;
        this.pid = String.valueOf(properties.get("service.pid"));
        String created = null;
        try {
            NetParams p = params(config, properties);
            mgmt.add(p, config.driver__override().strip());
            created = p.name();
        } catch (BusException refused) {
            mgmt.refuse(pid, new VdpaRefusal(ConfigurationInput.source(properties), refused.getMessage()));
        }
        this.name = created;
    }

    @Deactivate
    void deactivate() {
        if (name == null) {
            mgmt.withdraw(pid);
            return;
        }
        try {
            mgmt.delete(name);
        } catch (BusException gone) {
            // deleted by hand already (vdpa dev del): nothing left to do
        }
    }

    /**
     * The device a configuration asks for, checked as {@code vdpa dev add} checks its attributes.
     *
     * @throws BusException naming the property at fault
     */
    static NetParams params(SimNetConfig c, Map<String, Object> properties) throws BusException {
        ConfigurationInput.knownProperties(properties, PROPERTIES);
        String name = c.name().isBlank() ? alias(properties) : c.name().strip();
        if (name == null) {
            throw new BusException("no " + VdpaSimNet.PROP_NAME + " and no file alias (" + VdpaSimNet.FACTORY_PID
                    + "-<alias>.cfg)");
        }
        int mtu = ConfigurationInput.number(c::mtu, VdpaSimNet.PROP_MTU, properties);
        int maxVqp = ConfigurationInput.number(c::max__vqp, VdpaSimNet.PROP_MAX_VQP, properties);
        try {
            Optional<MacAddress> mac = c.mac().isBlank() ? Optional.empty() : Optional.of(MacAddress.parse(c.mac().strip()));
            VdpaDevAttrs attrs = new VdpaDevAttrs(name, mac, OptionalInt.of(mtu), OptionalInt.of(maxVqp), OptionalLong.empty());
            return NetParams.of(attrs, LinkSpec.parse(c.link()));
        } catch (IllegalArgumentException e) {
            throw new BusException(e.getMessage());
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
