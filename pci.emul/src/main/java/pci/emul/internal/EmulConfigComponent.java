package pci.emul.internal;

import driver.core.BusException;
import driver.core.ConfigurationInput;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import pci.bus.PciAddress;
import pci.emul.PciEmul;

/**
 * One emulated function per factory configuration of {@value PciEmul#FACTORY_PID}: deleting the
 * configuration unplugs the function; a modified one replugs it. A configuration the provider
 * refuses (a bad value, an unknown property, a slot taken) does not fail the activation: the
 * component activates without a function and the provider lists the refusal, logged on one line,
 * until the configuration is fixed or removed.
 */
@Designate(ocd = EmulNetConfig.class, factory = true)
@Component(configurationPid = PciEmul.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
public final class EmulConfigComponent {

    static final List<String> PROPERTIES = List.of(PciEmul.PROP_SLOT, PciEmul.PROP_MAC, PciEmul.PROP_MTU,
            PciEmul.PROP_MAX_VQP, PciEmul.PROP_LINK);

    private final EmulProvider provider;
    private final String pid;
    /** The function made, or null if the configuration was refused. */
    private final PciAddress slot;

    @Activate
    public EmulConfigComponent(@Reference(name = "provider") EmulProvider provider, EmulNetConfig config,
            Map<String, Object> properties) {
        this.provider = provider;
        this.pid = String.valueOf(properties.get("service.pid"));
        PciAddress made = null;
        try {
            FunctionSpec spec = spec(config, properties);
            provider.add(spec);
            made = spec.slot();
        } catch (BusException refused) {
            provider.refuse(pid, new EmulProvider.Refusal(ConfigurationInput.source(properties), refused.getMessage()));
        }
        this.slot = made;
    }

    @Deactivate
    void deactivate() {
        if (slot == null) {
            provider.withdraw(pid);
            return;
        }
        try {
            provider.delete(slot);
        } catch (BusException gone) {
            // deleted by hand already (pci:emul del)
        }
    }

    /**
     * The function a configuration asks for.
     *
     * @throws BusException naming the property at fault
     */
    static FunctionSpec spec(EmulNetConfig c, Map<String, Object> properties) throws BusException {
        ConfigurationInput.knownProperties(properties, PROPERTIES);
        if (c.slot().isBlank()) {
            throw new BusException("no " + PciEmul.PROP_SLOT + ": the function's address, e.g. 0000:00:04.0");
        }
        int mtu = ConfigurationInput.number(c::mtu, PciEmul.PROP_MTU, properties);
        int maxVqp = ConfigurationInput.number(c::max__vqp, PciEmul.PROP_MAX_VQP, properties);
        try {
            return FunctionSpec.of(c.slot(), c.mac(), mtu, maxVqp, c.link());
        } catch (IllegalArgumentException e) {
            throw new BusException(e.getMessage());
        }
    }
}
