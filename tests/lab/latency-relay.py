#!/usr/bin/env python3
"""A WAN in the lab: a latency-injecting TCP relay on loopback.

Listens on many distinct loopback addresses (127.60.0.1, 127.60.0.2, ... by default) on one or more front
ports and forwards each connection to a lab backend (e.g. Postfix on 127.0.0.1:60025). Every chunk is held
for the one-way latency in each direction, order preserved per direction; the backend connect waits one
round trip (2 x latency) as a TCP handshake over the WAN would. Bounded: at most --max-connections open at
once (more are closed at once and logged as "refused"), and the relay exits by itself after --lifetime
seconds. Loopback only: every front and backend address must be in 127.0.0.0/8, or it refuses to start.

Why python3/asyncio: it is on every lab machine, starts in well under a second with no build step, and one
event loop serves thousands of sockets; the relay only moves a few kilobytes per connection.

Log (--log, tab-separated, one line per event, flushed):
  time  open|backend-open|client-eof|close|refused  front-address:port  connection-id  open-on-this-front  open-to-backend
        [bytes-up bytes-down reason]
"open-on-this-front" counts what clients hold: accept until the client closes its side (client-eof, undelayed);
"open-to-backend" counts relay-to-backend connections, which close one delayed EOF later.
"report" reads such a log (optionally only lines after --since-line) and prints the maximum number of
concurrent connections per front address and to the backend.

  latency-relay.py serve --backend 25=127.0.0.1:60025 --fronts 1000 --latency-ms 50 --log relay.log --pid-file relay.pid
  latency-relay.py report --log relay.log [--since-line N] [--json]
  latency-relay.py list --fronts 1000        (the addresses serve listens on, for target lists)
"""
import argparse
import asyncio
import ipaddress
import json
import os
import resource
import signal
import sys
import time

LOOPBACK = ipaddress.ip_network("127.0.0.0/8")
CHUNK = 65536


def loopback_address(text):
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an IP address: {text}")
    if address not in LOOPBACK:
        raise argparse.ArgumentTypeError(f"refusing a non-loopback address: {text} (only 127.0.0.0/8)")
    return address


def route(text):
    """FRONT_PORT=ADDRESS:PORT, e.g. 25=127.0.0.1:60025."""
    try:
        front, backend = text.split("=", 1)
        host, port = backend.rsplit(":", 1)
        front_port, backend_port = int(front), int(port)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected FRONT_PORT=ADDRESS:PORT, got {text}")
    if not (0 < front_port < 65536 and 0 < backend_port < 65536):
        raise argparse.ArgumentTypeError(f"port out of range in {text}")
    return front_port, (str(loopback_address(host)), backend_port)


def front_addresses(base, count):
    """count addresses from base upward, skipping .0 and .255 in the last octet (some tools treat them as special)."""
    out, value = [], int(base)
    while len(out) < count:
        address = ipaddress.ip_address(value)
        if address not in LOOPBACK:
            raise SystemExit(f"latency-relay: {count} front addresses from {base} leave 127.0.0.0/8")
        if value & 0xFF not in (0, 255):
            out.append(str(address))
        value += 1
    return out


