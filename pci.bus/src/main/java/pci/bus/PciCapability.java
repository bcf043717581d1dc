package pci.bus;

/**
 * One entry of a function's capability list.
 *
 * @param id the capability ID ({@link PciRegs#PCI_CAP_ID_MSIX}, {@link PciRegs#PCI_CAP_ID_VNDR}, ...)
 * @param offset where it starts in configuration space
 */
public record PciCapability(int id, int offset) {}
