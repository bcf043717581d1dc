package driver.core.internal;

import driver.core.Bus;
import driver.core.BusConstants;
import driver.core.BusException;
import driver.core.DeviceInfo;
import driver.core.DriverInfo;
import driver.core.shell.Json;
import driver.core.shell.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** {@code bus:*} shell commands: list buses, their devices and drivers, and steer bindings. */
@Component(service = BusCommands.class, property = {
    "osgi.command.scope=bus",
    "osgi.command.function=list", "osgi.command.function=devices", "osgi.command.function=drivers",
    "osgi.command.function=bind", "osgi.command.function=unbind", "osgi.command.function=override"
})
public final class BusCommands {

    private final Map<String, Bus<?>> buses = new ConcurrentSkipListMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addBus(Bus<?> bus) {
        buses.put(bus.name(), bus);
    }

    void removeBus(Bus<?> bus) {
        buses.remove(bus.name(), bus);
    }

    /** One line of {@code bus:list}. */
    public record BusRow(String bus, int devices, int bound, int drivers) {}

    /** One line of {@code bus:devices}. */
    public record DeviceRow(String bus, String device, String state, String driver, String override, String note) {}

    /** One line of {@code bus:drivers}. */
    public record DriverRow(String bus, String driver, int ranking, String match, String bundle, List<String> devices) {}

    @Descriptor("list the buses with their device and driver counts")
    public String list(@Descriptor("print JSON") @Parameter(names = {"-j", "--json"}, absentValue = "false", presentValue = "true") boolean json) {
        List<BusRow> rows = new ArrayList<>();
        for (Bus<?> b : buses.values()) {
            List<DeviceInfo> devs = b.devices();
            int bound = (int) devs.stream().filter(d -> d.driver() != null && d.state() == driver.core.BindingState.BOUND).count();
            rows.add(new BusRow(b.name(), devs.size(), bound, b.drivers().size()));
        }
        if (json) {
            return Json.write(rows);
        }
        Table t = new Table("BUS", "DEVICES", "BOUND", "DRIVERS");
        rows.forEach(r -> t.row(r.bus(), r.devices(), r.bound(), r.drivers()));
        return t.toString();
    }

    @Descriptor("list devices and what they are bound to")
    public String devices(
            @Descriptor("print JSON") @Parameter(names = {"-j", "--json"}, absentValue = "false", presentValue = "true") boolean json) {
        return devices(json, (String) null);
    }

    @Descriptor("list the devices of one bus and what they are bound to")
    public String devices(
            @Descriptor("print JSON") @Parameter(names = {"-j", "--json"}, absentValue = "false", presentValue = "true") boolean json,
            @Descriptor("only this bus") String bus) {
        List<DeviceRow> rows = new ArrayList<>();
        for (Bus<?> b : select(bus)) {
            for (DeviceInfo d : b.devices()) {
                String note = d.manuallyUnbound() ? "unbound by hand" : d.lastError();
                rows.add(new DeviceRow(b.name(), d.name(), d.state().name().toLowerCase(), d.driver(), d.override(), note));
            }
        }
        if (json) {
            return Json.write(rows);
        }
        Table t = new Table("BUS", "DEVICE", "STATE", "DRIVER", "OVERRIDE", "NOTE");
        rows.forEach(r -> t.row(r.bus(), r.device(), r.state(), r.driver(), r.override(), r.note()));
        return t.toString();
    }

    @Descriptor("list drivers with their match rules and bound devices")
    public String drivers(
            @Descriptor("print JSON") @Parameter(names = {"-j", "--json"}, absentValue = "false", presentValue = "true") boolean json) {
        return drivers(json, (String) null);
    }

    @Descriptor("list the drivers of one bus")
    public String drivers(
            @Descriptor("print JSON") @Parameter(names = {"-j", "--json"}, absentValue = "false", presentValue = "true") boolean json,
            @Descriptor("only this bus") String bus) {
        List<DriverRow> rows = new ArrayList<>();
        for (Bus<?> b : select(bus)) {
            for (DriverInfo d : b.drivers()) {
                rows.add(new DriverRow(b.name(), d.name(), d.ranking(), d.match(), d.bundle(), d.devices()));
            }
        }
        if (json) {
            return Json.write(rows);
        }
        Table t = new Table("BUS", "DRIVER", "RANK", "MATCH", "BUNDLE", "DEVICES");
        rows.forEach(r -> t.row(r.bus(), r.driver(), r.ranking(), r.match(), r.bundle(),
                r.devices().isEmpty() ? null : String.join(",", r.devices())));
        return t.toString();
    }

    @Descriptor("bind a device to a driver (sysfs bind)")
    public String bind(@Descriptor("bus") String bus, @Descriptor("device") String device, @Descriptor("driver") String driver)
            throws BusException {
        bus(bus).bind(device, driver);
        return device + " bound to " + driver;
    }

    @Descriptor("unbind a device from its driver; it stays unbound until bound again (sysfs unbind)")
    public String unbind(@Descriptor("bus") String bus, @Descriptor("device") String device) throws BusException {
        bus(bus).unbind(device);
        return device + " unbound";
    }

    @Descriptor("pin a device to one driver by name, or clear the pin with - (driver_override)")
    public String override(@Descriptor("bus") String bus, @Descriptor("device") String device,
            @Descriptor("driver name, or - to clear") String driver) throws BusException {
        bus(bus).override(device, "-".equals(driver) ? null : driver); // TODO(shell): the shell's "-" means clear
        return "-".equals(driver) ? device + ": " + BusConstants.DRIVER_OVERRIDE + " cleared"
                : device + ": " + BusConstants.DRIVER_OVERRIDE + "=" + driver;
    }

    private List<Bus<?>> select(String name) {
        return name == null ? List.copyOf(buses.values()) : List.of(busOrThrow(name));
    }

    private Bus<?> bus(String name) throws BusException {
        Bus<?> b = buses.get(name);
        if (b == null) {
            throw new BusException("no bus '" + name + "' (buses: " + String.join(", ", buses.keySet()) + ")");
        }
        return b;
    }

    private Bus<?> busOrThrow(String name) {
        try {
            return bus(name);
        } catch (BusException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }
}
