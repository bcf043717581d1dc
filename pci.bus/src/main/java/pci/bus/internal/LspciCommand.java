package pci.bus.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import pci.bus.PciBus;
import pci.bus.PciProvider;
import shell.format.Listing;

/**
 * The Gogo command {@code pci:lspci}: the functions on the PCI bus and what each provider found,
 * returned as one report (a shell.format listing) and printed by {@link LspciFormat}.
 */
@Component(service = LspciCommand.class, property = {"osgi.command.scope=pci", "osgi.command.function=lspci"})
public final class LspciCommand {

    private final PciBus bus;
    private final List<PciProvider> providers = new CopyOnWriteArrayList<>();

    @Activate
    public LspciCommand(@Reference(name = "bus") PciBus bus) {
        this.bus = bus;
    }

    @Reference(name = "provider", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addProvider(PciProvider p) {
        providers.add(p);
    }

    void removeProvider(PciProvider p) {
        providers.remove(p);
    }

    /** What the command shows, before it is printed. */
    Lspci rows() {
        return Lspci.of(bus, List.copyOf(providers));
    }

    @Descriptor("list PCI functions: address, ids, class, provider, driver; -v adds regions, capabilities and counters")
    public Listing<Lspci> lspci(
            @Descriptor("verbose: regions, capabilities, driver, counters") @Parameter(names = {"-v", "--verbose"}, presentValue = "true", absentValue = "false") boolean verbose,
            @Descriptor(Listing.JSON_HELP) @Parameter(names = {Listing.JSON_OPTION, Listing.JSON_OPTION_LONG}, presentValue = "true", absentValue = "false") boolean json) {
        return Listing.of(List.of(rows()), verbose ? LspciFormat.VERBOSE : LspciFormat.SHORT).asJson(json);
    }
}
