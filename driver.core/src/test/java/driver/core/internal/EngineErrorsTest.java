package driver.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import driver.core.BindingState;
import driver.core.BusConstants;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;

/** What goes wrong inside bus work is logged, and never stops the bus halfway through a binding. */
class EngineErrorsTest extends EngineFixture {

    @Test
    void anErrorInWorkNobodyWaitsForIsLogged() throws Exception {
        // adding a device returns before its work runs: the work's failure has no caller to reach
        bus.addDevice("a", "a", Map.of(BusConstants.DEVICE_NAME, "a"), first -> new BusEngine.Publication() {
            @Override
            public void update(Map<String, Object> properties) {
                throw new IllegalArgumentException("the registry refuses these properties");
            }

            @Override
            public void withdraw() {}
        });
        bus.devices(); // runs after the add
        assertThat(log.errorsMentioning("the registry refuses these properties")).hasSize(1);
    }

    @Test
    void anErrorInWorkQueuedFromInsideAProbeIsLogged() throws Exception {
        // a probe is bus work: its removal of another device is queued, not waited for
        bus.addDevice("other", "other", Map.of(BusConstants.DEVICE_NAME, "other"), first -> new BusEngine.Publication() {
            @Override
            public void update(Map<String, Object> properties) {}

            @Override
            public void withdraw() {
                throw new IllegalStateException("unpublishing other failed");
            }
        });
        bus.addDriver("parent", FrameworkUtil.createFilter("(class=parent)"), 0, 1, "b", new driver.core.Driver<String>() {
            @Override
            public void probe(String device, driver.core.DeviceContext ctx) {
                bus.removeDevice("other");
            }

            @Override
            public void remove(String device, driver.core.DeviceContext ctx) {}
        });
        device("p", "class", "parent");
        awaitState("p", BindingState.BOUND);
        bus.devices(); // runs after the queued removal
        assertThat(log.errorsMentioning("unpublishing other failed")).hasSize(1);
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheBusMidWay() throws Exception {
        // Event Admin's postEvent throws once Event Admin is stopping; the binding must go on
        try (BusEngine<String> quiet = new BusEngine<>("quiet", Duration.ofMillis(300), (type, device, driver, reason) -> {
            throw new IllegalStateException("event admin is stopping");
        })) {
            TestDriver d = new TestDriver("drv", journal, holders);
            quiet.addDriver("drv", FrameworkUtil.createFilter("(class=net)"), 0, 1, "b", d);
            quiet.addDevice("a", "a", Map.of(BusConstants.DEVICE_NAME, "a", "class", "net"), first -> service("a", first));
            assertThat(quiet.devices()).singleElement().satisfies(i -> {
                assertThat(i.state()).isEqualTo(BindingState.BOUND);
                assertThat(i.driver()).isEqualTo("drv");
            });
            quiet.removeDevice("a");
            assertThat(journal).containsExactly("probe a drv", "remove a drv");
        }
        assertThat(log.errorsMentioning("event admin is stopping")).isNotEmpty();
    }
}
