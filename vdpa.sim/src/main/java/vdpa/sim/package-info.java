/**
 * Software vDPA devices (the kernel's vdpa_sim and vdpa_sim_net): the embedded default hardware.
 *
 * <p>The management device {@value vdpa.sim.VdpaSimNet#MGMTDEV} creates simulated virtio-net
 * NICs on the vDPA bus, from {@code vdpa dev add} or from Configuration Admin factory
 * configurations of PID {@value vdpa.sim.VdpaSimNet#FACTORY_PID} (so a {@code .cfg} file in the
 * runtime's deploy folder creates a device). Each device's datapath is a job of the management
 * device's small worker pool (a worker when kicked, none while idle), and its wire connects to a
 * link: {@value vdpa.sim.VdpaSimNet#LINK_LOOPBACK}, a cable ({@code cable:<name>}) shared with
 * exactly one other device, a TAP interface of the host ({@code tap:<ifname>[@<netns>]}), so
 * frames reach the host kernel's network stack, a {@value vdpa.sim.VdpaSimNet#LINK_SINK} that
 * counts and drops what the device sends, or a generator ({@code generator:<size>[,count=<n>]})
 * that sends the device frames as fast as it takes them (the two ends of a speed measurement). This package holds only the names
 * other bundles and configuration files use; the implementation is private.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package vdpa.sim;
