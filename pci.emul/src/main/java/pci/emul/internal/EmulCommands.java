package pci.emul.internal;

import static shell.format.Table.column;

import driver.core.BusException;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import pci.bus.PciAddress;
import shell.format.Listing;
import shell.format.Table;

/**
 * The Gogo command {@code pci:emul}: add an emulated function at a slot (it prints the function's
 * row), delete one (a hot unplug; it prints nothing), show them with the configurations refused.
 * It returns records (shell.format listings); refusals are {@link IllegalArgumentException}s, one
 * line each, thrown before anything changed.
 */
@Component(service = EmulCommands.class, property = {"osgi.command.scope=pci", "osgi.command.function=emul"})
public final class EmulCommands {

    /**
     * One row of {@code emul show}: a function, or a configuration that was refused ({@code state}
     * REFUSED, the source and reason in {@code note}).
     */
    record Row(String slot, String model, String mac, Integer mtu, Integer maxVqp, String link, String state,
            Long refusedAccesses, String note) {}

    static final Table<Row> ROWS = Table.of(column("SLOT", Row::slot), column("MODEL", Row::model), column("MAC", Row::mac),
            column("MTU", Row::mtu), column("MAX_VQP", Row::maxVqp), column("LINK", Row::link), column("STATE", Row::state),
            column("REFUSED_ACCESSES", Row::refusedAccesses), column("NOTE", Row::note));

    private final EmulProvider provider;

    @Activate
    public EmulCommands(@Reference(name = "provider") EmulProvider provider) {
        this.provider = provider;
    }

    @Descriptor("emulated PCI functions: emul show | emul add <slot> [mac <mac>] [mtu <n>] [max_vqp <n>]"
            + " [link loopback|cable:<name>] | emul del <slot>")
    public Listing<Row> emul(@Descriptor(Listing.JSON_HELP)
            @Parameter(names = {Listing.JSON_OPTION, Listing.JSON_OPTION_LONG}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("show|add|del and their arguments") String... args) {
        List<String> words = List.of(args);
        String verb = words.isEmpty() ? "show" : words.get(0);
        List<String> rest = words.isEmpty() ? List.of() : words.subList(1, words.size());
        try {
            switch (verb) {
                case "show" -> {
                    if (!rest.isEmpty()) {
                        throw new IllegalArgumentException("usage: emul show");
                    }
                    return Listing.of(rows(), ROWS).asJson(json);
                }
                case "add" -> {
                    FunctionSpec spec = FunctionSpec.parse(rest);
                    provider.add(spec);
                    String slot = spec.slot().toString();
                    return Listing.of(rows().stream().filter(r -> slot.equals(r.slot())).toList(), ROWS).asJson(json);
                }
                case "del" -> {
                    if (rest.size() != 1) {
                        throw new IllegalArgumentException("usage: emul del <slot>");
                    }
                    provider.delete(PciAddress.parse(rest.get(0)));
                    return null;
                }
                default -> throw new IllegalArgumentException("unknown emul command '" + verb + "' (expected show, add, del)");
            }
        } catch (BusException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The functions, then the refused configurations. */
    List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (EmulProvider.Info i : provider.list()) {
            rows.add(new Row(i.slot(), i.model(), i.mac(), i.mtu(), i.maxVqp(), i.link(), i.linkUp() ? "up" : "down",
                    i.refusedAccesses(), null));
        }
        for (EmulProvider.Refusal r : provider.refusals()) {
            rows.add(new Row(null, null, null, null, null, null, "REFUSED", null, r.source() + ": " + r.reason()));
        }
        return rows;
    }
}
