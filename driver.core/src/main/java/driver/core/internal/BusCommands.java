package driver.core.internal;

import static shell.format.Table.column;

import driver.core.BindingState;
import driver.core.Bus;
import driver.core.BusException;
import driver.core.DeviceInfo;
import driver.core.DriverInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import shell.format.Listing;
import shell.format.Table;

/**
 * {@code bus:*} shell commands: list buses, their devices and drivers, and steer bindings. Each
 * returns records in a {@link Listing} (shell.format prints it as a table, or JSON with
 * {@code -j}); a refusal throws with one line naming what was wrong, and changes nothing.
 */
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
    public record DriverRow(String bus, String driver, int ranking, String match, String probe, String bundle, List<String> devices) {}

    static final Table<BusRow> BUSES = Table.of(column("BUS", BusRow::bus), column("DEVICES", BusRow::devices),
            column("BOUND", BusRow::bound), column("DRIVERS", BusRow::drivers));

    static final Table<DeviceRow> DEVICES = Table.of(column("BUS", DeviceRow::bus), column("DEVICE", DeviceRow::device),
            column("STATE", DeviceRow::state), column("DRIVER", DeviceRow::driver), column("OVERRIDE", DeviceRow::override),
            column("NOTE", DeviceRow::note));

    static final Table<DriverRow> DRIVERS = Table.of(column("BUS", DriverRow::bus), column("DRIVER", DriverRow::driver),
            column("RANK", DriverRow::ranking), column("MATCH", DriverRow::match), column("PROBE", DriverRow::probe),
            column("BUNDLE", DriverRow::bundle),
            column("DEVICES", r -> r.devices().isEmpty() ? null : String.join(",", r.devices())));

    @Descriptor("list the buses with their device and driver counts")
    public Listing<BusRow> list(@Descriptor(Listing.JSON_HELP)
            @Parameter(names = {Listing.JSON_OPTION, Listing.JSON_OPTION_LONG}, absentValue = "false", presentValue = "true") boolean json) {
        List<BusRow> rows = new ArrayList<>();
        for (Bus<?> b : buses.values()) {
            List<DeviceInfo> devs = b.devices();
            int bound = (int) devs.stream().filter(d -> d.driver() != null && d.state() == BindingState.BOUND).count();
            rows.add(new BusRow(b.name(), devs.size(), bound, b.drivers().size()));
        }
        return Listing.of(rows, BUSES).asJson(json);
    }

    @Descriptor("list devices and what they are bound to")
    public Listing<DeviceRow> devices(@Descriptor(Listing.JSON_HELP)
            @Parameter(names = {Listing.JSON_OPTION, Listing.JSON_OPTION_LONG}, absentValue = "false", presentValue = "true") boolean json) {
        return devices(json, (String) null);
    }

    @Descriptor("list the devices of one bus and what they are bound to")
    public Listing<DeviceRow> devices(@Descriptor(Listing.JSON_HELP)
            @Parameter(names = {Listing.JSON_OPTION, Listing.JSON_OPTION_LONG}, absentValue = "false", presentValue = "true") boolean json,
            @Descriptor("only this bus") String bus) {
        List<DeviceRow> rows = new ArrayList<>();
        for (Bus<?> b : select(bus)) {
            for (DeviceInfo d : b.devices()) {
                rows.add(row(b, d));
            }
        }
        return Listing.of(rows, DEVICES).asJson(json);
    }

    @Descriptor("list drivers with their match rules and bound devices")
    public Listing<DriverRow> drivers(@Descriptor(Listing.JSON_HELP)
            @Parameter(names = {Listing.JSON_OPTION, Listing.JSON_OPTION_LONG}, absentValue = "false", presentValue = "true") boolean json) {
        return drivers(json, (String) null);
    }

    @Descriptor("list the drivers of one bus")
    public Listing<DriverRow> drivers(@Descriptor(Listing.JSON_HELP)
            @Parameter(names = {Listing.JSON_OPTION, Listing.JSON_OPTION_LONG}, absentValue = "false", presentValue = "true") boolean json,
            @Descriptor("only this bus") String bus) {
        List<DriverRow> rows = new ArrayList<>();
        for (Bus<?> b : select(bus)) {
            for (DriverInfo d : b.drivers()) {
                rows.add(new DriverRow(b.name(), d.name(), d.ranking(), d.match(), d.autoprobe() ? "auto" : "asked", d.bundle(),
                        d.devices()));
            }
        }
        return Listing.of(rows, DRIVERS).asJson(json);
    }

    @Descriptor("bind a device to a driver (sysfs bind); prints the device as bus:devices does")
    public Listing<DeviceRow> bind(@Descriptor(Listing.JSON_HELP)
            @Parameter(names = {Listing.JSON_OPTION, Listing.JSON_OPTION_LONG}, absentValue = "false", presentValue = "true") boolean json,
            @Descriptor("bus") String bus, @Descriptor("device") String device, @Descriptor("driver") String driver)
            throws BusException {
        Bus<?> b = bus(bus);
        b.bind(device, driver);
        return deviceNow(b, device, json);
    }

    @Descriptor("unbind a device from its driver; it stays unbound until bound again (sysfs unbind)")
    public Listing<DeviceRow> unbind(@Descriptor(Listing.JSON_HELP)
            @Parameter(names = {Listing.JSON_OPTION, Listing.JSON_OPTION_LONG}, absentValue = "false", presentValue = "true") boolean json,
            @Descriptor("bus") String bus, @Descriptor("device") String device) throws BusException {
        Bus<?> b = bus(bus);
        b.unbind(device);
        return deviceNow(b, device, json);
    }

    @Descriptor("pin a device to one driver by name, or clear the pin with - (driver_override)")
    public Listing<DeviceRow> override(@Descriptor(Listing.JSON_HELP)
            @Parameter(names = {Listing.JSON_OPTION, Listing.JSON_OPTION_LONG}, absentValue = "false", presentValue = "true") boolean json,
            @Descriptor("bus") String bus, @Descriptor("device") String device,
            @Descriptor("driver name, or - to clear") String driver) throws BusException {
        Bus<?> b = bus(bus);
        b.override(device, "-".equals(driver) ? null : driver); // the shell's "-" clears the pin
        return deviceNow(b, device, json);
    }

    private static DeviceRow row(Bus<?> b, DeviceInfo d) {
        String note = d.manuallyUnbound() ? "unbound by hand" : d.lastError();
        return new DeviceRow(b.name(), d.name(), d.state().name().toLowerCase(Locale.ROOT), d.driver(), d.override(), note);
    }

    /** The device's row after a steering command (none if it left the bus meanwhile). */
    private static Listing<DeviceRow> deviceNow(Bus<?> b, String device, boolean json) {
        List<DeviceRow> rows = b.devices().stream().filter(d -> d.name().equals(device)).map(d -> row(b, d)).toList();
        return Listing.of(rows, DEVICES).asJson(json);
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
