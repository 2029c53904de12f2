"""A real SMTP server (aiosmtpd, Debian's python3-aiosmtpd) for the mail
tests: listens on 127.0.0.1, appends each accepted mail to a JSON Lines
file, prints its port on stdout once it accepts connections, and runs until
its standard input closes.

usage: smtp_sink.py OUT.jsonl
"""
import json
import socket
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, path):
        self.path = path

    async def handle_DATA(self, server, session, envelope):
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps({
                "mail_from": envelope.mail_from,
                "rcpt_tos": envelope.rcpt_tos,
                "data": envelope.content.decode("utf-8", "replace"),
            }) + "\n")
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    port = free_port()
    c = Controller(Sink(sys.argv[1]), hostname="127.0.0.1", port=port)
    c.start()
    print(port, flush=True)
    sys.stdin.read()
    c.stop()


if __name__ == "__main__":
    main()