class Relay:
    def __init__(self, args):
        self.args = args
        self.latency = args.latency_ms / 1000.0
        self.connect_delay = (2 * args.latency_ms if args.connect_delay_ms is None else args.connect_delay_ms) / 1000.0
        self.open_total = 0
        self.open_backend = 0
        self.open_per_front = {}
        self.max_per_front = {}
        self.max_backend = 0
        self.accepted = 0
        self.refused = 0
        self.next_id = 0
        self.tasks = set()
        self.log_file = open(args.log, "a", buffering=1) if args.log else None
        self.stopping = asyncio.Event()

    def log(self, *fields):
        if self.log_file:
            self.log_file.write("\t".join([f"{time.time():.6f}", *map(str, fields)]) + "\n")

    async def pipe(self, reader, writer, on_eof=None):
        """Reads chunks and delivers each one latency later, in order: a reader task stamps, a writer task waits.
        on_eof runs the moment the reading side ends (the peer closed or failed), before any delay."""
        queue = asyncio.Queue()
        loop = asyncio.get_running_loop()

        async def read_side():
            total = 0
            try:
                while True:
                    data = await reader.read(CHUNK)
                    await queue.put((loop.time() + self.latency, data))
                    if not data:
                        return total
                    total += len(data)
            except (ConnectionError, OSError):
                await queue.put((loop.time() + self.latency, b""))
                return total
            finally:
                if on_eof is not None:
                    on_eof()

        async def write_side():
            while True:
                due, data = await queue.get()
                delay = due - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                if not data:
                    try:
                        if writer.can_write_eof():
                            writer.write_eof()
                    except (ConnectionError, OSError):
                        pass
                    return
                writer.write(data)
                await writer.drain()

        results = await asyncio.gather(read_side(), write_side(), return_exceptions=True)
        return results[0] if isinstance(results[0], int) else 0

    async def handle(self, client_reader, client_writer, front, backend):
        self.next_id += 1
        cid = self.next_id
        if self.open_total >= self.args.max_connections:
            self.refused += 1
            self.log("refused", front, cid, self.open_per_front.get(front, 0), self.open_backend, 0, 0, "max-connections")
            client_writer.close()
            return
        self.accepted += 1
        self.open_total += 1
        # Per front address we count what the client holds: from accept until the client closes its side (read at
        # once, undelayed). The relay itself keeps the connection a little longer, until the delayed EOF has crossed.
        now = self.open_per_front.get(front, 0) + 1
        self.open_per_front[front] = now
        self.max_per_front[front] = max(self.max_per_front.get(front, 0), now)
        self.log("open", front, cid, now, self.open_backend)
        client_open = [True]

        def client_closed():
            if client_open[0]:
                client_open[0] = False
                self.open_per_front[front] -= 1
                self.log("client-eof", front, cid, self.open_per_front[front], self.open_backend)
        up = down = 0
        reason = "done"
        backend_writer = None
        try:
            # The backend connect "crosses the WAN" first; what the client sends meanwhile waits in the socket.
            await asyncio.sleep(self.connect_delay)
            backend_reader, backend_writer = await asyncio.wait_for(asyncio.open_connection(*backend), timeout=10)
            self.open_backend += 1
            self.max_backend = max(self.max_backend, self.open_backend)
            self.log("backend-open", front, cid, self.open_per_front[front], self.open_backend)
            up, down = await asyncio.wait_for(
                asyncio.gather(self.pipe(client_reader, backend_writer, client_closed),
                               self.pipe(backend_reader, client_writer)),
                timeout=self.args.connection_lifetime)
        except asyncio.TimeoutError:
            reason = "timeout"
        except (ConnectionError, OSError) as error:
            reason = type(error).__name__
        except asyncio.CancelledError:
            reason = "relay-stopped"
        finally:
            for w in (client_writer, backend_writer):
                if w is not None:
                    try:
                        w.close()
                    except Exception:
                        pass
            client_closed()
            self.open_total -= 1
            if backend_writer is not None:
                self.open_backend -= 1
            self.log("close", front, cid, self.open_per_front[front], self.open_backend, up, down, reason)

    def stats(self):
        return {
            "accepted": self.accepted,
            "refused": self.refused,
            "max_concurrent_backend": self.max_backend,
            "max_concurrent_per_front": max(self.max_per_front.values(), default=0),
            "fronts_used": len(self.max_per_front),
        }

    async def serve(self):
        loop = asyncio.get_running_loop()
        fronts = front_addresses(self.args.front_base, self.args.fronts)
        servers = []
        for address in fronts:
            for front_port, backend in self.args.backend:
                name = f"{address}:{front_port}"

                def on_connect(r, w, name=name, backend=backend):
                    task = asyncio.ensure_future(self.handle(r, w, name, backend))
                    self.tasks.add(task)
                    task.add_done_callback(self.tasks.discard)

                servers.append(await asyncio.start_server(on_connect, address, front_port, backlog=256, reuse_address=True))
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.stopping.set)
        loop.add_signal_handler(signal.SIGUSR1, lambda: print(json.dumps(self.stats()), file=sys.stderr, flush=True))
        if self.args.pid_file:
            with open(self.args.pid_file, "w") as f:
                f.write(f"{os.getpid()}\n")
        routes = ", ".join(f"{p} -> {h}:{bp}" for p, (h, bp) in self.args.backend)
        print(f"latency-relay ready: {len(fronts)} front addresses {fronts[0]}..{fronts[-1]}, ports {routes}, "
              f"{self.args.latency_ms} ms each way, pid {os.getpid()}", flush=True)
        try:
            await asyncio.wait_for(self.stopping.wait(), timeout=self.args.lifetime)
        except asyncio.TimeoutError:
            print("latency-relay: lifetime over, stopping", file=sys.stderr, flush=True)
        for server in servers:
            server.close()
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        if self.args.pid_file:
            try:
                os.unlink(self.args.pid_file)
            except FileNotFoundError:
                pass
        print("latency-relay stopped: " + json.dumps(self.stats()), file=sys.stderr, flush=True)


