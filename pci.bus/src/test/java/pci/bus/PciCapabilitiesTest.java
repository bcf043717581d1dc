package pci.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PciCapabilitiesTest {

    static ConfigImage function() {
        return ConfigImage.function("0000:00:04.0", 0x1af4, 0x1041, 0x020000, 1);
    }

    @Test
    void walksTheListInOrder() {
        ConfigImage f = function().capability(0x98, PciRegs.PCI_CAP_ID_MSIX).capability(0x40, PciRegs.PCI_CAP_ID_VNDR, (byte) 16)
                .capability(0x50, PciRegs.PCI_CAP_ID_VNDR, (byte) 16);
        PciCapabilities caps = PciCapabilities.walk(f.config());
        assertThat(caps.problem()).isNull();
        assertThat(caps.capabilities()).containsExactly(new PciCapability(0x11, 0x98), new PciCapability(9, 0x40),
                new PciCapability(9, 0x50));
        assertThat(caps.first(PciRegs.PCI_CAP_ID_MSIX)).contains(new PciCapability(0x11, 0x98));
        assertThat(caps.all(PciRegs.PCI_CAP_ID_VNDR)).hasSize(2);
    }

    @Test
    void withoutTheStatusBitThereIsNoListWhateverThePointerSays() {
        ConfigImage f = function();
        f.config().write8(PciRegs.PCI_CAPABILITY_LIST, 0x40);
        f.config().write8(0x40, PciRegs.PCI_CAP_ID_MSIX);
        PciCapabilities caps = PciCapabilities.walk(f.config());
        assertThat(caps.capabilities()).isEmpty();
        assertThat(caps.problem()).isNull();
    }

    @Test
    void theReservedLowBitsOfAPointerAreMaskedOff() {
        ConfigImage f = function().capability(0x40, PciRegs.PCI_CAP_ID_VNDR).capability(0x50, PciRegs.PCI_CAP_ID_MSIX);
        f.config().write8(PciRegs.PCI_CAPABILITY_LIST, 0x43);
        f.config().write8(0x41, 0x52);
        assertThat(PciCapabilities.walk(f.config()).capabilities()).extracting(PciCapability::offset).containsExactly(0x40, 0x50);
    }

    @Test
    void aLoopEndsTheWalkWithWhatWasFoundBeforeIt() {
        ConfigImage f = function().capability(0x40, PciRegs.PCI_CAP_ID_VNDR).capability(0x50, PciRegs.PCI_CAP_ID_VNDR);
        f.config().write8(0x51, 0x40);
        PciCapabilities caps = PciCapabilities.walk(f.config());
        assertThat(caps.capabilities()).hasSize(2);
        assertThat(caps.problem()).isEqualTo("capability list loops back to 0x40");
    }

    @Test
    void aPointerIntoTheHeaderIsRefused() {
        ConfigImage f = function().capability(0x40, PciRegs.PCI_CAP_ID_VNDR);
        f.config().write8(0x41, 0x10);
        assertThat(PciCapabilities.walk(f.config()).problem()).isEqualTo("capability pointer 0x10 points into the header");
    }

    @Test
    void aFunctionThatReadsAllOnesEndsTheWalk() {
        byte[] ones = new byte[256];
        Arrays.fill(ones, (byte) 0xff);
        PciCapabilities caps = PciCapabilities.walk(new ConfigImage(PciAddress.parse("0000:00:05.0"), ones).config());
        assertThat(caps.capabilities()).isEmpty();
        assertThat(caps.problem()).isEqualTo("capability at 0xfc reads 0xff: the function is not answering");
    }

    @Test
    void aTruncatedImageSaysTheListLiesBeyondWhatCanBeRead() {
        // sysfs gives an unprivileged reader only the first 64 bytes of a function's config
        ConfigImage f = function().capability(0x40, PciRegs.PCI_CAP_ID_VNDR);
        byte[] head = Arrays.copyOf(f.bytes(), 64);
        PciCapabilities caps = PciCapabilities.walk(new ConfigImage(f.address(), head).config());
        assertThat(caps.capabilities()).isEmpty();
        assertThat(caps.problem()).isEqualTo("capability at 0x40 lies beyond the 64 readable bytes");
        assertThat(PciCapabilities.walk(new ConfigImage(f.address(), Arrays.copyOf(head, 16)).config()).problem())
                .contains("has no capability pointer");
    }
}
