package vdpa.bus;

/** The reference device keeps the contract other devices are checked against. */
class SimpleVdpaDeviceTest extends VdpaDeviceContract implements VdpaSuspendContract {
    @Override
    protected VdpaDevice newDevice() {
        return new SimpleVdpaDevice();
    }
}
