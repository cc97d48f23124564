"""Run the ``balancekit`` command with ``python -m balancekit``."""

from .cli import main

if __name__ == "__main__":
    main()
