package pci.bus;

/**
 * The numbers of the PCI Local Bus Specification 3.0 that busbar uses, under the names of the
 * kernel's include/uapi/linux/pci_regs.h: the type 0 configuration header (section 6.1), the
 * capability list (6.7) and the MSI-X capability and table (6.8.2). Offsets are bytes into
 * configuration space, little-endian.
 */
public final class PciRegs {
    private PciRegs() {}

    // ---------------------------------------------------------------- configuration space sizes

    /** Conventional PCI configuration space: 256 bytes. */
    public static final int PCI_CFG_SPACE_SIZE = 256;
    /** PCI Express extended configuration space: 4096 bytes. */
    public static final int PCI_CFG_SPACE_EXP_SIZE = 4096;
    /** The header, before the first byte a capability may use. */
    public static final int PCI_STD_HEADER_SIZEOF = 64;

    // ---------------------------------------------------------------- the type 0 header

    /** le16 Vendor ID at 0x00; 0xffff reads from a function that is not there. */
    public static final int PCI_VENDOR_ID = 0x00;
    /** le16 Device ID at 0x02. */
    public static final int PCI_DEVICE_ID = 0x02;
    /** le16 Command at 0x04. */
    public static final int PCI_COMMAND = 0x04;
    /** Command bit 0: respond to I/O space accesses. */
    public static final int PCI_COMMAND_IO = 0x1;
    /** Command bit 1: respond to memory space accesses (the BARs). */
    public static final int PCI_COMMAND_MEMORY = 0x2;
    /** Command bit 2: the function may master the bus (DMA, and MSI-X messages, which are writes). */
    public static final int PCI_COMMAND_MASTER = 0x4;
    /** Command bit 10: INTx emulation disabled. */
    public static final int PCI_COMMAND_INTX_DISABLE = 0x400;
    /** le16 Status at 0x06. */
    public static final int PCI_STATUS = 0x06;
    /** Status bit 4: the function has a capability list at {@link #PCI_CAPABILITY_LIST}. */
    public static final int PCI_STATUS_CAP_LIST = 0x10;
    /** u8 Revision ID at 0x08. */
    public static final int PCI_REVISION_ID = 0x08;
    /** u8 Programming Interface at 0x09; with the two bytes above it, the 24-bit class code. */
    public static final int PCI_CLASS_PROG = 0x09;
    /** le16 class (base class, sub-class) at 0x0a. */
    public static final int PCI_CLASS_DEVICE = 0x0a;
    /** u8 Header Type at 0x0e: bits 6..0 the layout (0 for an endpoint), bit 7 multi-function. */
    public static final int PCI_HEADER_TYPE = 0x0e;
    /** Header layout of an endpoint (type 0). */
    public static final int PCI_HEADER_TYPE_NORMAL = 0;
    /** le32 BAR 0 at 0x10; BAR n at 0x10 + 4n, n = 0..5. */
    public static final int PCI_BASE_ADDRESS_0 = 0x10;
    /** BAR bit 0: I/O space. */
    public static final int PCI_BASE_ADDRESS_SPACE_IO = 0x1;
    /** Memory BAR bits 2..1 = 10b: a 64-bit BAR. */
    public static final int PCI_BASE_ADDRESS_MEM_TYPE_64 = 0x4;
    /** Memory BAR bit 3: prefetchable. */
    public static final int PCI_BASE_ADDRESS_MEM_PREFETCH = 0x8;
    /** The address bits of a memory BAR's low register. */
    public static final int PCI_BASE_ADDRESS_MEM_MASK = ~0xf;
    /** le16 Subsystem Vendor ID at 0x2c. */
    public static final int PCI_SUBSYSTEM_VENDOR_ID = 0x2c;
    /** le16 Subsystem ID at 0x2e. */
    public static final int PCI_SUBSYSTEM_ID = 0x2e;
    /** u8 pointer to the first capability at 0x34, valid with {@link #PCI_STATUS_CAP_LIST}. */
    public static final int PCI_CAPABILITY_LIST = 0x34;
    /** u8 Interrupt Pin at 0x3d: 0 none, 1..4 INTA..INTD. */
    public static final int PCI_INTERRUPT_PIN = 0x3d;

