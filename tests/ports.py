"""Free local ports for the brokers and workers that tests and benchmarks start (one copy for both)."""

from __future__ import annotations

import random
import socket


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A port the OS says is free now (for a worker's web server)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def free_port_pair() -> int:
    """A port P, not 9092, such that P and P + 1 are both free (broker and controller listeners)."""
    rng = random.Random()
    for _ in range(200):
        port = rng.randrange(20000, 40000)
        if port_free(port) and port_free(port + 1):
            return port
    raise RuntimeError("no two consecutive free ports found between 20000 and 40000")
