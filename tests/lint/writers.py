"""Every file pinnc writes goes through a temporary name and a rename, so an interrupted
or failing run never leaves a half-written file. The one writer is
runtime/include/pinnc/post/files.h (write_atomically, write_all_atomically); the object
cache (compiler/codegen/llvm/object_cache.cpp) writes its own temporary file and renames
it. This check fails when any other source file opens a file for writing."""
import argparse
import os
import re
import sys

ALLOWED = {"runtime/include/pinnc/post/files.h", "compiler/codegen/llvm/object_cache.cpp"}
# Ways C++ opens a file for writing or changes one in place.
WRITES = re.compile(r'std::ofstream|std::fstream|\bfopen\s*\([^)]*"[wa]|\bopen\s*\([^)]*O_(WRONLY|RDWR|CREAT)'
                    r'|copy_file\s*\(|\bfreopen\s*\(')

p = argparse.ArgumentParser()
p.add_argument("--root", required=True)
root = p.parse_args().root
found = []
for top in ("compiler", "runtime"):
    for d, _, fs in os.walk(os.path.join(root, top)):
        for f in fs:
            if not f.endswith((".cpp", ".h", ".hpp")):
                continue
            path = os.path.join(d, f)
            rel = os.path.relpath(path, root)
            for n, line in enumerate(open(path, encoding="utf-8"), 1):
                code = line.split("//")[0]
                if WRITES.search(code) and rel not in ALLOWED:
                    found.append(f"{rel}:{n}: {line.strip()}")
for x in found:
    print(f"writes a file directly (use post::write_atomically, runtime/include/pinnc/post/files.h): {x}",
          file=sys.stderr)
checked = "the writers in compiler/ and runtime/"
print(f"{'FAILED' if found else 'ok'}: {checked}; {len(found)} direct writes")
sys.exit(1 if found else 0)
