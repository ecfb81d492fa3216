"""A tiny SMTP server for tests (socketserver; smtpd is gone): EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.

``mode`` decides how it answers: "accept" stores every message, "refuse" greets with 554 (a relay that will not
talk to us), "tempfail" answers MAIL FROM with 451.
"""

from __future__ import annotations

import email
import email.policy
import socketserver
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage


@dataclass(frozen=True)
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage
    raw: bytes

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        part = self.message.get_body(("plain",))
        assert part is not None
        return str(part.get_content())


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def _reply(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def handle(self) -> None:
        owner = self.server.owner
        owner.connections += 1
        if owner.mode == "refuse":
            self._reply("554 5.3.2 no service for you")
            return
        self._reply("220 test.local ESMTP ready")
        sender, recipients = "", []
        while line := self.rfile.readline():
            command = line.decode("utf-8", "replace").rstrip("\r\n")
            verb, _, argument = command.partition(" ")
            verb = verb.upper()
            if verb == "EHLO":
                self.wfile.write(b"250-test.local\r\n250 8BITMIME\r\n")
            elif verb in ("HELO", "NOOP"):
                self._reply("250 ok")
            elif verb == "RSET":
                sender, recipients = "", []
                self._reply("250 ok")
            elif verb == "MAIL":
                if owner.mode == "tempfail":
                    self._reply("451 4.3.0 try again later")
                    continue
                sender = argument.partition(":")[2].strip().strip("<>")
                self._reply("250 ok")
            elif verb == "RCPT":
                recipients.append(argument.partition(":")[2].strip().strip("<>"))
                self._reply("250 ok")
            elif verb == "DATA":
                self._reply("354 end with <CRLF>.<CRLF>")
                owner.store(sender, recipients, self._read_data())
                sender, recipients = "", []
                self._reply("250 queued")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("502 command not implemented")

    def _read_data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)  # undo dot-stuffing
        return b"".join(lines)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: SmtpTestServer


class SmtpTestServer:
    """Started on a free port of 127.0.0.1; ``messages`` lists what it accepted."""

    def __init__(self, mode: str = "accept") -> None:
        self.mode = mode
        self.messages: list[Received] = []
        self.connections = 0
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def start(self) -> SmtpTestServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def store(self, sender: str, recipients: list[str], data: bytes) -> None:
        message = email.message_from_bytes(data, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.messages.append(Received(sender, list(recipients), message, data))

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.recipients]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.messages)
