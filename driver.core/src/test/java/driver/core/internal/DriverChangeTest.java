package driver.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import driver.core.BindingState;
import driver.core.BusConstants;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;

/** A driver whose name, match rule or ranking changes while it is on the bus is matched again. */
class DriverChangeTest extends EngineFixture {

    @Test
    void aChangedMatchRuleTakesTheDriverOffDevicesItNoLongerMatchesAndOnesItNowMatches() throws Exception {
        TestDriver first = driver("first", "(class=net)", 9);
        driver("second", "(class=net)", 1);
        device("a", "class", "net");
        device("b", "class", "block");
        bus.devices();
        journal.clear();

        bus.changeDriver(first.handle, "first", FrameworkUtil.createFilter("(class=block)"), 9);

        assertThat(info("a").driver()).isEqualTo("second");
        assertThat(info("b").driver()).isEqualTo("first");
        assertThat(journal).containsExactly("remove a first", "probe a second", "probe b first");
        assertThat(bus.drivers()).first().satisfies(r -> assertThat(r.match()).isEqualTo("(class=block)"));
    }

    @Test
    void aChangedRankingOrdersUnboundDevicesCandidatesAndLeavesBoundDevicesAlone() throws Exception {
        driver("high", "(class=net)", 9);
        TestDriver low = driver("low", "(class=net)", 1);
        device("a", "class", "net");
        bus.changeDriver(low.handle, "low", FrameworkUtil.createFilter("(class=net)"), 20);
        device("b", "class", "net");

        assertThat(info("a").driver()).isEqualTo("high");
        assertThat(info("b").driver()).isEqualTo("low");
        assertThat(bus.drivers()).extracting(driver.core.DriverInfo::name).containsExactly("low", "high");
    }

    @Test
    void aChangedDriverIsOfferedTheDevicesItFailedOnAgain() throws Exception {
        TestDriver flaky = driver("flaky", "(class=net)", 0, TestDriver.Mode.FAIL);
        device("a", "class", "net");
        bus.devices();
        flaky.mode(TestDriver.Mode.OK);
        bus.changeDriver(flaky.handle, "flaky", FrameworkUtil.createFilter("(class=net)"), 1);
        assertThat(info("a").driver()).isEqualTo("flaky");
    }

    @Test
    void aRenamedDriverIsPublishedByItsNewNameAndLetsGoOfDevicesPinnedToTheOld() throws Exception {
        TestDriver d = driver("old", "(class=net)", 0);
        device("a", "class", "net");
        device("pinned", "class", "net", BusConstants.DRIVER_OVERRIDE, "old");
        bus.changeDriver(d.handle, "new", FrameworkUtil.createFilter("(class=net)"), 0);

        assertThat(info("a").driver()).isEqualTo("new");
        assertThat(published.get("a")).containsEntry(BusConstants.DEVICE_DRIVER, "new");
        assertThat(info("pinned").state()).isEqualTo(BindingState.UNBOUND);
    }

    @Test
    void aHungProbeThatReturnsAfterItsDriverStoppedMatchingIsUndone() throws Exception {
        TestDriver slow = driver("slow", "(class=slow)", 0, TestDriver.Mode.HANG);
        device("stuck", "class", "slow");
        bus.devices();
        bus.changeDriver(slow.handle, "slow", FrameworkUtil.createFilter("(class=other)"), 0);
        slow.release.countDown();
        long end = System.nanoTime() + 5_000_000_000L;
        while (!journal.contains("remove stuck slow") && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(journal).containsExactly("probe stuck slow", "remove stuck slow");
        awaitState("stuck", BindingState.UNBOUND);
        assertThat(holders).isEmpty();
    }
}
