#!/usr/bin/env python3
"""Reads an EASF node's TAXII 2.1 server with the OASIS client (taxii2-client)
and checks that every collection pages through cleanly.

Usage:
    check_taxii.py URL TOKEN [--per-request N] [ALIAS=COUNT ...] [total=COUNT]

URL is the discovery URL (http://127.0.0.1:8080/taxii2/), TOKEN an EASF API
token (sent as `Authorization: Bearer <token>`). Each ALIAS=COUNT (the
collection alias is the function id: piracy=1234) expects that many objects
in that collection; total=COUNT expects that many over all collections.

For each collection the script pages through the objects with
taxii2client.v21.as_pages and checks: no page is larger than asked, every
object is STIX 2.1 with an id and a type, no object version comes twice, and
the manifest lists the same number of entries. It prints one line per
collection and a total.

Exit status: 0 when every check passes, 1 on any error or mismatch, 2 on bad
arguments. Needs `pip install taxii2-client`.
"""

import argparse
import sys

import requests
from taxii2client.v21 import Server, as_pages


class BearerAuth(requests.auth.AuthBase):
    """Sends an EASF API token as a bearer token."""

    def __init__(self, token):
        self.token = token

    def __call__(self, request):
        request.headers["Authorization"] = "Bearer " + self.token
        return request


def expectation(text):
    name, sep, count = text.partition("=")
    if not sep or not name or not count.isdigit():
        raise argparse.ArgumentTypeError(
            "expected ALIAS=COUNT (piracy=1234) or total=COUNT, not %r" % text
        )
    return name, int(count)


def page_through(fetch, per_request, what, problems):
    """Every object of a paged endpoint, checking each page as it comes."""
    items = []
    for page in as_pages(fetch, per_request=per_request):
        got = page.get("objects", [])
        if len(got) > per_request:
            problems.append(
                "%s: a page held %d objects, more than the %d asked for"
                % (what, len(got), per_request)
            )
        if page.get("more") and not page.get("next"):
            problems.append("%s: a page says more but gives no next" % what)
        items.extend(got)
    return items


def check_collection(collection, per_request, problems):
    name = collection.alias or collection.id
    objects = page_through(collection.get_objects, per_request, name, problems)
    seen = set()
    for o in objects:
        if o.get("spec_version") != "2.1" or "id" not in o or "type" not in o:
            problems.append("%s: not a STIX 2.1 object: %.200s" % (name, o))
            continue
        key = (o["id"], o.get("modified"))
        if key in seen:
            problems.append("%s: %s version %s came twice" % (name, *key))
        seen.add(key)
    manifest = page_through(collection.get_manifest, per_request, name + " manifest", problems)
    if len(manifest) != len(objects):
        problems.append(
            "%s: the manifest lists %d entries but the objects endpoint gave %d"
            % (name, len(manifest), len(objects))
        )
    return objects


def main(argv):
    parser = argparse.ArgumentParser(
        description="Check an EASF node's TAXII 2.1 server with taxii2-client."
    )
    parser.add_argument("url", help="discovery URL, e.g. http://127.0.0.1:8080/taxii2/")
    parser.add_argument("token", help="an EASF API token")
    parser.add_argument(
        "expect",
        nargs="*",
        type=expectation,
        help="ALIAS=COUNT objects expected in a collection, or total=COUNT",
    )
    parser.add_argument(
        "--per-request", type=int, default=50, help="objects per page (default 50)"
    )
    args = parser.parse_intermixed_args(argv)
    if args.per_request < 1:
        parser.error("--per-request must be at least 1")
    expected = dict(args.expect)

    problems = []
    counts = {}
    try:
        server = Server(args.url, auth=BearerAuth(args.token))
        print("server: %s" % server.title)
        roots = server.api_roots
        if not roots:
            problems.append("discovery names no API root")
        for root in roots:
            print("api root: %s (%s)" % (root.title, root.url))
            for collection in root.collections:
                objects = check_collection(collection, args.per_request, problems)
                name = collection.alias or collection.id
                counts[name] = counts.get(name, 0) + len(objects)
                types = {}
                for o in objects:
                    types[o.get("type")] = types.get(o.get("type"), 0) + 1
                summary = ", ".join("%s %d" % kv for kv in sorted(types.items()))
                print(
                    "collection %s (%s): %d objects%s"
                    % (name, collection.id, len(objects), " (" + summary + ")" if summary else "")
                )
    except Exception as e:  # the client raises requests and its own errors
        print("error: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        return 1

    total = sum(counts.values())
    print("total: %d objects in %d collections" % (total, len(counts)))
    for name, want in sorted(expected.items()):
        got = total if name == "total" else counts.get(name)
        if got is None:
            problems.append("no collection %r" % name)
        elif got != want:
            problems.append("%s: expected %d objects, got %d" % (name, want, got))
    for p in problems:
        print("problem: %s" % p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
