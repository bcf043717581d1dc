package net.responder.internal;

import static net.responder.internal.AnswersTest.ARP;
import static net.responder.internal.AnswersTest.ARP_REPLY;
import static net.responder.internal.AnswersTest.ECHO;
import static net.responder.internal.AnswersTest.ECHO_REPLY;
import static net.responder.internal.AnswersTest.HEX;
import static net.responder.internal.AnswersTest.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import virtio.net.api.MacAddress;
import virtio.net.api.SendResult;

/** The component's bookkeeping and the command, over NetDevices that are a test's far end of the wire. */
class RespondersTest {

    final Responders responders = new Responders();
    final AddrCommand command = new AddrCommand(responders);
    final WireNetDevice eth0 = new WireNetDevice("eth0", new MacAddress(AnswersTest.US), 2);

    Responders.Interface only(String name) {
        return responders.list(name).getFirst();
    }

    @Test
    void anAddressMakesTheResponderTheHandlerAndRequestsAreAnsweredOnTheirQueueAndCounted() {
        responders.addDevice(eth0);
        assertThat(eth0.handler).as("no address, no handler").isNull();
        command.addr(false, "eth0", "10.0.3.1/24");
        assertThat(eth0.handler).isNotNull();
        eth0.receive(1, frame(ECHO));
        eth0.receive(0, frame(ARP));
        eth0.receive(0, AnswersTest.with(ECHO, 25, 0));
        assertThat(eth0.sent).hasSize(2);
        assertThat(eth0.sent.get(0).queue()).isEqualTo(1);
        assertThat(HEX.formatHex(eth0.sent.get(0).frame())).isEqualTo(ECHO_REPLY);
        assertThat(eth0.sent.get(1).queue()).isZero();
        assertThat(HEX.formatHex(eth0.sent.get(1).frame())).isEqualTo(ARP_REPLY);
        assertThat(only("eth0").answered()).containsEntry("echo_replies", 1L).containsEntry("arp_replies", 1L)
                .containsEntry("drop_bad_ip_checksum", 1L).containsEntry("ignored", 0L);
        assertThat(only("eth0").inet()).containsExactly("10.0.3.1/24");
    }

    @Test
    void aSecondAddressIsAnsweredTooAndDeletingTheLastClearsTheHandler() {
        responders.addDevice(eth0);
        command.addr(false, "eth0", "add", "10.0.3.1/24");
        command.addr(false, "eth0", "add", "192.168.7.5/16");
        MemorySegment arp = frame(ARP);
        arp.set(Wire.BE32, Wire.ARP_TPA, 0xc0a80705);
        eth0.receive(0, arp);
        assertThat(eth0.sent).hasSize(1);
        command.addr(false, "eth0", "del", "10.0.3.1/24");
        eth0.receive(0, frame(ECHO));
        assertThat(eth0.sent).as("10.0.3.1 is gone").hasSize(1);
        assertThat(only("eth0").answered()).containsEntry("ignored", 1L);
        command.addr(false, "eth0", "del", "192.168.7.5/16");
        assertThat(eth0.handler).isNull();
        assertThat(only("eth0").inet()).isEmpty();
    }

    @Test
    void refusalsAreOneLineAndChangeNothing() {
        responders.addDevice(eth0);
        assertThatThrownBy(() -> command.addr(false, "eth9", "10.0.3.1/24")).hasMessage("Device \"eth9\" does not exist.");
        command.addr(false, "eth0", "10.0.3.1/24");
        assertThatThrownBy(() -> command.addr(false, "eth0", "10.0.3.1/16")).hasMessage("10.0.3.1/24 is already an address of eth0");
        assertThatThrownBy(() -> command.addr(false, "eth0", "del", "10.0.3.7/24")).hasMessage("10.0.3.7/24 is not an address of eth0");
        assertThatThrownBy(() -> command.addr(false, "eth0", "del", "10.0.3.1/16")).hasMessage("10.0.3.1/16 is not an address of eth0");
        assertThatThrownBy(() -> command.addr(false, "eth0", "flush", "10.0.3.1/24")).hasMessageContaining("expected add or del");
        assertThatThrownBy(() -> command.addr(false, "eth0", "10.0.3.0/24")).hasMessageContaining("network address of 10.0.3.0/24");
        assertThatThrownBy(() -> command.addr(false, "eth7")).hasMessage("Device \"eth7\" does not exist.");
        assertThatThrownBy(() -> command.addr(false, "eth0", "add", "10.0.3.2/24", "x")).hasMessageContaining("too many arguments");
        assertThat(only("eth0").inet()).containsExactly("10.0.3.1/24");
    }

