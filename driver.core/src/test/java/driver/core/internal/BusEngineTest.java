package driver.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import driver.core.BindingState;
import driver.core.BusConstants;
import driver.core.BusEventType;
import driver.core.BusException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;

/** The engine's binding rules on its bus thread, with hang timeouts: the kernel's dd.c behaviours. */
class BusEngineTest extends EngineFixture {

    @Test
    void deviceArrivingBindsToMatchingDriverAndPublishesIt() throws Exception {
        driver("netdrv", "(class=net)", 0);
        device("eth", "class", "net");
        device("blk", "class", "block");

        assertThat(info("eth").state()).isEqualTo(BindingState.BOUND);
        assertThat(info("eth").driver()).isEqualTo("netdrv");
        assertThat(published.get("eth")).containsEntry(BusConstants.DEVICE_DRIVER, "netdrv")
                .containsEntry(BusConstants.DEVICE_BUS, "test").containsEntry(BusConstants.DEVICE_STATE, "BOUND");
        assertThat(info("blk").state()).isEqualTo(BindingState.UNBOUND);
        assertThat(published.get("blk")).doesNotContainKey(BusConstants.DEVICE_DRIVER);
        assertThat(events).containsSubsequence("DEVICE_ADDED eth", "BOUND eth netdrv");
    }

    @Test
    void driverArrivingAfterDevicesBindsThemBestRankedFirst() throws Exception {
        device("a", "class", "net");
        device("b", "class", "net");
        driver("low", "(class=net)", 1);
        driver("high", "(class=net)", 5);
        bus.devices(); // drain

        // "low" arrived first and took both; "high" arriving later does not steal bound devices.
        assertThat(info("a").driver()).isEqualTo("low");
        driver("other", "(class=net)", 9);
        assertThat(info("b").driver()).isEqualTo("low");
    }

    @Test
    void tiesBreakByRankingThenByServiceId() throws Exception {
        driver("first", "(class=net)", 3);
        driver("second", "(class=net)", 3);
        driver("best", "(class=net)", 7);
        bus.devices();
        device("a", "class", "net");
        assertThat(info("a").driver()).isEqualTo("best");
        bus.unbind("a");
        bus.override("a", null); // clears the manual unbind and matches again
        assertThat(info("a").driver()).isEqualTo("best");
        bus.removeDriver(bestHandle());
        assertThat(info("a").driver()).isEqualTo("first");
    }

    private Object bestHandle() {
        return handles.get("best");
    }

    @Test
    void failingProbeFallsThroughToTheNextDriverAndIsNotRetried() throws Exception {
        device("a", "class", "net");
        driver("bad", "(class=net)", 9, TestDriver.Mode.FAIL);
        bus.devices();
        assertThat(info("a").state()).isEqualTo(BindingState.UNBOUND);
        assertThat(info("a").lastError()).contains("bad").contains("cannot drive a");

        driver("good", "(class=net)", 1);
        assertThat(info("a").driver()).isEqualTo("good");
        assertThat(journal).containsExactly("probe a bad", "probe a good");
        assertThat(events).contains("PROBE_FAILED a bad", "BOUND a good");
    }

    @Test
    void deferredProbeIsRetriedWhenSomethingArrives() throws Exception {
        TestDriver d = driver("fw", "(class=net)", 0, TestDriver.Mode.DEFER);
        device("a", "class", "net");
        assertThat(info("a").state()).isEqualTo(BindingState.DEFERRED);
        assertThat(info("a").lastError()).contains("waiting for firmware");

        bus.retryDeferred();
        assertThat(info("a").state()).isEqualTo(BindingState.DEFERRED);

        d.ready = dev -> true;
        bus.retryDeferred();
        assertThat(info("a").state()).isEqualTo(BindingState.BOUND);
        assertThat(events).contains("PROBE_DEFERRED a fw", "BOUND a fw");
    }

    @Test
    void driverLeavingRemovesItsDevicesInBindOrderThenTheNextBestTakesOver() throws Exception {
        driver("low", "(class=net)", 0);
        TestDriver high = driver("high", "(class=net)", 5);
        device("a", "class", "net");
        device("b", "class", "net");
        device("c", "class", "net");
        bus.devices();
        journal.clear();

        bus.removeDriver(high.handle);

        assertThat(journal).containsExactly("remove a high", "remove b high", "remove c high",
                "probe a low", "probe b low", "probe c low");
        assertThat(bus.devices()).allSatisfy(d -> assertThat(d.driver()).isEqualTo("low"));
    }

