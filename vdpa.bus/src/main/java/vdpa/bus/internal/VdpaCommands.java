package vdpa.bus.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import shell.format.Listing;
import vdpa.bus.VdpaBus;
import vdpa.bus.VdpaMgmtDevice;

/**
 * Gogo commands {@code vdpa:mgmtdev} and {@code vdpa:dev}, following iproute2's {@code vdpa} words.
 * They return records (a shell.format {@link Listing}); errors are thrown as
 * {@link IllegalArgumentException}, which Gogo prints as one line.
 */
@Component(service = VdpaCommands.class, property = {
        "osgi.command.scope=vdpa", "osgi.command.function=mgmtdev", "osgi.command.function=dev"})
public final class VdpaCommands {

    private final List<VdpaMgmtDevice> mgmtdevs = new CopyOnWriteArrayList<>();
    private final VdpaShell shell;

    @Activate
    public VdpaCommands(@Reference(name = "bus") VdpaBus bus) {
        this.shell = new VdpaShell(bus, () -> mgmtdevs);
    }

    @Reference(name = "mgmtdev", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addMgmtdev(VdpaMgmtDevice m) {
        mgmtdevs.add(m);
    }

    void removeMgmtdev(VdpaMgmtDevice m) {
        mgmtdevs.remove(m);
    }

    @Descriptor("show management devices: mgmtdev [show [<name>]]")
    public Listing<?> mgmtdev(@Descriptor(Listing.JSON_HELP)
            @Parameter(names = {Listing.JSON_OPTION, Listing.JSON_OPTION_LONG}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("show [<name>]") String... args) {
        return shell.mgmtdev(List.of(args)).asJson(json);
    }

    @Descriptor("vDPA devices: dev [show [<name>]] | dev add name <name> mgmtdev <mgmtdev> [mac <aa:bb:cc:dd:ee:ff>]"
            + " [mtu <n>] [max_vqp <n>] [device_features <hex>] | dev del <name> | dev vstats show <name> qidx <n>"
            + " | dev config show [<name>]")
    public Listing<?> dev(@Descriptor(Listing.JSON_HELP)
            @Parameter(names = {Listing.JSON_OPTION, Listing.JSON_OPTION_LONG}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("show|add|del|vstats|config and their arguments") String... args) {
        Listing<?> answer = shell.dev(List.of(args));
        return answer == null ? null : answer.asJson(json);
    }
}
