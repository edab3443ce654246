"""Loaded by every Python subprocess the test suite starts (notebook kernels, CLI runs).

It refuses any socket connection that is not to loopback and records the attempt in the file
named by OSINT_KIT_NETLOG, so the suite can prove that nothing phoned home. In-process tests
are guarded by pytest-socket instead; CI also re-runs everything under ``unshare -n``.
"""

import os
import socket

_LOG = os.environ.get("OSINT_KIT_NETLOG")
_LOOPBACK = ("127.", "::1", "localhost", "0.0.0.0")
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _check(address):  # type: ignore[no-untyped-def]
    host = address[0] if isinstance(address, tuple) else str(address)
    if isinstance(address, (str, bytes)) or str(host).startswith(_LOOPBACK):
        return
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} connect {address!r}\n")
    raise OSError(f"osint_kit test guard: network access to {address!r} is blocked")


def _connect(self, address):  # type: ignore[no-untyped-def]
    _check(address)
    return _real_connect(self, address)


def _connect_ex(self, address):  # type: ignore[no-untyped-def]
    _check(address)
    return _real_connect_ex(self, address)


socket.socket.connect = _connect  # type: ignore[method-assign]
socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign]
