#!/usr/bin/env python3
"""The order lifecycle of examples/c/lifecycle.c through libvpsgate from Python's ctypes.

    python3 examples/python/lifecycle.py path/to/libvpsgate.so http://127.0.0.1:PORT

Against a `vpsgate sandbox` (funded account demo / API key demo-key): lists tariffs, creates,
suspends, unsuspends and renews an order, once with the library's built-in transport and once
sending the built requests with urllib, then prints the balance. Exit 0 when every step
succeeded; otherwise one line on stderr and exit 10 + the library's error number.
"""

import ctypes
import json
import sys
import urllib.error
import urllib.request

c_char_pp = ctypes.POINTER(ctypes.c_char_p)


class VpsgateError(Exception):
    """A failed call: the status, its name and the contract's error object."""

    def __init__(self, what, status, detail):
        super().__init__(f"{what}: {detail.get('message')} ({detail.get('name')}, error {status})")
        self.status = status
        self.detail = detail


class Library:
    """The few exports this example uses, with their C signatures."""

    def __init__(self, path):
        lib = ctypes.CDLL(path)
        vp = ctypes.c_void_p
        u8p = ctypes.POINTER(ctypes.c_uint8)
        sigs = {
            "vpsgate_version": (ctypes.c_char_p, []),
            "vpsgate_string_free": (None, [vp]),
            "vpsgate_error_json": (ctypes.c_char_p, [vp]),
            "vpsgate_error_free": (None, [vp]),
            "vpsgate_provider_new": (ctypes.c_uint32, [ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(vp), ctypes.POINTER(vp)]),
            "vpsgate_provider_free": (None, [vp]),
            "vpsgate_provider_step_run": (ctypes.c_uint32, [vp, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(vp), ctypes.POINTER(vp)]),
            "vpsgate_provider_command_run": (ctypes.c_uint32, [vp, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(vp), ctypes.POINTER(vp)]),
            "vpsgate_provider_step_request": (ctypes.c_uint32, [vp, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(vp), ctypes.POINTER(vp)]),
            "vpsgate_provider_command_request": (ctypes.c_uint32, [vp, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(vp), ctypes.POINTER(vp)]),
            "vpsgate_request_free": (None, [vp]),
            "vpsgate_request_method": (ctypes.c_char_p, [vp]),
            "vpsgate_request_url": (ctypes.c_char_p, [vp]),
            "vpsgate_request_body": (u8p, [vp]),
            "vpsgate_request_body_len": (ctypes.c_size_t, [vp]),
            "vpsgate_request_header_count": (ctypes.c_size_t, [vp]),
            "vpsgate_request_header_name": (ctypes.c_char_p, [vp, ctypes.c_size_t]),
            "vpsgate_request_header_value": (ctypes.c_char_p, [vp, ctypes.c_size_t]),
            "vpsgate_request_parse_response": (ctypes.c_uint32, [vp, ctypes.c_uint32, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(vp), ctypes.POINTER(vp)]),
        }
        for name, (restype, argtypes) in sigs.items():
            fn = getattr(lib, name)
            fn.restype = restype
            fn.argtypes = argtypes
        self.lib = lib

    def check(self, what, status, err):
        """Raise VpsgateError for a failed call (freeing its error handle)."""
        if status == 0:
            return
        detail = {"message": "(no error handle)"}
        if err.value:
            detail = json.loads(self.lib.vpsgate_error_json(err).decode())
            self.lib.vpsgate_error_free(err)
        raise VpsgateError(what, status, detail)

    def take_string(self, ptr):
        """The library's string as Python text, freed with vpsgate_string_free."""
        try:
            return ctypes.string_at(ptr.value).decode()
        finally:
            self.lib.vpsgate_string_free(ptr)


