#!/usr/bin/env python
"""Django's command-line utility; ``sasaeai manage`` does the same."""

import sys

from sasaeai.cli import main

if __name__ == "__main__":
    sys.exit(main(["manage", *sys.argv[1:]]))
