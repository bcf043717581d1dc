package virtio.spec;

/**
 * Device IDs (virtio 1.2 section 5, "Device Types"; the kernel's uapi virtio_ids.h names them).
 * A transport reports one per device; 0 is reserved and means no device. Only the IDs busbar
 * names are here; add the others as device types arrive.
 */
public final class VirtioIds {
    private VirtioIds() {}

    /** 1: network card (section 5.1). */
    public static final int VIRTIO_ID_NET = 1;
    /** 2: block device (section 5.2). */
    public static final int VIRTIO_ID_BLOCK = 2;
    /** 3: console (section 5.3). */
    public static final int VIRTIO_ID_CONSOLE = 3;
    /** 4: entropy source (section 5.4). */
    public static final int VIRTIO_ID_RNG = 4;
    /** 5: memory ballooning, traditional (section 5.5). */
    public static final int VIRTIO_ID_BALLOON = 5;
    /** 8: SCSI host (section 5.6). */
    public static final int VIRTIO_ID_SCSI = 8;
    /** 16: GPU device (section 5.7). */
    public static final int VIRTIO_ID_GPU = 16;
    /** 18: input device (section 5.8). */
    public static final int VIRTIO_ID_INPUT = 18;
    /** 19: socket device (section 5.10). */
    public static final int VIRTIO_ID_VSOCK = 19;
    /** 26: file system device (section 5.11). */
    public static final int VIRTIO_ID_FS = 26;
}