    @Test
    void somethingArrivingWhileADeferringProbeHangsIsNotMissed() throws Exception {
        // the probe looked before the firmware came, and defers only after the retry has passed it by
        TestDriver fw = driver("fw", "(class=net)", 0, TestDriver.Mode.HANG_THEN_DEFER);
        fw.ready = dev -> false;
        device("a", "class", "net");
        assertThat(info("a").state()).isEqualTo(BindingState.PROBING);
        fw.ready = dev -> true;
        bus.retryDeferred();
        bus.devices();
        fw.release.countDown();
        awaitState("a", BindingState.BOUND);
        assertThat(journal).containsExactly("probe a fw", "probe a fw");
    }

    @Test
    void deviceLeavingIsRemovedFromItsDriverBeforeItIsGone() throws Exception {
        driver("drv", "(class=net)", 0);
        device("a", "class", "net");
        bus.removeDevice("a");

        assertThat(withdrawn).containsExactly("a after remove a drv");
        assertThat(bus.devices()).isEmpty();
        assertThat(events).containsSubsequence("UNBOUND a drv", "DEVICE_REMOVED a");
        device("a", "class", "net"); // the name is free again
        assertThat(info("a").driver()).isEqualTo("drv");
    }

    @Test
    void duplicateDeviceNameIsRefusedBeforeAnythingIsPublished() throws Exception {
        device("a");
        assertThatThrownBy(() -> bus.addDevice("a", "another a", Map.of(BusConstants.DEVICE_NAME, "a"), first -> {
            throw new AssertionError("published a second device a");
        })).isInstanceOf(BusException.class).hasMessageContaining("already taken");
        assertThat(bus.device("a")).contains("a");
    }

    @Test
    void overridePinsADeviceToOneDriverOnly() throws Exception {
        driver("best", "(class=net)", 9);
        driver("vfio", "(never=matches)", 0);
        device("a", "class", "net", BusConstants.DRIVER_OVERRIDE, "vfio");
        assertThat(info("a").driver()).isEqualTo("vfio");
        assertThat(published.get("a")).containsEntry(BusConstants.DRIVER_OVERRIDE, "vfio");

        bus.override("a", null);
        assertThat(info("a").driver()).isEqualTo("vfio"); // clearing a pin does not unbind

        bus.override("a", "best");
        assertThat(info("a").driver()).isEqualTo("best");
        bus.override("a", "nobody");
        assertThat(info("a").state()).isEqualTo(BindingState.UNBOUND);
        assertThat(journal).endsWith("remove a best");
    }

    @Test
    void aBlankOverrideIsRefusedAndChangesNothing() throws Exception {
        driver("net", "(class=net)", 0);
        device("a", "class", "net");
        assertThatThrownBy(() -> bus.override("a", " ")).isInstanceOf(BusException.class)
                .hasMessageContaining("needs a driver name");
        assertThat(info("a").override()).isNull();
        assertThat(info("a").driver()).isEqualTo("net");
    }

    @Test
    void manualUnbindSurvivesDriverArrivalsUntilBound() throws Exception {
        driver("one", "(class=net)", 0);
        device("a", "class", "net");
        bus.unbind("a");
        driver("two", "(class=net)", 5);
        assertThat(info("a").state()).isEqualTo(BindingState.UNBOUND);
        assertThat(info("a").manuallyUnbound()).isTrue();

        bus.bind("a", "one");
        assertThat(info("a").driver()).isEqualTo("one");
        assertThat(info("a").manuallyUnbound()).isFalse();
    }

