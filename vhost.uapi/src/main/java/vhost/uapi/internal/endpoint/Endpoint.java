package vhost.uapi.internal.endpoint;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.EnumMap;
import java.util.Map;
import linux.ffm.Epoll;
import linux.ffm.EventFd;
import linux.ffm.Fd;
import linux.ffm.LinuxException;
import linux.ffm.UnixSocket;
import vdpa.bus.VdpaDevice;
import vhost.uapi.internal.proto.Channel;
import vhost.uapi.internal.proto.Message;
import vhost.uapi.internal.proto.ProtocolError;
import vhost.uapi.internal.proto.ProtocolException;
import vhost.uapi.internal.session.Session;
import vhost.uapi.internal.session.SessionInfo;

/**
 * One device served on one socket, by one thread ({@code vhost-<device>}) that waits in epoll for
 * everything of it: the listening socket, the front-end's connection, its kick descriptors, the
 * device's config callback and the stop request. One front-end at a time: a server takes the
 * listening socket off its poll while a front-end is connected, so the next one waits in the
 * backlog and is accepted as soon as the first leaves; a client reconnects with a back-off that
 * doubles up to a bound.
 *
 * <p>However a front-end leaves (it closes, it dies, it breaks the protocol), its session is
 * closed: the device reset, its memory unmapped, its descriptors closed. A broken protocol is
 * logged with its reason and counted. {@link #close()} does the same for a connected front-end
 * and then ends the thread and removes the socket file.
 */
