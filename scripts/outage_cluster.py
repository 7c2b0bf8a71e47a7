"""Processes for ``db_outage_check.py``: running set-up commands, walking a process's
children through /proc, and a throw-away PostgreSQL cluster that can be stopped, frozen
(SIGSTOP) and thawed. Kept apart from the checks so that each file reads on its own."""

import contextlib
import os
import shlex
import shutil
import signal
import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_PORT = 5497
INITDB_ARGS = ("-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale", "C", "--no-sync")
START = ("start", "-w", "-t", "30")
COMMAND_TIMEOUT = 180


class SetupError(Exception):
    """The check could not even start (exit 2)."""


class Interrupted(BaseException):
    """SIGTERM: leave through the ``finally`` blocks, as Ctrl-C does."""


# --- processes ------------------------------------------------------------------------------
def tail(path, lines=40):
    try:
        text = Path(path).read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def run(command, *, env=None, cwd=ROOT, timeout=COMMAND_TIMEOUT, what=None):
    """Runs ``command``; its output, or a ``SetupError`` with it."""
    try:
        result = subprocess.run(
            command,
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            start_new_session=True,  # Ctrl-C is ours to handle, not theirs
        )
    except subprocess.TimeoutExpired as error:
        raise SetupError(f"{what or shlex.join(command)}: no end after {timeout} s") from error
    if result.returncode != 0:
        raise SetupError(
            f"{what or shlex.join(command)} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result.stdout


def process_children(pid):
    """The pids whose parent is ``pid`` (read from /proc)."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            children.append(int(entry.name))
    return children


def signal_pids(pids, signum):
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)


def port_answers(port):
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster in ``folder`` (data in ``folder/data``, socket and log beside)."""

    def __init__(self, folder):
        self.folder = folder
        self.data = folder / "data"
        self.log = folder / "postgres.log"
        self.frozen = []

    def pg(self, tool, *args, timeout=60):
        command = [str(PG_BIN / tool), *args]
        if os.geteuid() == 0:  # initdb refuses root: the postgres user runs the cluster
            if shutil.which("runuser"):
                command = ["runuser", "-u", "postgres", "--", *command]
            else:
                command = ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(command)]
        return run(command, cwd=self.folder, timeout=timeout, what=f"{tool} {' '.join(args)}")

    def init(self):
        if port_answers(PG_PORT):
            raise SetupError(f"Something already listens on 127.0.0.1:{PG_PORT}.")
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self.pg("initdb", "-D", str(self.data), *INITDB_ARGS)

    def start(self):
        options = (
            f"-p {PG_PORT} -k {self.folder} -c listen_addresses=127.0.0.1"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        try:
            self.pg("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), *START)
        except SetupError as error:
            raise SetupError(f"{error}\npostgres log:\n{tail(self.log)}") from None

    def stop(self, mode="immediate"):
        self.pg("pg_ctl", "-D", str(self.data), "stop", "-m", mode, "-w", "-t", "30")

    def postmaster(self):
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def processes(self):
        """The postmaster and its children (none when postmaster.pid is stale)."""
        pid = self.postmaster()
        try:
            if pid is None or Path(f"/proc/{pid}/comm").read_text().strip() != "postgres":
                return []
        except OSError:
            return []
        return [pid, *process_children(pid)]

    def freeze(self):
        """SIGSTOP to the postmaster first (it forks no more), then to its children."""
        pid = next(iter(self.processes()), None)
        if pid is None:
            raise SetupError("No postmaster: the cluster does not run.")
        self.frozen = [pid]
        os.kill(pid, signal.SIGSTOP)
        for _ in range(3):  # a child forked just before the postmaster stopped
            new = [child for child in process_children(pid) if child not in self.frozen]
            if not new:
                break
            self.frozen += new
            signal_pids(new, signal.SIGSTOP)
        return len(self.frozen)

    def thaw(self):
        signal_pids({*self.frozen, *self.processes()}, signal.SIGCONT)
        self.frozen = []

    def shut_down(self):
        """Whatever state it is in: thawed, stopped, and nothing of it left running."""
        self.thaw()
        if self.postmaster() is None:
            return
        with contextlib.suppress(SetupError):
            self.stop()
        left = self.processes()
        if left:
            signal_pids(left, signal.SIGCONT)
            signal_pids(left, signal.SIGKILL)
