"""Browser tests: the real server, Debian's Chromium, passkeys through a virtual authenticator."""
