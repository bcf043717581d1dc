package driver.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A bus that hands every call to an engine: the base of a concrete bus's typed service
 * ({@code VdpaBus}, {@code VirtioBus}), which then only adds its type. Closing it closes the engine.
 */
public abstract class ForwardingBus<D> implements Bus<D>, AutoCloseable {

    private final BusFactory.Engine<D> engine;

    protected ForwardingBus(BusFactory.Engine<D> engine) {
        this.engine = java.util.Objects.requireNonNull(engine, "engine");
    }

    @Override
    public String name() {
        return engine.name();
    }

    @Override
    public DeviceRegistration register(D device, Map<String, ?> properties) throws BusException {
        return engine.register(device, properties);
    }

    @Override
    public Optional<D> device(String name) {
        return engine.device(name);
    }

    @Override
    public List<DeviceInfo> devices() {
        return engine.devices();
    }

    @Override
    public List<DriverInfo> drivers() {
        return engine.drivers();
    }

    @Override
    public void bind(String device, String driver) throws BusException {
        engine.bind(device, driver);
    }

    @Override
    public void unbind(String device) throws BusException {
        engine.unbind(device);
    }

    @Override
    public void override(String device, String driver) throws BusException {
        engine.override(device, driver);
    }

    @Override
    public void close() {
        engine.close();
    }
}
