"""End-to-end: `pinnc repl < script` — statements entered and replaced, every command,
evaluation in the trained solution, warm starts, the error paths (syntax, semantics,
divergence, Ctrl-C during training) and exit codes. Training is kept tiny."""
import json
import math
import os
import re
import signal
import subprocess
import time

from e2e_util import Suite

s = Suite("repl")
TINY = ":train opt=adam:50,lm:30 points=32 net=8,8"
DECAY = ["param k = 1", "t in [0, 5]", "y' + k*y = 0", "y(0) = 1", "exact y = exp(-k*t)"]


def repl(lines, *args, timeout=120):
    return s.run("repl", *args, stdin="\n".join(lines) + "\n", timeout=timeout)


def value(out, expr):
    """The number printed for `expr = value`, or None."""
    m = re.search(r"^" + re.escape(expr) + r" = (\S+)$", out, re.M)
    return float(m.group(1)) if m else None


# A whole session: statements, :show, :train, evaluation at points, replacement, warm start.
r = repl(DECAY + [":show", ":set " + TINY[len(":train "):], ":train", "y(2.5)", "y'(1)", "y(2.5) - exp(-2.5)",
                  "2*k + 1", "param k = 2", ":show", ":train", "y(1)"])
s.check(r.returncode == 0, f"clean session exits 0 (got {r.returncode})", r.stdout + r.stderr)
s.check("pinnc> y' + k*y = 0" in r.stdout, "script lines are echoed after the prompt", r.stdout)
s.check("ready: unknown y (order 1); t in [0, 5]" in r.stdout, "the problem is ready once complete", r.stdout)
s.check(" 3 | y' + k*y = 0" in r.stdout, ":show lists the numbered statements", r.stdout)
s.check("verdict" in r.stdout and "1-8-8-1" in r.stdout, ":train reports like pinnc train", r.stdout)
v = value(r.stdout, "y(2.5)")
s.check(v is not None and abs(v - math.exp(-2.5)) < 1e-3, f"y(2.5) ~ exp(-2.5) (got {v})", r.stdout)
v = value(r.stdout, "y'(1)")
s.check(v is not None and abs(v + math.exp(-1)) < 1e-2, f"y'(1) ~ -exp(-1) (got {v})", r.stdout)
v = value(r.stdout, "y(2.5) - exp(-2.5)")
s.check(v is not None and abs(v) < 1e-3, f"y(2.5) - exp(-2.5) ~ 0 (got {v})", r.stdout)
s.check(value(r.stdout, "2*k + 1") == 3, "expressions use the parameters", r.stdout)
s.check("replaced parameter k (line 1 was: param k = 1)" in r.stdout, "a redefinition says what it replaced",
        r.stdout)
s.check(" 1 | param k = 2" in r.stdout, "the replacement keeps its place", r.stdout)
s.check("warm start from the previous weights" in r.stdout, "same network: warm start", r.stdout)
v = value(r.stdout, "y(1)")
s.check(v is not None and abs(v - math.exp(-2)) < 1e-2, f"after k = 2, y(1) ~ exp(-2) (got {v})", r.stdout)

# Several statements on one line; replacing the equation and a condition; :derive, :check.
r = repl(["t in [0, 5]; y'' + y = 0; y(0) = 1; y'(0) = 0", "y(0) = 2", "y'' + 4*y = 0", ":derive", ":check"])
s.check(r.returncode == 0, f"';' separates statements (exit {r.returncode})", r.stdout + r.stderr)
s.check("replaced the condition on y(0)" in r.stdout and "replaced the equation for y" in r.stdout,
        "conditions and equations are replaced by what they fix", r.stdout)
s.check("residual: y'' + 4*y" in r.stdout and "d/dy'': 1" in r.stdout, ":derive shows residuals and partials",
        r.stdout)
s.check("ok: unknown y (order 2)" in r.stdout, ":check says ok", r.stdout)

# Errors print located diagnostics, keep the state, and make the exit code non-zero.
r = repl(DECAY + ["y' + k*y = = 0", "param k = 1 +", ":show", "exact z = 1", ":show", "y(1)", "y(t)", "y + 1",
                  "y'''(1)", "q(1)", TINY + " backend=interp", "y(1, 2)", "y(9)", ":frob", ":s", ":train epochs=ten",
                  ":train nonsense=1", ":delete 99", ":delete 1"])
s.check(r.returncode == 2, f"worst failure is a usage error: exit 2 (got {r.returncode})", r.stderr)
s.check("<stdin>:6:12: error: expected an expression, found '='" in r.stderr and "^" in r.stderr,
        "syntax errors are located in the script line", r.stderr)
s.check(r.stdout.count(" 3 | y' + k*y = 0") == 2, "the session survives errors", r.stdout)
s.check("<stdin>:9:7: error: 'exact' is given for 'z', which is not an unknown" in r.stderr
        and "the session is unchanged" in r.stderr, "semantic errors reject the line", r.stderr)
