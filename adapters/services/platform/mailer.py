"""Sending e-mail over SMTP with smtplib: one connection per batch, one result per message, never raises."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Protocol


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


class Mailer(Protocol):
    def send_all(self, mails: Sequence[Mail]) -> list[str | None]:
        """Send each mail; the result per mail is None when sent, else the reason it was not."""
        ...


class SmtpSettings(Protocol):
    """The ``SMTP_*`` part of ``adapters.settings.Settings`` (read-only, like the frozen settings)."""

    @property
    def smtp_host(self) -> str | None: ...
    @property
    def smtp_port(self) -> int: ...
    @property
    def smtp_user(self) -> str | None: ...
    @property
    def smtp_password(self) -> str | None: ...
    @property
    def smtp_from(self) -> str: ...
    @property
    def smtp_starttls(self) -> bool: ...


@dataclass(frozen=True)
class SmtpMailer:
    """An SMTP relay (``SMTP_*`` settings); a short timeout so a dead relay only delays the retry worker."""

    host: str
    port: int = 25
    sender: str = "anpei@localhost"
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 10.0

    @classmethod
    def from_settings(cls, settings: SmtpSettings, timeout: float = 10.0) -> SmtpMailer | None:
        """The configured relay, or None when SMTP_HOST is unset (notifications are then in-app only)."""
        if not settings.smtp_host:
            return None
        return cls(host=settings.smtp_host, port=settings.smtp_port, sender=settings.smtp_from,
                   user=settings.smtp_user, password=settings.smtp_password, starttls=settings.smtp_starttls,
                   timeout=timeout)

    def send_all(self, mails: Sequence[Mail]) -> list[str | None]:
        if not mails:
            return []
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                self._greet(smtp)
                return self._send_each(smtp, mails)
        except (OSError, smtplib.SMTPException) as err:
            reason = _reason(err)
            return [reason] * len(mails)

    def _greet(self, smtp: smtplib.SMTP) -> None:
        smtp.ehlo_or_helo_if_needed()
        if self.starttls:
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if self.user:
            smtp.login(self.user, self.password or "")

    def _send_each(self, smtp: smtplib.SMTP, mails: Sequence[Mail]) -> list[str | None]:
        results: list[str | None] = []
        for position, mail in enumerate(mails):
            try:
                smtp.send_message(self.message(mail))
                results.append(None)
            except smtplib.SMTPServerDisconnected as err:
                # The connection is gone: this and every later message of the batch wait for the retry.
                return results + [_reason(err)] * (len(mails) - position)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError,
                    ValueError) as err:  # ValueError: an address the email package cannot put in a header
                results.append(_reason(err))
        return results

    def message(self, mail: Mail) -> EmailMessage:
        """A UTF-8 message: RFC 2047 subject and base64 body, so any relay carries the Chinese text."""
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = mail.to
        msg["Subject"] = " ".join(mail.subject.split())  # titles carry user text: no line breaks in headers
        msg["Date"] = formatdate(localtime=False)
        msg["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or "anpei.local")
        msg.set_content(mail.body, charset="utf-8", cte="base64")
        return msg


def _reason(err: BaseException) -> str:
    return f"{type(err).__name__}: {err}"[:300]
