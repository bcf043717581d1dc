package vdpa.bus;

import driver.core.BusException;
import java.util.List;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A management device (the kernel's struct vdpa_mgmt_dev, iproute2's {@code vdpa mgmtdev}): a named
 * source of vDPA devices, such as a simulator or a PCI function, that creates and deletes them on
 * request. Published as a service of this type with {@value VdpaConstants#MGMTDEV}{@code =}{@link #name()}.
 *
 * <p>{@link #add} registers the new device on the {@link VdpaBus} with properties
 * {@code device.name} = the requested name and {@value VdpaConstants#MGMTDEV} = this name; the
 * device's {@link driver.core.DeviceRegistration} stays with the management device, which unregisters it on
 * {@link #delete} and when it goes away itself.
 *
 * @see VdpaDevAttrs#refusalFor(VdpaMgmtDevice)
 */
@ProviderType
public interface VdpaMgmtDevice {

    /** The name, unique among management devices: {@code vdpasim_net}, {@code pci/0000:03:00.0}. */
    String name();

    /** The virtio device ids it can create (the id_table), e.g. {@code {1}} for network. */
    Set<Integer> supportedClasses();

    /** The most virtqueues one of its devices can have (max_supported_vqs). */
    int maxSupportedVqs();

    /** The features its devices can offer (supported_features). */
    long supportedFeatures();

    /** The attributes {@link #add} accepts (config_attr_mask). */
    Set<VdpaAttr> configAttributes();

    /**
     * Creates a device with these attributes and registers it on the vDPA bus (dev_add). Returns
     * when the device is on the bus.
     *
     * @throws BusException refused: the name is taken, an attribute cannot be honoured, the bus
     *     refused the device; the message says which. Nothing was created.
     */
    void add(VdpaDevAttrs attrs) throws BusException;

    /**
     * Takes a device this management device created off the bus and destroys it (dev_del).
     * Returns when it is gone (its driver's remove has run).
     *
     * @throws BusException no device of that name was created here
     */
    void delete(String name) throws BusException;

    /**
     * Optional: the devices asked for by configuration (a {@code .cfg} file, a Configuration Admin
     * record) that this management device refused and that are still configured so, each until
     * its configuration is fixed or removed. Default: none.
     */
    default List<VdpaRefusal> refusals() {
        return List.of();
    }
}
