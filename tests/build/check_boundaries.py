#!/usr/bin/python3
"""The folders of sim/ include and build only what sim/CMakeLists.txt lets them link.

Usage: check_boundaries.py SOURCE_DIR

1. Every #include "folder/..." in sim/<folder>/ names a folder that <folder>'s target links
   (the table below mirrors sim/CMakeLists.txt and sim/README.md "Build boundaries"), so a header
   cannot bring in a folder the linker would not let the code call.
2. Every .cpp file under sim/ is listed in sim/CMakeLists.txt, and every listed file exists.
Exit status 0 when both hold; 1 with one line per problem otherwise.
"""
import pathlib
import re
import sys

# folder -> folders its target links (PUBLIC or PRIVATE), as in sim/CMakeLists.txt
ALLOWED = {
    "core": set(),
    "scenario": {"core"},
    "model": {"core", "scenario"},
    "metrics": {"core", "scenario", "model"},
    "engine": {"core", "scenario", "model", "metrics"},
    "io": {"core", "scenario", "model", "metrics"},
    "sweep": {"core", "scenario", "model", "metrics", "engine", "io"},
    "solve": {"core", "scenario", "model", "metrics", "engine", "sweep"},
    "explorer": {"core", "scenario", "model", "metrics", "engine", "io", "solve"},
    "cli": {"core", "scenario", "model", "metrics", "engine", "io", "sweep", "solve", "explorer"},
}

root = pathlib.Path(sys.argv[1])
sim = root / "sim"
problems = []
include = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/')
for path in sorted(sim.rglob("*")):
    if path.suffix not in (".cpp", ".hpp", ".in") or path.parent == sim:
        continue
    folder = path.relative_to(sim).parts[0]
    if folder not in ALLOWED:
        problems.append(f"{path.relative_to(root)}: folder sim/{folder}/ has no target in sim/CMakeLists.txt")
        continue
    for number, line in enumerate(path.read_text().splitlines(), 1):
        m = include.match(line)
        if m and m.group(1) != folder and m.group(1) not in ALLOWED[folder]:
            problems.append(f"{path.relative_to(root)}:{number}: includes {m.group(1)}/, "
                            f"which sim/{folder}/ does not link")

cmake = (sim / "CMakeLists.txt").read_text()
listed = set(re.findall(r"\b([a-z_]+/[a-z_0-9]+\.cpp)\b", cmake))
present = {str(p.relative_to(sim)) for p in sim.rglob("*.cpp")}
for f in sorted(present - listed):
    problems.append(f"sim/{f}: not listed in sim/CMakeLists.txt (add it to its folder's target)")
for f in sorted(listed - present):
    problems.append(f"sim/CMakeLists.txt: lists sim/{f}, which does not exist")

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
