package dev.kemi.engine.polyglot;

/** The JS side of the host: the KSR global, KSR.x, callback dispatch, duk_to_* coercions. */
final class JsGlue {
    private JsGlue() {}

    /** Kamailio's exit marker: KSR.x.exit() throws it, the dispatcher treats it as a normal end. */
    static final String EXIT = "~~ksr~exit~~";

    static final String SOURCE = """
            (function (setDrop) {
              'use strict';
              const g = globalThis;
              const EXIT = '%s';
              const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
              const KSR = {};
              KSR.x = {
                exit() { throw EXIT; },
                drop() { setDrop(); throw EXIT; }
              };
              g.KSR = KSR;
              // callbacks are global functions; script-level let/const ones are read through a
              // getter compiled once per name (it sees later assignments, never throws)
              const lexical = new Map();
              function lookup(name) {
                const f = g[name];
                if (typeof f === 'function') return f;
                let get = lexical.get(name);
                if (get === undefined) {
                  get = IDENT.test(name)
                    ? (0, eval)('() => typeof ' + name + " === 'function' ? " + name + ' : undefined')
                    : () => undefined;
                  lexical.set(name, get);
                }
                return get();
              }
              return {
                add(mod, name, fn) {
                  if (mod === '') KSR[name] = fn;
                  else (KSR[mod] ??= {})[name] = fn;
                },
                call(name, ...args) {
                  const f = lookup(name);
                  if (f === undefined) return false;
                  try {
                    f(...args);
                  } catch (e) {
                    if (e !== EXIT) throw e;
                  }
                  return true;
                },
                has(name) { return lookup(name) !== undefined; },
                rangeError(message) { throw new RangeError(message); },
                toStr: String,
                toInt(v) {
                  const n = Number(v);
                  if (n !== n) return 0;
                  if (n >= 2147483647) return 2147483647;
                  if (n <= -2147483648) return -2147483648;
                  return Math.trunc(n);
                }
              };
            })
            """.formatted(EXIT);
}
