/**
 * The generic bus engine's contract: the kernel's drivers/base rebuilt on OSGi services.
 *
 * <p>A {@link driver.core.Bus} binds devices to drivers. Devices enter a bus through
 * {@link driver.core.Bus#register}, which publishes them as services whose properties describe them;
 * drivers are services of the bus's driver type that carry a name ({@value driver.core.BusConstants#DRIVER_NAME})
 * and a match rule ({@value driver.core.BusConstants#DRIVER_MATCH}, an LDAP filter over device
 * properties), declared on a DS component with {@link driver.core.BusDriver}. Only the bus decides
 * who binds: for each unbound device it offers the device to the matching drivers, best ranked
 * first, until one probe succeeds. Binding operations on one bus are serialized on the bus's own
 * thread; probe and remove never run on a thread that delivers a service event, and one that hangs
 * is reported instead of freezing the bus.
 *
 * <p>Concrete buses ({@code vdpa.bus}, {@code virtio.bus}) obtain an engine from the
 * {@link driver.core.BusFactory} service and publish it under their own typed interface.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package driver.core;
