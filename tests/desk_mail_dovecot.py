"""A private Dovecot IMAP server for the desk's mail tests: its own config, runtime folder and
maildir in a temporary folder, listening on a free port of 127.0.0.1, one user with a plain
password, no TLS. Messages are put straight into the maildir."""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

USER = "desk"
PASSWORD = "s3cret-imap"


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or (
        "/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Dovecot:
    root: Path
    port: int
    process: subprocess.Popen
    uid: int
    gid: int

    @property
    def maildir(self) -> Path:
        return self.root / "mail" / USER / "Maildir"

    def deliver(self, raw: bytes) -> None:
        name = f"{time.time():.6f}.{uuid.uuid4().hex}.kliento-test"
        tmp = self.maildir / "tmp" / name
        tmp.write_bytes(raw)
        os.chown(tmp, self.uid, self.gid)
        tmp.rename(self.maildir / "new" / name)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


def _users() -> tuple[str, str, str, int, int]:
    """Dovecot's internal and login users and the mail files' owner. As root (this sandbox,
    CI) Dovecot wants unprivileged users for its helpers and a non-root mail user."""
    if os.geteuid() == 0:
        import pwd

        nobody = pwd.getpwnam("nobody")
        return "dovecot", "dovenull", "nobody", nobody.pw_uid, nobody.pw_gid
    me = getpass.getuser()
    return me, me, me, os.getuid(), os.getgid()


def start() -> Dovecot:
    binary = dovecot_binary()
    assert binary is not None
    root = Path(tempfile.mkdtemp(prefix="kliento-dovecot-"))
    root.chmod(0o755)
    internal, login, mail_user, uid, gid = _users()
    maildir = root / "mail" / USER / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True)
    for path in [root / "mail", root / "mail" / USER, maildir, *maildir.iterdir()]:
        os.chown(path, uid, gid)
    (root / "base").mkdir()
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}:::::{root}/mail/{USER}\n")
    port = _free_port()
    group = "nogroup" if os.geteuid() == 0 else mail_user
    (root / "dovecot.conf").write_text(
        f"""
base_dir = {root}/base
state_dir = {root}/base/state
instance_name = kliento-test-{port}
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = {root}/dovecot.log
default_internal_user = {internal}
default_internal_group = {internal}
default_login_user = {login}
first_valid_uid = 1
mail_location = maildir:{root}/mail/%u/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={group} home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""
    )
    process = subprocess.Popen(
        [binary, "-F", "-c", str(root / "dovecot.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = Dovecot(root=root, port=port, process=process, uid=uid, gid=gid)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = server.log()
            server.stop()
            raise RuntimeError(f"dovecot exited: {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                if sock.recv(100).startswith(b"* OK"):
                    return server
        except OSError:
            time.sleep(0.1)
    log = server.log()
    server.stop()
    raise RuntimeError(f"dovecot did not start: {log}")
