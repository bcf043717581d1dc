package pci.bus.internal;

import driver.core.Bus;
import driver.core.BusConstants;
import driver.core.BusFactory;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import pci.bus.PciBus;
import pci.bus.PciConstants;

/**
 * The PCI bus service: one engine from the {@link BusFactory}, published as {@link PciBus} and
 * {@link Bus} with {@code bus.name=pci}. Function services appear as this bundle's.
 */
@Component(service = {PciBus.class, Bus.class}, property = BusConstants.BUS_NAME + "=" + PciConstants.BUS)
public final class PciBusComponent extends PciBusAdapter {

    /** Creating an engine returns at once; matching runs on the engine's own thread. */
    @Activate
    public PciBusComponent(@Reference(name = "factory") BusFactory factory, BundleContext context) {
        super(factory.create(context, spec()));
    }

    @Deactivate
    void deactivate() {
        close();
    }
}