    @Test
    void addressesAndCountersOutliveTheDeviceLeavingAndItsSuccessorAnswersAtOnce() {
        responders.addDevice(eth0);
        command.addr(false, "eth0", "10.0.3.1/24");
        eth0.receive(0, frame(ECHO));
        responders.removeDevice(eth0);
        assertThat(eth0.handler).as("the handler is cleared when the device goes").isNull();
        assertThat(only("eth0").state()).isEqualTo("absent");
        WireNetDevice again = new WireNetDevice("eth0", new MacAddress(AnswersTest.US), 1);
        responders.addDevice(again);
        again.receive(0, frame(ECHO));
        assertThat(again.sent).hasSize(1);
        assertThat(only("eth0").answered()).containsEntry("echo_replies", 2L);
        responders.deactivate();
        assertThat(again.handler).isNull();
    }

    @Test
    void aReplyTheDeviceRefusesIsCountedByWhy() {
        responders.addDevice(eth0);
        command.addr(false, "eth0", "10.0.3.1/24");
        eth0.refuseWith = SendResult.BUSY;
        eth0.receive(0, frame(ECHO));
        eth0.refuseWith = SendResult.DOWN;
        eth0.receive(0, frame(ARP));
        assertThat(only("eth0").answered()).containsEntry("drop_reply_busy", 1L).containsEntry("drop_reply_down", 1L)
                .containsEntry("echo_replies", 0L).containsEntry("arp_replies", 0L);
    }

    @Test
    void answeringAllocatesNothingOnceWarm() {
        responders.addDevice(eth0);
        command.addr(false, "eth0", "10.0.3.1/24");
        eth0.keep = false;
        MemorySegment echo = frame(ECHO);
        MemorySegment arp = frame(ARP);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 200_000; i++) {
            eth0.receive(i & 1, (i & 2) == 0 ? echo : arp);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            eth0.receive(i & 1, (i & 2) == 0 ? echo : arp);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        // a little slack for the measuring itself; one object per frame would be >= 1.6 MB
        assertThat(allocated).isLessThan(10_000);
        assertThat(eth0.sends).isEqualTo(300_000);
    }

    @Test
    void theListingIsLikeIpAddrWithTheCountersAndJsonToo() {
        responders.addDevice(eth0);
        responders.addDevice(new WireNetDevice("eth1", new MacAddress(0x5254_0000_0002L), 1));
        command.addr(false, "eth0", "10.0.3.1/24");
        eth0.receive(0, frame(ECHO));
        String text = command.addr(false).toText();
        assertThat(text).startsWith("eth0: <UP> link/ether 02:00:00:00:00:01\n    inet 10.0.3.1/24\n    arp_replies 0 echo_replies 1 ignored 0 drop_truncated 0");
        assertThat(text).contains("eth1: <UP> link/ether 52:54:00:00:00:02\n    arp_replies 0");
        String json = command.addr(true, "eth0").toJson();
        assertThat(json).startsWith("[{\"name\":\"eth0\",\"state\":\"up\",\"mac\":\"02:00:00:00:00:01\",\"inet\":[\"10.0.3.1/24\"],"
                + "\"answered\":{\"arp_replies\":0,\"echo_replies\":1,");
    }
}
