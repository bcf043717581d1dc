/**
 * The ring implementations behind {@link virtio.ring.DriverQueue} and {@link virtio.ring.DeviceQueue}:
 * one class per layout and side over a shared base for each side.
 *
 * <p>Every public entry point of a queue is a final method of the base class that checks the
 * broken flag and catches a vanished segment; the layout classes hold only the hot path and the
 * spec's ordering. Shared memory is read field by field into locals, once, and checked before use;
 * the driver side's own bookkeeping (free lists, tokens, offered lengths) lives in private arrays
 * the device cannot touch. Rare cases (an empty ring re-check, an in-order batch, a chain that
 * crosses mappings, growing a chain's part arrays) sit in their own methods.
 */
package virtio.ring.internal;
