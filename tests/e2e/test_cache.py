"""The on-disk object cache (compiler/codegen/llvm/object_cache.h): a second run of the same
file loads its kernels and gives the same bytes; damaged, truncated or misplaced entries
are compiled again and never loaded; --no-cache, the size limit, concurrent runs and an
unwritable cache folder."""
import glob
import os
import shutil
import subprocess

from e2e_util import Suite

s = Suite("cache")
HIT = "object cache hit"
BUDGET = ["--opt", "adam:60,lm:10", "--no-plots"]


def train(cache, example, out, *extra, env_extra=None):
    env = dict(os.environ)
    env["PINNC_CACHE_DIR"] = cache
    env.pop("PINNC_CACHE_MAX_MB", None)
    if env_extra:
        env.update(env_extra)
    return subprocess.run([s.pinnc, "train", os.path.join("examples", example), "--out", out, *BUDGET, *extra],
                          cwd=s.root, capture_output=True, text=True, timeout=300, env=env)


def trained(r):
    """Trained and written: exit 0, or 4 when this short budget misses the default target."""
    return r.returncode in (0, 4)


def entries(cache):
    return sorted(glob.glob(os.path.join(cache, "*.pobj")))


def outputs(out):
    got = {}
    for name in ("solution.csv", "loss.csv", "model.json"):
        with open(os.path.join(out, name), "rb") as f:
            got[name] = f.read()
    return got


def fresh(name):
    path = os.path.join(s.tmp, name)
    shutil.rmtree(path, ignore_errors=True)
    return path


# First run compiles and stores one entry; the second loads it and writes the same bytes.
cache = fresh("c1")
r1 = train(cache, "decay.ode", fresh("o1"))
s.check(trained(r1), "first run succeeds", r1.stderr)
s.check(HIT not in r1.stdout, "first run is not a hit", r1.stdout)
s.check(len(entries(cache)) == 1, "first run stores one entry", str(os.listdir(cache) if os.path.isdir(cache) else None))
r2 = train(cache, "decay.ode", fresh("o2"))
s.check(trained(r2) and HIT in r2.stdout, "second run is a hit", r2.stdout + r2.stderr)
s.check(outputs(os.path.join(s.tmp, "o1")) == outputs(os.path.join(s.tmp, "o2")),
        "a hit gives the same solution.csv, loss.csv and model.json bytes")

