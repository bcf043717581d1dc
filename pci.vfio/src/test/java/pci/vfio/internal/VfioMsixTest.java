package pci.vfio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import linux.ffm.LinuxException;
import org.junit.jupiter.api.Test;
import pci.bus.PciInterruptHandler;

/**
 * MSI-X by eventfds: real eventfds and epoll, with the kernel's side (VFIO_DEVICE_SET_IRQS routing
 * vectors to them, the device signalling them) played by the test.
 */
class VfioMsixTest {

    final List<String> routed = new ArrayList<>();
    final List<String> fired = new CopyOnWriteArrayList<>();
    final VfioMsix msix = new VfioMsix("0000:01:00.0", 6, new VfioMsix.Routing() {
        @Override public void route(int[] fds) { routed.add("route " + fds.length + " distinct " + java.util.Arrays.stream(fds).distinct().count()); }
        @Override public void unroute() { routed.add("unroute"); }
    });

    static void await(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(2);
        }
    }

    void enable(int n) {
        PciInterruptHandler h = v -> fired.add(v + " on " + Thread.currentThread().getName());
        msix.enable(Collections.nCopies(n, h));
    }

    @Test
    void aSignalledEventfdRunsItsVectorsHandlerOnThePoller() throws Exception {
        enable(3);
        assertThat(routed).containsExactly("route 3 distinct 3");
        msix.eventFd(1).write(1);
        await(() -> fired.size() == 1);
        assertThat(fired).containsExactly("1 on vfio-msix-0000:01:00.0");
        msix.eventFd(2).write(5);
        await(() -> fired.size() == 2);
        assertThat(fired.get(1)).startsWith("2 on");
        // five signals the kernel sent before one read: one handler run, five counted
        assertThat(msix.signals()).isEqualTo(6);
        msix.disable();
    }

    @Test
    void aMaskedVectorPendsAndIsDeliveredOnUnmask() throws Exception {
        enable(2);
        msix.mask(0, true);
        msix.eventFd(0).write(1);
        msix.eventFd(1).write(1);
        await(() -> fired.size() == 1);
        assertThat(fired.get(0)).startsWith("1 on");
        msix.mask(0, false);
        assertThat(fired).hasSize(2);
        assertThat(fired.get(1)).startsWith("0 on " + Thread.currentThread().getName());
        msix.disable();
    }

    @Test
    void disableUnroutesAndNoHandlerRunsAfterIt() throws Exception {
        enable(1);
        var fd = msix.eventFd(0);
        msix.disable();
        assertThat(routed).containsExactly("route 1 distinct 1", "unroute");
        assertThat(msix.enabledVectors()).isZero();
        assertThatThrownBy(() -> fd.write(1)).isInstanceOf(LinuxException.class);
        assertThat(fired).isEmpty();
        msix.disable();
        assertThatThrownBy(() -> msix.mask(0, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusalsOfTheTableSizeAndOfASecondEnable() {
        assertThatThrownBy(() -> enable(7)).isInstanceOf(IllegalArgumentException.class);
        enable(1);
        assertThatThrownBy(() -> enable(1)).isInstanceOf(IllegalStateException.class);
        msix.disable();
    }

    @Test
    void aRoutingTheKernelRefusesLeavesNothingEnabled() {
        VfioMsix refused = new VfioMsix("x", 2, new VfioMsix.Routing() {
            @Override public void route(int[] fds) throws LinuxException { throw new LinuxException("ioctl", 22, "VFIO_DEVICE_SET_IRQS"); }
            @Override public void unroute() {}
        });
        assertThatThrownBy(() -> refused.enable(List.of(v -> {}))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ioctl: EINVAL");
        assertThat(refused.enabledVectors()).isZero();
    }
}
