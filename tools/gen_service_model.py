#!/usr/bin/env python3
"""Generates the compact service model the sidecar's protocol layer reads.

The botocore service models are the authority on operations, shapes and error
codes. The sidecar needs only the parts that drive the wire formats: shapes with
their types, members, required lists, query/XML names (locationName, flattened),
operation input/output shapes and result wrappers, and each error's query code
and HTTP status. Current botocore models of services that moved to JSON (SQS)
no longer carry the query-protocol names, so those come from an older model
that still has them (Debian's botocore), merged shape by shape.

  tools/gen_service_model.py sqs > sidecar/sqs/sqs.model.json
  tools/gen_service_model.py sqs --check sidecar/sqs/sqs.model.json
"""
import argparse
import glob
import gzip
import json
import os
import sys

SERVICES = {
    "sqs": "2012-11-05",
    "sns": "2010-03-31",
    "kinesis": "2013-12-02",
    "firehose": "2015-08-04",
}

# The prefix of the JSON protocol's error "__type" that AWS writes for each service:
# SQS names the Smithy namespace (com.amazonaws.sqs#QueueDoesNotExist); the older
# JSON services (Kinesis, Firehose) write the bare shape name. Not in botocore.
ERROR_NAMESPACES = {"sqs": "com.amazonaws.sqs#"}

# Errors the models do not describe with a status. Values from the SQS API
# reference ("Common Errors" and each action's Errors section).
STATUS_OVERRIDES = {
    "sqs": {"ResourceNotFoundException": 404, "RequestThrottled": 403, "KmsThrottled": 400},
}

TRAITS = ("locationName", "flattened")


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        return json.load(f)


def botocore_version(root):
    try:
        with open(os.path.join(root, "__init__.py")) as f:
            for line in f:
                if line.startswith("__version__"):
                    return line.split("=")[1].strip().strip("'\"")
    except OSError:
        pass
    return "unknown"


def find_models(service, version):
    """Newest model (pip botocore) and the query-era model (Debian botocore),
    each with the botocore version it came from."""
    candidates = []
    try:
        import botocore  # noqa: F401  (the interpreter's own botocore)
        candidates.append(os.path.dirname(botocore.__file__))
    except ImportError:
        pass
    candidates += glob.glob("/root/.pyenv/versions/*/lib/python3*/site-packages/botocore")
    candidates += ["/usr/lib/python3/dist-packages/botocore", "/usr/lib/python3/dist-packages/awscli/botocore"]
    models = []
    for root in candidates:
        for name in ("service-2.json.gz", "service-2.json"):
            path = os.path.join(root, "data", service, version, name)
            if os.path.exists(path):
                model = load(path)
                model["_botocore"] = botocore_version(root)
                models.append(model)
                break
    if not models:
        sys.exit(f"no botocore model for {service} {version}")
    newest = max(models, key=lambda m: len(m["operations"]))
    query = [m for m in models if m["metadata"].get("protocol") == "query"]
    return newest, (query[0] if query else None)


def with_traits(out, new, old):
    """out plus the wire traits of `new`, falling back to the query model's `old`."""
    for t in TRAITS:
        if t in new:
            out[t] = new[t]
        elif old and t in old:
            out[t] = old[t]
    return out


def ref(member, old_member):
    return with_traits({"shape": member["shape"]}, member, old_member)


def compact_shape(shape, old):
    out = with_traits({"type": shape["type"]}, shape, old)
    if shape["type"] == "structure":
        out["members"] = {
            name: ref(m, (old or {}).get("members", {}).get(name)) for name, m in shape.get("members", {}).items()
        }
        if shape.get("required"):
            out["required"] = shape["required"]
        if shape.get("exception"):
            out["exception"] = True
    elif shape["type"] == "list":
        out["member"] = ref(shape["member"], (old or {}).get("member"))
    elif shape["type"] == "map":
        out["key"] = ref(shape["key"], (old or {}).get("key"))
        out["value"] = ref(shape["value"], (old or {}).get("value"))
    for t in ("min", "max", "enum"):
        if t in shape:
            out[t] = shape[t]
    return out


def build(service):
    version = SERVICES[service]
    new, old = find_models(service, version)
    meta = new["metadata"]
    protocols = list(meta.get("protocols") or [meta["protocol"]])
    query_compatible = "awsQueryCompatible" in meta
    if query_compatible and old and "query" not in protocols:
        protocols.append("query")  # the service still answers its older query protocol
    out = {
        "sources": {"botocore": new["_botocore"], "botocoreQuery": (old or {}).get("_botocore", "")},
        "service": service,
        "apiVersion": version,
        "protocol": meta["protocol"],
        "protocols": protocols,
        "awsQueryCompatible": query_compatible,
        "signingName": meta.get("signingName") or meta.get("endpointPrefix") or service,
        "errorNamespace": ERROR_NAMESPACES.get(service, ""),
        "targetPrefix": meta.get("targetPrefix", ""),
        "jsonVersion": meta.get("jsonVersion", ""),
        "xmlNamespace": meta.get("xmlNamespace") or (old or {}).get("metadata", {}).get("xmlNamespace", ""),
        "operations": {},
        "shapes": {},
        "errors": {},
    }
    old_shapes = old["shapes"] if old else {}
    old_ops = old["operations"] if old else {}
    for name, op in sorted(new["operations"].items()):
        entry = {}
        if "input" in op:
            entry["input"] = op["input"]["shape"]
        if "output" in op:
            entry["output"] = op["output"]["shape"]
            wrapper = op["output"].get("resultWrapper") or old_ops.get(name, {}).get("output", {}).get("resultWrapper")
            entry["resultWrapper"] = wrapper or (name + "Result")
        entry["errors"] = [e["shape"] for e in op.get("errors", [])]
        out["operations"][name] = entry
    for name, shape in sorted(new["shapes"].items()):
        out["shapes"][name] = compact_shape(shape, old_shapes.get(name))
        if shape.get("exception"):
            trait = shape.get("error") or old_shapes.get(name, {}).get("error") or {}
            status = STATUS_OVERRIDES.get(service, {}).get(name, trait.get("httpStatusCode", 400))
            out["errors"][name] = {
                "code": trait.get("code", name),
                "status": status,
                "sender": trait.get("senderFault", True),
            }
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("service", choices=sorted(SERVICES))
    parser.add_argument("--check", metavar="FILE", help="exit 1 if FILE differs from the generated model")
    args = parser.parse_args()
    text = json.dumps(build(args.service), indent=1, sort_keys=True) + "\n"
    if args.check:
        with open(args.check) as f:
            committed = f.read()
        if json.loads(committed).get("sources") != json.loads(text)["sources"]:
            # Another botocore than the one the file was made from: nothing to compare.
            print(f"skipped: {args.check} was generated from other botocore versions")
            sys.exit(77)
        if committed != text:
            sys.exit(f"{args.check} is out of date: run tools/gen_service_model.py {args.service} > {args.check}")
        return
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