# A damaged entry (one payload byte flipped) is not loaded: compiled again, rewritten.
entry = entries(cache)[0]
good = open(entry, "rb").read()
bad = bytearray(good)
bad[len(bad) // 2] ^= 0xFF
open(entry, "wb").write(bytes(bad))
r3 = train(cache, "decay.ode", fresh("o3"))
s.check(trained(r3) and HIT not in r3.stdout, "a damaged entry is compiled again", r3.stdout + r3.stderr)
s.check(outputs(os.path.join(s.tmp, "o1")) == outputs(os.path.join(s.tmp, "o3")), "same bytes after a damaged entry")
s.check(open(entry, "rb").read() == good, "the damaged entry is rewritten whole")

# A truncated entry, and an empty one, the same.
for what, data in (("truncated", good[: len(good) // 3]), ("empty", b"")):
    open(entry, "wb").write(data)
    r = train(cache, "decay.ode", fresh("o4"))
    s.check(trained(r) and HIT not in r.stdout, f"a {what} entry is compiled again", r.stdout + r.stderr)
    s.check(open(entry, "rb").read() == good, f"the {what} entry is rewritten")

# Another problem gets its own entry; an intact entry under the wrong name is not loaded.
r5 = train(cache, "harmonic.ode", fresh("o5"))
s.check(trained(r5) and HIT not in r5.stdout, "another problem compiles", r5.stdout + r5.stderr)
s.check(len(entries(cache)) == 2, "two problems, two entries", str(entries(cache)))
other = [e for e in entries(cache) if e != entry][0]
harmonic = open(other, "rb").read()
open(other, "wb").write(good)  # decay's intact entry under harmonic's key
r6 = train(cache, "harmonic.ode", fresh("o6"))
s.check(trained(r6) and HIT not in r6.stdout, "an entry under another key is not loaded", r6.stdout + r6.stderr)
s.check(outputs(os.path.join(s.tmp, "o5")) == outputs(os.path.join(s.tmp, "o6")), "same bytes after a misplaced entry")
s.check(open(other, "rb").read() == harmonic, "the misplaced entry is replaced by the right one")

# --no-cache: neither loads nor stores.
r7 = train(cache, "decay.ode", fresh("o7"), "--no-cache")
s.check(trained(r7) and HIT not in r7.stdout, "--no-cache compiles", r7.stdout + r7.stderr)
empty = fresh("c2")
r8 = train(empty, "decay.ode", fresh("o8"), "--no-cache")
s.check(trained(r8) and not os.path.exists(empty), "--no-cache stores nothing", str(r8.returncode))
# The interpreter has no machine code to cache.
r9 = train(empty, "decay.ode", fresh("o9"), "--backend", "interp")
s.check(trained(r9) and not os.path.exists(empty), "the interpreter stores nothing", r9.stderr)

# Size limit: with 0 MB allowed every entry is removed again after the store.
small = fresh("c3")
r10 = train(small, "decay.ode", fresh("o10"), env_extra={"PINNC_CACHE_MAX_MB": "0"})
s.check(trained(r10) and entries(small) == [], "PINNC_CACHE_MAX_MB=0 keeps no entry",
        str(os.listdir(small) if os.path.isdir(small) else None))

# Three runs at once on an empty cache: all succeed with the same bytes, one whole entry,
# no temporary file left behind; a fourth run hits.
shared = fresh("c4")
env = dict(os.environ, PINNC_CACHE_DIR=shared)
env.pop("PINNC_CACHE_MAX_MB", None)
procs = [subprocess.Popen([s.pinnc, "train", "examples/damped.ode", "--out", fresh(f"p{i}"), *BUDGET, "-q"],
                          cwd=s.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
         for i in range(3)]
codes = [p.wait(timeout=300) for p in procs]
s.check(all(c in (0, 4) for c in codes) and len(set(codes)) == 1, "three concurrent runs succeed", str(codes))
s.check(len(entries(shared)) == 1 and len(os.listdir(shared)) == 1, "one entry, no temporary files",
        str(os.listdir(shared)))
s.check(outputs(os.path.join(s.tmp, "p0")) == outputs(os.path.join(s.tmp, "p1")) == outputs(os.path.join(s.tmp, "p2")),
        "concurrent runs write the same bytes")
r11 = train(shared, "damped.ode", fresh("o11"))
s.check(trained(r11) and HIT in r11.stdout, "the entry written concurrently is a hit", r11.stdout + r11.stderr)

# A cache folder that cannot be made (a file is in the way): the run goes on without it.
blocked = os.path.join(s.tmp, "blocked")
open(blocked, "w").write("not a folder")
r12 = train(os.path.join(blocked, "cache"), "decay.ode", fresh("o12"))
s.check(trained(r12) and HIT not in r12.stdout, "an unusable cache folder does not fail the run",
        r12.stdout + r12.stderr)
s.check(outputs(os.path.join(s.tmp, "o1")) == outputs(os.path.join(s.tmp, "o12")), "same bytes without a cache")

# The REPL goes through the same cache.
repl_cache = fresh("c5")
env = dict(os.environ, PINNC_CACHE_DIR=repl_cache)
script = ":train opt=adam:20\n:quit\n"
r13 = subprocess.run([s.pinnc, "repl", "--no-history", "examples/decay.ode"], cwd=s.root, input=script,
                     capture_output=True, text=True, timeout=300, env=env)
s.check(trained(r13) and len(entries(repl_cache)) == 1, "the REPL stores its kernels",
        r13.stdout + r13.stderr)
r14 = subprocess.run([s.pinnc, "repl", "--no-history", "--no-cache", "examples/decay.ode"], cwd=s.root,
                     input=script, capture_output=True, text=True, timeout=300, env=dict(env, PINNC_CACHE_DIR=fresh("c6")))
s.check(trained(r14) and not os.path.exists(os.path.join(s.tmp, "c6")), "repl --no-cache stores nothing",
        r14.stdout + r14.stderr)

s.finish()
