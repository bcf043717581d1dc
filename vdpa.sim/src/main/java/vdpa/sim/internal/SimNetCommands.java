package vdpa.sim.internal;

import driver.core.BusException;
import driver.core.shell.Json;
import driver.core.shell.Table;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands {@code vdpasim:show} and {@code vdpasim:link}: the simulator's own knobs, which
 * iproute2's {@code vdpa} has no words for. Errors are {@link IllegalArgumentException}s, one line each.
 */
@Component(service = SimNetCommands.class, property = {
        "osgi.command.scope=vdpasim", "osgi.command.function=show", "osgi.command.function=link"})
public final class SimNetCommands {

    private final SimNetMgmtDevice mgmt;

    @Activate
    public SimNetCommands(@Reference(name = "mgmtdev") SimNetMgmtDevice mgmt) {
        this.mgmt = mgmt;
    }

    @Descriptor("list simulated devices with their links")
    public String show(
            @Descriptor("print JSON") @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json) {
        List<SimNetMgmtDevice.Info> rows = mgmt.list();
        if (json) {
            return Json.write(rows);
        }
        Table t = new Table("DEVICE", "MAC", "MTU", "MAX_VQP", "LINK", "STATE", "CONFIG_REFUSED");
        for (SimNetMgmtDevice.Info i : rows) {
            t.row(i.name(), i.mac(), i.mtu(), i.maxVqp(), i.link(), i.linkUp() ? "up" : "down", i.configRefused());
        }
        return t.toString();
    }

    @Descriptor("move a device's wire: link <dev> loopback|cable:<name>")
    public String link(@Descriptor("device name") String device, @Descriptor("loopback or cable:<name>") String link) {
        try {
            mgmt.relink(device, LinkSpec.parse(link));
        } catch (BusException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return null;
    }
}
