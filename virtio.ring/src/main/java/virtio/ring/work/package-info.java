/**
 * Who runs the queues: {@link virtio.ring.work.WorkerPool}, a few platform threads shared by every
 * device and queue of a bundle. A device's datapath (or a driver's queue pair) is a
 * {@link virtio.ring.work.WorkerPool.Job}, scheduled by a kick or an interrupt and served by one
 * worker at a time in bounded rounds, so the thread count does not grow with the number of
 * devices, idle ones cost nothing but memory, and a busy one cannot starve the others.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package virtio.ring.work;