class Provider:
    """A vpsgate_provider handle."""

    def __init__(self, lib, config):
        self.lib = lib
        raw = json.dumps(config).encode()
        handle, err = ctypes.c_void_p(), ctypes.c_void_p()
        lib.check("configuration", lib.lib.vpsgate_provider_new(raw, len(raw), ctypes.byref(handle), ctypes.byref(err)), err)
        self.handle = handle

    def close(self):
        self.lib.lib.vpsgate_provider_free(self.handle)
        self.handle = None

    def run(self, kind, name, args=None):
        """A step or command through the built-in transport; the result as Python data."""
        raw = json.dumps(args or {}).encode()
        out, err = ctypes.c_void_p(), ctypes.c_void_p()
        fn = getattr(self.lib.lib, f"vpsgate_provider_{kind}_run")
        self.lib.check(name, fn(self.handle, name.encode(), raw, len(raw), ctypes.byref(out), ctypes.byref(err)), err)
        return json.loads(self.lib.take_string(out))

    def send_with_urllib(self, kind, name, args=None):
        """Build the request with the library, send it with urllib, read it with the library."""
        lib = self.lib.lib
        raw = json.dumps(args or {}).encode()
        req, err = ctypes.c_void_p(), ctypes.c_void_p()
        fn = getattr(lib, f"vpsgate_provider_{kind}_request")
        self.lib.check(name, fn(self.handle, name.encode(), raw, len(raw), ctypes.byref(req), ctypes.byref(err)), err)
        try:
            body = ctypes.string_at(lib.vpsgate_request_body(req), lib.vpsgate_request_body_len(req))
            headers = {
                lib.vpsgate_request_header_name(req, i).decode(): lib.vpsgate_request_header_value(req, i).decode()
                for i in range(lib.vpsgate_request_header_count(req))
            }
            method = lib.vpsgate_request_method(req).decode()
            http = urllib.request.Request(lib.vpsgate_request_url(req).decode(), data=body if method == "POST" else None, headers=headers, method=method)
            try:
                with urllib.request.urlopen(http, timeout=10) as answer:
                    status, answer_body = answer.status, answer.read(16 * 1024 * 1024)
            except urllib.error.HTTPError as e:  # 4xx/5xx are answers the library reads
                status, answer_body = e.code, e.read(16 * 1024 * 1024)
            out = ctypes.c_void_p()
            self.lib.check(name, lib.vpsgate_request_parse_response(req, status, answer_body, len(answer_body), ctypes.byref(out), ctypes.byref(err)), err)
            return json.loads(self.lib.take_string(out))
        finally:
            lib.vpsgate_request_free(req)


def lifecycle(provider, how):
    """Tariffs, create, suspend, unsuspend, renew: `how` is "native" or "urllib"."""
    call = provider.run if how == "native" else provider.send_with_urllib
    tariffs = call("command", "getTarifs", {"vid": "vds"})
    print(f"[{how}] tariffs: {[t['name'] for t in tariffs['data']['tarifs']]}")
    created = call("step", "create", {"plan": "201", "months": 1, "kind": "vds"})
    order = created["service"]["id"]
    print(f"[{how}] create: order {order}, cost {created['cost']}")
    for name in ("suspend", "unsuspend"):
        done = call("step", name, {"id": order})
        print(f"[{how}] {name} {order}: done={done['done']}")
    renewed = call("step", "renew", {"id": order, "months": 1})
    print(f"[{how}] renew {order}: expires {renewed['expires']}, cost {renewed['cost']}")


def main():
    if len(sys.argv) != 3:
        print("usage: lifecycle.py LIBVPSGATE BASE_URL", file=sys.stderr)
        return 2
    lib = Library(sys.argv[1])
    print(f"libvpsgate {lib.lib.vpsgate_version().decode()}")
    try:
        provider = Provider(lib, {
            "provider": "friendhosting", "endpoint": f"{sys.argv[2]}/apih.php",
            "login": "demo", "api_key": "demo-key", "timeout_ms": 10000,
        })
        try:
            lifecycle(provider, "native")
            lifecycle(provider, "urllib")
            balance = provider.run("step", "balance")
            print(f"balance: {balance['amount']} {balance['currency']}")
        finally:
            provider.close()
    except VpsgateError as e:
        print(f"lifecycle.py: {e}", file=sys.stderr)
        return 10 + e.status
    return 0


if __name__ == "__main__":
    sys.exit(main())
