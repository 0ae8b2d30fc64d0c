"""Test guest: a Python plugin (componentize-py) that reaches outside. Its configuration,
{"do": "..."}, says what `adjust-quote` tries; cases.yaml says how the host must answer each.
An error code of the plugin's own reports what it observed (`fs.denied`, `clock.fixed` ...)."""

import json
import socket
import sys
import time

from componentize_py_types import Err
from wit_world import exports
from wit_world.imports import host
from wit_world.imports.types import Hook, Label, PluginError, PluginInfo


def observed(code: str, detail: str) -> Err:
    return Err(PluginError(code, Label(detail, detail, detail)))


class Guest(exports.Guest):
    def describe(self) -> PluginInfo:
        text = "Tries what Python allows."
        return PluginInfo("hostile-python", "0.1.0", [Hook.ADJUST_QUOTE], Label(text, text, text))

    def adjust_quote(self, quote):
        what = json.loads(host.config()).get("do", "")
        if what == "loop":
            while True:
                pass
        if what == "alloc":
            hoard = bytearray(1 << 30)
            return [] if hoard else []
        if what == "stdout":
            chunk = "x" * (1 << 20)
            for _ in range(100):
                sys.stdout.write(chunk)
            sys.stdout.flush()
            return []
        if what == "passwd":
            try:
                with open("/etc/passwd") as f:
                    raise observed("fs.read", f"read {len(f.read())} characters")
            except OSError as e:
                raise observed("fs.denied", str(e))
        if what == "socket":
            try:
                socket.create_connection(("127.0.0.1", 80), timeout=1)
            except Exception as e:
                raise observed("net.denied", repr(e))
            raise observed("net.open", "connected")
        if what == "clock":
            w1, m1 = time.time(), time.monotonic()
            sum(range(100_000))
            w2, m2 = time.time(), time.monotonic()
            raise observed("clock.fixed" if (w1, m1) == (w2, m2) else "clock.moved", f"{w1} {w2} {m1} {m2}")
        if what == "sleep":
            time.sleep(3600)
            raise observed("slept", "the sleep returned")
        if what == "exit":
            sys.exit(3)
        return []

    def lint_model(self, model):
        return []

    def dashboard_figures(self, dashboard):
        return []
