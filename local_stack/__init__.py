"""The stack on one machine without Docker: moto for AWS, the template as the only list."""
