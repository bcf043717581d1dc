package linux.ffm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventFdTest {

    @Test
    void writesAddUpAndAReadTakesThemAll() throws Exception {
        try (EventFd e = EventFd.create(0, true)) {
            assertThat(e.read()).isZero();
            e.write(1);
            e.write(1);
            e.write(5);
            assertThat(e.read()).isEqualTo(7);
            assertThat(e.read()).isZero();
        }
    }

    @Test
    void aBlockingReadWaitsForAWrite() throws Exception {
        try (EventFd e = EventFd.create(0, false)) {
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(50);
                    e.write(3);
                } catch (Exception x) {
                    throw new RuntimeException(x);
                }
            });
            assertThat(e.read()).isEqualTo(3);
            t.join();
        }
    }

    @Test
    void epollReportsTheReadyEventfdWithItsToken() throws Exception {
        try (EventFd a = EventFd.create(0, true); EventFd b = EventFd.create(0, true); Epoll ep = Epoll.create()) {
            ep.add(a.fd(), Epoll.EPOLLIN, 0x1_0000_0001L);
            ep.add(b.fd(), Epoll.EPOLLIN, 7);
            Epoll.Events ev = new Epoll.Events(4);
            assertThat(ep.await(ev, 0)).isZero();
            b.write(2);
            assertThat(ep.await(ev, 1000)).isEqualTo(1);
            assertThat(ev.token(0)).isEqualTo(7);
            assertThat(ev.events(0) & Epoll.EPOLLIN).isNotZero();
            assertThat(b.read()).isEqualTo(2);
            a.write(1);
            assertThat(ep.await(ev, 1000)).isEqualTo(1);
            assertThat(ev.token(0)).isEqualTo(0x1_0000_0001L);
            ep.remove(a.fd());
            assertThat(ep.await(ev, 0)).isZero();
        }
    }
}
