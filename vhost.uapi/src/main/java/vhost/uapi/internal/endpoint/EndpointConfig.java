package vhost.uapi.internal.endpoint;

import java.nio.file.Path;

/**
 * Where and how one device is served.
 *
 * @param socket the UNIX socket's path
 * @param client connect to a listening front-end (QEMU's {@code server=on}) instead of listening
 * @param reconnectMinMillis a client's first back-off after a failed connect or a lost front-end
 * @param reconnectMaxMillis the back-off doubles up to this bound
 */
public record EndpointConfig(Path socket, boolean client, long reconnectMinMillis, long reconnectMaxMillis) {

    public EndpointConfig {
        if (reconnectMinMillis < 1 || reconnectMaxMillis < reconnectMinMillis) {
            throw new IllegalArgumentException("reconnect back-off " + reconnectMinMillis + ".." + reconnectMaxMillis + " ms");
        }
    }

    /** A server on {@code socket} (what a QEMU {@code -chardev socket,path=...} or DPDK virtio-user connects to). */
    public static EndpointConfig server(Path socket) {
        return new EndpointConfig(socket, false, 100, 5000);
    }
}
