"""
tests/api/fixture.py - the module fixture shared by the tests/api/test_*.py suites
(Python 3 standard library only; not a test suite itself).

  take_bin(argv)        takes `--bin PATH` / `--bin=PATH` out of argv
  run_cli(bin, ...)     runs the binary, returns (rc, stdout, stderr)
  sanitizer_lines(t)    the AddressSanitizer / UBSan / LeakSanitizer lines of t
  Resp, request(...)    one raw HTTP request to the server (no proxies)
  start_server(G, ...)  demo database in a temp dir + `chuishao serve` on a free
                        loopback port, waits for /api/v1/health
  sign_in(call, ...)    signs demo users in (in parallel)
  stop_server(G)        SIGTERM; fails unless exit status 0 and no sanitizer report
  main(module, argv)    runs the suite, last line "N passed, M failed"

G is each suite's own module-state class (a ServerState); start_server /
stop_server set and use its attributes tmp, db, proc, port, base, out, err.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

SANITIZER_MARKS = ("ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer")


# ---- command line: --bin PATH (taken out before unittest sees argv) ----------------

def take_bin(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "build", "asan", "chuishao")
    rest, path, i = [argv[0]], None, 1
    while i < len(argv):
        a = argv[i]
        if a == "--bin" and i + 1 < len(argv):
            path = argv[i + 1]
            i += 2
            continue
        if a.startswith("--bin="):
            path = a[len("--bin="):]
        else:
            rest.append(a)
        i += 1
    return os.path.abspath(path or default), rest


# ---- processes ----------------------------------------------------------------------

def run_cli(binary, *args, env=None, timeout=60):
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run([binary] + list(args), capture_output=True, timeout=timeout, env=e)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def sanitizer_lines(text):
    return [l for l in text.splitlines() if any(m in l for m in SANITIZER_MARKS)]


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ---- HTTP ----------------------------------------------------------------------------

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Resp:
    repr_len = 600

    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers
        self.raw = raw
        self.text = raw.decode("utf-8", "replace")
        try:
            self.json = json.loads(self.text)
        except ValueError:
            self.json = None

    def __repr__(self):
        return "HTTP %d %s" % (self.status, self.text[:self.repr_len])


def request(base, method, path, data=None, headers=None, timeout=30, resp=Resp):
    """One request to base + path; headers: a dict (or list of pairs) added as they
    are. Answers with an HTTP error status are returned, not raised."""
    req = urllib.request.Request(base + path, data=data, method=method)
    items = headers.items() if isinstance(headers, dict) else (headers or ())
    for k, v in items:
        req.add_header(k, v)
    try:
        with _OPENER.open(req, timeout=timeout) as r:
            return resp(r.status, r.headers, r.read())
    except urllib.error.HTTPError as e:
        return resp(e.code, e.headers, e.read())


# ---- module fixture: demo database + real server -------------------------------------

class ServerState:
    """What start_server / stop_server keep; each suite's G subclasses it and adds
    its own module state."""
    tmp = None       # TemporaryDirectory
    db = None        # database path
    proc = None      # server process
    port = None      # its port
    base = None      # http://127.0.0.1:PORT
    out = None       # server stdout file
    err = None       # server stderr file


def start_server(G, binary, prefix, prepare=None, demo_timeout=60, env=None):
    """Creates a demo database in a new temp dir, runs prepare(G) if given (extra
    setup on the database before the server starts), starts `chuishao serve` on a
    free loopback port (with env(G) added to its environment, if given) and waits
    until /api/v1/health answers 200."""
    if not os.access(binary, os.X_OK):
        raise RuntimeError("no chuishao binary at %s (give --bin PATH)" % binary)
    G.tmp = tempfile.TemporaryDirectory(prefix=prefix)
    G.db = os.path.join(G.tmp.name, "t.db")
    rc, out, err = run_cli(binary, "demo", "--db", G.db, "--cases", "0", timeout=demo_timeout)
    if rc != 0 or sanitizer_lines(err):
        raise RuntimeError("chuishao demo failed (%d): %s %s" % (rc, out, err))
    if prepare is not None:
        prepare(G)
    G.port = free_port()
    G.base = "http://127.0.0.1:%d" % G.port
    G.out = open(os.path.join(G.tmp.name, "server.out"), "w+b")
    G.err = open(os.path.join(G.tmp.name, "server.err"), "w+b")
    e = dict(os.environ)
    e.update(env(G) if env else {})
    G.proc = subprocess.Popen([binary, "serve", "--db", G.db, "--port", str(G.port),
                               "--bind", "127.0.0.1"], stdout=G.out, stderr=G.err, env=e)
    deadline = time.time() + 20
    while True:
        if G.proc.poll() is not None:
            G.err.seek(0)
            raise RuntimeError("server exited with %d: %s" % (G.proc.returncode, G.err.read()))
        try:
            if request(G.base, "GET", "/api/v1/health", timeout=2).status == 200:
                break
        except (urllib.error.URLError, ConnectionError, socket.timeout, OSError):
            pass
        if time.time() > deadline:
            raise RuntimeError("server did not answer /api/v1/health within 20 s")
        time.sleep(0.05)


def sign_in(call, users, password):
    """Signs every name in users in through call("POST", "/api/v1/auth/login", body)
    (argon2id is slow-ish: in parallel); returns {name: login response JSON}."""
    logins, errors = {}, []

    def one(name):
        r = call("POST", "/api/v1/auth/login", {"username": name, "password": password})
        if r.status != 200:
            errors.append((name, r))
            return
        logins[name] = r.json

    threads = [threading.Thread(target=one, args=(n,)) for n in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError("login failed: %r" % errors)
    return logins


def stop_server(G):
    """Stops the server with SIGTERM; raises AssertionError unless it exits 0 with
    no sanitizer report on its stderr. Removes the temp dir."""
    problems = []
    if G.proc is not None:
        if G.proc.poll() is None:
            G.proc.send_signal(signal.SIGTERM)
            try:
                G.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                G.proc.kill()
                G.proc.wait()
                problems.append("the server did not stop within 20 s of SIGTERM")
        if G.proc.returncode != 0:
            problems.append("the server exited with status %r (expected 0)" % G.proc.returncode)
    if G.err is not None:
        G.err.seek(0)
        err = G.err.read().decode("utf-8", "replace")
        bad = sanitizer_lines(err)
        if bad:
            problems.append("sanitizer reports on the server's stderr:\n  " + "\n  ".join(bad[:20]))
        if problems:
            problems.append("server stderr (tail):\n" + err[-4000:])
        G.err.close()
        G.out.close()
    if G.tmp is not None:
        G.tmp.cleanup()
    if problems:
        raise AssertionError("\n".join(problems))


# ---- runner ------------------------------------------------------------------------------

class CountingResult(unittest.TextTestResult):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.n_pass = 0
        self.n_fail = 0

    def addSuccess(self, test):
        super().addSuccess(test)
        self.n_pass += 1

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.n_fail += 1

    def addError(self, test, err):  # also module/class fixture errors
        super().addError(test, err)
        self.n_fail += 1

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self.n_fail += 1

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self.n_pass += 1



class ApiCase(unittest.TestCase):
    """The assertions every API suite shares: a successful answer, and the
    error envelope {"error": {"code", "status", "message"[, "field"]}}."""
    maxDiff = 4000

    def assertOk(self, r, status=200):
        self.assertEqual(r.status, status, r)
        self.assertIsNotNone(r.json, r)
        return r.json

    def assertErr(self, r, status, code=None, field=None, words=()):
        """A 4xx error envelope {"error":{"code","status","message"[,"field"]}}."""
        self.assertEqual(r.status, status, r)
        self.assertIsInstance(r.json, dict, r)
        self.assertIn("error", r.json, r)
        e = r.json["error"]
        for k in ("code", "status", "message"):
            self.assertIn(k, e, r)
        self.assertEqual(e["status"], status, r)
        self.assertIsInstance(e["message"], str)
        self.assertTrue(e["message"].strip(), r)
        if code is not None:
            if isinstance(code, (tuple, list)):
                self.assertIn(e["code"], code, r)
            else:
                self.assertEqual(e["code"], code, r)
        if field is not None:
            if isinstance(field, (tuple, list)):
                self.assertIn(e.get("field"), field, r)
            else:
                self.assertEqual(e.get("field"), field, r)
        for w in words:
            self.assertIn(w.lower(), e["message"].lower(), "message should mention %r: %r" % (w, r))
        return e

def main(module, argv, timed=True):
    """Runs the tests of module (all, or the unittest names in argv[1:]), prints
    "N passed, M failed" last and exits non-zero on any failure."""
    started = time.time()
    loader = unittest.TestLoader()
    names = argv[1:]
    suite = loader.loadTestsFromNames(names, module) if names else loader.loadTestsFromModule(module)
    runner = unittest.TextTestRunner(stream=sys.stdout, verbosity=2, resultclass=CountingResult)
    result = runner.run(suite)
    if timed:
        sys.stdout.write("time %.1f s\n" % (time.time() - started))
    sys.stdout.write("%d passed, %d failed\n" % (result.n_pass, result.n_fail))
    sys.stdout.flush()
    sys.exit(1 if result.n_fail or not result.wasSuccessful() else 0)
