package pci.emul.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What a driver can do wrong to an emulated function's registers: the closed set of refused
 * accesses, each handled as virtio 1.2 section 4.1 (or PCI) says for the device side, counted,
 * and never thrown into the driver. {@code lspci -v} shows the counters under these names in
 * lower case ({@code queue_size_invalid}).
 */
enum RegisterFault {
    /** A common-config access that is not one field with its natural width (4.1.3.1): reads 0, write ignored. */
    COMMON_BAD_ACCESS,
    /** A write to a read-only field (device_feature, num_queues, config_generation, queue_notify_off, ISR): ignored. */
    READ_ONLY_WRITE,
    /** driver_feature written once FEATURES_OK is set (3.1.1): ignored, the negotiated features stand. */
    FEATURES_AFTER_FEATURES_OK,
    /** A device_status write that clears a bit without resetting (2.1.1): bits only accumulate until reset. */
    STATUS_BIT_CLEARED,
    /** A queue field accessed while queue_select names no queue: queue_size reads 0 (4.1.4.3.2), writes ignored. */
    QUEUE_SELECT_OUT_OF_RANGE,
    /** queue_size of 0, above the maximum, or (split ring) not a power of two (2.7): the old size stays. */
    QUEUE_SIZE_INVALID,
    /** A queue's size, vector or addresses written while it is enabled: ignored. */
    QUEUE_WRITE_WHILE_ENABLED,
    /** queue_enable written 1 before the queue's three addresses (4.1.4.3.1): the queue stays disabled. */
    QUEUE_ENABLE_BEFORE_ADDRESS,
    /** queue_enable written with anything but 1 (a driver never writes 0, 4.1.4.3.1): ignored. */
    QUEUE_ENABLE_NOT_ONE,
    /** queue_reset or queue_notify_data used though VIRTIO_F_RING_RESET / NOTIF_CONFIG_DATA are not offered. */
    FIELD_NOT_OFFERED,
    /** A config or queue MSI-X vector beyond the table: the mapping fails and the field reads VIRTIO_MSI_NO_VECTOR (4.1.5.1.2). */
    MSIX_VECTOR_REFUSED,
    /** The device model refused what the registers asked of it (a state it cannot take): counted, the register unchanged. */
    MODEL_REFUSED,
    /** A notify-region access other than a 16-bit write at a queue's notify address. */
    NOTIFY_BAD_ACCESS,
    /** A notification whose value is not the queue its address belongs to: the queue of the address is notified. */
    NOTIFY_VALUE_MISMATCH,
    /** An ISR access other than an 8-bit read. */
    ISR_BAD_ACCESS,
    /** A device-config access that is not naturally aligned 1, 2 or 4 bytes inside the config space: reads 0, write ignored. */
    DEVICE_CFG_BAD_ACCESS,
    /** A BAR access where no register is (between the structures): reads 0, write ignored. */
    BAR_UNMAPPED,
    /** A BAR access while Memory Space is disabled in Command: not decoded, reads all ones, write dropped (PCI 6.2.2). */
    BAR_MEMORY_DISABLED,
    /** A configuration-space access that is not naturally aligned: reads all ones, write dropped. */
    CONFIG_UNALIGNED,
    /** A VIRTIO_PCI_CAP_PCI_CFG window access whose bar, offset or length cannot be honoured (4.1.4.9.1). */
    PCI_CFG_WINDOW_REFUSED,
    /** An MSI-X table or PBA access that is not a naturally aligned 32- or 64-bit one (PCI 6.8.2), or a PBA write. */
    MSIX_TABLE_BAD_ACCESS,
    /** A vector fired while Bus Master Enable is off: a message is a memory write, so it is not sent. */
    MSIX_BLOCKED_NO_BUS_MASTER,
    /** A message whose address and data no handler was set up for (a table written by hand): lost. */
    MSIX_LOST_MESSAGE;

    /** The counter's name: the constant in lower case. */
    final String word = name().toLowerCase(Locale.ROOT);

    /** One counter per fault, for one function; any thread. */
    static final class Counters {
        private static final RegisterFault[] ALL = values();
        private final AtomicLongArray counts = new AtomicLongArray(ALL.length);

        void count(RegisterFault f) {
            counts.incrementAndGet(f.ordinal());
        }

        long get(RegisterFault f) {
            return counts.get(f.ordinal());
        }

        /** Every counter by its word, in declaration order. */
        Map<String, Long> snapshot() {
            Map<String, Long> m = new LinkedHashMap<>();
            for (RegisterFault f : ALL) {
                m.put(f.word, counts.get(f.ordinal()));
            }
            return m;
        }
    }
}