public final class Endpoint implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("vhost.uapi");
    private static final long STOP = 1;
    private static final long LISTEN = 2;
    private static final long CONNECTION = 3;
    private static final long DEVICE_EVENT = 4;
    /** How often a ring without a kick descriptor is kicked for the front-end. */
    private static final int POLL_MILLIS = 1;
    /** How often memory files that may shrink are checked while rings run. */
    private static final int WATCH_MILLIS = 100;

    private final String name;
    private final VdpaDevice device;
    private final EndpointConfig config;
    private final Epoll epoll;
    private final EventFd stop;
    private final EventFd deviceEvent;
    private final Fd listening;
    private final Thread thread;
    private final Map<ProtocolError, Long> errors = new EnumMap<>(ProtocolError.class);

    // guarded by this
    private Session session;
    private long connections;
    private String lastDisconnect;
    private long backoff;
    private long nextConnect;
    private long lastMemoryCheck;

    private Endpoint(String name, VdpaDevice device, EndpointConfig config, Epoll epoll, EventFd stop, EventFd deviceEvent,
            Fd listening) {
        this.name = name;
        this.device = device;
        this.config = config;
        this.epoll = epoll;
        this.stop = stop;
        this.deviceEvent = deviceEvent;
        this.listening = listening;
        this.backoff = config.reconnectMinMillis();
        this.thread = Thread.ofPlatform().name("vhost-" + name).daemon().unstarted(this::run);
    }

    /**
     * Serves {@code device}: a server binds its socket now (so a refusal is reported to the
     * caller), a client starts connecting. The device must be reset; it is left reset on close.
     */
    public static Endpoint start(String name, VdpaDevice device, EndpointConfig config) throws IOException {
        Epoll ep = null;
        EventFd stop = null;
        EventFd ev = null;
        Fd listening = null;
        try {
            ep = Epoll.create();
            stop = EventFd.create(0, true);
            ev = EventFd.create(0, true);
            ep.add(stop.fd(), Epoll.EPOLLIN, STOP);
            ep.add(ev.fd(), Epoll.EPOLLIN, DEVICE_EVENT);
            if (!config.client()) {
                listening = SocketFile.listen(config.socket());
                ep.add(listening, Epoll.EPOLLIN, LISTEN);
            } else {
                SocketFile.ownerOnlyFolder(config.socket().toAbsolutePath().getParent());
            }
        } catch (IOException | RuntimeException e) {
            for (AutoCloseable c : new AutoCloseable[] {listening, ev, stop, ep}) {
                if (c != null) {
                    try {
                        c.close();
                    } catch (Exception ignored) {
                        // closing what was opened; the first failure is what is reported
                    }
                }
            }
            if (listening != null) {
                java.nio.file.Files.deleteIfExists(config.socket());
            }
            throw e;
        }
        Endpoint e = new Endpoint(name, device, config, ep, stop, ev, listening);
        e.thread.start();
        return e;
    }

    public String name() {
        return name;
    }

    public EndpointConfig config() {
        return config;
    }

    private void run() {
        Epoll.Events events = new Epoll.Events(32);
        try {
            while (true) {
                int timeout;
                synchronized (this) {
                    if (session == null && config.client()) {
                        connectIfDue();
                    }
                    timeout = session != null && session.polling() ? POLL_MILLIS
                            : session != null && session.watchesMemory() ? WATCH_MILLIS
                            : session == null && config.client() ? (int) Math.max(1, nextConnect - System.currentTimeMillis()) : -1;
                }
                int n = epoll.await(events, timeout);
                synchronized (this) {
                    for (int i = 0; i < n; i++) {
                        long token = events.token(i);
                        if (token == STOP) {
                            return;
                        }
                        event(token, events.events(i));
                    }
                    if (session != null) {
                        session.pollRings();
                    }
                    watchMemory();
                }
            }
        } catch (LinuxException | RuntimeException e) {
            LOG.log(Level.ERROR, "vhost " + name + ": the endpoint failed and stops serving", e);
        } finally {
            synchronized (this) {
                endSession("the backend stops");
            }
        }
    }

    private void event(long token, int bits) throws LinuxException {
        if (token == LISTEN) {
            accept();
        } else if (token == DEVICE_EVENT) {
            deviceEvent.read();
            if (session != null) {
                try {
                    session.deviceEvent();
                } catch (LinuxException e) {
                    endSession("the back-end channel failed: " + e.getMessage());
                } catch (ProtocolException e) {
                    refuse(e);
                }
            }
        } else if (token == CONNECTION) {
            readMessage();
        } else if (token >= Session.KICK_TOKEN && session != null) {
            try {
                session.kick((int) (token - Session.KICK_TOKEN));
            } catch (ProtocolException e) {
                refuse(e);
            }
        }
    }

    /** At most every {@link #WATCH_MILLIS}: a memory file shrunk under running rings closes the connection. */
    private void watchMemory() {
        if (session == null || !session.watchesMemory()) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastMemoryCheck < WATCH_MILLIS * 1_000_000L) {
            return;
        }
        lastMemoryCheck = now;
        try {
            session.checkMemory();
        } catch (ProtocolException e) {
            refuse(e);
        }
    }

    private void accept() throws LinuxException {
        Fd conn = UnixSocket.accept(listening, false);
        epoll.remove(listening);
        begin(conn);
    }

    private void connectIfDue() {
        if (System.currentTimeMillis() < nextConnect) {
            return;
        }
        Fd fd = null;
        try {
            fd = UnixSocket.socket(false);
            UnixSocket.connect(fd, config.socket());
            backoff = config.reconnectMinMillis();
            begin(fd);
        } catch (LinuxException e) {
            if (fd != null) {
                fd.close();
            }
            LOG.log(Level.DEBUG, "vhost {0}: no front-end at {1} ({2}); next try in {3} ms", name, config.socket(), e.errnoName(), backoff);
            nextConnect = System.currentTimeMillis() + backoff;
            backoff = Math.min(config.reconnectMaxMillis(), backoff * 2);
        }
    }

    private void begin(Fd conn) throws LinuxException {
        try {
            int pid = UnixSocket.peerCredentials(conn).pid();
            Channel ch = new Channel(conn);
            session = new Session(name, device, ch, epoll, pid, this::deviceCallback);
            epoll.add(conn, Epoll.EPOLLIN | Epoll.EPOLLRDHUP, CONNECTION);
            connections++;
            LOG.log(Level.INFO, "vhost {0}: front-end (pid {1}) connected on {2}", name, pid, config.socket());
        } catch (LinuxException | RuntimeException e) {
            if (session != null) {
                session.close();
                session = null;
            } else {
                conn.close();
            }
            resumeListening();
            throw e;
        }
    }

    /** The device's config callback, on the device's thread: only wakes this endpoint. */
    private void deviceCallback() {
        try {
            deviceEvent.write(1);
        } catch (LinuxException e) {
            // the endpoint is closing
        }
    }

    private void readMessage() {
        Session s = session;
        if (s == null) {
            return;
        }
        try {
            Message m = s.channel().read();
            if (m == null) {
                endSession("the front-end closed the connection");
                return;
            }
            s.handle(m);
        } catch (ProtocolException e) {
            refuse(e);
        } catch (LinuxException e) {
            endSession("the connection failed: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "vhost " + name + ": a message failed inside the bridge", e);
            endSession("internal error: " + e);
        }
    }

    /** The front-end broke the protocol: counted, logged, its connection closed. */
    private void refuse(ProtocolException e) {
        errors.merge(e.reason(), 1L, Long::sum);
        LOG.log(Level.WARNING, "vhost {0}: closing the front-end''s connection: {1}", name, e.getMessage());
        endSession(e.getMessage());
    }

    private void endSession(String why) {
        if (session == null) {
            return;
        }
        try {
            epoll.remove(session.channel().socket());
        } catch (LinuxException e) {
            // closed already
        }
        session.close();
        session = null;
        lastDisconnect = why;
        LOG.log(Level.INFO, "vhost {0}: front-end gone ({1}); the device is reset", name, why);
        resumeListening();
    }

    private void resumeListening() {
        if (config.client()) {
            nextConnect = System.currentTimeMillis() + config.reconnectMinMillis();
            return;
        }
        try {
            epoll.add(listening, Epoll.EPOLLIN, LISTEN);
        } catch (LinuxException e) {
            if (e.errno() != linux.ffm.Errno.EEXIST) {
                LOG.log(Level.ERROR, "vhost {0}: cannot listen again: {1}", name, e.getMessage());
            }
        }
    }

    /** What {@code vhost:show} lists of this endpoint. */
    public synchronized EndpointInfo info() {
        String state = session != null ? "connected" : config.client() ? "connecting" : "listening";
        return new EndpointInfo(name, config.socket().toString(), config.client() ? "client" : "server", state, connections,
                lastDisconnect, Map.copyOf(errors), device.vqStateSupport(), session != null ? session.info() : null);
    }

    /** Disconnects a front-end (device reset, memory unmapped), ends the thread, removes the socket file. */
    @Override
    public void close() {
        try {
            stop.write(1);
        } catch (LinuxException e) {
            LOG.log(Level.ERROR, "vhost {0}: cannot stop the endpoint: {1}", name, e.getMessage());
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.log(Level.ERROR, "vhost {0}: the endpoint thread did not stop within 10 s", name);
        }
        synchronized (this) {
            endSession("the backend stops");
            if (listening != null) {
                listening.close();
                try {
                    java.nio.file.Files.deleteIfExists(config.socket());
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "vhost {0}: cannot remove {1}: {2}", name, config.socket(), e.getMessage());
                }
            }
            deviceEvent.close();
            stop.close();
            epoll.close();
        }
        device.reset();
    }
}
