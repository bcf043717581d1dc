package virtio.spec;

/**
 * The virtio PCI transport's numbers (virtio 1.2 section 4.1), under the names of the kernel's
 * include/uapi/linux/virtio_pci.h: PCI ids, the vendor-specific capability that locates each
 * virtio structure in a BAR (struct virtio_pci_cap, virtio_pci_notify_cap, virtio_pci_cfg_cap),
 * and the byte layout of the common configuration structure (struct virtio_pci_common_cfg). Both
 * sides of the transport use them: an emulated function lays its registers out by them, a driver
 * finds and checks them. PCI's own numbers (the header, capability ids, MSI-X) are PCI's, in
 * pci.bus.
 *
 * <p>All multi-byte fields are little-endian.
 */
public final class VirtioPci {
    private VirtioPci() {}

    // ---------------------------------------------------------------- ids (4.1.2)

    /** The PCI Vendor ID of every virtio function (PCI_VENDOR_ID_REDHAT_QUMRANET). */
    public static final int VIRTIO_PCI_VENDOR_ID = 0x1af4;
    /** Modern Device IDs are this plus the virtio device id: 0x1041 network (4.1.2.1). */
    public static final int VIRTIO_PCI_MODERN_DEVICE_ID_BASE = 0x1040;
    /** The last modern Device ID (0x1040 + 63). */
    public static final int VIRTIO_PCI_MODERN_DEVICE_ID_LAST = 0x107f;
    /** Transitional Device IDs, 0x1000..0x103f; their virtio device id is the Subsystem ID (4.1.2.3). */
    public static final int VIRTIO_PCI_TRANSITIONAL_DEVICE_ID_FIRST = 0x1000;
    /** A non-transitional (modern-only) function has a Revision ID of 1 or more (4.1.2.1). */
    public static final int VIRTIO_PCI_MODERN_REVISION_MIN = 1;

    // ---------------------------------------------------------------- struct virtio_pci_cap (4.1.4)

    /** cfg_type 1: the common configuration structure. */
    public static final int VIRTIO_PCI_CAP_COMMON_CFG = 1;
    /** cfg_type 2: notifications (struct virtio_pci_notify_cap). */
    public static final int VIRTIO_PCI_CAP_NOTIFY_CFG = 2;
    /** cfg_type 3: the ISR status byte. */
    public static final int VIRTIO_PCI_CAP_ISR_CFG = 3;
    /** cfg_type 4: device-specific configuration. */
    public static final int VIRTIO_PCI_CAP_DEVICE_CFG = 4;
    /** cfg_type 5: the PCI configuration access window (struct virtio_pci_cfg_cap). */
    public static final int VIRTIO_PCI_CAP_PCI_CFG = 5;
    /** cfg_type 8: shared memory regions. */
    public static final int VIRTIO_PCI_CAP_SHARED_MEMORY_CFG = 8;
    /** cfg_type 9: vendor data. */
    public static final int VIRTIO_PCI_CAP_VENDOR_CFG = 9;

    /** u8 cap_vndr at 0: the PCI capability ID, vendor specific (0x09). */
    public static final int VIRTIO_PCI_CAP_VNDR = 0;
    /** u8 cap_next at 1. */
    public static final int VIRTIO_PCI_CAP_NEXT = 1;
    /** u8 cap_len at 2: the capability's length, at least {@link #VIRTIO_PCI_CAP_SIZEOF}. */
    public static final int VIRTIO_PCI_CAP_LEN = 2;
    /** u8 cfg_type at 3. */
    public static final int VIRTIO_PCI_CAP_CFG_TYPE = 3;
    /** u8 bar at 4: the BAR holding the structure, 0..5 (other values are reserved: ignore the capability). */
    public static final int VIRTIO_PCI_CAP_BAR = 4;
    /** u8 id at 5: tells apart several capabilities of one type. */
    public static final int VIRTIO_PCI_CAP_ID = 5;
    /** le32 offset at 8: where the structure starts in the BAR. */
    public static final int VIRTIO_PCI_CAP_OFFSET = 8;
    /** le32 length at 12: the structure's length in bytes. */
    public static final int VIRTIO_PCI_CAP_LENGTH = 12;
    /** Length of struct virtio_pci_cap. */
    public static final int VIRTIO_PCI_CAP_SIZEOF = 16;
    /** le32 notify_off_multiplier at 16 of struct virtio_pci_notify_cap (4.1.4.4). */
    public static final int VIRTIO_PCI_NOTIFY_CAP_MULT = 16;
    /** Length of struct virtio_pci_notify_cap. */
    public static final int VIRTIO_PCI_NOTIFY_CAP_SIZEOF = 20;
    /** u8 pci_cfg_data[4] at 16 of struct virtio_pci_cfg_cap (4.1.4.9). */
    public static final int VIRTIO_PCI_CFG_CAP_DATA = 16;
    /** Length of struct virtio_pci_cfg_cap. */
    public static final int VIRTIO_PCI_CFG_CAP_SIZEOF = 20;

