"""
tests/api/test_web_static.py - `chuishao serve --web DIR` (CHUISHAO_WEB_DIR here)
serves the web application's files safely: no path traversal (plain, encoded,
backslash), no symbolic link leading out of DIR, the right Content-Type, immutable
caching for hashed assets, index.html for application pages (SPA fallback), 404 for
missing files, and the API untouched. Also: --web naming a directory without
index.html is refused.

    python3 tests/api/test_web_static.py --bin build/asan/chuishao
"""
import http.client
import os
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture  # noqa: E402

BIN, ARGV = fixture.take_bin(sys.argv)
SECRET = b"top secret outside the web directory\n"
INDEX = b"<!doctype html><title>app</title><p>the app</p>\n"


class G(fixture.ServerState):
    web = None    # TemporaryDirectory holding web/ and secret.txt
    saved = None  # CHUISHAO_WEB_DIR before


def setUpModule():
    G.web = tempfile.TemporaryDirectory(prefix="chuishao-webdir-")
    root = G.web.name
    site = os.path.join(root, "web")
    os.makedirs(os.path.join(site, "assets"))
    os.makedirs(os.path.join(site, "sub"))
    files = {
        "index.html": INDEX,
        "assets/app-1a2b3c.js": b"console.log(1)\n",
        "assets/app-1a2b3c.css": b"body{}\n",
        "assets/font-9z.woff2": b"wOF2",
        "favicon.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        "logo.png": b"\x89PNG\r\n\x1a\n",
        "data.json": b"{}\n",
        "sub/index.html": b"<p>sub</p>\n",
    }
    for name, data in files.items():
        with open(os.path.join(site, name), "wb") as f:
            f.write(data)
    with open(os.path.join(root, "secret.txt"), "wb") as f:
        f.write(SECRET)
    os.symlink(os.path.join(root, "secret.txt"), os.path.join(site, "leak.txt"))
    os.symlink(root, os.path.join(site, "up"))
    os.symlink("assets/app-1a2b3c.js", os.path.join(site, "inside.js"))
    G.saved = os.environ.get("CHUISHAO_WEB_DIR")
    os.environ["CHUISHAO_WEB_DIR"] = site
    start(G)


def start(g):
    """Like fixture.start_server, on an empty database (`chuishao init`): no demo
    data is needed to serve files."""
    g.tmp = tempfile.TemporaryDirectory(prefix="chuishao-webstatic-")
    g.db = os.path.join(g.tmp.name, "t.db")
    rc, out, err = fixture.run_cli(BIN, "init", "--db", g.db)
    if rc != 0:
        raise RuntimeError("chuishao init failed (%d): %s %s" % (rc, out, err))
    g.port = fixture.free_port()
    g.base = "http://127.0.0.1:%d" % g.port
    g.out = open(os.path.join(g.tmp.name, "server.out"), "w+b")
    g.err = open(os.path.join(g.tmp.name, "server.err"), "w+b")
    g.proc = subprocess.Popen([BIN, "serve", "--db", g.db, "--port", str(g.port), "--bind", "127.0.0.1"],
                              stdout=g.out, stderr=g.err)
    deadline = time.time() + 20
    while True:
        if g.proc.poll() is not None:
            g.err.seek(0)
            raise RuntimeError("server exited with %d: %s" % (g.proc.returncode, g.err.read()))
        try:
            if fixture.request(g.base, "GET", "/api/v1/health", timeout=2).status == 200:
                return
        except OSError:
            pass
        if time.time() > deadline:
            raise RuntimeError("server did not answer /api/v1/health within 20 s")
        time.sleep(0.05)


def tearDownModule():
    try:
        fixture.stop_server(G)
    finally:
        if G.saved is None:
            os.environ.pop("CHUISHAO_WEB_DIR", None)
        else:
            os.environ["CHUISHAO_WEB_DIR"] = G.saved
        G.web.cleanup()


def raw_get(path, method="GET"):
    """The path is sent exactly as given (no normalisation)."""
    c = http.client.HTTPConnection("127.0.0.1", G.port, timeout=10)
    try:
        c.putrequest(method, path, skip_accept_encoding=True)
        c.endheaders()
        r = c.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        c.close()


