/**
 * Side-by-side runs against real peers, outside JMH: {@link bench.peer.VhostUserPair} measures
 * DPDK's virtio-user sending into a vhost-user backend (DPDK's vhost PMD, or a socket given), with
 * the launchers of the interop module ({@code bench/run --vhost-pair}).
 */
package bench.peer;
