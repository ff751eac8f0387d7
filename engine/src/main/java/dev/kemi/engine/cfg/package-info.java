/**
 * The native kamailio.cfg engine: {@link dev.kemi.engine.cfg.ConfigLoader#load} preprocesses the
 * file ({@code #!define}, {@code #!ifdef}, include_file/import_file), reads the global parameters,
 * loads the modules ({@code loadmodule}, {@code modparam}) and compiles the route blocks into a tree
 * of nodes where every function, pseudo-variable, constant regex and route name was resolved at
 * load time ({@link dev.kemi.engine.cfg.NativeScript}).
 *
 * <p>Semantics follow Kamailio 5.6.3 (checked against {@code kamailio -c} and runs of 5.6.3):
 * cfg.y operator precedence (bitwise operators and shifts bind looser than comparisons), static type
 * check of constant operands, a function returning 0 ends the script even inside an {@code if},
 * a call is a boolean inside an expression but its return code when it is the whole right side of
 * an assignment, {@code return 0} from a sub-route ends the script, a failed evaluation (division
 * by zero) skips the action, {@code max_while_loops} aborts only the loop.
 *
 * <p>Engines: {@code cfgengine "python"|"jsdt"} picks a {@link dev.kemi.engine.ScriptEngineFactory}
 * (ServiceLoader). If the cfg also has a native {@code request_route}, requests run it and
 * everything else goes to the KEMI script, as Kamailio's receive.c does; other native blocks are then
 * only reachable through {@link dev.kemi.engine.cfg.NativeScript#route} (KSR.route).
 *
 * <p>Core reply_route: a result of 0 or less drops the reply (receive.c); onsend_route drops only
 * with {@code drop} (as fixed Kamailio versions; 5.6.3 also dropped on 0).
 *
 * <p>Differences from {@code kamailio -c}: as Kamailio, route() to a constant name without a block is
 * an error and t_on_*() naming a missing block a warning (nothing runs there). More lenient: modparam may
 * precede its loadmodule; a '$' that does not start a valid pseudo-variable in a string parameter
 * is kept literally (Kamailio rejects it in format parameters but not in regex ones, which cannot be
 * told apart here); functions not allowed in the route type that reaches a sub-route are warnings,
 * as Kamailio does not check sub-routes.
 */
package dev.kemi.engine.cfg;
