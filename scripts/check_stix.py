#!/usr/bin/env python3
"""Validate a STIX 2.1 bundle with the OASIS validator (stix2-validator).

    python scripts/check_stix.py bundle.json        # or: ... < bundle.json
    python scripts/check_stix.py --strict bundle.json

Prints every error and warning the validator reports, then checks the
incident core extension (extension-definition--ef765651-...) on each
incident against its published schema's rules, which the validator does not
know. Exits 1 on any error (with --strict, warnings count as errors), 2 if
the input cannot be read or the validator is not installed, 0 otherwise.

Install the validator in a virtual environment:

    python3 -m venv /tmp/stixvenv && /tmp/stixvenv/bin/pip install stix2-validator
"""

import argparse
import json
import re
import sys
from collections import Counter

INCIDENT_CORE = "extension-definition--ef765651-680c-498d-9894-99799f2fa126"
# Properties present in both published versions of the extension's schema
# (oasis-open/cti-stix-common-objects, extension-definition-specifications/
# incident-core); both forbid any other.
CORE_PROPERTIES = {
    "extension_type", "determination", "investigation_status", "incident_types",
    "detection_methods", "criticality", "recoverability", "impacted_entity_counts",
    "scores",
}
CORE_REQUIRED = {"extension_type", "determination", "investigation_status"}
DETERMINATIONS = {
    "blocked", "failed-attempt", "false-positive", "low-value",
    "successful-attempt", "suspected",
}


def incident_core_errors(bundle):
    """Errors in the incident core extension of each incident in a bundle."""
    errors = []
    objects = bundle.get("objects", []) if isinstance(bundle, dict) else []
    for obj in objects:
        if not isinstance(obj, dict) or obj.get("type") != "incident":
            continue
        ext = obj.get("extensions", {}).get(INCIDENT_CORE)
        if ext is None:
            continue
        where = obj.get("id", "?")
        for name in sorted(CORE_REQUIRED - ext.keys()):
            errors.append(f"{where}: incident core: missing {name}")
        for name in sorted(ext.keys() - CORE_PROPERTIES):
            errors.append(f"{where}: incident core: unknown property {name}")
        if ext.get("extension_type", "property-extension") != "property-extension":
            errors.append(f"{where}: incident core: extension_type must be property-extension")
        if "determination" in ext and ext["determination"] not in DETERMINATIONS:
            errors.append(f"{where}: incident core: determination {ext['determination']!r}")
        status = ext.get("investigation_status")
        if status is not None and not isinstance(status, str):
            errors.append(f"{where}: incident core: investigation_status is a string")
        types = ext.get("incident_types")
        if types is not None and not (isinstance(types, list) and types
                                      and all(isinstance(t, str) for t in types)):
            errors.append(f"{where}: incident core: incident_types is a non-empty list of strings")
        crit = ext.get("criticality")
        if crit is not None and not (isinstance(crit, int) and not isinstance(crit, bool)
                                     and 0 <= crit <= 100):
            errors.append(f"{where}: incident core: criticality is an integer 0..100")
        counts = ext.get("impacted_entity_counts")
        if counts is not None:
            if not isinstance(counts, dict):
                errors.append(f"{where}: incident core: impacted_entity_counts is an object")
            else:
                for key, n in counts.items():
                    ok_key = key and all(c.islower() or c == "-" for c in key)
                    ok_n = isinstance(n, int) and not isinstance(n, bool) and n >= 0
                    if not (ok_key and ok_n):
                        errors.append(
                            f"{where}: incident core: impacted_entity_counts[{key!r}]")
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", help="bundle file (default: stdin)")
    parser.add_argument("--strict", action="store_true",
                        help="treat the validator's warnings as errors")
    args = parser.parse_args()

    try:
        from stix2validator import ValidationOptions, validate_instance
        from stix2validator.version import __version__ as validator_version
    except ImportError:
        print("check_stix: stix2-validator is not installed "
              "(pip install stix2-validator)", file=sys.stderr)
        return 2

    try:
        if args.path:
            with open(args.path, encoding="utf-8") as f:
                bundle = json.load(f)
        else:
            bundle = json.load(sys.stdin)
    except (OSError, ValueError) as e:
        print(f"check_stix: cannot read the bundle: {e}", file=sys.stderr)
        return 2

    options = ValidationOptions(version="2.1", strict=args.strict)
    result = validate_instance(bundle, options)
    errors = [str(e) for e in result.errors]
    warnings = [str(w) for w in result.warnings]
    errors += incident_core_errors(bundle)

    for e in errors:
        print(f"error: {e}")
    for w in warnings:
        print(f"warning: {w}")
    kinds = Counter(re.search(r"\{(\d+)\}", w).group(1) if re.search(r"\{(\d+)\}", w)
                    else "other" for w in warnings)
    n_objects = len(bundle.get("objects", [])) if isinstance(bundle, dict) else 0
    summary = ", ".join(f"{n} x {{{k}}}" for k, n in sorted(kinds.items())) or "none"
    print(f"stix2-validator {validator_version}: {n_objects} objects, "
          f"{len(errors)} errors, {len(warnings)} warnings ({summary})")
    return 1 if errors or not result.is_valid else 0


if __name__ == "__main__":
    sys.exit(main())
