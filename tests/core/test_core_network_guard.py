"""The suite's network guards really refuse non-loopback connections, before sending."""

from __future__ import annotations

import importlib.util
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_sockets_are_disabled_by_default() -> None:
    with pytest.raises(RuntimeError):  # pytest_socket.SocketBlockedError
        socket.socket()


@pytest.mark.enable_socket
def test_enable_socket_means_loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import pytest_socket

    sent: list[object] = []
    # Replace the real connect with a recorder: even if the guard failed, nothing leaves.
    monkeypatch.setattr(pytest_socket, "_true_connect", lambda inst, *a: sent.append(a))
    sock = socket.socket()
    with pytest.raises(RuntimeError, match=r"192\.0\.2\.1"):
        sock.connect(("192.0.2.1", 80))
    assert sent == []
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    sock2 = socket.socket()
    sock2.connect(srv.getsockname())
    sock2.close()
    srv.close()
    assert len(sent) == 1  # loopback went through (to the recorder)


def test_subprocess_guard_refuses_and_logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "netlog.txt"
    monkeypatch.setenv("OSINT_KIT_NETLOG", str(log))
    spec = importlib.util.spec_from_file_location(
        "ok_netguard_probe", ROOT / "tests" / "netguard" / "sitecustomize.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    real = socket.socket.connect, socket.socket.connect_ex
    try:
        spec.loader.exec_module(module)
        with pytest.raises(OSError, match="blocked"):
            module._check(("192.0.2.1", 443))
        module._check(("127.0.0.1", 8888))  # loopback allowed
    finally:
        socket.socket.connect, socket.socket.connect_ex = real  # type: ignore[method-assign]
    assert "192.0.2.1" in log.read_text()