    // ---------------------------------------------------------------- struct virtio_pci_common_cfg (4.1.4.3)

    /** le32 device_feature_select, RW. */
    public static final int VIRTIO_PCI_COMMON_DFSELECT = 0;
    /** le32 device_feature, RO: 32 feature bits chosen by device_feature_select. */
    public static final int VIRTIO_PCI_COMMON_DF = 4;
    /** le32 driver_feature_select, RW. */
    public static final int VIRTIO_PCI_COMMON_GFSELECT = 8;
    /** le32 driver_feature, RW: 32 accepted bits chosen by driver_feature_select. */
    public static final int VIRTIO_PCI_COMMON_GF = 12;
    /** le16 config_msix_vector, RW. */
    public static final int VIRTIO_PCI_COMMON_MSIX = 16;
    /** le16 num_queues, RO. */
    public static final int VIRTIO_PCI_COMMON_NUMQ = 18;
    /** u8 device_status, RW: writing 0 resets; it reads 0 once the reset is done. */
    public static final int VIRTIO_PCI_COMMON_STATUS = 20;
    /** u8 config_generation, RO. */
    public static final int VIRTIO_PCI_COMMON_CFGGENERATION = 21;
    /** le16 queue_select, RW: the queue the fields below refer to. */
    public static final int VIRTIO_PCI_COMMON_Q_SELECT = 22;
    /** le16 queue_size, RW: the maximum on reset, 0 for a queue that is not there. */
    public static final int VIRTIO_PCI_COMMON_Q_SIZE = 24;
    /** le16 queue_msix_vector, RW. */
    public static final int VIRTIO_PCI_COMMON_Q_MSIX = 26;
    /** le16 queue_enable, RW: 1 enables; a driver never writes 0. */
    public static final int VIRTIO_PCI_COMMON_Q_ENABLE = 28;
    /** le16 queue_notify_off, RO. */
    public static final int VIRTIO_PCI_COMMON_Q_NOFF = 30;
    /** le64 queue_desc, RW (low half). */
    public static final int VIRTIO_PCI_COMMON_Q_DESCLO = 32;
    /** queue_desc, high half. */
    public static final int VIRTIO_PCI_COMMON_Q_DESCHI = 36;
    /** le64 queue_driver (the available ring), RW (low half). */
    public static final int VIRTIO_PCI_COMMON_Q_AVAILLO = 40;
    /** queue_driver, high half. */
    public static final int VIRTIO_PCI_COMMON_Q_AVAILHI = 44;
    /** le64 queue_device (the used ring), RW (low half). */
    public static final int VIRTIO_PCI_COMMON_Q_USEDLO = 48;
    /** queue_device, high half. */
    public static final int VIRTIO_PCI_COMMON_Q_USEDHI = 52;
    /** le16 queue_notify_data, RO, with VIRTIO_F_NOTIF_CONFIG_DATA (1.2). */
    public static final int VIRTIO_PCI_COMMON_Q_NDATA = 56;
    /** le16 queue_reset, RW, with VIRTIO_F_RING_RESET (1.2). */
    public static final int VIRTIO_PCI_COMMON_Q_RESET = 58;
    /** The virtio 1.0 structure's length, what a driver needs at least. */
    public static final int VIRTIO_PCI_COMMON_CFG_SIZEOF = 56;
    /** The virtio 1.2 structure's length, with queue_notify_data and queue_reset. */
    public static final int VIRTIO_PCI_MODERN_COMMON_CFG_SIZEOF = 60;

    // ---------------------------------------------------------------- ISR and MSI-X (4.1.4.5, 4.1.5.1.2)

    /** ISR status bit 0: a virtqueue was used (only reported when MSI-X is disabled). */
    public static final int VIRTIO_PCI_ISR_QUEUE = 0x1;
    /** ISR status bit 1: the device configuration changed. */
    public static final int VIRTIO_PCI_ISR_CONFIG = 0x2;
    /** config_msix_vector / queue_msix_vector: no vector, and what a refused mapping reads back. */
    public static final int VIRTIO_MSI_NO_VECTOR = 0xffff;
}
