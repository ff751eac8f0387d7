# Marshalling and callback probes for PythonScriptTest.
import sys
import KSR
import KSR as K2
import KSR.pv
from KSR import rec

def mod_init():
    KSR.info("mod_init")
    Handler.outside = (rec.needs_msg(), rec.xval("str"))
    return Handler()

class Handler:
    def child_init(self, rank):
        self.rank = rank
        return 0

    def ksr_request_route(self, msg):
        K2.info("request " + str(KSR.__version__) + " rank " + str(self.rank))
        KSR.tm.t_on_failure("my_failure")
        KSR.tm.t_relay()
        return 1

    def outside_message(self, msg):
        rec.str(repr(self.outside))
        rec.str(repr(rec.needs_msg()))

    def my_failure(self, msg):
        KSR.info("failure route")

    def returns(self, msg):
        rec.str(repr(rec.num(5)))
        rec.str(repr(rec.two("a", 1)))
        rec.str(repr(rec.two("b", False)))
        rec.str(repr(rec.none()))
        rec.str(repr(rec.xval("int")))
        rec.str(repr(rec.xval("str")))
        rec.str(repr(rec.xval("null")))
        rec.str(repr(rec.noargs("extra", 1)))
        rec.str(repr(KSR.pv.get("$sp")))

    def containers(self, msg):
        rec.str(repr(rec.xval("dicts")))

    def wrong_types(self, msg):
        try:
            rec.str(5)
        except TypeError as e:
            rec.str("TypeError: " + str(e))
        try:
            rec.str(None)
        except TypeError as e:
            rec.str("TypeError: " + str(e))
        try:
            rec.two("a")
        except TypeError as e:
            rec.str("TypeError: " + str(e))
        rec.num("200")
        rec.str("not reached")

    def exiting(self, msg):
        rec.str("before")
        sys.exit()
        rec.str("after")

    def msg_object(self, msg):
        rec.str(msg.Type)
        rec.str(msg.Method)
        rec.str(msg.RURI)
        rec.str(repr(msg.src_address))
        rec.str(msg.getHeader("X-Test"))
        msg.rewrite_ruri("sip:bob@example.com")
        rec.str(repr(msg.call_function("rec_two", "z", "3")))
        rec.str(repr(KSR.x.modf("rec_int", "9")))
        rec.str(repr(msg.call_function("no_such_function")))

    def event_cb(self, msg, evname):
        rec.str("event " + evname)

    def returns_none(self, msg):
        return None

    def exec_target(self, msg, param):
        rec.str("exec " + param)

    def call_exec(self, msg):
        rec.str(repr(KSR.app_python3.exec_p1("exec_target", "p")))
        rec.str(repr(KSR.app_python3.exec("missing_method")))

    def raising(self, msg):
        rec.str("raising")
        raise ValueError("boom")
