# The Python side of the host: the KSR module tree, Router, script loading, callback dispatch, msg.
import importlib.util, os, sys, types

_KEMI_ERRORS = {'TypeError': TypeError, 'OverflowError': OverflowError}

def _kemi_raise(kind, message):
    raise _KEMI_ERRORS[kind](message)

def _kemi_router(ksr):
    # app_python3's legacy Router package: constants as in Kamailio 5.6.3, and Logger
    # functions that log through the KSR log functions (which check the str argument)
    router = types.ModuleType('Router')
    core = types.ModuleType('Router.Core')
    ranks = types.ModuleType('Router.Ranks')
    ranks.__dict__.update(PROC_MAIN=0, PROC_TIMER=-1, PROC_RPC=-2, PROC_FIFO=-2, PROC_TCP_MAIN=-4,
                          PROC_UNIXSOCK=-5, PROC_ATTENDANT=-10, PROC_INIT=-127, PROC_NOCHLDINIT=-128,
                          PROC_SIPINIT=1, PROC_SIPRPC=127, PROC_MIN=-128)
    logger = types.ModuleType('Router.Logger')
    logger.__dict__.update(L_ALERT=-5, L_BUG=-4, L_CRIT2=-3, L_CRIT=-2, L_ERR=-1, L_WARN=0, L_NOTICE=1,
                           L_INFO=2, L_DBG=3, DEFAULT_FACILITY=0)

    def at(level):
        def log(msg):
            ksr.log(level, msg)
        return log

    for name, level in (('LM_ALERT', 'alert'), ('LM_CRIT', 'crit'), ('LM_ERR', 'err'), ('LM_WARN', 'warn'),
                        ('LM_NOTICE', 'notice'), ('LM_INFO', 'info'), ('LM_DBG', 'dbg')):
        setattr(logger, name, at(level))

    def LM_GEN1(level, msg):
        if not isinstance(level, int):
            raise TypeError('LM_GEN1() argument 1 must be int, not ' + type(level).__name__)
        ksr.log(str(level), msg)

    def LM_GEN2(facility, level, msg):
        if not isinstance(facility, int):
            raise TypeError('LM_GEN2() argument 1 must be int, not ' + type(facility).__name__)
        LM_GEN1(level, msg)

    logger.LM_GEN1 = LM_GEN1
    logger.LM_GEN2 = LM_GEN2
    router.Core, router.Logger, router.Ranks = core, logger, ranks
    sys.modules.update({'Router': router, 'Router.Core': core, 'Router.Logger': logger, 'Router.Ranks': ranks})

class _KemiSourceLoader:
    def __init__(self, text):
        self.text = text

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        exec(compile(self.text, module.__file__, 'exec'), module.__dict__)

class _KemiSourceFinder:
    # modules next to the script come from the loaded version's copy of their text,
    # so every context of one version runs the same helper code
    def __init__(self, directory, read):
        self.directory = directory
        self.read = read

    def find_spec(self, name, path=None, target=None):
        if path is not None:
            return None
        file = os.path.join(self.directory, name + '.py')
        text = self.read(file)
        if text is None:
            return None
        return importlib.util.spec_from_file_location(name, file, loader=_KemiSourceLoader(str(text)))

    def invalidate_caches(self):
        pass

class _KemiMsg:
    # app_python3's msg object, answered through KSR (pv, hdr, seturi ...) of the current message
    __slots__ = ('_k', '_n')

    def __init__(self, ksr, native_call):
        self._k = ksr
        self._n = native_call

    def _pv(self, name):
        return self._k.pv.get(name)

    def _is_reply(self):
        return isinstance(self._pv('$rs'), int)

    @property
    def Type(self):
        return 'SIP_REPLY' if self._is_reply() else 'SIP_REQUEST'

    @property
    def Method(self):
        return None if self._is_reply() else self._pv('$rm')

    @property
    def Status(self):
        return self._pv('$rs') if self._is_reply() else None

    @property
    def RURI(self):
        return None if self._is_reply() else self._pv('$ru')

    @property
    def src_address(self):
        return (self._pv('$si'), self._pv('$sp'))

    @property
    def dst_address(self):
        return (self._pv('$Ri'), self._pv('$Rp'))

    def getHeader(self, name):
        hdr = getattr(self._k, 'hdr', None)
        if hdr is not None and hasattr(hdr, 'get'):
            return hdr.get(name)
        return self._pv('$hdr(' + name + ')')

    def rewrite_ruri(self, uri):
        self._k.seturi(uri)

    def set_dst_uri(self, uri):
        self._k.setdsturi(uri)

    def call_function(self, fname, *params):
        return self._n(fname, *params)

class _KemiHost:
    def __init__(self, version, native_call):
        ksr = types.ModuleType('KSR')
        ksr.__version__ = version
        sys.modules['KSR'] = ksr
        _kemi_router(ksr)
        self.ksr = ksr
        self.sub('x').modf = native_call
        self.msg = _KemiMsg(ksr, native_call)
        self.handler = None

    def sub(self, name):
        if name == '':
            return self.ksr
        m = sys.modules.get('KSR.' + name)
        if m is None:
            m = types.ModuleType('KSR.' + name)
            sys.modules['KSR.' + name] = m
            setattr(self.ksr, name, m)
        return m

    def add(self, module, name, fn):
        setattr(self.sub(module), name, fn)

    def load(self, script_dir, module_name, path, text, mod_init, read_module):
        sys.dont_write_bytecode = True
        if script_dir not in sys.path:
            sys.path.insert(0, script_dir)
        sys.meta_path.insert(0, _KemiSourceFinder(script_dir, read_module))
        mod = types.ModuleType(module_name)
        mod.__file__ = path
        sys.modules[module_name] = mod
        exec(compile(text, path, 'exec'), mod.__dict__)
        f = getattr(mod, mod_init, None)
        if not callable(f):
            return (path, 0, 'no function ' + mod_init + '() in the script')
        handler = f()
        if handler is None:
            code = getattr(f, '__code__', None)
            return (code.co_filename if code else path, code.co_firstlineno if code else 0,
                    mod_init + '() returned None: it must return the handler object')
        self.handler = handler
        self.path = path
        return None

    def child_init(self, method, rank):
        f = getattr(self.handler, method, None)
        if not callable(f):
            return (self.path, 0, 'the object returned by mod_init has no method ' + method + '()')
        r = f(rank)
        if not isinstance(r, int):
            code = getattr(f, '__code__', None)
            return (code.co_filename if code else self.path, code.co_firstlineno if code else 0,
                    method + '() must return an int, not ' + type(r).__name__)
        if r < 0:
            code = getattr(f, '__code__', None)
            return (code.co_filename if code else self.path, code.co_firstlineno if code else 0,
                    method + '(' + str(rank) + ') failed: returned ' + str(r))
        return None

    def call(self, name, *extra):
        f = getattr(self.handler, name, None)
        if f is None:
            return False
        try:
            f(self.msg, *extra)
        except SystemExit:
            pass  # sys.exit() is the Python way to end routing: a normal end
        return True

    def has(self, name):
        return callable(getattr(self.handler, name, None))

    def where(self, name):
        # (file, first line) of a callback; GraalPy's interrupt carries no frame lines
        code = getattr(getattr(self.handler, name, None), '__code__', None)
        return None if code is None else (code.co_filename, code.co_firstlineno)
