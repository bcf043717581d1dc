package vhost.uapi.internal.session;

import java.util.List;

/**
 * A connected front-end as {@code vhost:show} lists it.
 *
 * @param frontendPid the front-end's process id (SO_PEERCRED), or 0 if unknown
 * @param features the virtio features the front-end set (bit 30 included)
 * @param deviceFeatures the features the device runs with, or -1 before negotiation
 * @param protocolFeatures the protocol features the front-end set
 * @param status the status byte GET_STATUS reports
 * @param receivePairs the pairs the device receives on as the bridge set them through the control
 *     queue it drives for the front-end, or 0 if the front-end drives it (or there is none)
 * @param refusedRequests requests the front-end may make that the device refused (answered with a
 *     failure when REPLY_ACK asked for a reply; each logged)
 */
public record SessionInfo(int frontendPid, long features, long deviceFeatures, long protocolFeatures, int status, boolean owner,
        boolean backendChannel, int mtu, long configChangesSent, int receivePairs, long refusedRequests, List<Region> regions,
        List<Ring> rings) {

    /**
     * A memory region (the index in the table): guest-physical address, size, the front-end's user
     * address, where it is mapped here, and its file's seals ({@code seal shrink grow write
     * future-write}, {@code none}, or {@code unsupported} for a file that takes none, such as
     * hugetlbfs): one that is not sealed against shrinking is watched while rings run.
     */
    public record Region(int index, long gpa, long size, long userAddr, long hostAddr, String seals) {}

    /**
     * A ring: size, enable, started (kick given), whether the device has it ready, polling (no kick
     * descriptor), the last avail and used positions (split: used = avail; packed: offsets with their
     * wrap counters in bit 15; -1 while the ring runs on a device that cannot report them), kicks
     * taken and calls raised.
     */
    public record Ring(int index, int size, boolean enabled, boolean started, boolean ready, boolean polling,
            int lastAvail, int lastUsed, long kicks, long calls) {}
}
