"""A small shop backend: every function a SecureFunction, every entry point guarded.

``stack.py`` is the CDK stack; ``handlers/<name>/`` holds one function's code each (one code asset
per function, so a change to one handler redeploys only that function).
"""
