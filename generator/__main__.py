"""`python -m generator`: policygen without its console script (a PowerShell, a CI step)."""
import sys

from generator.cli import main

if __name__ == "__main__":  # not when a spawned worker imports this module as its main
    sys.exit(main())
