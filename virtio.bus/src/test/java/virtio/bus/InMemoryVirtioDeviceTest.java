package virtio.bus;

/** The in-memory fixture keeps the contract it is used to test others against. */
class InMemoryVirtioDeviceTest extends VirtioDeviceContract {
    @Override
    protected VirtioDevice newDevice() {
        return InMemoryVirtioDevice.net();
    }
}
