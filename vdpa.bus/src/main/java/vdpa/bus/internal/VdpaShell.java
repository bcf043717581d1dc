package vdpa.bus.internal;

import driver.core.BindingState;
import driver.core.BusException;
import driver.core.DeviceInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import shell.format.Listing;
import vdpa.bus.VdpaBus;
import vdpa.bus.VdpaConstants;
import vdpa.bus.VdpaMgmtDevice;
import vdpa.bus.VdpaRefusal;
import virtio.spec.VirtioIds;

/**
 * The {@code vdpa} commands without the shell: words in, records out (shell.format prints them as
 * text or JSON). Every refusal is an {@link IllegalArgumentException} with one line naming what
 * was wrong, thrown before anything changed.
 */
final class VdpaShell {

    private final VdpaBus bus;
    private final Supplier<? extends Collection<VdpaMgmtDevice>> mgmtdevs;

    VdpaShell(VdpaBus bus, Supplier<? extends Collection<VdpaMgmtDevice>> mgmtdevs) {
        this.bus = bus;
        this.mgmtdevs = mgmtdevs;
    }

    /** {@code mgmtdev [show [name]]}. */
    Listing<ShellRows.Mgmtdev> mgmtdev(List<String> args) {
        List<String> rest = subcommand(args, "mgmtdev", "show");
        if (rest.size() > 1) {
            throw new IllegalArgumentException("mgmtdev show takes at most one name, got " + rest);
        }
        List<ShellRows.Mgmtdev> rows = new ArrayList<>();
        for (VdpaMgmtDevice m : sorted()) {
            if (rest.isEmpty() || rest.get(0).equals(m.name())) {
                rows.add(row(m));
            }
        }
        if (!rest.isEmpty() && rows.isEmpty()) {
            throw new IllegalArgumentException("no mgmtdev '" + rest.get(0) + "'");
        }
        return Listing.of(rows, ShellFormat.MGMTDEV);
    }

    /**
     * {@code dev [show [name]] | dev add ... | dev del <name> | dev vstats show <name> qidx <N> |
     * dev config [show [name]]}. Add and del return nothing on success, as iproute2 prints nothing.
     */
    Listing<?> dev(List<String> args) {
        String verb = args.isEmpty() ? "show" : args.get(0);
        List<String> rest = args.isEmpty() ? List.of() : args.subList(1, args.size());
        return switch (verb) {
            case "show", "list" -> show(rest);
            case "add" -> {
                add(rest);
                yield null;
            }
            case "del" -> {
                del(rest);
                yield null;
            }
            case "vstats" -> VdpaVstats.run(bus, rest);
            case "config" -> VdpaConfigShow.run(bus, subcommand(rest, "dev config", "show"));
            default -> throw new IllegalArgumentException("unknown dev command '" + verb + "' (expected show, add, del, vstats, config)");
        };
    }

    private Listing<ShellRows.DevRow> show(List<String> rest) {
        if (rest.size() > 1) {
            throw new IllegalArgumentException("dev show takes at most one name, got " + rest);
        }
        List<ShellRows.DevRow> rows = new ArrayList<>();
        for (DeviceInfo d : bus.devices()) {
            if (rest.isEmpty() || rest.get(0).equals(d.name())) {
                rows.add(row(d));
            }
        }
        if (!rest.isEmpty() && rows.isEmpty()) {
            throw new IllegalArgumentException("no device '" + rest.get(0) + "'");
        }
        if (rest.isEmpty()) {
            rows.addAll(refused());
        }
        return Listing.of(rows, ShellFormat.DEV);
    }

    /** What the management devices refused to create from configuration, by management device. */
    private List<ShellRows.Refused> refused() {
        List<ShellRows.Refused> rows = new ArrayList<>();
        for (VdpaMgmtDevice m : sorted()) {
            for (VdpaRefusal r : m.refusals()) {
                rows.add(new ShellRows.Refused(r.source(), m.name(), r.reason()));
            }
        }
        return rows;
    }

    private void add(List<String> words) {
        DevAddRequest req = DevAddRequest.parse(words);
        VdpaMgmtDevice m = find(req.mgmtdev())
                .orElseThrow(() -> new IllegalArgumentException("no mgmtdev '" + req.mgmtdev() + "'"));
        String name = req.attrs().name();
        if (bus.devices().stream().anyMatch(d -> d.name().equals(name))) {
            throw new IllegalArgumentException("device name '" + name + "' is already taken");
        }
        String refusal = req.attrs().refusalFor(m);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
        try {
            m.add(req.attrs());
        } catch (BusException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private void del(List<String> words) {
        if (words.size() != 1) {
            throw new IllegalArgumentException("dev del takes exactly one device name");
        }
        String name = words.get(0);
        DeviceInfo d = bus.devices().stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no device '" + name + "'"));
        Object owner = d.properties().get(VdpaConstants.MGMTDEV);
        if (!(owner instanceof String o)) {
            throw new IllegalArgumentException("device '" + name + "' was not created by a management device");
        }
        VdpaMgmtDevice m = find(o).orElseThrow(() -> new IllegalArgumentException("mgmtdev '" + o + "' of device '" + name + "' is gone"));
        try {
            m.delete(name);
        } catch (BusException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    static List<String> subcommand(List<String> args, String command, String only) {
        if (args.isEmpty()) {
            return List.of();
        }
        if (!args.get(0).equals(only)) {
            throw new IllegalArgumentException("unknown " + command + " command '" + args.get(0) + "' (expected " + only + ")");
        }
        return args.subList(1, args.size());
    }

    private Optional<VdpaMgmtDevice> find(String name) {
        return mgmtdevs.get().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    private List<VdpaMgmtDevice> sorted() {
        List<VdpaMgmtDevice> list = new ArrayList<>(mgmtdevs.get());
        list.sort(Comparator.comparing(VdpaMgmtDevice::name));
        return list;
    }

    private static ShellRows.Mgmtdev row(VdpaMgmtDevice m) {
        List<Integer> ids = m.supportedClasses().stream().sorted().toList();
        boolean net = ids.equals(List.of(VirtioIds.VIRTIO_ID_NET));
        return new ShellRows.Mgmtdev(m.name(), ids.stream().map(VirtioNames::className).toList(), m.maxSupportedVqs(),
                VirtioNames.features(m.supportedFeatures(), net));
    }

    private static ShellRows.Dev row(DeviceInfo d) {
        var p = d.properties();
        return new ShellRows.Dev(d.name(), VirtioNames.typeName(intOf(p.get(VdpaConstants.VIRTIO_DEVICE_ID))),
                p.get(VdpaConstants.MGMTDEV) instanceof String s ? s : null, intOf(p.get(VdpaConstants.VIRTIO_VENDOR_ID)),
                intOf(p.get(VdpaConstants.MAX_VQS)), intOf(p.get(VdpaConstants.MAX_VQ_SIZE)),
                // the driver of a device it is still probing (or removing) is not its driver yet
                d.state() == BindingState.BOUND ? d.driver() : null);
    }

    private static int intOf(Object o) {
        return o instanceof Integer i ? i : 0;
    }
}
