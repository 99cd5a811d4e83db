"""Checks the four packages' contents (issue 12): metadata, README, licence, XML docs, symbols embedded in each
DLL, dependencies, and, given a second folder packed from a copy of the tree elsewhere, the same bits in both.
Usage: check_packages.py FEED VERSION [OTHER-FEED]. Exit code 1 on any failure, with one line per finding."""
import re
import sys
import zipfile
from pathlib import Path

feed, version = Path(sys.argv[1]), sys.argv[2]
other = Path(sys.argv[3]) if len(sys.argv) > 3 else None
problems = []

# id -> (assembly, ids of the packages it must depend on at this version, other dependencies it must have)
expected = {
    "FuncGrad.Core": ("FuncGrad.Core", [], ["System.Numerics.Tensors"]),
    "FuncGrad": ("FuncGrad", ["FuncGrad.Core"], ["FSharp.Core"]),
    "FuncGrad.Testing": ("FuncGrad.Testing", ["FuncGrad"], ["FSharp.Core", "FsCheck"]),
    "FuncGrad.LibTorch": ("FuncGrad.LibTorch", ["FuncGrad.Core"], ["TorchSharp"]),
}


def tag(nuspec, name):
    m = re.search(rf"<{name}[^>]*>(.*?)</{name}>", nuspec, re.S)
    return m.group(1).strip() if m else ""


for pid, (assembly, ours, theirs) in expected.items():
    path = feed / f"{pid}.{version}.nupkg"
    if not path.exists():
        problems.append(f"{path.name}: missing")
        continue
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        nuspec = z.read(f"{pid}.nuspec").decode()
        def need(ok, what):
            if not ok:
                problems.append(f"{path.name}: {what}")
        need(tag(nuspec, "id") == pid, f"id is {tag(nuspec, 'id')!r}")
        need(tag(nuspec, "version") == version, f"version is {tag(nuspec, 'version')!r}")
        description = tag(nuspec, "description")
        need(len(description) > 80 and "Package Description" not in description, "no real description")
        need(len(tag(nuspec, "tags").split()) >= 4, "fewer than four tags")
        need(tag(nuspec, "authors") == "FuncGrad contributors", "authors")
        need(re.search(r'<license type="expression">MIT</license>', nuspec) is not None, "no MIT licence expression")
        need(tag(nuspec, "readme") == "README.md" and "README.md" in names, "no package README")
        need("LICENSE" in names, "no LICENSE file")
        if "README.md" in names:
            readme = z.read("README.md").decode()
            need(readme.startswith(f"# {pid}\n") and "```" in readme, "README lacks its title or an example")
        dll, xml = f"lib/net10.0/{assembly}.dll", f"lib/net10.0/{assembly}.xml"
        need(dll in names, f"no {dll}")
        need(xml in names, f"no XML docs {xml}")
        need(not any(n.endswith(".pdb") for n in names), "a loose .pdb (symbols should be embedded)")
        if dll in names:
            # An embedded portable PDB is stored deflated behind the signature "MPDB" in the debug directory.
            need(b"MPDB" in z.read(dll), f"{dll} has no embedded PDB")
        if xml in names:
            members = z.read(xml).decode().count("<member ")
            # FuncGrad.LibTorch has no public API: the core finds its backend by name.
            need(members > 20 or pid == "FuncGrad.LibTorch", f"{xml} documents only {members} members")
        dependencies = dict(re.findall(r'<dependency id="([^"]+)" version="([^"]+)"', nuspec))
        for d in ours:
            need(dependencies.get(d) == version, f"depends on {d} {dependencies.get(d)}, not {version}")
        for d in theirs:
            need(d in dependencies, f"does not depend on {d}")
        unexpected = set(dependencies) - set(ours) - set(theirs)
        need(not unexpected, f"unexpected dependencies {sorted(unexpected)}")
        if pid != "FuncGrad.LibTorch":
            need(not any(d.startswith("TorchSharp") for d in dependencies), "depends on TorchSharp")
        if other is not None:
            twin = other / path.name
            if not twin.exists():
                problems.append(f"{twin}: missing")
            else:
                with zipfile.ZipFile(twin) as t:
                    for n in sorted(x for x in names if x.startswith("lib/") or x.startswith("content/")):
                        need(n in t.namelist() and t.read(n) == z.read(n),
                             f"{n} differs between two builds in different folders (not reproducible)")
    print(f"{path.name}: {len(names)} files, depends on {dependencies}")

for p in problems:
    print("FAILED:", p)
if other is None:
    print("(no second build given: reproducibility not checked)")
sys.exit(1 if problems else 0)
