"""The computable rules of regulation 22-TA-3183 and NIS2 as pure functions (no Django).

Each rule module defines ``RULES``: a list of :class:`kiber.rules.base.Rule`. The registry
discovers them, so adding a rule is adding a module. See ``../shared/contracts/rules.md``.
"""
