// Marshalling and callback probes for JsScriptTest.
const rec = KSR.rec;
KSR.info("top level"); // no message: false, not recorded

function ksr_request_route() {
  KSR.info("request");
  KSR.tm.t_on_failure("my_failure");
  KSR.tm.t_relay();
}

function my_failure() {
  KSR.info("failure route");
}

function returns() {
  rec.str(String(rec.num(5)));
  rec.str(String(rec.num("200")));
  rec.str(String(rec.num(3.9)));
  rec.str(String(rec.num(true)));
  rec.str(String(rec.num("abc")));
  rec.str(String(rec.str(12)));
  rec.str(String(rec.str(null)));
  rec.str(String(rec.num(null)));
  rec.str(String(rec.two("a", 1, "ignored")));
  rec.str(String(rec.none()));
  rec.str(String(rec.xval("int")));
  rec.str(JSON.stringify(rec.xval("str")));
  rec.str(String(rec.xval("null")));
  rec.str(String(rec.noargs()));
  rec.str(String(rec.noargs("x")));
  rec.str(String(rec.num()));
}

function too_few() {
  try {
    rec.two("a");
  } catch (e) {
    rec.str(e.constructor.name);
  }
  rec.two("b");
  rec.str("not reached");
}

function exiting() {
  rec.str("before");
  KSR.x.exit();
  rec.str("after");
}

function dropping() {
  KSR.x.drop();
  rec.str("after");
}

function swallowed() {
  try {
    KSR.x.exit();
  } catch (e) {
    rec.str("caught " + e);
  }
  rec.str("continued");
}

function modf() {
  rec.str(String(KSR.x.modf("rec_two", "z", 3)));
  rec.str(String(KSR.x.modf("no_such_function")));
}

function event_cb(evname) {
  rec.str("event " + evname);
}

const modern = () => {
  const { a, ...rest } = { a: 1, b: 2, c: 3 };
  rec.str(`modern ${a} ${Object.keys(rest).join("")} ${[1, 2, 3].at(-1)} ${Object.groupBy([1, 2, 3], (x) => (x % 2 ? "odd" : "even")).odd.length}`);
};

function call_missing() {
  KSR.hdr.append_hf("X: y\r\n");
}

function exec_target(p) {
  rec.str("exec " + p);
}

function call_exec() {
  rec.str(String(KSR.app_jsdt.run_p1("exec_target", "p")));
}

function containers() {
  const d = rec.xval("dicts");
  rec.str(JSON.stringify(d) + " " + d.length + " " + d[0].k[1] + " " + Array.isArray(d));
}