s.check("there is no trained solution yet" in r.stderr, "evaluation before training is an error", r.stderr)
s.check("'t' has no value here" in r.stderr and "'y' is a function of t" in r.stderr,
        "functions of t are not numbers", r.stderr)
s.check("y''' is not available" in r.stderr, "derivatives above the problem's order are refused", r.stderr)
s.check("<stdin>:15:1: error: unknown name 'q' [E-unknown-name]" in r.stderr, "unknown names as in the CLI",
        r.stderr)
s.check("'y' takes one argument" in r.stderr, "arity of a point value", r.stderr)
s.check("<stdin>:18:1: warning: t = 9 lies outside the interval [0, 5]" in r.stderr and value(r.stdout, "y(9)"),
        "outside the interval: a warning and a value", r.stderr)
s.check("unknown command ':frob'" in r.stderr and "did you mean :show, :set, :save or :savemodel?" in r.stderr,
        "unknown and ambiguous commands", r.stderr)
s.check("invalid value 'ten' for 'epochs'" in r.stderr and "unknown setting 'nonsense'" in r.stderr,
        "bad :train settings", r.stderr)
s.check(":delete takes a line number from 1 to 5" in r.stderr, ":delete checks its argument", r.stderr)
s.check("deleted line 1: param k = 1" in r.stdout and "incomplete: unknown name 'k'" in r.stdout,
        ":delete removes a statement and says what is missing now", r.stdout)

# Exit codes: an input error alone gives 1.
r = repl(["t in [0, 1]", "y' = = 1"])
s.check(r.returncode == 1, f"syntax error exits 1 (got {r.returncode})", r.stderr)

# Divergence: the CLI's message, the previous solution and settings kept, exit 3.
r = repl([":load tests/e2e/data/blowup.ode", ":set opt=adam:50 points=16 net=4", ":train", "y(0.5)",
          ":train opt=sgd:50 lr=1e12", "y(0.5)", ":show"])
s.check(r.returncode == 3, f"divergence exits 3 (got {r.returncode})", r.stderr)
s.check("session:2: the residual of `y' = y^2 + 1` became NaN or infinite" in r.stderr
        and "training diverged" in r.stderr and "lr=" in r.stderr, "divergence names the line and a remedy",
        r.stderr)
vals = re.findall(r"^y\(0\.5\) = (\S+)$", r.stdout, re.M)
s.check(len(vals) == 2 and vals[0] == vals[1], "the previous solution survives divergence", r.stdout)
s.check("training settings: net=4 act=tanh opt=adam:50 " in r.stdout and "points=16 " in r.stdout,
        "a failed :train does not change the settings", r.stdout)

# Settings: :train key=value is for one run, :set keeps them (as `set` statements), :load resets.
r = repl(DECAY + [":train opt=adam:20 points=16 net=4", ":set", ":set opt=adam:7 hidden=[5]", ":show",
                  ":load examples/decay.ode", ":set"])
shows = re.findall(r"^training settings: .*$", r.stdout, re.M)
s.check(len(shows) == 3 and "opt=adam:300,lm:200" in shows[0] and "net=5 " in shows[1] and "opt=adam:7 " in shows[1]
        and "opt=adam:300,lm:200" in shows[2], ":train is one run, :set sticks, :load resets", "\n".join(shows))
s.check(" | set net = 5" in r.stdout and " | set net = [5]" not in r.stdout and " | set opt = adam:7" in r.stdout, ":set adds set statements", r.stdout)

# Files: :save, :load, :savemodel (pinnc eval agrees), :plot, :emit; `pinnc repl FILE`.
ode = os.path.join(s.tmp, "saved.ode")
model = os.path.join(s.tmp, "model.json")
plots = os.path.join(s.tmp, "plots")
cpp = os.path.join(s.tmp, "solver.cpp")
hpp = os.path.join(s.tmp, "decay.hpp")
r = repl(DECAY + [":set opt=adam:50,lm:30 points=32 net=8,8", ":train", f":save {ode}", "y(2.5)",
                  f":savemodel {model}", f":plot {plots}", f":emit {cpp}", f":emit {hpp}", "y(2.5)"])
saved = open(ode).read() if os.path.exists(ode) else ""
s.check(saved == "\n".join(DECAY + ["set net = 8,8", "set opt = adam:50,lm:30", "set points = 32"]) + "\n",
        ":save writes the statements, the :set settings as set lines", saved)
rc = s.run("check", ode)
s.check(rc.returncode == 0, "the saved file checks", rc.stderr)
repl_value = value(r.stdout, "y(2.5)")
ev = s.run("eval", model, "--at", "2.5")
s.check(ev.returncode == 0 and repl_value is not None
        and abs(float(ev.stdout.strip().split("\n")[1].split(",")[1]) - repl_value) < 1e-12,
        "pinnc eval on :savemodel's file gives the REPL's value", ev.stdout + ev.stderr)
s.check(os.path.exists(os.path.join(plots, "solution.csv")) and os.path.exists(os.path.join(plots, "loss.csv")),
        ":plot writes the data behind the plots", r.stdout + r.stderr)
