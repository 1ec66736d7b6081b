"""vpclint: lint the IP address plan of cloud networks written as infrastructure-as-code."""

__version__ = "0.1.0"