class Traversal(unittest.TestCase):
    def assert_refused(self, path):
        status, _, body = raw_get(path)
        self.assertNotIn(b"top secret", body, path)
        self.assertIn(status, (404,), "%s answered %d" % (path, status))

    def test_dot_dot(self):
        for p in ("/../secret.txt", "/assets/../../secret.txt", "/./index.html", "/assets/./app-1a2b3c.js"):
            self.assert_refused(p)

    def test_encoded_dot_dot_and_slash(self):
        for p in ("/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/assets/..%2f..%2fsecret.txt",
                  "/assets/%2e%2e/%2e%2e/secret.txt", "/..%5csecret.txt", "/assets\\..\\..\\secret.txt"):
            self.assert_refused(p)

    def test_nul_and_control_bytes(self):
        for p in ("/%0a", "/a%01b.js", "/assets%0d/app-1a2b3c.js"):
            self.assert_refused(p)
        # libmicrohttpd decodes %00 and the path ends there: what is served is
        # the file before it, never anything outside.
        status, _, body = raw_get("/index.html%00/../../secret.txt")
        self.assertIn((status, body), ((200, INDEX), (404, b"not found\n")))

    def test_symlink_out_of_the_directory(self):
        for p in ("/leak.txt", "/up/secret.txt"):
            self.assert_refused(p)

    def test_symlink_inside_is_served(self):
        status, headers, body = raw_get("/inside.js")
        self.assertEqual((status, body), (200, b"console.log(1)\n"))
        self.assertEqual(headers["content-type"], "text/javascript; charset=utf-8")

    def test_page_paths_never_leak(self):
        # A path without a dot is a page: index.html, never the linked file.
        status, _, body = raw_get("/up")
        self.assertEqual((status, body), (200, INDEX))


class Files(unittest.TestCase):
    def test_index(self):
        status, headers, body = raw_get("/")
        self.assertEqual((status, body), (200, INDEX))
        self.assertEqual(headers["content-type"], "text/html; charset=utf-8")
        self.assertEqual(headers["cache-control"], "no-cache")
        self.assertEqual(headers["x-content-type-options"], "nosniff")

    def test_content_types(self):
        want = {
            "/assets/app-1a2b3c.js": "text/javascript; charset=utf-8",
            "/assets/app-1a2b3c.css": "text/css; charset=utf-8",
            "/assets/font-9z.woff2": "font/woff2",
            "/favicon.svg": "image/svg+xml",
            "/logo.png": "image/png",
            "/data.json": "application/json; charset=utf-8",
        }
        for path, ctype in want.items():
            status, headers, _ = raw_get(path)
            self.assertEqual((status, headers["content-type"]), (200, ctype), path)

    def test_hashed_assets_are_immutable(self):
        _, headers, _ = raw_get("/assets/app-1a2b3c.js")
        self.assertEqual(headers["cache-control"], "public, max-age=31536000, immutable")
        _, headers, _ = raw_get("/favicon.svg")
        self.assertEqual(headers["cache-control"], "no-cache")

    def test_directory_index(self):
        self.assertEqual(raw_get("/sub/")[::2], (200, b"<p>sub</p>\n"))

    def test_spa_fallback(self):
        for p in ("/cases/12", "/map", "/dashboard?from=2026-01-01", "/login"):
            status, headers, body = raw_get(p)
            self.assertEqual((status, body), (200, INDEX), p)
            self.assertEqual(headers["content-type"], "text/html; charset=utf-8")

    def test_missing_file_is_404(self):
        for p in ("/assets/gone-123.js", "/nope.css"):
            status, _, _ = raw_get(p)
            self.assertEqual(status, 404, p)

    def test_head(self):
        status, headers, body = raw_get("/assets/app-1a2b3c.js", "HEAD")
        self.assertEqual((status, body, headers["content-length"]), (200, b"", "15"))

    def test_post_is_not_allowed(self):
        self.assertEqual(raw_get("/index.html", "POST")[0], 405)

    def test_api_untouched(self):
        status, headers, body = raw_get("/api/v1/nope")
        self.assertEqual(status, 404)
        self.assertIn(b'"no_route"', body)
        status, _, _ = raw_get("/api/v1/health")
        self.assertEqual(status, 200)


class Options(unittest.TestCase):
    def test_web_dir_without_index_is_refused(self):
        with tempfile.TemporaryDirectory() as empty:
            rc, out, err = fixture.run_cli(BIN, "serve", "--db", G.db, "--port", "1", "--web", empty)
            self.assertEqual(rc, 2, out + err)
            self.assertIn("index.html", err)
            rc, out, err = fixture.run_cli(BIN, "serve", "--db", G.db, "--port", "1",
                                           "--web", os.path.join(empty, "missing"))
            self.assertEqual(rc, 2, out + err)


if __name__ == "__main__":
    fixture.main(sys.modules[__name__], ARGV)
