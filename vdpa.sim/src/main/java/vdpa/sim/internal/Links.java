package vdpa.sim.internal;

import driver.core.BusException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import linux.ffm.Tap;

/**
 * The links of one management device: cables by name, made when the first end is plugged in and
 * forgotten when the last one leaves. Loopback, TAP, sink and generator links are one per port.
 *
 * <p>Plugging is two steps, so a device can move to another link without losing the one it has
 * when the new one refuses: {@link #open} does everything that can fail (opens a TAP, finds room
 * on a cable, checks a generator's frames fit the device), {@link #attach} then connects and cannot be refused for a link just opened.
 */
final class Links {

    private final Map<String, Cable> cables = new HashMap<>();
    private final Path tapCloneDevice;

    Links() {
        this(Tap.CLONE_DEVICE);
    }

    /** With TAPs opened through {@code tapCloneDevice} (tests give one that is missing). */
    Links(Path tapCloneDevice) {
        this.tapCloneDevice = tapCloneDevice;
    }

    /** Plugs {@code port} into the link {@code spec} names; returns the link to detach it from later. */
    synchronized Link plug(LinkSpec spec, Port port) throws BusException {
        Link link = open(spec, port);
        attach(link, port);
        return link;
    }

    /**
     * The link {@code spec} names, ready for {@link #attach}ing {@code port}: a TAP is open, a cable
     * has a free end.
     *
     * @throws BusException naming why not; then nothing was opened
     */
    synchronized Link open(LinkSpec spec, Port port) throws BusException {
        return switch (spec) {
            case LinkSpec.Loopback l -> new LoopbackLink();
            case LinkSpec.Cable c -> {
                Cable cable = cables.computeIfAbsent(c.name(), Cable::new);
                String full = cable.refusal();
                if (full != null) {
                    throw new BusException(full);
                }
                yield cable;
            }
            case LinkSpec.Tap t -> TapLink.open(t, tapCloneDevice, TapLink.threads(t));
            case LinkSpec.Sink s -> new SinkLink();
            case LinkSpec.Generator g -> GeneratorLink.open(g, port);
        };
    }

    /** Connects {@code port} to a link {@link #open} gave; if it still refuses, the link is released. */
    synchronized void attach(Link link, Port port) throws BusException {
        try {
            link.attach(port);
        } catch (BusException e) {
            unplug(link, port);
            throw e;
        }
    }

    /** Unplugs {@code port} from {@code link}. */
    synchronized void unplug(Link link, Port port) {
        link.detach(port);
        forgetIfEmpty(link);
    }

    private void forgetIfEmpty(Link link) {
        if (link instanceof Cable c && c.isEmpty()) {
            cables.values().remove(c);
        }
    }
}
