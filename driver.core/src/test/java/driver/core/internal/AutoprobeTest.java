package driver.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import driver.core.BindingState;
import driver.core.BusConstants;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;

/** A driver that binds only when asked (driver.autoprobe=false): by bind, or a driver_override naming it. */
class AutoprobeTest extends EngineFixture {

    @Test
    void aDriverThatBindsOnlyWhenAskedTakesNoDeviceOnItsOwn() throws Exception {
        device("a", "class", "net");
        device("b", "class", "net");
        TestDriver asked = new TestDriver("asked", journal, holders);
        handles.put("asked", bus.addDriver("asked", FrameworkUtil.createFilter("(class=net)"), 100, ids.incrementAndGet(),
                "test.bundle", asked, false));
        bus.devices();
        assertThat(info("a").state()).as("matched, best ranked, but not asked").isEqualTo(BindingState.UNBOUND);
        driver("auto", "(class=net)", 0);
        assertThat(info("a").driver()).isEqualTo("auto");
        assertThat(info("b").driver()).isEqualTo("auto");
        // asked by bind: unbind from the automatic driver, bind to the asked one, and back
        bus.unbind("a");
        bus.bind("a", "asked");
        assertThat(info("a").driver()).isEqualTo("asked");
        bus.unbind("a");
        bus.bind("a", "auto");
        assertThat(info("a").driver()).isEqualTo("auto");
        // asked by driver_override
        bus.override("b", "asked");
        assertThat(info("b").driver()).isEqualTo("asked");
        assertThat(bus.drivers()).filteredOn(d -> d.name().equals("asked")).singleElement()
                .satisfies(d -> assertThat(d.autoprobe()).isFalse());
        // its autoprobe changes with its service properties; bound devices stay where they are
        bus.changeDriver(handles.get("asked"), "asked", FrameworkUtil.createFilter("(class=net)"), 100, true);
        device("d", "class", "net");
        assertThat(info("d").driver()).as("now it binds on its own, best ranked").isEqualTo("asked");
        bus.changeDriver(handles.get("asked"), "asked", FrameworkUtil.createFilter("(class=net)"), 100, false);
        assertThat(info("d").driver()).isEqualTo("asked");
        // a device pinned to it that arrives later binds at once
        device("c", "class", "net", BusConstants.DRIVER_OVERRIDE, "asked");
        assertThat(info("c").driver()).isEqualTo("asked");
        // when it goes, its devices go to the next driver that may take them on its own
        bus.removeDriver(handles.get("auto"));
        assertThat(info("a").state()).isEqualTo(BindingState.UNBOUND);
    }

    private Object bestHandle() {
        return handles.get("best");
    }
}