    /** The config offset of BAR {@code n}'s register. */
    public static int barOffset(int n) {
        return PCI_BASE_ADDRESS_0 + 4 * n;
    }

    // ---------------------------------------------------------------- capabilities (section 6.7)

    /** Byte 0 of a capability: its ID. */
    public static final int PCI_CAP_LIST_ID = 0;
    /** Byte 1 of a capability: the offset of the next one, 0 at the end. */
    public static final int PCI_CAP_LIST_NEXT = 1;
    /** Capability ID 0x01: power management. */
    public static final int PCI_CAP_ID_PM = 0x01;
    /** Capability ID 0x05: MSI. */
    public static final int PCI_CAP_ID_MSI = 0x05;
    /** Capability ID 0x09: vendor specific; byte 2 is its length. */
    public static final int PCI_CAP_ID_VNDR = 0x09;
    /** Capability ID 0x10: PCI Express. */
    public static final int PCI_CAP_ID_EXP = 0x10;
    /** Capability ID 0x11: MSI-X. */
    public static final int PCI_CAP_ID_MSIX = 0x11;
    /** Byte 2 of a vendor-specific capability: its length in bytes, header included. */
    public static final int PCI_CAP_FLAGS = 2;

    // ---------------------------------------------------------------- MSI-X (section 6.8.2)

    /** le16 Message Control at capability + 2. */
    public static final int PCI_MSIX_FLAGS = 2;
    /** Message Control bits 10..0: Table Size - 1. */
    public static final int PCI_MSIX_FLAGS_QSIZE = 0x07ff;
    /** Message Control bit 14: Function Mask, every vector masked. */
    public static final int PCI_MSIX_FLAGS_MASKALL = 0x4000;
    /** Message Control bit 15: MSI-X Enable. */
    public static final int PCI_MSIX_FLAGS_ENABLE = 0x8000;
    /** le32 Table Offset/BIR at capability + 4: bits 2..0 the BAR, the rest the offset in it. */
    public static final int PCI_MSIX_TABLE = 4;
    /** le32 PBA Offset/BIR at capability + 8, laid out as {@link #PCI_MSIX_TABLE}. */
    public static final int PCI_MSIX_PBA = 8;
    /** The BAR indicator bits of the table and PBA registers. */
    public static final int PCI_MSIX_TABLE_BIR = 0x7;
    /** The offset bits of the table and PBA registers (8-byte aligned). */
    public static final int PCI_MSIX_TABLE_OFFSET = ~0x7;
    /** Length of the MSI-X capability. */
    public static final int PCI_CAP_MSIX_SIZEOF = 12;
    /** Bytes per MSI-X table entry. */
    public static final int PCI_MSIX_ENTRY_SIZE = 16;
    /** le32 Message Address (low) of an entry. */
    public static final int PCI_MSIX_ENTRY_LOWER_ADDR = 0x0;
    /** le32 Message Upper Address of an entry. */
    public static final int PCI_MSIX_ENTRY_UPPER_ADDR = 0x4;
    /** le32 Message Data of an entry. */
    public static final int PCI_MSIX_ENTRY_DATA = 0x8;
    /** le32 Vector Control of an entry. */
    public static final int PCI_MSIX_ENTRY_VECTOR_CTRL = 0xc;
    /** Vector Control bit 0: the vector is masked. */
    public static final int PCI_MSIX_ENTRY_CTRL_MASKBIT = 0x1;
    /** The most vectors an MSI-X table holds. */
    public static final int PCI_MSIX_MAX_VECTORS = 2048;

    // ---------------------------------------------------------------- class codes (PCI Code and ID Assignment)

    /** Base class 0x02, sub-class 0x00: Ethernet controller. */
    public static final int PCI_CLASS_NETWORK_ETHERNET = 0x0200;
}
