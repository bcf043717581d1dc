package vdpa.bus;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Optional (the kernel's kick_vq_with_data): a kick that carries where the driver stands,
 * used when VIRTIO_F_NOTIFICATION_DATA (bit 38) is negotiated. Required by the bus from a device
 * that offers that feature.
 */
@ProviderType
public interface VdpaNotifyDataOps extends VdpaDevice {

    /**
     * Kicks a virtqueue with notification data (kick_vq_with_data). Split: bits 0-15 queue index,
     * 16-31 next available index. Packed: bits 0-15 queue index, 16-30 next available offset, 31 wrap.
     */
    void kickVqWithData(int data);
}
