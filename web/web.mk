# web.mk - builds the browser application (web/) into build/web with Vite.
# Included by the Makefile; `make web` is a dependency of `make demo` and
# `make test`. See docs/web.md.
#
#   make web          node/npm installed from Debian if missing, `npm ci` when
#                     web/node_modules is missing or older than the lock file,
#                     then `vite build` when a source changed
#   make web-browser  Debian's chromium (and CJK fonts) for the browser tests;
#                     a prerequisite of `make test`
#
# Nothing here downloads a browser: playwright-core drives /usr/bin/chromium.

WEB_SRC := web/index.html web/vite.config.js web/package.json \
           $(shell find web/src web/public -type f 2>/dev/null)
WEB_STAMP := web/node_modules/.chuishao-npm-ci

.PHONY: web web-node web-browser

web: build/web/index.html

build/web/index.html: $(WEB_STAMP) $(WEB_SRC)
	@echo "VITE web/ -> build/web"
	@cd web && npx --no-install vite build --logLevel warn
	@touch $@

# npm ci when node_modules is missing or the lock file changed.
$(WEB_STAMP): web/package-lock.json | web-node
	cd web && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	@touch $@

web-node:
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || { \
	  echo "installing: nodejs npm"; \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm; }

web-browser:
	@missing=""; \
	 for p in chromium fonts-noto-cjk; do \
	   dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	 done; \
	 [ -z "$$missing" ] || { \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; }

# The browser tests need chromium: installed before the tests run.
test: web-browser
