"""End-to-end: `pinnc repl` in a real terminal (tmux send-keys / capture-pane): line
editing, tab completion of commands, settings and names, history within a session and
across sessions (~/.pinnc_history), Ctrl-C at the prompt and during training, Ctrl-D.
Skips (still printing its closing line) when tmux is not installed."""
import os
import re
import shutil
import subprocess
import sys
import time

from e2e_util import Suite

s = Suite("repl_tmux")
if not shutil.which("tmux"):
    print("skipped: tmux is not installed (scripts/setup.sh installs it)")
    s.finish()

SOCKET = f"pinnc_e2e_{os.getpid()}"
home = os.path.join(s.tmp, "home")
os.makedirs(home)


session = "r1"  # the pane the helpers below talk to


def tmux(*args):
    return subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True)


def screen():
    """Everything the pane has shown (scrollback included)."""
    # Without the blank rows below the cursor, so that offsets only grow as output comes.
    return tmux("capture-pane", "-p", "-J", "-S", "-2000", "-t", session).stdout.rstrip()


def wait_for(pattern, timeout=20.0, after=0):
    """Waits until `pattern` (a regex) appears on the screen after character `after`."""
    end = time.time() + timeout
    while time.time() < end:
        text = screen()
        if re.search(pattern, text[after:], re.M):
            return True
        time.sleep(0.05)
    return False


def mark():
    """Where the line the cursor is on starts: new input and output come after it."""
    text = screen()
    return text.rfind("\n") + 1


def keys(*k):
    tmux("send-keys", "-t", session, *k)


def start(name):
    """Opens session `name` running `pinnc repl` and makes it the one the helpers use."""
    global session
    # The shell keeps the pane open after pinnc exits, so that the exit can be seen.
    cmd = f"env HOME={home} TERM=xterm {s.pinnc} repl; echo EXITED rc=$?; sleep 60"
    made = tmux("new-session", "-d", "-s", name, "-x", "150", "-y", "50", "-c", s.tmp, cmd)
    if made.returncode != 0:
        print(f"tmux new-session failed: {made.stderr.strip()}")
        return False
    session = name
    return wait_for(r"^pinnc>", 20)


try:
    s.check(start("r1"), "the prompt appears in a terminal", screen())

    # Editing: the cursor moves left, a character is deleted and another typed in its place.
    keys("t in [0, 9]", "Left", "BSpace", "5", "Enter")
    s.check(wait_for(r"ready|incomplete"), "the edited line is entered", screen())
    keys("param kappa = 1", "Enter")
    # Completion of a name (kap -> kappa) and a command (:sh -> :show).
    keys("y' = -kap", "Tab")
    keys("*y", "Enter", "y(0) = 1", "Enter")
    s.check(wait_for(r"^ready: unknown y"), "completed statements are accepted", screen())
    at = mark()
    keys(":sh", "Tab", "Enter")
    s.check(wait_for(r"^ 1 \| t in \[0, 5\]$", after=at), "editing fixed the interval to [0, 5]", screen())
    s.check(wait_for(r"^ 3 \| y' = -kappa ?\*y$", after=at), "Tab completed 'kap' to 'kappa'", screen())
    s.check(wait_for(r"^pinnc> :show\s*$", after=at), "Tab completed ':sh' to ':show'", screen())

    # Completion of :train and its settings (ep -> epochs=).
    at = mark()
    keys(":tr", "Tab", "ep", "Tab", "40 net=6 opt=adam:40 backend=interp", "Enter")
    s.check(wait_for(r"^pinnc> :train epochs=40 net=6 opt=adam:40 backend=interp", after=at),
            "Tab completed ':tr' and 'ep' to ':train epochs='", screen())
    s.check(wait_for(r"^verdict", after=at), "training runs at the terminal", screen())

    # History: Up recalls the condition; edited, it replaces the old one.
    at = mark()
    keys("Up", "Up", "Up")
    s.check(wait_for(r"^pinnc> y\(0\) = 1\s*$", after=at), "Up recalls earlier lines", screen())
    keys("BSpace", "2", "Enter")
    s.check(wait_for(r"replaced the condition on y\(0\)", after=at), "a recalled, edited line runs", screen())

    # Ctrl-C at the prompt drops the line; the session goes on.
    at = mark()
    keys("this line is abandoned", "C-c")
    time.sleep(0.3)
    keys("1+1", "Enter")
    s.check(wait_for(r"^1\+1 = 2", after=at), "Ctrl-C at the prompt abandons the line only", screen())
    s.check("error" not in screen()[at:], "the abandoned line is not run", screen()[at:])

    # Ctrl-C during training stops it and keeps the weights.
    at = mark()
    keys(":train epochs=100000000", "Enter")
    time.sleep(2.0)
    keys("C-c")
    s.check(wait_for(r"interrupted at epoch \d+: the weights reached so far are kept", after=at),
            "Ctrl-C stops training and keeps the weights", screen()[at:])
    keys("y(0.5)", "Enter")
    s.check(wait_for(r"^y\(0\.5\) = \S+", after=at), "the interrupted run's solution is evaluated", screen())

    # Ctrl-D quits, exit code 0; the history is in ~/.pinnc_history.
    keys("C-d")
    s.check(wait_for(r"^EXITED rc=0"), "Ctrl-D quits with exit code 0", screen())
    hist_path = os.path.join(home, ".pinnc_history")
    hist = open(hist_path).read() if os.path.exists(hist_path) else ""
    s.check("y(0)\\040=\\0402" in hist or "y(0) = 2" in hist, "the history file holds the lines", hist)

    # A new session recalls the previous one's lines. It is opened before the first one is
    # closed: killing a server's last session shuts the server down, and a new-session
    # racing that shutdown can fail (the likely cause of a CI failure here, not reproduced).
    s.check(start("r2"), "a second session starts", screen())
    tmux("kill-session", "-t", "r1")
    keys("Up")
    s.check(wait_for(r"^pinnc> y\(0\.5\)\s*$"), "history survives across sessions", screen())
    keys("C-u", "C-d")
finally:
    tmux("kill-server")

s.finish()
