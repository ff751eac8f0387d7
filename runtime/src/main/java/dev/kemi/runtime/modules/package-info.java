/**
 * The stateless Kamailio modules, written once as {@code @Export} methods that native cfg and
 * KEMI both call: core ({@code KSR.*}), hdr, pv ({@code KSR.pv}), sl, maxfwd, siputils, textops,
 * xlog, rr, sanity, corex, kemix ({@code KSR.kx}), pv's {@code KSR.pvx}, kex (empty).
 * {@link dev.kemi.runtime.modules.StandardModules} is the catalog {@code loadmodule} uses.
 *
 * <p>Where they meet tm (tm implements the APIs; sl and pv find it through the proxy, see
 * docs/modules.md):
 * <ul>
 *   <li>{@code sl.StatefulReplier}: sl {@code send_reply} replies statefully when the request has
 *       a transaction; tm builds its replies with {@code sl.LocalReply.build} (script headers and
 *       body from {@code append_to_reply}/{@code set_reply_body} are in {@code sl.ReplyExtras}).</li>
 *   <li>{@code pv.TmValues}: {@code $T_*} pseudo-variables; tm attaches the transaction's
 *       {@code pv.AvpStore} to the messages of its routes.</li>
 *   <li>{@code core.StatelessForward.prepareRequest}: Record-Route ({@code rr.RecordRoute}), our
 *       Via and received/rport on every relayed copy, stateless or by tm.</li>
 *   <li>{@code core.SendSocket} is the forced send socket (double Record-Route, set_send_socket),
 *       {@code core.NextHop} the $du/R-URI resolution of the stateless forwarder.</li>
 * </ul>
 */
package dev.kemi.runtime.modules;
