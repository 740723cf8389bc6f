"""Print Odoo's requirements.txt as installable pins for this interpreter.

Odoo's pins for Python 3.11 (cbor2 5.4.2, ...) no longer build with current setuptools,
while the pins it lists for Python 3.12 all ship wheels that run on 3.11. So the markers
are evaluated as if the interpreter were 3.12 (or newer, when it is), and the packages
that need system libraries we do not use (python-ldap, pypiwin32) are dropped.
"""

import sys

try:
    from packaging.requirements import Requirement
except ImportError:  # a bare interpreter: pip vendors the same library
    from pip._vendor.packaging.requirements import Requirement

SKIP = {"python-ldap", "pypiwin32"}


def main(path):
    version = max((3, 12), sys.version_info[:2])
    env = {
        "python_version": "%d.%d" % version,
        "python_full_version": "%d.%d.0" % version,
        "sys_platform": sys.platform,
    }
    with open(path, encoding="utf-8") as lines:
        raw_lines = lines.read().splitlines()
    for raw in raw_lines:
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        if req.name.lower() in SKIP or (req.marker and not req.marker.evaluate(env)):
            continue
        req.marker = None
        print(req)


if __name__ == "__main__":
    main(sys.argv[1])
