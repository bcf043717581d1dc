/**
 * The L3 responder: the smallest part of an IPv4 host that lets a peer reach the runtime with
 * ping. {@link net.responder.internal.Responders} (a DS component) tracks every NetDevice and
 * keeps, per interface name, the addresses {@code net:addr} gave it and what was answered; an
 * interface with an address gets a {@link net.responder.internal.Responder} as its receive
 * handler. {@link net.responder.internal.Answers} decides, for one frame, whether it is an ARP
 * request or an ICMP echo request for one of those addresses and writes the reply; everything
 * else is ignored, and a malformed frame is dropped and counted by its
 * {@link net.responder.internal.Outcome}, never answered. Replies are built in a buffer per
 * queue, made once: answering allocates nothing.
 *
 * <p>There is no routing, no ARP cache and no fragment reassembly: a reply goes back to the MAC
 * address the request came from.
 */
package net.responder.internal;
