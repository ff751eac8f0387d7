// The JS side of the host: the KSR global, KSR.x, callback dispatch, duk_to_* coercions, require().
(function (setDrop, resolveModule, loadModule) {
  'use strict';
  const g = globalThis;
  const EXIT = '~~ksr~exit~~'; // Kamailio's exit marker: KSR.x.exit() throws it, the dispatcher treats it as a normal end
  const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
  const KSR = {};
  KSR.x = {
    exit() { throw EXIT; },
    drop() { setDrop(); throw EXIT; }
  };
  g.KSR = KSR;
  if (resolveModule !== null) {
    // app_jsdt mode 1: duk_module_node's require(), one module cache per context
    const cache = Object.create(null);
    const makeRequire = (parentId) => {
      const require = function (id) {
        const resolved = resolveModule(String(id), parentId);
        if (resolved === null) throw new Error("Could not resolve module '" + id + "'");
        let m = cache[resolved];
        if (m !== undefined) return m.exports;
        m = { filename: resolved, id: resolved, exports: {}, loaded: false };
        m.require = makeRequire(resolved);
        cache[resolved] = m;
        try {
          const wrapper = loadModule(resolved);
          if (wrapper === null) throw new Error("Could not load module '" + resolved + "'");
          wrapper.call(undefined, m.exports, m.require, m, resolved, undefined);
        } catch (e) {
          delete cache[resolved]; // a later require may retry, as in Duktape
          throw e;
        }
        m.loaded = true;
        return m.exports;
      };
      require.cache = cache;
      require.main = undefined; // the script itself is not loaded as a module
      return require;
    };
    Object.defineProperty(g, 'require', { value: makeRequire(''), writable: true, configurable: true });
  }
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
    where(name) { return lookup(name) ?? null; },
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
