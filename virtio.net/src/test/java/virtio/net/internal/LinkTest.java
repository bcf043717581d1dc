package virtio.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static virtio.net.internal.Harness.await;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_STATUS;

import org.junit.jupiter.api.Test;
import virtio.net.api.LinkState;
import virtio.net.api.NetDeviceConstants;
import virtio.spec.VirtioFeatures;

/** Link status changes arrive as config changes and show in state and service properties. */
class LinkTest {

    @Test
    void linkDownAndUpFollowTheDeviceStatus() throws Exception {
        try (Harness h = Harness.standard()) {
            VirtioNet net = h.probe();
            h.device.setLink(false);
            await(() -> "down".equals(h.services.get("eth0").get(NetDeviceConstants.NET_LINK)), "link down published");
            assertThat(net.link()).isEqualTo(LinkState.DOWN);
            h.device.setLink(true);
            await(() -> "up".equals(h.services.get("eth0").get(NetDeviceConstants.NET_LINK)), "link up published");
            assertThat(net.link()).isEqualTo(LinkState.UP);
        }
    }

    @Test
    void aLinkDownAtProbeIsPublishedDown() throws Exception {
        try (Harness h = Harness.standard()) {
            h.device.setLink(false);
            VirtioNet net = h.probe();
            assertThat(net.link()).isEqualTo(LinkState.DOWN);
            assertThat(h.services.get("eth0")).containsEntry(NetDeviceConstants.NET_LINK, "down");
        }
    }

    @Test
    void withoutStatusFeatureTheLinkIsAlwaysUp() throws Exception {
        long f = Harness.ALL & ~VirtioFeatures.bit(VIRTIO_NET_F_STATUS);
        try (Harness h = new Harness(f, 1500, 1, 64, Settings.DEFAULTS)) {
            h.device.setLink(false);
            VirtioNet net = h.probe();
            assertThat(net.link()).isEqualTo(LinkState.UP);
        }
    }
}
