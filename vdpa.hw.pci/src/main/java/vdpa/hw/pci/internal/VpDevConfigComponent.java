package vdpa.hw.pci.internal;

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
import vdpa.bus.VdpaDevAttrs;
import vdpa.hw.pci.VpVdpa;

/**
 * One vDPA device per factory configuration of {@value VpVdpa#DEV_FACTORY_PID}: added when the
 * named management device is there, again each time it comes back (a function replugged, the
 * driver reinstalled), deleted with the configuration. A configuration that cannot be honoured is
 * logged on one line and listed by {@code vdpa dev show} as refused; it never fails activation.
 */
@Designate(ocd = VpDevConfig.class, factory = true)
@Component(configurationPid = VpVdpa.DEV_FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
public final class VpDevConfigComponent {

    static final List<String> PROPERTIES = List.of(VpVdpa.PROP_NAME, VpVdpa.PROP_MGMTDEV, VpVdpa.PROP_DEVICE_FEATURES);

    private final VpPciDriver driver;
    private final String pid;

    @Activate
    public VpDevConfigComponent(@Reference(name = "driver") VpPciDriver driver, VpDevConfig config, Map<String, Object> properties) {
        this.driver = driver;
        this.pid = String.valueOf(properties.get("service.pid"));
        String source = ConfigurationInput.source(properties);
        try {
            ConfigurationInput.knownProperties(properties, PROPERTIES);
            if (config.mgmtdev().isBlank() || !config.mgmtdev().strip().startsWith(VpVdpa.MGMTDEV_PREFIX)) {
                throw new BusException("mgmtdev must name a PCI function's management device, " + VpVdpa.MGMTDEV_PREFIX + "<slot>");
            }
            VdpaDevAttrs attrs = new VdpaDevAttrs(config.name().strip(), Optional.empty(), OptionalInt.empty(), OptionalInt.empty(),
                    features(config.device__features()));
            driver.want(pid, new VpPciDriver.Want(source, config.mgmtdev().strip(), attrs));
        } catch (BusException | IllegalArgumentException e) {
            System.getLogger("vdpa.hw.pci").log(System.Logger.Level.WARNING, "{0} refused: {1}", source, e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        driver.unwant(pid);
    }

    private static OptionalLong features(String hex) {
        if (hex.isBlank()) {
            return OptionalLong.empty();
        }
        String digits = hex.strip().startsWith("0x") ? hex.strip().substring(2) : hex.strip();
        if (!digits.matches("[0-9a-fA-F]{1,16}")) {
            throw new IllegalArgumentException("invalid device_features '" + hex + "': not a 64-bit hex number");
        }
        return OptionalLong.of(Long.parseUnsignedLong(digits, 16));
    }
}