    @Test
    void bindRefusalsNameTheProblemAndChangeNothing() throws Exception {
        driver("net", "(class=net)", 0);
        driver("blk", "(class=block)", 0);
        driver("broken", "(class=net)", -1, TestDriver.Mode.FAIL);
        device("a", "class", "net");

        assertThatThrownBy(() -> bus.bind("nope", "net")).hasMessageContaining("no device 'nope'");
        assertThatThrownBy(() -> bus.bind("a", "net")).hasMessageContaining("is bound (driver net)");
        assertThatThrownBy(() -> bus.unbind("nope")).hasMessageContaining("no device");
        bus.unbind("a");
        assertThatThrownBy(() -> bus.unbind("a")).hasMessageContaining("not bound");
        assertThatThrownBy(() -> bus.bind("a", "ghost")).hasMessageContaining("no driver 'ghost'");
        assertThatThrownBy(() -> bus.bind("a", "blk")).hasMessageContaining("does not match").hasMessageContaining("(class=block)");
        assertThatThrownBy(() -> bus.bind("a", "broken")).hasMessageContaining("failed: broken cannot drive a");
        assertThat(info("a").state()).isEqualTo(BindingState.UNBOUND);
        assertThat(info("a").manuallyUnbound()).isTrue();
        assertThat(holders).isEmpty();
    }

    @Test
    void hungProbeIsReportedAndTheBusGoesOn() throws Exception {
        TestDriver slow = driver("slow", "(class=slow)", 0, TestDriver.Mode.HANG);
        driver("fast", "(class=net)", 0);
        device("stuck", "class", "slow");
        device("b", "class", "net");

        assertThat(info("b").driver()).isEqualTo("fast");
        assertThat(info("stuck").state()).isEqualTo(BindingState.PROBING);
        assertThat(events).contains("HUNG stuck slow");

        slow.release.countDown();
        awaitState("stuck", BindingState.BOUND);
        assertThat(info("stuck").driver()).isEqualTo("slow");
    }

    @Test
    void hungProbeThatFailsLateHandsTheDeviceOnAndIsNotRetried() throws Exception {
        TestDriver slow = driver("slow", "(class=slow)", 9, TestDriver.Mode.HANG_THEN_FAIL);
        device("stuck", "class", "slow");
        bus.devices();
        assertThat(events).contains("HUNG stuck slow");
        driver("next", "(class=slow)", 1);
        slow.release.countDown();
        awaitState("stuck", BindingState.BOUND);
        assertThat(info("stuck").driver()).isEqualTo("next");
        assertThat(journal).containsExactly("probe stuck slow", "probe stuck next");
    }

    @Test
    void manualBindThatHangsAndThenSucceedsIsNoLongerMarkedUnboundByHand() throws Exception {
        driver("one", "(class=net)", 0);
        device("a", "class", "net");
        bus.unbind("a");
        TestDriver slow = driver("slow", "(class=net)", 5, TestDriver.Mode.HANG);
        assertThatThrownBy(() -> bus.bind("a", "slow")).isInstanceOf(BusException.class).hasMessageContaining("slow");
        slow.release.countDown();
        awaitState("a", BindingState.BOUND);
        assertThat(info("a").driver()).isEqualTo("slow");
        assertThat(info("a").manuallyUnbound()).isFalse();
    }

    @Test
    void theLowestPossibleRankingSortsLast() throws Exception {
        driver("lowest", "(class=net)", Integer.MIN_VALUE);
        driver("plain", "(class=net)", 0);
        bus.devices();
        device("a", "class", "net");
        assertThat(info("a").driver()).isEqualTo("plain");
    }