# The event loop may run a new connection's accept just before the close of one that the client had already ended
# (seen: 55 microseconds apart in one loop turn). A close this close behind an open is counted before it.
LOOP_ORDER_TOLERANCE_S = 0.002


def report(args):
    backend, opens, refused = 0, 0, 0
    events = {}  # front -> [(time, +1/-1)]
    with open(args.log) as f:
        for number, line in enumerate(f, 1):
            if number <= args.since_line:
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 6:
                continue
            backend = max(backend, int(fields[5]))
            if fields[1] == "open":
                opens += 1
                events.setdefault(fields[2], []).append((float(fields[0]), 1))
            elif fields[1] == "client-eof":
                events.setdefault(fields[2], []).append((float(fields[0]) - LOOP_ORDER_TOLERANCE_S, -1))
            elif fields[1] == "refused":
                refused += 1
    per_front = {}
    for front, changes in events.items():
        # Closes sort before opens at the same instant; a close whose open came before --since-line is ignored.
        now = most = 0
        for _, change in sorted(changes, key=lambda e: (e[0], e[1])):
            now = max(0, now + change)
            most = max(most, now)
        per_front[front] = most
    result = {
        "connections": opens,
        "refused": refused,
        "fronts": len(per_front),
        "max_concurrent_per_front": max(per_front.values(), default=0),
        "max_concurrent_backend": backend,
        "fronts_above_4": sum(1 for v in per_front.values() if v > 4),
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="run the relay")
    s.add_argument("--backend", type=route, action="append", required=True,
                   help="FRONT_PORT=ADDRESS:PORT, repeatable (e.g. 25=127.0.0.1:60025 143=127.0.0.1:60143)")
    s.add_argument("--front-base", type=loopback_address, default=ipaddress.ip_address("127.60.0.1"))
    s.add_argument("--fronts", type=int, default=1000, help="number of front addresses (default 1000)")
    s.add_argument("--latency-ms", type=float, default=50.0, help="one-way delay per chunk (default 50)")
    s.add_argument("--connect-delay-ms", type=float, default=None,
                   help="wait before the backend connect (default 2 x latency: the TCP handshake's round trip)")
    s.add_argument("--max-connections", type=int, default=2048, help="open at once; more are refused (default 2048)")
    s.add_argument("--connection-lifetime", type=float, default=120.0, help="seconds one connection may last (default 120)")
    s.add_argument("--lifetime", type=float, default=3600.0, help="seconds before the relay stops by itself (default 3600)")
    s.add_argument("--log", help="per-connection log (appended)")
    s.add_argument("--pid-file")
    l = sub.add_parser("list", help="print the front addresses serve would listen on, one a line")
    l.add_argument("--front-base", type=loopback_address, default=ipaddress.ip_address("127.60.0.1"))
    l.add_argument("--fronts", type=int, default=1000)
    r = sub.add_parser("report", help="max concurrent connections per front address and to the backend, from a log")
    r.add_argument("--log", required=True)
    r.add_argument("--since-line", type=int, default=0, help="ignore the log's first N lines")
    r.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.command == "report":
        return report(args)
    if args.command == "list":
        print("\n".join(front_addresses(args.front_base, args.fronts)))
        return
    if not 0 < args.fronts <= 65000 or args.latency_ms < 0 or args.max_connections < 1 or args.lifetime <= 0:
        parser.error("--fronts must be 1..65000, --latency-ms >= 0, --max-connections >= 1, --lifetime > 0")
    # Every front listener and every relayed connection (two sockets) needs a descriptor.
    need = args.fronts * len(args.backend) + 2 * args.max_connections + 64
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(need, hard) if hard != resource.RLIM_INFINITY else need, hard))
        except (ValueError, OSError):
            pass
    asyncio.run(Relay(args).serve())


if __name__ == "__main__":
    main()
