from lms.demo.seed import Command

__all__ = ["Command"]
