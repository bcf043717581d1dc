package driver.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import driver.core.BusConstants;
import driver.core.BusException;
import driver.core.BusFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    /** A device whose "id" op throws unless the validator accepted it first. */
    record Card(int id) {
        int checkedId() {
            if (id <= 0) {
                throw new IllegalStateException("asked an invalid card for its id");
            }
            return id;
        }
    }

    final BusFactory.Spec<Card> spec = new BusFactory.Spec<>("pci", Card.class, Object.class,
            c -> c.id() <= 0 ? "id must be positive" : null,
            c -> Map.of("card.id", c.checkedId()));

    @Test
    void acceptedDeviceEntersWithItsIdentityAndTheBusName() throws BusException {
        Map<String, Object> p = Admission.admit(spec, new Card(7), Map.of(BusConstants.DEVICE_NAME, "c0", "slot", 3));
        assertThat(p).containsEntry("card.id", 7).containsEntry("slot", 3)
                .containsEntry(BusConstants.DEVICE_BUS, "pci").containsEntry(BusConstants.DEVICE_NAME, "c0");
    }

    @Test
    void validatorRunsBeforeTheIdentityIsAskedFor() {
        assertThatThrownBy(() -> Admission.admit(spec, new Card(0), Map.of(BusConstants.DEVICE_NAME, "c0")))
                .isInstanceOf(BusException.class).hasMessage("bus pci refuses device c0: id must be positive");
    }

    @Test
    void aGivenPropertyThatContradictsTheDeviceIsRefused() {
        assertThatThrownBy(() -> Admission.admit(spec, new Card(7), Map.of(BusConstants.DEVICE_NAME, "c0", "card.id", 8)))
                .hasMessage("property card.id=8 contradicts device c0, which says 7");
    }

    @Test
    void aGivenPropertyThatAgreesWithTheDeviceIsKept() throws BusException {
        assertThat(Admission.admit(spec, new Card(7), Map.of(BusConstants.DEVICE_NAME, "c0", "card.id", 7)))
                .containsEntry("card.id", 7);
    }

    @Test
    void wrongTypeAndMissingNameAreRefused() {
        assertThatThrownBy(() -> Admission.admit(spec, "not a card", Map.of(BusConstants.DEVICE_NAME, "c0")))
                .hasMessageContaining("takes devices of type");
        assertThatThrownBy(() -> Admission.admit(spec, new Card(1), Map.of()))
                .hasMessageContaining("needs a non-empty device.name");
        assertThatThrownBy(() -> Admission.admit(spec, new Card(1), Map.of(BusConstants.DEVICE_NAME, " ")))
                .hasMessageContaining("needs a non-empty device.name");
    }

    @Test
    void aValidatorThatThrowsRefusesTheDeviceOnceWithWhatWentWrong() {
        BusFactory.Spec<Card> spec = new BusFactory.Spec<>("pci", Card.class, Object.class, c -> {
            throw new IllegalStateException("card gone");
        }, c -> Map.of("card.id", c.checkedId()));
        assertThatThrownBy(() -> Admission.admit(spec, new Card(7), Map.of(BusConstants.DEVICE_NAME, "c0")))
                .isInstanceOf(BusException.class)
                .hasMessage("bus pci refuses device c0: device ops failed while being checked: "
                        + "java.lang.IllegalStateException: card gone");
    }

    @Test
    void identityOpsThatThrowRefuseTheDeviceToo() {
        BusFactory.Spec<Card> spec = new BusFactory.Spec<>("pci", Card.class, Object.class, c -> null,
                c -> Map.of("card.id", c.checkedId()));
        assertThatThrownBy(() -> Admission.admit(spec, new Card(0), Map.of(BusConstants.DEVICE_NAME, "c0")))
                .isInstanceOf(BusException.class)
                .hasMessage("bus pci refuses device c0: device ops failed while being checked: "
                        + "java.lang.IllegalStateException: asked an invalid card for its id");
    }

    @Test
    void aPropertyTheBusSetsIsRefused() {
        // a registrant's device.driver would stay published (and matched) while no driver holds it
        assertThatThrownBy(() -> Admission.admit(spec, new Card(7), Map.of(BusConstants.DEVICE_NAME, "c0",
                BusConstants.DEVICE_DRIVER, "fake")))
                .isInstanceOf(BusException.class).hasMessage("property device.driver of device c0 is set by the bus, not by its registrant");
    }

    @Test
    void propertyNamesThatDifferOnlyInCaseAreRefused() {
        // service property names ignore case: the registry would refuse these later, inside bus work
        assertThatThrownBy(() -> Admission.admit(spec, new Card(7), Map.of(BusConstants.DEVICE_NAME, "c0", "Device.State", "x")))
                .isInstanceOf(BusException.class).hasMessage("property Device.State of device c0 is set by the bus, not by its registrant");
        assertThatThrownBy(() -> Admission.admit(spec, new Card(7), new java.util.TreeMap<>(Map.of(BusConstants.DEVICE_NAME, "c0",
                "Slot", 1, "slot", 2))))
                .isInstanceOf(BusException.class).hasMessage("properties Slot and slot of device c0 differ only in case");
    }
}
