package vdpa.sim.internal;

/** Frames a test sends to the host kernel through a TAP, built by hand: ARP for IPv4, IPv4 UDP. */
final class HostFrames {
    private HostFrames() {}

    /** Who has {@code target}, tell {@code sender} at {@code mac}: broadcast, padded to 60 bytes. */
    static byte[] arpRequest(long mac, byte[] sender, byte[] target) {
        byte[] f = new byte[60];
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) 0xff;
            f[6 + i] = (byte) (mac >>> (40 - 8 * i));
            f[22 + i] = f[6 + i];
        }
        f[12] = 0x08;
        f[13] = 0x06;
        f[15] = 1;
        f[16] = 0x08;
        f[18] = 6;
        f[19] = 4;
        f[21] = 1;
        System.arraycopy(sender, 0, f, 28, 4);
        System.arraycopy(target, 0, f, 38, 4);
        return f;
    }

    static long mac(byte[] f, int at) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = v << 8 | (f[at + i] & 0xff);
        }
        return v;
    }

    /** An IPv4 UDP frame of {@code length} bytes (header checksum set, UDP checksum 0: none). */
    static byte[] udp(long dst, long src, byte[] from, byte[] to, int length) {
        byte[] f = new byte[length];
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) (dst >>> (40 - 8 * i));
            f[6 + i] = (byte) (src >>> (40 - 8 * i));
        }
        f[12] = 0x08;
        f[14] = 0x45;
        int ipLen = length - 14;
        f[16] = (byte) (ipLen >>> 8);
        f[17] = (byte) ipLen;
        f[22] = 64;
        f[23] = 17;
        System.arraycopy(from, 0, f, 26, 4);
        System.arraycopy(to, 0, f, 30, 4);
        int sum = 0;
        for (int i = 14; i < 34; i += 2) {
            sum += (f[i] & 0xff) << 8 | (f[i + 1] & 0xff);
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = ~((sum & 0xffff) + (sum >>> 16)) & 0xffff;
        f[24] = (byte) (sum >>> 8);
        f[25] = (byte) sum;
        f[34] = 0x30;
        f[35] = 0x39;
        f[37] = 9;
        int udpLen = ipLen - 20;
        f[38] = (byte) (udpLen >>> 8);
        f[39] = (byte) udpLen;
        return f;
    }
}
