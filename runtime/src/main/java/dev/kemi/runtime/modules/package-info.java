/**
 * The stateless Kamailio modules, written once as {@code @Export} methods that native cfg and
 * KEMI both call: core ({@code KSR.*}), hdr, pv ({@code KSR.pv}), sl, maxfwd, siputils, textops,
 * xlog, rr, sanity, corex, kemix ({@code KSR.kx}), pv's {@code KSR.pvx}, kex (empty).
 * {@link dev.kemi.runtime.modules.StandardModules} is the catalog {@code loadmodule} uses.
 *
 * <p>Where they meet tm:
 * <ul>
 *   <li>sl {@code send_reply} replies through tm's {@code TransactionLayer} when the request has
 *       a transaction; tm can build its replies with {@code sl.LocalReply.build} (script headers
 *       and body from {@code append_to_reply}/{@code set_reply_body} are in {@code sl.ReplyExtras}).</li>
 *   <li>rr registers {@code rr.RecordRoute.apply} as a tm send hook in its {@code init}; the
 *       stateless {@code forward()} calls it itself ({@code core.StatelessForward.prepareRequest}).</li>
 *   <li>{@code $avp} lives in the tm transaction's AVP map when there is one
 *       ({@code pv.AvpStore}), {@code $T_branch_idx}/{@code $T_reply_code} come from {@code TmView}.</li>
 *   <li>{@code core.SendSocket} is the forced send socket (double Record-Route, set_send_socket),
 *       {@code core.NextHop} the $du/R-URI resolution of the stateless forwarder.</li>
 * </ul>
 */
package dev.kemi.runtime.modules;
