/**
 * Side-by-side runs against real peers, outside JMH, with the launchers of the interop module:
 * {@link bench.peer.VhostSideBySide} ({@code bench/run --vhost}) runs busbar's vhost-user backend
 * and DPDK's vhost PMD under the same DPDK virtio-user frontend, both directions, interleaved and
 * repeated, and reports both rates, their ratio and the spread ({@link bench.peer.Spread});
 * {@link bench.peer.VhostUserPair} ({@code bench/run --vhost-pair}) measures DPDK's virtio-user
 * sending into a vhost-user backend (DPDK's vhost PMD, or a socket given).
 */
package bench.peer;
