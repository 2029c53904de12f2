"""A real SMTP server (aiosmtpd, Debian's python3-aiosmtpd) for the mail
tests: listens on 127.0.0.1, appends each accepted mail to a JSON Lines
file, prints its port on stdout once it accepts connections, and runs until
its standard input closes.

usage: smtp_sink.py OUT.jsonl [--starttls CERT.pem KEY.pem] [--auth USER PASSWORD]

--starttls offers STARTTLS with that certificate and requires it before any
mail; --auth requires AUTH (PLAIN or LOGIN, only after STARTTLS) with that
user and password. Each mail's record names the login it came under.
"""
import json
import socket
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, path):
        self.path = path

    async def handle_DATA(self, server, session, envelope):
        login = getattr(session, "auth_data", None)
        if isinstance(login, bytes):
            login = login.decode("utf-8", "replace")
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps({
                "mail_from": envelope.mail_from,
                "rcpt_tos": envelope.rcpt_tos,
                "data": envelope.content.decode("utf-8", "replace"),
                "tls": session.ssl is not None,
                "login": login,
            }) + "\n")
        return "250 Message accepted for delivery"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = (auth_data.login.decode() == user
              and auth_data.password.decode() == password)
        if ok:
            return AuthResult(success=True, auth_data=auth_data.login)
        return AuthResult(success=False, handled=False)
    return check


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    args = sys.argv[2:]
    kw = {}
    if "--starttls" in args:
        i = args.index("--starttls")
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(args[i + 1], args[i + 2])
        kw.update(tls_context=ctx, require_starttls=True)
    if "--auth" in args:
        i = args.index("--auth")
        kw.update(authenticator=authenticator(args[i + 1], args[i + 2]),
                  auth_required=True, auth_require_tls=True)
    port = free_port()
    c = Controller(Sink(sys.argv[1]), hostname="127.0.0.1", port=port, **kw)
    c.start()
    print(port, flush=True)
    sys.stdin.read()
    c.stop()


if __name__ == "__main__":
    main()
