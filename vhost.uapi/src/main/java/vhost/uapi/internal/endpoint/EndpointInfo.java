package vhost.uapi.internal.endpoint;

import java.util.Map;
import vdpa.bus.VqStateSupport;
import vhost.uapi.internal.proto.ProtocolError;
import vhost.uapi.internal.session.SessionInfo;

/**
 * A served device as {@code vhost:show} lists it.
 *
 * @param state {@code listening}, {@code connecting} or {@code connected}
 * @param connections front-ends served since the device was bound
 * @param lastDisconnect why the last front-end went, or null
 * @param errors protocol errors by reason (each closed a connection)
 * @param queueState what the device can do with queue state: {@link VqStateSupport#INITIAL_ONLY}
 *     (a virtio-pci function) cannot report where a ring stands nor start one anywhere but at its start
 * @param session the connected front-end, or null
 */
public record EndpointInfo(String device, String socket, String role, String state, long connections, String lastDisconnect,
        Map<ProtocolError, Long> errors, VqStateSupport queueState, SessionInfo session) {}
