import sys

from vpclint.cli import main

sys.exit(main())
