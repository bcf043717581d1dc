package virtio.net.internal;

import virtio.net.api.FrameHandler;

/**
 * Who receives a NetDevice's frames: the receive handler (null: frames wait in the backlog) and
 * the tap that sees each frame first. Set by the NetDevice, read by every queue pair's worker once
 * per frame (plain volatile reads, nothing allocated).
 */
final class Receivers {
    volatile FrameHandler handler;
    volatile FrameHandler tap;

    /** Teardown: nobody is called again. */
    void clear() {
        handler = null;
        tap = null;
    }
}