s.check(os.path.exists(cpp) and f"wrote {cpp}: a standalone training program" in r.stdout
        and "int main" in open(cpp).read(), ":emit FILE.cpp writes the training program", r.stdout + r.stderr)
s.check(os.path.exists(hpp) and f"wrote {hpp}: the trained solution as a header" in r.stdout,
        ":emit FILE.hpp writes the trained solution's evaluator", r.stdout + r.stderr)
s.check(r.returncode == 0, f"the files session exits 0 (got {r.returncode})", r.stderr)
r = repl(DECAY + [f":emit {hpp}"])
s.check(r.returncode == 2 and "needs a trained solution" in r.stderr, ":emit .hpp needs training", r.stderr)
r = repl(DECAY + [":emit gen.txt"])
s.check(r.returncode == 2 and "neither C++ source nor a header" in r.stderr, ":emit gen.txt refused", r.stderr)
r = repl([":show", "y(0)"], ode)
s.check(r.returncode == 1 and " 5 | exact y = exp(-k*t)" in r.stdout, "pinnc repl FILE starts from the file",
        r.stdout + r.stderr)
r = repl([f":load {ode}", ":load no/such/file.ode", ":show"])
s.check(r.returncode == 2 and "loaded" in r.stdout and "no/such/file.ode" in r.stderr
        and " 4 | y(0) = 1" in r.stdout, ":load, and a failed :load keeps the session", r.stdout + r.stderr)

# :help lists every command; :quit ends the script (later lines are not run); :clear.
r = repl([":help", ":clear", ":show", ":quit", ":frob"])
for cmd in ["show", "derive", "check", "train", "eval", "plot", "load", "save", "savemodel", "emit", "help", "quit"]:
    s.check(f":{cmd}" in r.stdout, f":help lists :{cmd}", r.stdout)
s.check(r.returncode == 0 and ":frob" not in r.stderr, ":quit stops reading", r.stderr)
s.check("no statements yet" in r.stdout, ":clear empties the session", r.stdout)

# Ctrl-C during training stops it, keeps the weights reached, and the session goes on.
script = os.path.join(s.tmp, "interrupt.txt")
with open(script, "w") as f:
    f.write("\n".join(DECAY + [":train opt=adam:100000000 points=32 net=8,8", "y(2.5)", ":show"]) + "\n")
with open(script) as stdin:
    p = subprocess.Popen([s.pinnc, "repl"], cwd=s.root, stdin=stdin, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    time.sleep(2.0)
    p.send_signal(signal.SIGINT)
    try:
        out, err = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
s.check(p.returncode == 0, f"an interrupted run is not a failure (exit {p.returncode})", err)
s.check("interrupted at epoch" in out and value(out, "y(2.5)") is not None,
        "Ctrl-C stops training, the weights are kept and the session goes on", out + err)

# Deterministic: the same script twice gives the same bytes.
a = repl(DECAY + [TINY + " backend=interp", "y(2.5)", ":derive"])
b = repl(DECAY + [TINY + " backend=interp", "y(2.5)", ":derive"])
strip = lambda t: re.sub(r"in [0-9.]+ s|[0-9.]+ ms", "", t)
s.check(strip(a.stdout) == strip(b.stdout), "same script, same output", a.stdout + b.stdout)

# A solution bundle: evaluation at the range's middle (with a note), then at :param's values;
# an identified parameter shows its trained value.
r = repl(["param k in [0.5, 2]", "t in [0, 2]", "y' + k*y = 0", "y(0) = 1",
          ":train opt=adam:100,lm:40 points=24 net=12,12 bundle-samples=5 windows=off",
          "y(1)", ":param k=1.7", "y(1)", "k", ":param w=2", ":param"])
vals = re.findall(r"^y\(1\) = (\S+)$", r.stdout, re.M)
s.check(len(vals) == 2 and abs(float(vals[0]) - math.exp(-1.25)) < 1e-3 and abs(float(vals[1]) - math.exp(-1.7)) < 1e-3,
        f"bundle: y(1) at the middle k = 1.25, then at :param k=1.7 (got {vals})", r.stdout + r.stderr)
s.check("evaluated at k = 1.25 (the middle of the range)" in r.stderr, "bundle: the note says which k was used", r.stderr)
s.check(value(r.stdout, "k") == 1.7 and "bundle values: k = 1.7" in r.stdout, ":param shows and applies the values",
        r.stdout)
s.check("'w' is not a ranged parameter" in r.stderr, ":param refuses a name the bundle lacks", r.stderr)
r = repl(["param k = ? 0.5", "t in [0, 5]", "y' = -k*y", "y(0) = 2", 'data y from "examples/decay_data.csv"', ":train", "k"])
v = value(r.stdout, "k")
s.check(v is not None and abs(v - 1.3) < 0.013, f"identification in the REPL: k shows the identified value (got {v})",
        r.stdout + r.stderr)

s.finish()