    @Test
    void hungProbeThatReturnsAfterItsDeviceLeftIsUndone() throws Exception {
        TestDriver slow = driver("slow", "(class=slow)", 0, TestDriver.Mode.HANG);
        device("stuck", "class", "slow");
        bus.devices();
        bus.removeDevice("stuck");
        slow.release.countDown();
        long end = System.nanoTime() + 5_000_000_000L;
        while (!journal.contains("remove stuck slow") && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(journal).containsExactly("probe stuck slow", "remove stuck slow");
        assertThat(holders).isEmpty();
    }

    @Test
    void probeMayRegisterAChildDeviceOnTheSameBusWithoutDeadlock() throws Exception {
        bus.addDriver("parent", FrameworkUtil.createFilter("(class=parent)"), 0, 1, "b", new driver.core.Driver<String>() {
            @Override
            public void probe(String device, driver.core.DeviceContext ctx) throws Exception {
                bus.addDevice(device + ".child", device + ".child", Map.of("class", "child"), first -> service(device + ".child", first));
            }

            @Override
            public void remove(String device, driver.core.DeviceContext ctx) {
                bus.removeDevice(device + ".child");
            }
        });
        driver("childdrv", "(class=child)", 0);
        device("p", "class", "parent");
        bus.devices();
        assertThat(info("p.child").driver()).isEqualTo("childdrv");
        bus.removeDevice("p");
        assertThat(bus.devices()).isEmpty();
        assertThat(journal).containsExactly("probe p.child childdrv", "remove p.child childdrv");
    }

    @Test
    void driverAndDeviceLeavingAtOnceRemoveEachBindingExactlyOnce() throws Exception {
        for (int round = 0; round < 50; round++) {
            TestDriver d = driver("d" + round, "(class=r" + round + ")", 0);
            for (int i = 0; i < 4; i++) {
                device("r" + round + "." + i, "class", "r" + round);
            }
            int r = round;
            Thread a = Thread.ofPlatform().start(() -> bus.removeDriver(d.handle));
            Thread b = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 4; i++) {
                    bus.removeDevice("r" + r + "." + i);
                }
            });
            a.join(5000);
            b.join(5000);
        }
        long probes = journal.stream().filter(s -> s.startsWith("probe")).count();
        long removes = journal.stream().filter(s -> s.startsWith("remove")).count();
        assertThat(probes).isEqualTo(200);
        assertThat(removes).isEqualTo(200);
        assertThat(holders).isEmpty();
        assertThat(bus.devices()).isEmpty();
    }

    @Test
    void aClosedBusKnowsNoDeviceByName() throws Exception {
        device("a", "class", "net");
        assertThat(bus.device("a")).isPresent();
        bus.close();
        assertThat(bus.device("a")).isEmpty();
    }

    @Test
    void aClosedBusRefusesADeviceWithoutPublishingIt() throws Exception {
        bus.close();
        assertThatThrownBy(() -> device("late")).isInstanceOf(BusException.class).hasMessageContaining("closed");
        assertThat(published).doesNotContainKey("late");
        assertThat(bus.device("late")).isEmpty();
    }

    @Test
    void aFailedProbeIsNeverFollowedByARemove() throws Exception {
        // recorded, not thrown: the engine catches whatever a driver throws, so an assertion in
        // the driver could never fail this test
        List<String> removes = new CopyOnWriteArrayList<>();
        bus.addDriver("half", FrameworkUtil.createFilter("(class=net)"), 9, 1, "b", new driver.core.Driver<String>() {
            @Override
            public void probe(String device, driver.core.DeviceContext ctx) {
                throw new IllegalStateException("config space read failed");
            }

            @Override
            public void remove(String device, driver.core.DeviceContext ctx) {
                removes.add(device);
            }
        });
        driver("good", "(class=net)", 0);
        device("a", "class", "net");
        assertThat(info("a").driver()).isEqualTo("good");
        assertThat(events).containsSubsequence("PROBE_FAILED a half", "BOUND a good");
        bus.removeDevice("a");
        bus.devices();
        assertThat(removes).isEmpty();
        assertThat(journal).containsExactly("probe a good", "remove a good");
    }

    @Test
    void aNewHangTimeoutAppliesToTheCallsMadeAfterIt() throws Exception {
        List<String> reasons = new CopyOnWriteArrayList<>();
        try (BusEngine<String> b = new BusEngine<>("t", Duration.ofSeconds(30), (type, device, driver, reason) -> {
            if (type == BusEventType.HUNG) {
                reasons.add(reason);
            }
        })) {
            b.hangTimeout(Duration.ofMillis(40));
            TestDriver slow = new TestDriver("slow", journal, holders).mode(TestDriver.Mode.HANG);
            b.addDriver("slow", FrameworkUtil.createFilter("(class=slow)"), 0, 1, "b", slow);
            b.addDevice("stuck", "stuck", Map.of(BusConstants.DEVICE_NAME, "stuck", "class", "slow"), first -> service("stuck", first));
            assertThat(b.devices()).singleElement().satisfies(i -> assertThat(i.state()).isEqualTo(BindingState.PROBING));
            assertThat(reasons).containsExactly("probe of stuck by slow has not returned after 40 ms");
            slow.release.countDown();
        }
    }
}
