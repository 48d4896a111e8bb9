"""A GitHub-native study tracker."""

__version__ = "0.1.0"
