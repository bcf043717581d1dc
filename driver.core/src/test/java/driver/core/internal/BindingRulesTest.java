package driver.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import driver.core.BindingState;
import driver.core.BusConstants;
import driver.core.DeviceInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;

/**
 * The binding rules alone, on the test's own thread: no bus thread, no clock. A call that "hangs"
 * is one the test answers {@link Outcome#HUNG} to and finishes later by hand, so the late-return
 * rules are pinned down without a timeout or a sleep.
 */
class BindingRulesTest {

    /** What each call should answer, by "probe|remove device driver"; OK unless said otherwise. */
    final Map<String, Outcome> answers = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    final BindingRules<String> rules = new BindingRules<>("t", EngineListener.NONE, new BindingRules.Calls<>() {
        @Override
        public Outcome probe(Dev<String> d, Drv<String> r) {
            return answer("probe " + d.name + " " + r.name);
        }

        @Override
        public Outcome remove(Dev<String> d, Drv<String> r) {
            return answer("remove " + d.name + " " + r.name);
        }
    });

    Outcome answer(String call) {
        calls.add(call);
        return answers.getOrDefault(call, Outcome.OK);
    }

    Drv<String> driver(String name, String match, int ranking, long id) throws InvalidSyntaxException {
        Drv<String> r = new Drv<>(name, FrameworkUtil.createFilter(match), ranking, id, "b", null);
        rules.addDriver(r);
        return r;
    }

    Dev<String> device(String name, String cls) {
        Dev<String> d = new Dev<>(name, name, Map.of(BusConstants.DEVICE_NAME, name, "class", cls), new BusEngine.Publication() {
            @Override
            public void update(Map<String, Object> properties) {}

            @Override
            public void withdraw() {}
        });
        rules.addDevice(d);
        return d;
    }

    DeviceInfo info(String name) {
        return rules.devices().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aHungProbeKeepsTheDeviceProbingUntilItsOutcomeComesBack() throws Exception {
        Drv<String> slow = driver("slow", "(class=net)", 0, 1);
        answers.put("probe a slow", Outcome.HUNG);
        Dev<String> a = device("a", "net");
        assertThat(info("a").state()).isEqualTo(BindingState.PROBING);

        rules.probeReturned(a, slow, Outcome.OK);

        assertThat(info("a").state()).isEqualTo(BindingState.BOUND);
        assertThat(info("a").driver()).isEqualTo("slow");
    }

    @Test
    void aLateFailureHandsTheDeviceToTheNextDriver() throws Exception {
        Drv<String> slow = driver("slow", "(class=net)", 9, 1);
        driver("next", "(class=net)", 0, 2);
        answers.put("probe a slow", Outcome.HUNG);
        Dev<String> a = device("a", "net");

        rules.probeReturned(a, slow, Outcome.of(new IllegalStateException("gave up")));

        assertThat(info("a").driver()).isEqualTo("next");
        assertThat(calls).containsExactly("probe a slow", "probe a next");
    }

    @Test
    void aHungRemoveKeepsTheDeviceRemovingThenItIsMatchedAgain() throws Exception {
        Drv<String> high = driver("high", "(class=net)", 9, 1);
        driver("low", "(class=net)", 0, 2);
        Dev<String> a = device("a", "net");
        answers.put("remove a high", Outcome.HUNG);

        rules.removeDriver(high);
        assertThat(info("a").state()).isEqualTo(BindingState.REMOVING);

        rules.removeReturned(a, high);
        assertThat(info("a").driver()).isEqualTo("low");
        assertThat(calls).containsExactly("probe a high", "remove a high", "probe a low");
    }
}
