package net.responder.internal;

/**
 * What became of one received frame: answered, ignored (not for the responder), or dropped for a
 * reason a sender can cause. Every frame the responder is handed ends in exactly one of these; the
 * word is how {@code net:addr} shows its counter.
 */
enum Outcome {
    /** An ARP request for one of the interface's addresses, answered. */
    ARP_REPLY("arp_replies", true),
    /** An ICMP echo request to one of the interface's addresses, answered. */
    ECHO_REPLY("echo_replies", true),
    /**
     * Not for the responder: another protocol or address, ARP replies and announcements, ICMP
     * other than echo requests, broadcasts. Well-formed, so not a drop.
     */
    IGNORED("ignored", false),
    /** Shorter than its headers, or than the IPv4 total length it declares. */
    DROP_TRUNCATED("drop_truncated", false),
    /** ARP that is not IPv4 over Ethernet (hardware type 1, protocol 0x0800, lengths 6 and 4), or an unknown operation. */
    DROP_BAD_ARP("drop_bad_arp", false),
    /** IPv4 whose version is not 4, header length below 20 bytes, or total length below the header. */
    DROP_BAD_IP_HEADER("drop_bad_ip_header", false),
    /** IPv4 header checksum wrong. */
    DROP_BAD_IP_CHECKSUM("drop_bad_ip_checksum", false),
    /** A fragment (more-fragments set or an offset): the responder reassembles nothing. */
    DROP_FRAGMENT("drop_fragment", false),
    /** ICMP checksum wrong. */
    DROP_BAD_ICMP_CHECKSUM("drop_bad_icmp_checksum", false),
    /**
     * A source no reply may go to: a multicast or broadcast MAC, or an IPv4 source that is
     * unspecified, broadcast, multicast, loopback or the interface's own address.
     */
    DROP_BAD_SOURCE("drop_bad_source", false),
    /** The reply would be longer than the interface's largest frame. */
    DROP_TOO_LONG("drop_too_long", false),
    /** Answered, but the device's TX ring was full: the reply was not sent. */
    DROP_REPLY_BUSY("drop_reply_busy", false),
    /** Answered, but the device refused the reply (gone, or its TX ring broken). */
    DROP_REPLY_DOWN("drop_reply_down", false);

    final String word;
    /** Whether a reply was built and is to be sent. */
    final boolean replies;

    Outcome(String word, boolean replies) {
        this.word = word;
        this.replies = replies;
    }
}
