package vdpa.bus;

/** What the device may do with a mapped range (the vhost uAPI's VHOST_ACCESS_RO/WO/RW values). */
public enum IotlbPermission {
    /** Device reads only (driver-to-device buffers, descriptor tables). */
    RO(1),
    /** Device writes only. */
    WO(2),
    /** Device reads and writes. */
    RW(3);

    private final int value;

    IotlbPermission(int value) {
        this.value = value;
    }

    /** The uAPI value. */
    public int value() {
        return value;
    }

    /** Whether the device may read through a mapping with this permission. */
    public boolean readable() {
        return (value & 1) != 0;
    }

    /** Whether the device may write through a mapping with this permission. */
    public boolean writable() {
        return (value & 2) != 0;
    }
}
