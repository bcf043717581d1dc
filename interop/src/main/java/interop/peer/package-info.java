/**
 * Launchers for the real peers of busbar's vhost-user datapath, for tests and benchmarks: a QEMU
 * guest built from Debian's packages ({@link interop.peer.GuestImage}, {@link interop.peer.Qemu}),
 * DPDK's testpmd as virtio-user frontend or vhost backend ({@link interop.peer.Testpmd}), and the
 * busbar runtime jar driven through its shell ({@link interop.peer.Busbar}). The network namespaces
 * the tests make are linux.ffm's test helper's ({@code linux.ffm.testing.TestNamespace}), the one
 * every module's TAP tests use.
 *
 * <p>Every launcher follows {@link interop.peer.PeerProcess}'s rules: a peer is bounded in time,
 * killed by its own pid on success and on failure (and from a JVM shutdown hook), and its sockets,
 * runtime folders and temporary files are deleted once it is gone. A missing peer is a failure
 * that names the Debian packages to install ({@link interop.peer.Peers}), never a skipped test.
 * Not an OSGi bundle: a plain jar on the class path of the interop tests and of bench.
 */
package interop.peer;
