package vdpa.bus;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Optional suspend and resume (the kernel's suspend and resume ops): stop and restart
 * processing without losing queue state, so {@link VdpaDevice#getVqState} is stable in between (live
 * migration, vhost's VHOST_VDPA_SUSPEND). The kernel lets a device offer one without the other; a
 * device that can suspend but not resume is not useful to any driver here, so they come as a pair.
 */
@ProviderType
public interface VdpaSuspendOps extends VdpaDevice {

    /** Stops processing all virtqueues and config changes (suspend); queue state stays readable. */
    void suspend();

    /** Resumes processing after {@link #suspend()} (resume). */
    void resume();
}
