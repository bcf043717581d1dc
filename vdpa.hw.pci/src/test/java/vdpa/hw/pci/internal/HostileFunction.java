package vdpa.hw.pci.internal;

import java.util.List;
import java.util.Optional;
import pci.bus.PciAddress;
import pci.bus.PciBar;
import pci.bus.PciDevice;
import pci.bus.PciDma;
import pci.bus.PciMsix;
import pci.bus.PciRegion;

/** A hostile function: a real emulated one whose virtio BAR (4) answers some reads otherwise. */
final class HostileFunction implements PciDevice {

    /** What a read of {@code width} bytes at {@code offset} of BAR 4 returns instead of {@code value}. */
    @FunctionalInterface
    interface Tamper {
        long read(long offset, int width, long value);
    }

    private final PciDevice real;
    private final List<PciBar> bars;

    HostileFunction(PciDevice real, Tamper tamper) {
        this.real = real;
        this.bars = real.bars().stream().map(b -> b.index() != 4 ? b : new PciBar(b.index(), b.type(), b.prefetchable(), b.address(),
                new PciRegion(b.size(), 8, new PciRegion.Access() {
                    @Override
                    public long read(long offset, int width) {
                        return tamper.read(offset, width, b.region().read(offset, width));
                    }

                    @Override
                    public void write(long offset, int width, long value) {
                        b.region().write(offset, width, value);
                    }
                }))).toList();
    }

    @Override public PciAddress address() { return real.address(); }
    @Override public String provider() { return real.provider(); }
    @Override public PciRegion config() { return real.config(); }
    @Override public List<PciBar> bars() { return bars; }
    @Override public Optional<PciMsix> msix() { return real.msix(); }
    @Override public PciDma dma() { return real.dma(); }
}
