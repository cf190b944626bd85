"""Lists the files of a root directory holding PACKAGES as this machine's dpkg installed them.

Usage: python3 root.py [--without PACKAGE]... PACKAGE...

Follows Depends and Pre-Depends through the installed packages only (an alternative or a virtual
package resolves to whichever installed package satisfies it, as apt chose here), and prints
every regular file and symlink those packages installed, one absolute path per line, with the
byte-compiled modules their postinst scripts wrote (__pycache__ beside the package's .py files)
and the shared libraries the loader finds through update-alternatives links (libblas.so.3),
which dpkg -L omits, with the packages that hold them. A package named with --without is left
out, with what only it needed.
Exit codes: 0 listed, 1 a package is not installed.
"""

import os
import subprocess
import sys


def run(*command):
    return subprocess.run(command, capture_output=True, text=True).stdout


def installed():
    """Installed packages: name -> (depends, provides)."""
    packages = {}
    fields = "${Package}\t${db:Status-Abbrev}\t${Depends}, ${Pre-Depends}\t${Provides}\n"
    for line in run("dpkg-query", "-W", "-f", fields).splitlines():
        name, status, depends, provides = line.split("\t")
        if status.startswith("ii"):
            packages[name] = (depends, provides)
    return packages


def names(field):
    """Dependency groups of a control field: a list of alternatives per group, names only."""
    groups = []
    for group in field.split(","):
        group = group.strip()
        if group:
            groups.append([alt.strip().split(" ")[0].split(":")[0] for alt in group.split("|")])
    return groups


def closure(wanted, packages):
    providers = {}
    for name, (_, provides) in packages.items():
        for virtual in names(provides):
            providers.setdefault(virtual[0], []).append(name)
    seen, todo = set(), list(wanted)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if name not in packages:
            sys.exit(f"root.py: {name} is not installed (bench/seed.sh install)")
        seen.add(name)
        for group in names(packages[name][0]):
            for alternative in group:
                if alternative in packages:
                    todo.append(alternative)
                    break
                if alternative in providers:
                    todo.append(providers[alternative][0])
                    break
    return seen


def files_of(chosen):
    """The files the packages installed, with their byte-compiled modules."""
    files = set()
    for package in chosen:
        for path in run("dpkg", "-L", package).splitlines():
            if os.path.islink(path) or os.path.isfile(path):
                files.add(path)
                cache = os.path.join(os.path.dirname(path), "__pycache__")
                if path.endswith(".py") and os.path.isdir(cache):
                    stem = os.path.basename(path)[:-3] + "."
                    files.update(os.path.join(cache, c) for c in os.listdir(cache) if c.startswith(stem))
    return files


def missing_libraries(files):
    """Where this machine's loader finds the libraries the listed ELF files need, where that is
    not a listed file (a library in a directory of its own, found through a link)."""
    wanted = set()
    for path in files:
        if ".so" in os.path.basename(path) and not os.path.islink(path):
            for line in run("readelf", "-d", path).splitlines():
                if "(NEEDED)" in line:
                    wanted.add(line.split("[", 1)[1].rstrip("]"))
    found = {}
    for line in run("ldconfig", "-p").splitlines()[1:]:
        name, _, path = line.strip().partition(" => ")
        found.setdefault(name.split(" ")[0], path)
    return [found[name] for name in sorted(wanted) if name in found and found[name] not in files]


def main():
    packages = installed()
    args = sys.argv[1:]
    while len(args) >= 2 and args[0] == "--without":
        packages.pop(args[1], None)
        args = args[2:]
    chosen = closure(args, packages)
    files = files_of(chosen)
    while True:
        added = set()
        for library in missing_libraries(files):
            hop = library
            while os.path.islink(hop):  # the link chain, e.g. through /etc/alternatives
                files.add(hop)
                target = os.readlink(hop)
                hop = target if target.startswith("/") else os.path.join(os.path.dirname(hop), target)
            owner = run("dpkg", "-S", os.path.realpath(hop)).split(":")[0]
            if owner in packages:
                added |= closure([owner], packages) - chosen
        if not added:
            break
        chosen |= added
        files |= files_of(added)
    for path in sorted(files):
        print(path)


if __name__ == "__main__":
    main()
