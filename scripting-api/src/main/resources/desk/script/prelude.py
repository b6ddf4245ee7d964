# Desk's Python face: wraps the API objects so that they behave like Python objects, with keyword
# arguments (session.track("Vox", channels=1)), attributes for values (vox.fader = -6), a useful repr,
# and DeskError for every refusal.

import polyglot as _polyglot


class DeskError(Exception):
    """A refused Desk action: the message names the thing, the value and what is allowed."""


# Refusals are worded in JavaScript's words; outside quoted text these become Python's. Plain string code
# rather than the re module, whose import would add most of a second to the start of Python.
_DESK_PYTHON_WORDS = {"true": "True", "false": "False", "null": "None", "Infinity": "inf"}


def _desk_word_char(c):
    return c.isalnum() or c == "_"


def _desk_in_python_words(message):
    out = []
    i = 0
    n = len(message)
    while i < n:
        c = message[i]
        if c == '"':
            end = message.find('"', i + 1)
            if end >= 0:
                out.append(message[i:end + 1])
                i = end + 1
                continue
        elif c == "-" and message.startswith("-Infinity", i):
            out.append("-inf")
            i += len("-Infinity")
            continue
        elif _desk_word_char(c) and (i == 0 or not _desk_word_char(message[i - 1])):
            end = i
            while end < n and _desk_word_char(message[end]):
                end += 1
            word = message[i:end]
            out.append(_DESK_PYTHON_WORDS.get(word, word))
            i = end
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _desk_without_exception_name(message):
    """Drops a leading Java exception name ("desk.session.DeskException: ") from a refusal."""
    end = 0
    while end < len(message) and (_desk_word_char(message[end]) or message[end] in ".$"):
        end += 1
    if end > len("Exception") and message[:end].endswith("Exception") and message.startswith(": ", end):
        return message[end + 2:]
    return message


def _desk_guard(action, *args):
    try:
        return action(*args)
    except _polyglot.ForeignException as error:
        raise DeskError(_desk_in_python_words(_desk_without_exception_name(str(error)))) from None


class _DeskObject:
    __slots__ = ("_desk",)

    def __init__(self, raw):
        object.__setattr__(self, "_desk", raw)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raw = object.__getattribute__(self, "_desk")
        if name not in _desk_members(raw):
            raise AttributeError(str(raw.__desk_no_member__(name)))
        value = _desk_guard(getattr, raw, name)
        if callable(value):
            def call(*args, **kwargs):
                plain = [_desk_unwrap(a) for a in args]
                if kwargs:
                    plain.append({k: _desk_unwrap(v) for k, v in kwargs.items()})
                return _desk_wrap(_desk_guard(value, *plain))
            call.__name__ = name
            return call
        return _desk_wrap(value)

    def __setattr__(self, name, value):
        _desk_guard(setattr, object.__getattribute__(self, "_desk"), name, _desk_unwrap(value))

    def __dir__(self):
        return list(_desk_members(object.__getattribute__(self, "_desk")))

    def __repr__(self):
        return str(object.__getattribute__(self, "_desk").toString())

    __str__ = __repr__

    def __eq__(self, other):
        return isinstance(other, _DeskObject) and \
            object.__getattribute__(self, "_desk") == object.__getattribute__(other, "_desk")

    def __hash__(self):
        return int(object.__getattribute__(self, "_desk").__desk_id__)


def _desk_members(raw):
    return [str(k) for k in raw.__desk_members__]


def _desk_is_api(value):
    try:
        return value is not None and hasattr(value, "__desk_members__")
    except BaseException:
        return False


def _desk_wrap(value):
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if _desk_is_api(value):
        return _DeskObject(value)
    try:
        return [_desk_wrap(v) for v in value]
    except TypeError:
        return value


def _desk_unwrap(value):
    if isinstance(value, _DeskObject):
        return object.__getattribute__(value, "_desk")
    if isinstance(value, (list, tuple)):
        return [_desk_unwrap(v) for v in value]
    return value


class _DeskExpectation:
    """A value under test: expect(x).to_be_below(-1) and the like; each check returns whether it passed."""
    __slots__ = ("_check",)

    def __init__(self, check):
        self._check = check

    def to_be_below(self, limit):
        return self._check.toBeBelow(limit)

    def to_be_above(self, limit):
        return self._check.toBeAbove(limit)

    def to_be(self, expected):
        return self._check.toBe(expected)

    def to_be_close_to(self, expected, tolerance):
        return self._check.toBeCloseTo(expected, tolerance)

    def __repr__(self):
        return repr(self._check)


_DESK_NO_THREADS = ("threads are not available in Desk scripts: all script code runs on one thread; use"
                    " every(interval, fn), after(duration, fn) or at(time, fn) to run code later or repeatedly")


def _desk_refuse_threads(*args, **kwargs):
    """Stands in for starting a thread, which the sandbox forbids: a RuntimeError scripts can catch."""
    raise RuntimeError(_DESK_NO_THREADS)


class _DeskThreadingLoader:
    """Loads threading as usual, then makes Thread.start refuse before it touches any of threading's state."""

    def __init__(self, loader):
        self._loader = loader

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        module.__spec__.loader = module.__loader__ = self._loader
        self._loader.exec_module(module)
        module.Thread.start = _desk_refuse_threads


class _DeskThreadingFinder:
    """Finds threading, on the first import only, with the loader above."""

    def find_spec(self, name, path=None, target=None):
        if name != "threading":
            return None
        import importlib.util
        import sys
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        spec.loader = _DeskThreadingLoader(spec.loader)
        return spec


def _desk_forbid_threads():
    # Starting a thread through _thread refuses at once. threading is not loaded yet (its import takes a
    # noticeable time, and the thread that imports it becomes its main thread); Thread.start is replaced as
    # it loads rather than left to fail inside, where GraalPy cannot report an exception that it re-raises.
    import _thread
    import sys
    _thread.start_new_thread = _desk_refuse_threads
    _thread.start_new = _desk_refuse_threads
    sys.meta_path.insert(0, _DeskThreadingFinder())


def _desk_install(raw):
    import __main__
    import sys
    session = _desk_wrap(raw)
    __main__.session = session
    __main__.DeskError = DeskError
    __main__.at = session.at
    __main__.after = session.after
    __main__.every = session.every

    def expect(value, name=None):
        """A check on value, named after the script line that made it unless given a name."""
        if name is None:
            frame = sys._getframe(1)
            name = "%s:%d" % (frame.f_code.co_filename.replace("\\", "/").split("/")[-1], frame.f_lineno)
        return _DeskExpectation(session.expect(value, name))

    __main__.expect = expect
    _desk_forbid_threads()


_desk_install
