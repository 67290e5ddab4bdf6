#!/usr/bin/env python3
"""synth-estate.py - generate a large, realistic synthetic vpcreach snapshot (Python 3.11, stdlib only).

Usage:
    python3 scripts/synth-estate.py --size S|M|L [--seed N] --output DIR [--compact] [--jobs N] [--check] [--force]
    python3 scripts/synth-estate.py --check --output DIR        # only check an existing estate

Writes DIR in the standard layout (what scripts/export-snapshot.sh writes; see fixtures/README.md):

    DIR/<account>/<region>/describe-{vpcs,subnets,route-tables,security-groups,network-acls,
                           network-interfaces,instances,internet-gateways,nat-gateways,
                           vpc-peering-connections,managed-prefix-lists,prefix-lists}.json
    DIR/<account>/<region>/prefix-list-entries/<pl-id>.json
    DIR/<account>/<region>/vpc-attributes/<vpc-id>-enableDns{Support,Hostnames}.json
    DIR/<account>/<region>/ecs/<cluster>/describe-{services,tasks}.json
    DIR/<account>/route53/list-hosted-zones.json, route53/<zone-id>/{get-hosted-zone,list-resource-record-sets}.json

Every document has the exact AWS CLI shape (indent=4, as the CLI prints it); the resource shapes come
from fixtures/fixturelib.py (imported). Output is deterministic for a given --size and --seed (any
--jobs). The one-line summary on standard output gives the counts and the bytes written.

Sizes (VPCs, ENIs, SGs and peerings are exact; the other counts are what --seed 1 gives):

    size  accounts  acct-regions  VPCs   subnets  ENIs     SGs     SG rules  peerings  DNS records  disk*   time**
    S     2         4             20     264      1,000    200     ~2,100    10        ~3,100       9 MB    <1 s
    M     5         12            200    2,611    10,000   2,000   ~20,600   100       ~22,500      86 MB   ~3 s
    L     20        51            2,000  25,916   100,000  20,000  ~204,000  1,000     ~171,000     825 MB  ~20 s

    * indent=4 (--compact: about half, 398 MB for L). Files: S ~175, M 909, L 6,204.
    ** on 2 cores with --jobs 2; peak RSS ~100 MB for L. --check on L adds ~17 s.
  ENIs are ~48% EC2 instances, ~21% Fargate tasks, ~8% interface endpoints, ~6% Lambda, ~4% each
  RDS, ElastiCache and load balancers, ~2% NAT gateways. "SG rules" counts sources (each CIDR,
  prefix list or group pair of a permission), ingress and egress, as describe-security-group-rules would.

What an estate holds, per account and region (all ids `prefix-` + 17 hex digits, unique in the estate):
  * VPCs (one "shared" hub per region, the rest prod/staging/dev/data/...): primary 10.x.y.0/20, a
    secondary 100.64.x.0/22 (ECS task subnets), a third 10.x /21 on ~30% (batch subnets, implicitly on
    the main route table), a `disassociated` block on ~5%. Every VPC CIDR in the estate is distinct
    and non-overlapping (so peered VPCs never overlap; subnets lie inside their VPC and never overlap).
  * Subnets in 3 AZs: public /24, app /23, data /24, tasks /24 (secondary), mgmt /25 (some), batch /23.
  * Internet gateways (~85% of VPCs), NAT gateways (0, 1 or one per AZ; a few `deleted` ones with a
    blackhole route), route tables (main + public + private per AZ or shared + data + tasks; local
    routes per CIDR block, 0/0 to the IGW or a NAT, S3 gateway-endpoint prefix-list routes, peering
    routes to specific peer subnets or to the peer's blocks, blackhole routes to pending/deleted
    peerings and deleted NAT gateways).
  * VPC peering connections inside an account+region: hub-and-spoke plus random pairs; ~85% active,
    the rest pending-acceptance or deleted.
  * Security groups: default (GroupName `default`), app, load balancer, data, cache, endpoint, lambda,
    bastion and per-service groups, with CIDR, customer prefix-list, same-VPC group and cross-peering
    group references (UserIdGroupPairs with VpcId + VpcPeeringConnectionId + PeeringStatus active),
    ICMP rules and long CIDR lists on some groups ("many rules").
  * NACLs: the default (allow all) plus custom data/public/tasks NACLs with 5-20 entries per direction;
    every subnet listed in exactly one NACL's Associations.
  * ENIs of every kind: EC2 instances (describe-instances Reservations; some multi-homed, a few
    stopped, bastions with public IPs), Fargate ECS task ENIs (describe-tasks attachments, services in
    describe-services), RDS, ElastiCache, ALB (public IPs when internet-facing) and NLB, NAT gateway,
    interface VPC endpoint, Lambda, and a few unattached ENIs.
  * Customer-managed prefix lists (office, VPN, partner, monitoring) and the AWS-managed S3/DynamoDB
    lists of each region (synthetic region-specific pl- ids).
  * Route 53 per account: a main private zone associated with most VPCs (across regions), one private
    zone per environment, a db zone, and one public zone; A, multivalue A, weighted CNAME, CNAME,
    alias (to ELB and to records in the same zone), TXT, SRV, MX and wildcard records.
  * DNS attribute files for every VPC (a few VPCs with enableDnsHostnames false).

Options:
  --size S|M|L    estate size (required to generate)
  --seed N        random seed (default 1)
  --output DIR    where to write (must not exist or be empty, unless --force)
  --compact       write compact JSON (separators=(',', ':')) instead of indent=4; ~35% of the bytes
                  and faster. Off by default because the AWS CLI prints indent=4.
  --jobs N        worker processes (one account at a time each; default: CPU count, at most 4)
  --check         after generating (or, without --size, on an existing DIR): parse every file back
                  and check every cross-reference (ids exist, formats, canonical and non-overlapping
                  CIDRs, addresses inside their subnets, task/ENI and instance/ENI agreement, zone
                  VPCs); prints problems and exits 1 if any.
  --force         write into a non-empty DIR (files are overwritten, nothing is deleted)

Memory: each worker holds one account+region at a time (plus a small per-account Route 53 model), so
L stays well under 1 GB per worker.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import ipaddress
import json
import os
import random
import re
import sys
import time
from collections import defaultdict
from multiprocessing import get_context
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "fixtures"))

import fixturelib as fl  # noqa: E402

# ---------------------------------------------------------------------------------------
# Sizes and static tables

SIZES = {
    "S": dict(accounts=2, regions=(2, 2), vpcs=20, enis=1_000, sgs=200, pcx=10, records=3_000),
    "M": dict(accounts=5, regions=(2, 3), vpcs=200, enis=10_000, sgs=2_000, pcx=100, records=20_000),
    "L": dict(accounts=20, regions=(2, 3), vpcs=2_000, enis=100_000, sgs=20_000, pcx=1_000, records=120_000),
}

HOME_REGION = "eu-west-1"
REGIONS = {
    "eu-west-1": ["euw1-az3", "euw1-az1", "euw1-az2"],
    "us-east-1": ["use1-az6", "use1-az1", "use1-az2"],
    "eu-central-1": ["euc1-az2", "euc1-az3", "euc1-az1"],
    "us-west-2": ["usw2-az2", "usw2-az1", "usw2-az3"],
    "ap-southeast-1": ["apse1-az1", "apse1-az2", "apse1-az3"],
}
OTHER_REGIONS = [r for r in REGIONS if r != HOME_REGION]
for _r, _ids in REGIONS.items():
    for _letter, _id in zip("abc", _ids):
        fl.AZ_IDS.setdefault(f"{_r}{_letter}", _id)

# Canonical hosted zone ids of Elastic Load Balancing (ALB/CLB) per region, used by alias records.
ELB_ZONE = {"eu-west-1": "Z32O12XQLNTSW2", "us-east-1": "Z35SXDOTRQ7X7K", "eu-central-1": "Z215JYRZR1TBD5",
            "us-west-2": "Z1H1FL5HABSF5", "ap-southeast-1": "Z1LMS91P8CMLE5"}
# AWS-owned requester accounts (illustrative, like fixturelib's NAT_SERVICE_ACCOUNT).
ENDPOINT_SERVICE_ACCOUNT = "727180483921"
LAMBDA_SERVICE_ACCOUNT = "560745654543"
AWS_OWNED = {fl.FARGATE_ACCOUNT, fl.NAT_SERVICE_ACCOUNT, ENDPOINT_SERVICE_ACCOUNT, LAMBDA_SERVICE_ACCOUNT}

MIN_ENIS, MAX_ENIS = 8, 1200  # per VPC

ENVS = [("prod", 30), ("staging", 18), ("dev", 20), ("qa", 8), ("data", 10), ("analytics", 6), ("sandbox", 8)]
APPS = ["payments", "orders", "catalog", "search", "identity", "billing", "ledger", "checkout", "inventory",
        "shipping", "notify", "reports", "gateway", "profile", "media", "pricing", "fraud", "loyalty", "audit",
        "streams", "ingest", "etl", "ml", "portal", "crm", "hr", "wiki", "ci", "metrics", "logging", "tax",
        "quotes", "claims", "risk", "booking", "content", "partner", "support", "warehouse", "routing"]
WORDS = ["api", "web", "worker", "sync", "auth", "feed", "queue", "cron", "export", "import", "render",
         "proxy", "index", "notify", "score", "match", "store", "stream", "agg", "ledger", "events", "admin",
         "graph", "cache", "mailer", "pdf", "upload", "thumbs", "webhook", "report"]
ALIASES = ["acme", "globex", "initech", "umbrella", "hooli", "vandelay", "stark", "wayne", "tyrell", "cyberdyne",
           "soylent", "wonka", "gringotts", "oscorp", "aperture", "monarch", "virtucon", "paperstreet",
           "dunder", "prestige", "sirius", "nakatomi", "massive", "octan"]
INSTANCE_TYPES = ["t3.micro", "t3.small", "t3.medium", "t3.large", "m6i.large", "m6i.xlarge", "m6i.2xlarge",
                  "c6i.large", "c6i.xlarge", "r6i.large", "r6i.xlarge", "m7g.large", "c7g.xlarge", "r6g.2xlarge"]
EC2_ROLES = ["web", "api", "worker", "kafka", "zookeeper", "elastic", "mongo", "cassandra", "app", "jenkins",
             "grafana", "vault", "consul", "haproxy", "nginx", "squid", "airflow", "spark", "redis", "rabbitmq"]
APP_PORTS = [8080, 8443, 9000, 3000, 5000, 8000, 9090, 8081, 7000, 50051, 8888, 4000]
ENDPOINT_SERVICES = ["ssm", "ssmmessages", "ec2messages", "ecr.api", "ecr.dkr", "logs", "sts", "secretsmanager",
                     "kms", "sqs", "sns", "monitoring"]
COMMON_PORTS = [22, 80, 443, 3389, 5432, 3306, 6379, 8080, 8443, 9200, 9092, 2181, 27017, 1433, 5672, 11211,
                53, 123, 389, 636, 8500, 9100, 9090, 4222, 25, 587]
PUBLIC_FIRST_OCTETS = [3, 13, 18, 20, 23, 34, 35, 40, 44, 50, 54, 63, 64, 66, 70, 80, 81, 82, 85, 87, 91, 93,
                       104, 141, 145, 151, 162, 185, 193, 194, 195, 212, 213, 217]

CREATED = fl.CREATED
SLOT20 = 4096  # /20s in 10.0.0.0/8, and /22s in 100.64.0.0/10


# ---------------------------------------------------------------------------------------
# Helpers


def h(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def zone_id_for(key: str) -> str:
    b32 = base64.b32encode(hashlib.sha256(("zone:" + key).encode()).digest()).decode()
    return "Z0" + b32[:19]


def apportion(total: int, weights: list[float], minimum: int = 0, maximum: int | None = None) -> list[int]:
    """Integers proportional to weights, each within [minimum, maximum], summing to total."""
    wsum = sum(weights)
    raw = [total * w / wsum for w in weights]
    out = [max(minimum, min(maximum if maximum is not None else 10**12, int(x))) for x in raw]
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - int(raw[i])), i))
    diff = total - sum(out)
    guard = 0
    while diff != 0 and guard < 100 * len(out) + 1000:
        moved = False
        for i in (order if diff > 0 else reversed(order)):
            if diff > 0 and (maximum is None or out[i] < maximum):
                out[i] += 1
                diff -= 1
                moved = True
            elif diff < 0 and out[i] > minimum:
                out[i] -= 1
                diff += 1
                moved = True
            if diff == 0:
                break
        if not moved:
            break
        guard += 1
    return out


def net20(slot: int) -> ipaddress.IPv4Network:
    return ipaddress.IPv4Network((int(ipaddress.IPv4Address("10.0.0.0")) + slot * 4096, 20))


def net22_cgnat(slot: int) -> ipaddress.IPv4Network:
    return ipaddress.IPv4Network((int(ipaddress.IPv4Address("100.64.0.0")) + slot * 1024, 22))


def sub(net: ipaddress.IPv4Network, offset_24: int, prefix: int) -> str:
    """The /prefix starting offset_24 x 256 addresses into net."""
    return str(ipaddress.IPv4Network((int(net.network_address) + offset_24 * 256, prefix)))


def public_cidr(rng: random.Random) -> str:
    plen = rng.choice([32, 32, 32, 32, 30, 29, 28, 27, 26, 24, 24, 24, 22, 20, 16])
    addr = (rng.choice(PUBLIC_FIRST_OCTETS) << 24) | rng.getrandbits(24)
    return str(ipaddress.IPv4Network((addr, plen), strict=False))


def onprem_cidr(rng: random.Random) -> str:
    if rng.random() < 0.6:
        addr = int(ipaddress.IPv4Address("192.168.0.0")) + rng.getrandbits(16)
        plen = rng.choice([24, 24, 23, 22, 28, 32])
    else:
        addr = int(ipaddress.IPv4Address("172.16.0.0")) + rng.getrandbits(20)
        plen = rng.choice([16, 20, 24, 24, 26])
    return str(ipaddress.IPv4Network((addr, plen), strict=False))


class FastEstate(fl.Estate):
    """fixturelib.Estate with indexed lookups (its `find` is a linear scan)."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self._index: dict = {}

    def find(self, kind, key, value):
        lst = getattr(self, kind)
        ent = self._index.get((kind, key))
        if ent is None:
            ent = self._index[(kind, key)] = [0, {}]
        if ent[0] < len(lst):
            idx = ent[1]
            for o in lst[ent[0]:]:
                v = o.get(key)
                if v is not None and v not in idx:
                    idx[v] = o
            ent[0] = len(lst)
        return ent[1].get(value)


class AddressPool:
    """Hands out addresses of one subnet in order (the first four and the last are reserved)."""

    def __init__(self, cidr: str, rng: random.Random):
        self.net = ipaddress.IPv4Network(cidr)
        self.rng = rng
        self.next = 4 + rng.randint(0, 6)
        self.last = self.net.num_addresses - 2

    def take(self) -> str:
        if self.next > self.last:
            raise RuntimeError(f"subnet {self.net} is full")
        ip = str(self.net.network_address + self.next)
        self.next += 1 + (self.rng.randint(1, 3) if self.rng.random() < 0.08 else 0)
        return ip

    def room(self) -> int:
        return max(0, self.last - self.next + 1)


class Rules:
    """Security-group permissions keyed by (protocol, ports), sources merged as the API prints them."""

    def __init__(self, owner: str):
        self.owner = owner
        self.perms: dict = {}
        self.count = 0

    def add(self, proto: str, ports=None, cidr=None, group=None, pl=None, desc: str | None = None) -> bool:
        if group == "self":
            group = self.owner
        key = (proto, ports if proto != "-1" else None)
        p = self.perms.setdefault(key, {"cidrs": [], "groups": [], "pls": [], "seen": set()})
        src = cidr or pl or (group if isinstance(group, str) else group["GroupId"])
        if src in p["seen"]:
            return False
        p["seen"].add(src)
        if cidr:
            p["cidrs"].append((cidr, desc) if desc else cidr)
        elif pl:
            p["pls"].append((pl, desc) if desc else pl)
        else:
            if isinstance(group, dict) and desc:
                group = dict(Description=desc, **group)
            p["groups"].append(group)
        self.count += 1
        return True

    def perms_list(self) -> list[dict]:
        return [fl.perm(proto, ports, cidrs=p["cidrs"], groups=p["groups"], pls=p["pls"])
                for (proto, ports), p in self.perms.items()]


# ---------------------------------------------------------------------------------------
# The plan (computed once, deterministic, small)


def make_plan(size: str, seed: int) -> list[dict]:
    cfg = SIZES[size]
    rng = random.Random(f"plan:{size}:{seed}")
    accounts = []
    used = set(AWS_OWNED)
    for a in range(cfg["accounts"]):
        while True:
            acct = str(rng.randrange(100_000_000_000, 1_000_000_000_000))
            if acct not in used:
                used.add(acct)
                break
        n_reg = rng.randint(*cfg["regions"])
        regions = [HOME_REGION] + sorted(rng.sample(OTHER_REGIONS, n_reg - 1), key=list(REGIONS).index)
        alias = ALIASES[a % len(ALIASES)] + (str(a // len(ALIASES) + 1) if a >= len(ALIASES) else "")
        accounts.append({"index": a, "account": acct, "alias": alias,
                         "regions": [{"region": r, "rindex": list(REGIONS).index(r)} for r in regions]})
    ars = [(acc, reg) for acc in accounts for reg in acc["regions"]]
    for g, (acc, reg) in enumerate(ars):
        reg["ar"] = g
    weights = [rng.uniform(0.6, 1.4) * (1.5 if reg["region"] == HOME_REGION else 1.0) for _, reg in ars]
    n_vpcs = apportion(cfg["vpcs"], weights, minimum=1)
    n_pcx = apportion(cfg["pcx"], [max(0, n - 1) + 1e-9 for n in n_vpcs], minimum=0)
    total = cfg["vpcs"]
    budgets = apportion(cfg["enis"], [rng.lognormvariate(0, 0.9) for _ in range(total)],
                        minimum=MIN_ENIS, maximum=MAX_ENIS)
    sgs = apportion(cfg["sgs"], [0.3 / total + 0.7 * b / cfg["enis"] for b in budgets], minimum=4)
    g = 0
    extra_slot = total
    assert total <= SLOT20
    for (acc, reg), nv, npcx in zip(ars, n_vpcs, n_pcx):
        reg["pcx"] = min(npcx, nv * (nv - 1) // 2)
        reg["vpcs"] = []
        for k in range(nv):
            third = rng.random() < 0.30
            disassoc = rng.random() < 0.05
            v = {"g": g, "k": k, "primary": str(net20(g)), "secondary": str(net22_cgnat(g)),
                 "budget": budgets[g], "n_sg": sgs[g], "third": None, "disassoc": None}
            if third or disassoc:
                slot = net20(extra_slot)
                extra_slot += 1
                assert extra_slot <= SLOT20, "address plan exhausted"
                if third:
                    v["third"] = sub(slot, 0, 21)
                if disassoc:
                    v["disassoc"] = sub(slot, 8, 21)
            reg["vpcs"].append(v)
            g += 1
    return accounts


# ---------------------------------------------------------------------------------------
# One account + region


class VpcCtx:
    def __init__(self, plan: dict):
        self.plan = plan
        self.id = ""
        self.name = ""
        self.env = ""
        self.app = ""
        self.cidrs: list[str] = []
        self.subnets: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # tier -> [(id, cidr, az)]
        self.pools: dict[str, AddressPool] = {}
        self.igw = None
        self.nats: list[str] = []  # available NAT ids, by AZ order
        self.nat_by_az: dict[str, str] = {}
        self.deleted_nat = None
        self.peers: list[tuple[str, "VpcCtx", str]] = []  # (pcx id, other, status)
        self.roles: dict[str, str] = {}  # role -> sg id
        self.svc_sgs: list[str] = []
        self.svc_ports: dict[str, int] = {}
        self.mix: dict = {}
        self.samples: dict = {"instances": [], "rds": [], "cache": [], "albs": [], "services": []}


class ARBuilder:
    def __init__(self, acc: dict, reg: dict, size: str, seed: int, transit: bool = False):
        self.transit = transit
        self.acc = acc
        self.reg = reg
        self.region = reg["region"]
        self.account = acc["account"]
        self.rng = random.Random(f"ar:{size}:{seed}:{acc['account']}:{self.region}")
        head = f"0{acc['index']:02x}{reg['rindex']:x}"
        self.e = FastEstate(head, account=self.account, region=self.region)
        self.e.ntail = 4
        self.azs = [f"{self.region}{c}" for c in "abc"]
        self.vpcs: list[VpcCtx] = []
        self.pub_base = int(ipaddress.IPv4Address("52.16.0.0")) + reg["ar"] * 4096
        self.pub_next = 10
        self.stats = defaultdict(int)

    # ----- small utilities

    def tail(self, prefix: str) -> str:
        self.e.counters["t:" + prefix] += 1
        return format(self.e.counters["t:" + prefix], "x")

    def public_ip(self) -> str:
        assert self.pub_next < 4090, "public address block exhausted"
        ip = str(ipaddress.IPv4Address(self.pub_base + self.pub_next))
        self.pub_next += 1
        return ip

    def pick(self, items, weights=None):
        return self.rng.choices(items, weights=weights)[0] if weights else self.rng.choice(items)

    def pool(self, v: VpcCtx, tier: str, az_index: int | None = None) -> tuple[str, AddressPool]:
        subs = v.subnets[tier]
        if az_index is None:
            best = max(subs, key=lambda s: v.pools[s[0]].room())
            candidates = [s for s in subs if v.pools[s[0]].room() > 0] or [best]
            s = self.rng.choice(candidates)
        else:
            s = subs[az_index % len(subs)]
        return s[0], v.pools[s[0]]

    # ----- build

    def build(self) -> FastEstate:
        self.prefix_lists()
        for vp in self.reg["vpcs"]:
            self.vpc(vp)
        self.peerings()
        for v in self.vpcs:
            self.gateways(v)
        for v in self.vpcs:
            self.plan_mix(v)
            self.sg_shells(v)
        for v in self.vpcs:
            self.sg_rules(v)
        for v in self.vpcs:
            self.route_tables(v)
            self.nacls(v)
        for v in self.vpcs:
            self.interfaces(v)
        # Last, so that the rest of the estate is the one without --transit.
        if self.transit:
            self.transit_gateway()
        return self.e

    def transit_gateway(self):
        """--transit: one transit gateway per account-region with every VPC attached (a subnet
        per zone, now and then a zone left out), a route table per environment that propagates
        the VPCs of that environment and of shared services, a blackhole now and then, and a
        10.0.0.0/8 route to the gateway in every VPC route table (more specific routes, such as
        peerings, still win)."""
        e, rng = self.e, self.rng
        if not self.vpcs:
            return
        tgw = e.tgw(f"{self.region}-core-tgw", tail=self.tail("tgw"), sg_referencing=rng.random() < 0.5)
        attachments: dict[str, str] = {}
        for v in self.vpcs:
            by_zone: dict[str, str] = {}
            for tier in sorted(v.subnets):
                for sid, _, az in v.subnets[tier]:
                    by_zone.setdefault(az, sid)
            zones = sorted(by_zone)
            if len(zones) > 1 and rng.random() < 0.1:
                zones = zones[:-1]  # a zone without an attachment subnet
            attachments[v.id] = e.tgw_attach_vpc(f"{v.name}-attachment", tgw, v.id, [by_zone[z] for z in zones],
                                                 tail=self.tail("tgw-attach"))
        envs = sorted({v.env for v in self.vpcs})
        for env in envs:
            members = [v for v in self.vpcs if v.env == env]
            reach = [v for v in self.vpcs if v.env in (env, "shared")]
            routes = [(c, attachments[v.id], "propagated") for v in reach for c in v.cidrs[:1]]
            if rng.random() < 0.3 and reach:
                routes.append((reach[0].cidrs[0].rsplit(".", 2)[0] + ".255.0/24", None, "static"))
            e.tgw_route_table(f"{self.region}-{env}-rt", tgw, associations=[attachments[v.id] for v in members],
                              routes=routes, tail=self.tail("tgw-rtb"))
            self.stats["tgw_route_tables"] += 1
        for rt in e.route_tables:
            if not any(r.get("DestinationCidrBlock") == "10.0.0.0/8" for r in rt["Routes"]):
                rt["Routes"].append(e._route(fl.route("10.0.0.0/8", tgw)))
        self.stats["tgws"] += 1

    def prefix_lists(self):
        e, rng = self.e, self.rng
        self.office = e.prefix_list("office-cidrs", [(public_cidr(rng), f"office {i + 1}")
                                                     for i in range(rng.randint(3, 8))],
                                    tail=self.tail("pl"), max_entries=20)
        self.vpn = e.prefix_list("vpn-users", [(onprem_cidr(rng), f"vpn pool {i + 1}")
                                               for i in range(rng.randint(2, 6))],
                                 tail=self.tail("pl"), max_entries=10)
        self.partners = []
        for p in rng.sample(["partner-adyen", "partner-stripe", "partner-datadog", "partner-okta",
                             "partner-pagerduty", "partner-sftp"], rng.randint(1, 3)):
            n = rng.randint(5, 40)
            self.partners.append(e.prefix_list(p, [(public_cidr(rng), f"{p} range {i + 1}") for i in range(n)],
                                               tail=self.tail("pl"), max_entries=max(50, n)))
        self.monitoring = e.prefix_list("monitoring", [(onprem_cidr(rng), f"collector {i + 1}")
                                                       for i in range(rng.randint(3, 10))],
                                        tail=self.tail("pl"), max_entries=20)
        # AWS-managed S3 and DynamoDB lists of this region (synthetic ids and ranges).
        self.pl_s3 = self.aws_pl("s3")
        self.pl_ddb = self.aws_pl("dynamodb")
        self.customer_pls = [self.office, self.vpn, self.monitoring] + self.partners

    def aws_pl(self, service: str) -> str:
        e = self.e
        pid = "pl-" + h(f"awspl:{self.region}:{service}")[:8]
        name = f"com.amazonaws.{self.region}.{service}"
        r = random.Random(name)
        base = 52 if service == "s3" else 3
        cidrs = sorted({str(ipaddress.IPv4Network(((base << 24) | r.getrandbits(24), r.choice([17, 19, 21, 23])),
                                                   strict=False)) for _ in range(4)})
        e.aws_pls.append({"Cidrs": cidrs, "PrefixListId": pid, "PrefixListName": name})
        e.managed_pls.append({
            "PrefixListId": pid, "AddressFamily": "IPv4", "State": "create-complete",
            "PrefixListArn": f"arn:aws:ec2:{self.region}:aws:prefix-list/{pid}",
            "PrefixListName": name, "MaxEntries": len(cidrs), "Version": 1, "Tags": [], "OwnerId": "AWS"})
        e.pl_entries[pid] = [{"Cidr": c} for c in cidrs]
        return pid

    def vpc(self, vp: dict):
        e, rng = self.e, self.rng
        v = VpcCtx(vp)
        if vp["k"] == 0 and len(self.reg["vpcs"]) >= 3:
            v.env, v.app = "shared", "services"
        else:
            v.env = self.pick([x for x, _ in ENVS], [w for _, w in ENVS])
            v.app = self.pick(APPS)
        v.name = f"{v.env}-{v.app}-{self.region.replace('-', '')[:4]}{self.region[-1]}-{vp['k']:02d}"
        cidrs = [vp["primary"], vp["secondary"]] + ([vp["third"]] if vp["third"] else [])
        dns = (rng.random() > 0.01, rng.random() > 0.05)
        v.id = e.vpc(v.name, cidrs, tail=self.tail("vpc"), dns=dns,
                     disassociated=[vp["disassoc"]] if vp["disassoc"] else [])
        v.cidrs = cidrs
        e.vpcs[-1]["Tags"] += [{"Key": "Environment", "Value": v.env}, {"Key": "Team", "Value": v.app}]
        prim = ipaddress.IPv4Network(vp["primary"])
        sec = ipaddress.IPv4Network(vp["secondary"])
        layout = []
        for i, az in enumerate(self.azs):
            layout.append(("public", sub(prim, i, 24), az, True))
        for i, az in enumerate(self.azs):
            layout.append(("app", sub(prim, 4 + 2 * i, 23), az, False))
        for i, az in enumerate(self.azs):
            layout.append(("data", sub(prim, 10 + i, 24), az, False))
        if rng.random() < 0.4:
            layout.append(("mgmt", sub(prim, 13, 25), self.azs[0], False))
        for i, az in enumerate(self.azs):
            layout.append(("tasks", sub(sec, i, 24), az, False))
        if vp["third"]:
            third = ipaddress.IPv4Network(vp["third"])
            layout.append(("batch", sub(third, 0, 23), self.azs[0], False))
            layout.append(("batch", sub(third, 2, 23), self.azs[1], False))
        for tier, cidr, az, public in layout:
            name = f"{v.name}-{tier}-{az[-1]}"
            sid = e.subnet(name, v.id, cidr, az, public=public, tail=fl.ip_tail(cidr, 4),
                           extra_tags={"Tier": tier})
            v.subnets[tier].append((sid, cidr, az))
            v.pools[sid] = AddressPool(cidr, rng)
        self.vpcs.append(v)
        self.stats["vpcs"] += 1
        self.stats["subnets"] += len(layout)

    def peerings(self):
        rng, e = self.rng, self.e
        target = self.reg["pcx"]
        vs = self.vpcs
        if target == 0 or len(vs) < 2:
            return
        pairs = []
        seen = set()
        degree = defaultdict(int)
        hub = vs[0] if vs[0].env == "shared" else None
        if hub:
            spokes = vs[1:]
            rng.shuffle(spokes)
            for s in spokes[:min(len(spokes), 45, max(1, int(target * 0.6)))]:
                pairs.append((hub, s))
                seen.add(frozenset((hub.id, s.id)))
                degree[hub.id] += 1
                degree[s.id] += 1
        tries = 0
        while len(pairs) < target and tries < target * 50:
            tries += 1
            a, b = rng.sample(vs, 2)
            key = frozenset((a.id, b.id))
            if key in seen or degree[a.id] >= (45 if a is hub else 12) or degree[b.id] >= (45 if b is hub else 12):
                continue
            seen.add(key)
            degree[a.id] += 1
            degree[b.id] += 1
            pairs.append((a, b))
        for a, b in pairs:
            if rng.random() < 0.5:
                a, b = b, a
            x = rng.random()
            status = "active" if x < 0.85 else ("pending-acceptance" if x < 0.93 else "deleted")
            pid = e.pcx(f"{a.name}-to-{b.name}", a.id, b.id, status=status, tail=self.tail("pcx"))
            self.stats["pcx"] += 1
            self.stats["pcx_" + status] += 1
            a.peers.append((pid, b, status))
            b.peers.append((pid, a, status))

    def gateways(self, v: VpcCtx):
        e, rng = self.e, self.rng
        b = v.plan["budget"]
        v.mix["igw"] = rng.random() < 0.85 or v.env == "shared"
        if v.mix["igw"]:
            v.igw = e.igw(f"{v.name}-igw", v.id, tail=self.tail("igw"))
            self.stats["igws"] += 1
        if not v.mix["igw"]:
            n_nat = 0
        elif b < 20:
            n_nat = 1 if rng.random() < 0.5 else 0
        elif v.env in ("prod", "shared") and rng.random() < 0.8:
            n_nat = 3
        else:
            n_nat = 1
        for i in range(n_nat):
            sid, pool = self.pool(v, "public", i)
            nid = e.nat(f"{v.name}-nat-{self.azs[i][-1]}", sid, pool.take(), self.public_ip(), tail=self.tail("nat"))
            v.nats.append(nid)
            v.nat_by_az[self.azs[i]] = nid
            self.stats["nats"] += 1
        v.mix["nat_enis"] = n_nat
        if v.mix["igw"] and rng.random() < 0.04:
            sid, pool = self.pool(v, "public", 2)
            v.deleted_nat = e.nat(f"{v.name}-old-nat", sid, pool.take(), self.public_ip(), tail=self.tail("nat"),
                                  state="deleted")
            self.stats["nats_deleted"] += 1

    def plan_mix(self, v: VpcCtx):
        rng = self.rng
        b = v.plan["budget"] - v.mix["nat_enis"]
        m = v.mix
        m["ep_services"] = rng.sample(ENDPOINT_SERVICES, min(rng.randint(0, 5), max(0, b // 14)))
        m["ep_azs"] = 3 if b >= 30 else 2
        rem = b - len(m["ep_services"]) * m["ep_azs"]
        lbs = []
        n_lb_enis = round(rem * 0.06)
        if rem >= 25 and n_lb_enis < 2:
            n_lb_enis = 2
        while n_lb_enis >= 2:
            k = 3 if n_lb_enis >= 3 and rng.random() < 0.7 else 2
            kind = "net" if rng.random() < 0.12 else "app"
            facing = "internet" if v.igw and rng.random() < 0.55 else "internal"
            lbs.append((kind, facing, k))
            n_lb_enis -= k
        m["lbs"] = lbs
        rem -= sum(k for _, _, k in lbs)
        m["rds"] = round(rem * 0.05)
        m["cache"] = round(rem * 0.04)
        fns = []
        n_fn_enis = round(rem * 0.08)
        while n_fn_enis >= 2:
            k = 3 if n_fn_enis >= 3 and rng.random() < 0.5 else 2
            fns.append(k)
            n_fn_enis -= k
        m["lambdas"] = fns
        m["tasks"] = round(rem * 0.25)
        used = m["rds"] + m["cache"] + sum(fns) + m["tasks"]
        m["ec2"] = rem - used
        if m["ec2"] < 1:
            m["tasks"] -= 1 - m["ec2"]
            m["ec2"] = 1
        m["bastion"] = bool(v.igw) and m["ec2"] >= 4 and rng.random() < 0.5

    def sg_shells(self, v: VpcCtx):
        e, rng, m = self.e, self.rng, v.mix
        n_sg = v.plan["n_sg"]
        needed = [r for r, want in (("lb", any(k == "app" for k, _, _ in m["lbs"])), ("data", m["rds"] > 0),
                                    ("cache", m["cache"] > 0), ("endpoint", bool(m["ep_services"])),
                                    ("lambda", bool(m["lambdas"])), ("bastion", m["bastion"])) if want]
        roles = ["default", "app"]
        for r in needed:
            if len(roles) < n_sg:
                roles.append(r)
        for r in roles:
            if r == "default":
                gid = e.sg(f"{v.name}-default", v.id, "default VPC security group", group_name="default",
                           ingress=(), egress=(), tail=self.tail("sg"))
            else:
                gid = e.sg(f"{v.name}-{r}-sg", v.id, f"{r} tier of {v.name}", ingress=(), egress=(),
                           tail=self.tail("sg"))
            v.roles[r] = gid
        fallback = {"lb": "app", "data": "app", "cache": "data", "endpoint": "default", "lambda": "app",
                    "bastion": "app"}
        for r in needed:
            if r not in v.roles:
                f = fallback[r]
                v.roles[r] = v.roles.get(f) or v.roles["app"]
        words = rng.sample(WORDS, len(WORDS))
        for i in range(n_sg - len(roles)):
            w = words[i % len(words)] + ("" if i < len(words) else str(i // len(words)))
            gid = e.sg(f"{v.name}-{w}-sg", v.id, f"{w} service in {v.name}", ingress=(), egress=(),
                       tail=self.tail("sg"))
            v.svc_sgs.append(gid)
            v.svc_ports[gid] = rng.choice(APP_PORTS)
        v.svc_ports[v.roles["app"]] = 8080


    def rule_target(self) -> int:
        x = self.rng.random()
        if x < 0.62:
            return self.rng.randint(2, 6)
        if x < 0.91:
            return self.rng.randint(7, 15)
        return self.rng.randint(16, 60)

    def peer_pair(self, pcx: str, other: VpcCtx, group: str) -> dict:
        """A reference to a group of the peer VPC, as describe-security-groups prints it."""
        return fl.peer_group(group, other.id, pcx, user_id=self.account)

    def sg_rules(self, v: VpcCtx):
        rng, e = self.rng, self.e
        active_peers = [(p, o) for p, o, s in v.peers if s == "active"]
        r = v.roles
        app_like = [r["app"]] + v.svc_sgs
        sgs = {}

        def rules_for(gid):
            if gid not in sgs:
                sgs[gid] = (Rules(gid), Rules(gid))
            return sgs[gid]

        # default
        ing, eg = rules_for(r["default"])
        ing.add("-1", None, group="self")
        eg.add("-1", None, cidr="0.0.0.0/0")
        # load balancer
        if r.get("lb") and r["lb"] != r["app"]:
            ing, eg = rules_for(r["lb"])
            if v.igw:
                ing.add("tcp", (443, 443), cidr="0.0.0.0/0", desc="HTTPS from the internet")
                ing.add("tcp", (80, 80), cidr="0.0.0.0/0", desc="HTTP redirect")
            for c in v.cidrs:
                ing.add("tcp", (443, 443), cidr=c)
            for p, o in active_peers[:4]:
                ing.add("tcp", (443, 443), cidr=o.cidrs[0], desc=f"{o.name} over {p}")
            if rng.random() < 0.5:
                for gid in app_like[:6]:
                    eg.add("tcp", (v.svc_ports.get(gid, 8080),) * 2, group=gid)
            else:
                eg.add("-1", None, cidr="0.0.0.0/0")
        # app and service groups
        for gid in app_like:
            ing, eg = rules_for(gid)
            port = v.svc_ports.get(gid, 8080)
            ing.add("tcp", (port, port), group=r.get("lb", r["app"]) if r.get("lb") != gid else "self")
            ing.add("tcp", (port, port), group="self")
            if r.get("bastion") and r["bastion"] != gid:
                ing.add("tcp", (22, 22), group=r["bastion"], desc="SSH from the bastion")
            else:
                ing.add("tcp", (22, 22), pl=self.office, desc="SSH from the office")
            for other in rng.sample(app_like, min(2, len(app_like))):
                if other != gid:
                    ing.add("tcp", (port, port), group=other)
            for p, o in active_peers[:rng.randint(0, 3)]:
                peer_groups = [o.roles["app"]] + o.svc_sgs[:2]
                ing.add("tcp", (port, port), group=self.peer_pair(p, o, rng.choice(peer_groups)))
                if rng.random() < 0.4:
                    ing.add("tcp", (port, port), cidr=o.subnets["tasks"][0][1], desc=f"{o.name} tasks")
            if rng.random() < 0.7:
                eg.add("-1", None, cidr="0.0.0.0/0")
            else:
                eg.add("tcp", (443, 443), cidr="0.0.0.0/0", desc="HTTPS out")
                eg.add("udp", (53, 53), cidr=v.cidrs[0])
                eg.add("tcp", (53, 53), cidr=v.cidrs[0])
                if r.get("data"):
                    eg.add("tcp", (5432, 5432), group=r["data"])
                if r.get("cache"):
                    eg.add("tcp", (6379, 6379), group=r["cache"])
                eg.add("tcp", (443, 443), pl=self.pl_s3, desc="S3 gateway endpoint")
        # data and cache
        for role, port in (("data", 5432), ("cache", 6379)):
            gid = r.get(role)
            if not gid or gid in app_like or gid == r["default"]:
                continue
            if role == "cache" and gid == r.get("data"):
                continue
            ing, eg = rules_for(gid)
            for src in app_like[:8]:
                ing.add("tcp", (port, port), group=src)
            if r.get("lambda") and r["lambda"] not in app_like:
                ing.add("tcp", (port, port), group=r["lambda"])
            if role == "data" and rng.random() < 0.3:
                for src in app_like[:3]:
                    ing.add("tcp", (3306, 3306), group=src)
            if r.get("bastion") and r["bastion"] not in app_like:
                ing.add("tcp", (port, port), group=r["bastion"], desc="operators via the bastion")
            for p, o in active_peers[:rng.randint(1, 6)]:
                ing.add("tcp", (port, port), group=self.peer_pair(p, o, o.roles["app"]),
                        desc=f"{o.name} app over the peering")
                for s in o.subnets["tasks"][:rng.randint(0, 3)]:
                    ing.add("tcp", (port, port), cidr=s[1], desc=f"{o.name} tasks")
            eg.add("-1", None, cidr="0.0.0.0/0")
        # endpoints, lambda, bastion
        gid = r.get("endpoint")
        if gid and gid not in app_like and gid != r["default"]:
            ing, eg = rules_for(gid)
            for c in v.cidrs:
                ing.add("tcp", (443, 443), cidr=c, desc="AWS APIs from the VPC")
            eg.add("-1", None, cidr="0.0.0.0/0")
        gid = r.get("lambda")
        if gid and gid not in app_like:
            ing, eg = rules_for(gid)
            eg.add("-1", None, cidr="0.0.0.0/0")
        gid = r.get("bastion")
        if gid and gid not in app_like:
            ing, eg = rules_for(gid)
            ing.add("tcp", (22, 22), pl=self.office, desc="office")
            ing.add("tcp", (22, 22), pl=self.vpn, desc="VPN users")
            for _ in range(rng.randint(1, 4)):
                ing.add("tcp", (22, 22), cidr=public_cidr(rng), desc="contractor")
            eg.add("-1", None, cidr="0.0.0.0/0")
        # filler up to each group's target
        all_groups = list(dict.fromkeys([r["default"]] + list(r.values()) + v.svc_sgs))
        for gid in all_groups:
            ing, eg = rules_for(gid)
            if gid == r["default"]:
                target = 2 if rng.random() < 0.8 else rng.randint(3, 8)
            else:
                target = self.rule_target()
            guard = 0
            while ing.count + eg.count < target and guard < 500:
                guard += 1
                x = rng.random()
                port = rng.choice(COMMON_PORTS)
                ports = (port, port) if rng.random() < 0.85 else (port, port + rng.choice([1, 9, 99]))
                side = ing if rng.random() < 0.85 else eg
                if x < 0.45:
                    side.add("tcp", ports, cidr=public_cidr(rng),
                             desc=rng.choice([None, None, "partner", "legacy", "customer", "monitoring"]))
                elif x < 0.65:
                    side.add(rng.choice(["tcp", "udp"]), ports, cidr=onprem_cidr(rng),
                             desc=rng.choice([None, "on-prem", "datacenter"]))
                elif x < 0.75:
                    side.add("tcp", ports, pl=rng.choice(self.customer_pls))
                elif x < 0.82:
                    side.add("icmp", rng.choice([(-1, -1), (8, -1), (3, 4)]), cidr=rng.choice(v.cidrs))
                elif x < 0.92:
                    side.add("tcp", ports, group=rng.choice(all_groups))
                else:
                    if active_peers:
                        p, o = rng.choice(active_peers)
                        side.add("tcp", ports, cidr=rng.choice(o.cidrs))
                    else:
                        side.add("tcp", ports, cidr=rng.choice(v.cidrs))
        for gid, (ing, eg) in sgs.items():
            g = e.sg_obj(gid)
            g["IpPermissions"] = [e._perm(p, gid) for p in ing.perms_list()]
            g["IpPermissionsEgress"] = [e._perm(p, gid) for p in eg.perms_list()]
            self.stats["sg_rules"] += ing.count + eg.count

    def route_tables(self, v: VpcCtx):
        e, rng = self.e, self.rng
        t = v.subnets
        vpce = e.next_id("vpce") if rng.random() < 0.3 else None

        def peer_routes(tier_targets: list[str]) -> list[dict]:
            out = []
            for pcx, o, status in v.peers:
                state = "active" if status == "active" else "blackhole"
                if status != "active" and rng.random() < 0.4:
                    continue  # cleaned up already
                whole = (v.env == "shared" or o.env == "shared" or rng.random() < 0.4)
                if whole:
                    dests = list(o.cidrs[:2])
                else:
                    dests = [c for tier in tier_targets for _, c, _ in o.subnets[tier]]
                out += [fl.route(d, pcx, state=state) for d in dests]
            return out

        main_routes = []
        if v.nats:
            main_routes.append(fl.route("0.0.0.0/0", v.nats[0]))
        elif v.deleted_nat:
            main_routes.append(fl.route("0.0.0.0/0", v.deleted_nat, state="blackhole"))
        tables = [e.route_table(f"{v.name}-main", v.id, main=True, routes=main_routes)]
        if v.igw:
            pub_routes = [fl.route("0.0.0.0/0", v.igw)]
            tables.append(e.route_table(f"{v.name}-public", v.id, subnets=[s for s, _, _ in t["public"]],
                                        routes=pub_routes))
        peer_for_app = peer_routes(["data", "tasks"])
        explicit_tasks = rng.random() < 0.7
        if len(v.nats) == 3:
            for i, az in enumerate(self.azs):
                subs = [s for tier in ("app", "mgmt") + (("tasks",) if explicit_tasks else ())
                        for s, _, a in t[tier] if a == az]
                routes = [fl.route("0.0.0.0/0", v.nat_by_az[az])] + list(peer_for_app)
                if vpce:
                    routes.append(fl.route(self.pl_s3, vpce))
                tables.append(e.route_table(f"{v.name}-private-{az[-1]}", v.id, subnets=subs, routes=routes))
        else:
            subs = [s for tier in ("app", "mgmt") + (("tasks",) if explicit_tasks else ()) for s, _, _ in t[tier]]
            routes = ([fl.route("0.0.0.0/0", v.nats[0])] if v.nats else []) + list(peer_for_app)
            if vpce:
                routes.append(fl.route(self.pl_s3, vpce))
            tables.append(e.route_table(f"{v.name}-private", v.id, subnets=subs, routes=routes))
        if rng.random() < 0.8:
            routes = peer_routes(["app", "tasks"])
            if v.nats and rng.random() < 0.5:
                routes.insert(0, fl.route("0.0.0.0/0", v.nats[0]))
            if vpce:
                routes.append(fl.route(self.pl_s3, vpce))
            tables.append(e.route_table(f"{v.name}-data", v.id, subnets=[s for s, _, _ in t["data"]],
                                        routes=routes))
        # (data subnets otherwise use the main table; batch subnets always do)
        # Dedupe destinations per table (peering "whole" routes to shared blocks could repeat).
        for rid in tables:
            rt = e.find("route_tables", "RouteTableId", rid)
            seen, routes = set(), []
            for r in rt["Routes"]:
                d = r.get("DestinationCidrBlock") or r.get("DestinationPrefixListId")
                if d in seen:
                    continue
                seen.add(d)
                routes.append(r)
            rt["Routes"] = routes
            self.stats["route_tables"] += 1
            self.stats["routes"] += len(routes)
            self.stats["blackholes"] += sum(1 for r in routes if r["State"] == "blackhole")

    def nacl_entries(self, v: VpcCtx, kind: str) -> list[tuple]:
        rng = self.rng
        active_peers = [o for _, o, s in v.peers if s == "active"]
        n_in, n_out = rng.randint(5, 20), rng.randint(5, 20)
        ins, outs = [], []
        if rng.random() < 0.5:
            ins.append(("deny", "-1", public_cidr(rng), None))
        if kind == "data":
            for c in v.cidrs:
                ins.append(("allow", "6", c, (5432, 5432)))
            ins.append(("allow", "6", v.cidrs[0], (6379, 6379)))
            for o in active_peers[:6]:
                ins.append(("allow", "6", o.cidrs[0], (5432, 5432)))
                ins.append(("allow", "6", o.cidrs[1], (5432, 5432)))
            ins.append(("allow", "6", "0.0.0.0/0", (1024, 65535)))
            for c in v.cidrs:
                outs.append(("allow", "6", c, (1024, 65535)))
            for o in active_peers[:6]:
                outs.append(("allow", "6", o.cidrs[0], (1024, 65535)))
                outs.append(("allow", "6", o.cidrs[1], (1024, 65535)))
            outs.append(("allow", "6", "0.0.0.0/0", (443, 443)))
        elif kind == "public":
            ins += [("allow", "6", "0.0.0.0/0", (443, 443)), ("allow", "6", "0.0.0.0/0", (80, 80)),
                    ("allow", "6", "0.0.0.0/0", (1024, 65535)), ("allow", "1", "0.0.0.0/0", None)]
            outs += [("allow", "-1", "0.0.0.0/0", None)]
        else:  # tasks
            ins += [("allow", "6", v.cidrs[0], (8000, 9100)), ("allow", "6", "0.0.0.0/0", (1024, 65535))]
            outs += [("allow", "6", "0.0.0.0/0", (443, 443)), ("allow", "6", v.cidrs[0], (5432, 5432)),
                     ("allow", "6", v.cidrs[0], (6379, 6379)), ("allow", "6", v.cidrs[0], (1024, 65535))]
            for o in active_peers[:4]:
                outs.append(("allow", "6", o.cidrs[0], (5432, 5432)))

        def fill(lst, n):
            while len(lst) < n:
                x = rng.random()
                if x < 0.3:
                    # AWS exports a PortRange with every TCP entry: all ports is 0-65535.
                    proto = rng.choice(["6", "-1"])
                    lst.insert(rng.randint(0, len(lst)), ("deny", proto, public_cidr(rng),
                                                          (0, 65535) if proto == "6" else None))
                elif x < 0.6:
                    p = rng.choice(COMMON_PORTS)
                    lst.append(("allow", rng.choice(["6", "17"]), onprem_cidr(rng), (p, p)))
                elif x < 0.8:
                    lst.append(("allow", "1", rng.choice(v.cidrs), None))
                else:
                    p = rng.choice(COMMON_PORTS)
                    lst.append(("deny", "6", "0.0.0.0/0", (p, p)))

        fill(ins, n_in)
        fill(outs, n_out)
        ins, outs = ins[:20], outs[:20]
        out = []
        for egress, lst in ((False, ins), (True, outs)):
            rule = rng.choice([90, 100])
            for action, proto, cidr, ports in lst:
                out.append(fl.acl(rule, egress, action, proto, cidr, ports if proto in ("6", "17") else None))
                rule += rng.choice([1, 5, 10, 10, 10, 20])
        return out

    def nacls(self, v: VpcCtx):
        e, rng = self.e, self.rng
        t = v.subnets
        custom = []
        if v.mix["rds"] or v.mix["cache"] or rng.random() < 0.6:
            custom.append(("data", [s for s, _, _ in t["data"]]))
        if v.igw and rng.random() < 0.5:
            custom.append(("public", [s for s, _, _ in t["public"]]))
        if rng.random() < 0.3:
            custom.append(("tasks", [s for s, _, _ in t["tasks"]]))
        taken = {s for _, subs in custom for s in subs}
        all_subnets = [s for tier in t for s, _, _ in t[tier]]
        ids = [e.nacl(f"{v.name}-default-nacl", v.id, default=True,
                      subnets=[s for s in all_subnets if s not in taken])]
        for kind, subs in custom:
            ids.append(e.nacl(f"{v.name}-{kind}-nacl", v.id, subnets=subs, entries=self.nacl_entries(v, kind)))
        for aid in ids:
            n = e.find("network_acls", "NetworkAclId", aid)
            fixed = []
            for x in n["Entries"]:
                if x["Protocol"] == "1":
                    x = {"CidrBlock": x["CidrBlock"], "Egress": x["Egress"],
                         "IcmpTypeCode": {"Code": -1, "Type": -1}, "Protocol": "1",
                         "RuleAction": x["RuleAction"], "RuleNumber": x["RuleNumber"]}
                fixed.append(x)
            n["Entries"] = fixed
            self.stats["nacls"] += 1
            self.stats["nacl_entries"] += sum(1 for x in fixed if x["RuleNumber"] != 32767)

    # ----- interfaces

    def requester_attachment(self, owner: str, prefix: str = "ela-attach") -> dict:
        return {"AttachTime": CREATED, "AttachmentId": self.e.next_id(prefix), "DeleteOnTermination": False,
                "DeviceIndex": 1, "InstanceOwnerId": owner, "Status": "attached", "NetworkCardIndex": 0}

    def interfaces(self, v: VpcCtx):
        e, rng, m, r = self.e, self.rng, v.mix, v.roles
        # interface VPC endpoints
        for svc in m["ep_services"]:
            vpce = e.next_id("vpce")
            for i in range(m["ep_azs"]):
                sid, pool = self.pool(v, "app", i)
                e.eni(f"{v.name}-vpce-{svc}-{self.azs[i][-1]}", sid, pool.take(), [r.get("endpoint", r["default"])],
                      description=f"VPC Endpoint Interface {vpce}", interface_type="vpc_endpoint",
                      requester_id=ENDPOINT_SERVICE_ACCOUNT,
                      attachment=self.requester_attachment("amazon-aws"))
                self.stats["eni_endpoint"] += 1
        # load balancers
        for n, (kind, facing, k) in enumerate(m["lbs"], start=1):
            name = f"{v.name[:20]}-{rng.choice(WORDS)}-{n}"
            lb_id = h(f"lb:{v.id}:{n}")[:16]
            tier = "public" if facing == "internet" else "app"
            for i in range(k):
                sid, pool = self.pool(v, tier, i)
                pub = self.public_ip() if facing == "internet" else None
                if kind == "app":
                    e.eni(f"{name}-{self.azs[i][-1]}", sid, pool.take(), [r.get("lb", r["app"])],
                          description=f"ELB app/{name}/{lb_id}", requester_id="amazon-elb",
                          attachment=self.requester_attachment("amazon-elb"), public_ip=pub)
                else:
                    e.eni(f"{name}-{self.azs[i][-1]}", sid, pool.take(), [],
                          description=f"ELB net/{name}/{lb_id}", interface_type="network_load_balancer",
                          requester_id="amazon-elb", attachment=self.requester_attachment("amazon-elb"),
                          public_ip=pub, source_dest_check=False)
                self.stats["eni_lb"] += 1
            prefix = "" if facing == "internet" else "internal-"
            dns = f"{prefix}{name}-{int(lb_id[:8], 16) % 10**10}.{self.region}.elb.amazonaws.com"
            v.samples["albs"].append((name, dns, facing))
        # RDS
        engine_port = 5432 if rng.random() < 0.75 else 3306
        for n in range(m["rds"]):
            sid, pool = self.pool(v, "data", n)
            ip = pool.take()
            db = f"{v.app}-db-{n // 2 + 1}{'ab'[n % 2]}"
            e.eni(f"{v.name}-rds-{db}", sid, ip, [r.get("data", r["app"])], description="RDSNetworkInterface",
                  requester_id="amazon-rds", attachment=self.requester_attachment("amazon-rds", "eni-attach"))
            v.samples["rds"].append((db, ip, engine_port))
            self.stats["eni_rds"] += 1
        # ElastiCache
        for n in range(m["cache"]):
            sid, pool = self.pool(v, "data", n + 1)
            ip = pool.take()
            node = f"{v.app}-redis-{n // 2 + 1:04d}-{n % 2 + 1:03d}"
            e.eni(f"{v.name}-{node}", sid, ip, [r.get("cache", r["app"])], description=f"ElastiCache {node}",
                  requester_id="amazon-elasticache", attachment=self.requester_attachment("amazon-elasticache"))
            v.samples["cache"].append((node, ip))
            self.stats["eni_cache"] += 1
        # Lambda (one ENI per subnet the function uses)
        for n, k in enumerate(m["lambdas"], start=1):
            fn = f"{v.app}-{rng.choice(WORDS)}-fn{n}"
            groups = [r.get("lambda", r["app"])]
            for i in range(k):
                sid, pool = self.pool(v, "app", i)
                e.eni(f"{fn}-{self.azs[i][-1]}", sid, pool.take(), groups,
                      description=f"AWS Lambda VPC ENI-{fn}-{fl.uuid_for(fn + v.id + str(i))}",
                      interface_type="lambda", requester_id=f"{LAMBDA_SERVICE_ACCOUNT}:{fn}",
                      attachment=self.requester_attachment("amazon-aws"))
                self.stats["eni_lambda"] += 1
        # ECS services (Fargate)
        tasks_left = m["tasks"]
        cluster = f"{v.env}-cluster"
        n = 0
        pool_sgs = v.svc_sgs or [r["app"]]
        while tasks_left > 0:
            n += 1
            count = min(tasks_left, rng.randint(1, 12))
            tasks_left -= count
            svc = f"{v.name.split('-')[1]}-{v.plan['k']:02d}-{rng.choice(WORDS)}-{n}"
            groups = [pool_sgs[(n - 1) % len(pool_sgs)]]
            if rng.random() < 0.2 and groups[0] != r["app"]:
                groups.append(r["app"])
            subs = [s for s, _, _ in v.subnets["tasks"]][:rng.choice([2, 3, 3])]
            ips = []
            for j in range(count):
                sid = subs[j % len(subs)]
                ips.append((sid, v.pools[sid].take()))
            desired = count + (1 if rng.random() < 0.1 else 0)
            eni_ids = e.ecs_service(cluster, svc, subs, groups, desired, ips, f"{svc}:{rng.randint(1, 40)}",
                                    name_prefix=f"{svc}-task")
            for t in e.ecs[cluster]["tasks"][-count:]:
                for d in t["attachments"][0]["details"]:
                    if d["name"] == "privateDNSName":
                        ip = next(x["value"] for x in t["attachments"][0]["details"]
                                  if x["name"] == "privateIPv4Address")
                        d["value"] = fl.private_dns(ip, self.region)
            v.samples["services"].append((svc, [ip for _, ip in ips]))
            self.stats["ecs_services"] += 1
            self.stats["eni_ecs"] += len(eni_ids)
        if m["tasks"] > 0 and rng.random() < 0.15:  # a scaled-down service with no running task
            n += 1
            svc = f"{v.name.split('-')[1]}-{v.plan['k']:02d}-idle-{n}"
            e.ecs_service(cluster, svc, [s for s, _, _ in v.subnets["tasks"]][:2], [pool_sgs[0]], 1, [],
                          f"{svc}:1")
            self.stats["ecs_services"] += 1
        # EC2 instances
        budget = m["ec2"]
        n = 0
        instance_groups = [r["app"]] + v.svc_sgs
        while budget > 0:
            n += 1
            if m["bastion"] and n == 1:
                sid, pool = self.pool(v, "public", 0)
                name = f"{v.name}-bastion"
                e.instance(name, sid, pool.take(), [r.get("bastion", r["app"])], instance_type="t3.micro",
                                 extra_tags={"Role": "bastion", "Environment": v.env}, public_ip=self.public_ip())
                budget -= 1
                self.stats["eni_ec2"] += 1
                self.stats["instances"] += 1
                continue
            if budget >= 1 and rng.random() < 0.01:  # an unattached interface left behind
                sid, pool = self.pool(v, "app")
                e.eni(f"{v.name}-spare-{n}", sid, pool.take(), [r["app"]], description="spare interface")
                budget -= 1
                self.stats["eni_other"] += 1
                continue
            role = rng.choice(EC2_ROLES)
            tier = "app"
            if v.subnets.get("batch") and rng.random() < 0.15:
                tier = "batch"
            elif v.subnets.get("mgmt") and rng.random() < 0.03:
                tier = "mgmt"
            sid, pool = self.pool(v, tier)
            if pool.room() == 0:
                sid, pool = self.pool(v, "app")
            ip = pool.take()
            groups = [instance_groups[n % len(instance_groups)]]
            if rng.random() < 0.2:
                extra = rng.choice(instance_groups + [r["default"]])
                if extra not in groups:
                    groups.append(extra)
            name = f"{v.name}-{role}-{n:03d}"
            iid = e.instance(name, sid, ip, groups, instance_type=rng.choice(INSTANCE_TYPES),
                             extra_tags={"Role": role, "Environment": v.env, "Team": v.app})
            budget -= 1
            self.stats["eni_ec2"] += 1
            self.stats["instances"] += 1
            v.samples["instances"].append((f"{role}-{n:03d}", ip))
            inst = e.reservations[-1]["Instances"][0]
            if budget >= 1 and rng.random() < 0.04:
                az = inst["Placement"]["AvailabilityZone"]
                data = [s for s, _, a in v.subnets["data"] if a == az]
                if data:
                    e.attach_eni(iid, f"{name}-eth1", data[0], v.pools[data[0]].take(),
                                 [r.get("data", r["app"])], description=f"{role} replication interface")
                    budget -= 1
                    self.stats["eni_ec2"] += 1
            elif rng.random() < 0.01:
                inst["State"] = {"Code": 80, "Name": "stopped"}
                inst["StateTransitionReason"] = "User initiated (2024-05-02 10:11:12 GMT)"
                self.stats["instances_stopped"] += 1


# ---------------------------------------------------------------------------------------
# Route 53 (per account)


def build_zones(acc: dict, vpc_infos: list[dict], rng: random.Random, records_target: int) -> list[dict]:
    """vpc_infos: [{id, region, env, name, samples}]. Returns fixturelib-style zone dicts."""
    e = fl.Estate("0", account=acc["account"])
    alias = acc["alias"]
    zones = []
    main_vpcs = [v for v in vpc_infos if rng.random() < 0.7 or v["env"] == "shared"][:300]
    if not main_vpcs:
        main_vpcs = vpc_infos[:1]
    zones.append((f"{alias}.internal.", main_vpcs, 0.45))
    envs = sorted({v["env"] for v in vpc_infos})
    env_share = 0.35 / max(1, len(envs))
    for env in envs:
        vs = [v for v in vpc_infos if v["env"] == env][:300]
        zones.append((f"{env}.{alias}.internal.", vs, env_share))
    db_vpcs = [v for v in vpc_infos if v["samples"]["rds"]][:300] or vpc_infos[:1]
    zones.append((f"db.{alias}.internal.", db_vpcs, 0.10))
    out = []
    for zname, vs, share in zones:
        zid = zone_id_for(acc["account"] + zname)
        target = max(20, int(records_target * share))
        recs = []
        names = set()
        a_names = []

        def add(rec):
            key = (rec["Name"], rec["Type"], rec.get("SetIdentifier", ""))
            if key in names:
                return
            names.add(key)
            recs.append(rec)

        is_db = zname.startswith("db.")
        for v in vs:
            short = v["name"]
            s = v["samples"]
            if is_db:
                for db, ip, port in s["rds"]:
                    add(fl.rr(f"{db}.{short}.{zname}", "CNAME",
                              [f"{db}.c{h(db + v['id'])[:10]}.{v['region']}.rds.amazonaws.com"], ttl=60))
                    add(fl.rr(f"{db}-ip.{short}.{zname}", "A", [ip], ttl=30))
                    a_names.append(f"{db}-ip.{short}.{zname}")
                for node, ip in s["cache"]:
                    add(fl.rr(f"{node}.{short}.{zname}", "A", [ip], ttl=60))
                    a_names.append(f"{node}.{short}.{zname}")
                continue
            for inst, ip in s["instances"][:400]:
                add(fl.rr(f"{inst}.{short}.{zname}", "A", [ip], ttl=300))
                a_names.append(f"{inst}.{short}.{zname}")
            for svc, ips in s["services"]:
                for j, ip in enumerate(ips[:8]):
                    add(fl.rr(f"{svc}.svc.{short}.{zname}", "A", [ip], ttl=10, SetIdentifier=f"task-{j + 1}",
                              MultiValueAnswer=True))
            for lb, dns, facing in s["albs"]:
                add(fl.rr(f"{lb}.{short}.{zname}", "A", AliasTarget={
                    "HostedZoneId": ELB_ZONE[v["region"]], "DNSName": ("dualstack." if facing == "internet" else "")
                    + dns + ".", "EvaluateTargetHealth": True}))
            if s["albs"]:
                lb = s["albs"][0][0]
                add(fl.rr(f"api.{short}.{zname}", "CNAME", [f"{lb}.{short}.{zname}"], ttl=60,
                          SetIdentifier="blue", Weight=90))
                add(fl.rr(f"api.{short}.{zname}", "CNAME", [f"{lb}.{short}.{zname}"], ttl=60,
                          SetIdentifier="green", Weight=10))
            add(fl.rr(f"\\052.apps.{short}.{zname}", "A", [s["instances"][0][1]] if s["instances"] else
                      ["127.0.0.1"], ttl=300))
            add(fl.rr(f"_info.{short}.{zname}", "TXT", [f'"owner={v["env"]}"', f'"vpc={v["id"]}"'], ttl=300))
        # derived records: CNAMEs and in-zone aliases to existing A records, SRV, then filler
        k = 0
        filler_vpcs = [v for v in vs if v["cidr"]] or vs
        while len(recs) + 2 < target and k < target * 3:
            k += 1
            x = rng.random()
            if a_names and x < 0.25:
                tgt = rng.choice(a_names)
                add(fl.rr(f"cname-{k}.{zname}", "CNAME", [tgt], ttl=300))
            elif a_names and x < 0.4:
                tgt = rng.choice(a_names)
                add(fl.rr(f"alias-{k}.{zname}", "A", AliasTarget={
                    "HostedZoneId": zid, "DNSName": tgt, "EvaluateTargetHealth": False}))
            elif a_names and x < 0.45:
                tgt = rng.choice(a_names)
                add(fl.rr(f"_svc{k}._tcp.{zname}", "SRV", [f"10 50 {rng.choice(APP_PORTS)} {tgt}"], ttl=60))
            else:
                v = rng.choice(filler_vpcs)
                net = ipaddress.IPv4Network(v["cidr"])
                ip = str(net.network_address + rng.randint(16, net.num_addresses - 2))
                add(fl.rr(f"host-{k:05d}.legacy.{zname}", "A", [ip], ttl=rng.choice([60, 300, 3600])))
        e.zone(zid, zname, True, [v["id"] for v in vs], recs, comment=f"{zname} private zone ({alias})")
        out.append(zid)
    # one public zone
    pname = f"{alias}.example.com."
    pid = zone_id_for(acc["account"] + pname)
    recs = [fl.rr(pname, "MX", ["10 inbound-smtp.eu-west-1.amazonaws.com."], ttl=3600),
            fl.rr(pname, "TXT", ['"v=spf1 include:amazonses.com -all"'], ttl=3600)]
    n = 0
    for v in vpc_infos:
        for lb, dns, facing in v["samples"]["albs"]:
            if facing != "internet":
                continue
            n += 1
            recs.append(fl.rr(f"{lb}.{pname}", "A", AliasTarget={
                "HostedZoneId": ELB_ZONE[v["region"]], "DNSName": f"dualstack.{dns}.", "EvaluateTargetHealth": True}))
    for i in range(max(5, int(records_target * 0.10) - n)):
        recs.append(fl.rr(f"www{i}.{pname}", "CNAME", [f"d{h(pname + str(i))[:13]}.cloudfront.net"], ttl=300))
    e.zone(pid, pname, False, [], recs, comment="public")
    return e.zones


# ---------------------------------------------------------------------------------------
# Writing


class Writer:
    def __init__(self, compact: bool):
        self.compact = compact
        self.files = 0
        self.bytes = 0

    def dump(self, path: Path, doc) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if self.compact:
            text = json.dumps(doc, separators=(",", ":"))
        else:
            text = json.dumps(doc, indent=4)
        data = (text + "\n").encode()
        with open(path, "wb") as f:
            f.write(data)
        self.files += 1
        self.bytes += len(data)


def write_ar(w: Writer, root: Path, e: fl.Estate, region: str) -> None:
    region_dir = root / e.account / region
    if e.tgws:
        w.dump(region_dir / "describe-transit-gateways.json", {"TransitGateways": e.tgws})
        w.dump(region_dir / "describe-transit-gateway-attachments.json",
               {"TransitGatewayAttachments": e.tgw_attachments})
        w.dump(region_dir / "describe-transit-gateway-vpc-attachments.json",
               {"TransitGatewayVpcAttachments": e.tgw_vpc_attachments})
        w.dump(region_dir / "describe-transit-gateway-route-tables.json",
               {"TransitGatewayRouteTables": e.tgw_route_tables})
        for rid, routes in e.tgw_routes.items():
            w.dump(region_dir / "transit-gateway-routes" / f"{rid}.json",
                   {"Routes": routes, "AdditionalRoutesAvailable": False})
    for fname, doc in e.documents().items():
        w.dump(region_dir / fname, doc)
    for pid, entries in e.pl_entries.items():
        w.dump(region_dir / "prefix-list-entries" / f"{pid}.json", {"Entries": entries})
    for fname, doc in e.vpc_attr_docs().items():
        w.dump(region_dir / "vpc-attributes" / fname, doc)
    for cluster, cl in e.ecs.items():
        w.dump(region_dir / "ecs" / cluster / "describe-services.json", {"services": cl["services"], "failures": []})
        w.dump(region_dir / "ecs" / cluster / "describe-tasks.json", {"tasks": cl["tasks"], "failures": []})


def write_zones(w: Writer, root: Path, account: str, zones: list[dict], region_of: dict[str, str]) -> None:
    r53 = root / account / "route53"
    w.dump(r53 / "list-hosted-zones.json", {"HostedZones": [z["summary"] for z in zones]})
    for z in zones:
        zid = z["summary"]["Id"].split("/")[-1]
        ghz = {"HostedZone": z["summary"]}
        if z["private"]:
            ghz["VPCs"] = [{"VPCRegion": region_of[v], "VPCId": v} for v in z["vpcs"]]
        else:
            ghz["DelegationSet"] = {"NameServers": ["ns-1536.awsdns-00.co.uk", "ns-0.awsdns-00.com",
                                                   "ns-1024.awsdns-00.org", "ns-512.awsdns-00.net"]}
        w.dump(r53 / zid / "get-hosted-zone.json", ghz)
        w.dump(r53 / zid / "list-resource-record-sets.json", {"ResourceRecordSets": z["records"]})


def gen_account(job: tuple) -> dict:
    acc, size, seed, out, compact, check, transit = job
    root = Path(out)
    w = Writer(compact)
    stats = defaultdict(int)
    problems: list[str] = []
    vpc_infos = []
    region_of = {}
    for reg in acc["regions"]:
        b = ARBuilder(acc, reg, size, seed, transit)
        e = b.build()
        if check:
            problems += fl.check_estate(f"{acc['account']}/{reg['region']}", e)
        write_ar(w, root, e, reg["region"])
        for k, v in b.stats.items():
            stats[k] += v
        stats["enis"] += len(e.enis)
        stats["ars"] += 1
        stats["sgs_real"] += len(e.security_groups)
        for v in b.vpcs:
            region_of[v.id] = reg["region"]
            vpc_infos.append({"id": v.id, "region": reg["region"], "env": v.env, "name": v.name,
                              "cidr": v.cidrs[0], "samples": v.samples})
        del e, b
    rng = random.Random(f"r53:{size}:{seed}:{acc['account']}")
    per_account = SIZES[size]["records"] // SIZES[size]["accounts"]
    zones = build_zones(acc, vpc_infos, rng, per_account)
    if check:
        vids = set(region_of)
        for z in zones:
            for v in z["vpcs"]:
                if v not in vids:
                    problems.append(f"{acc['account']}: zone {z['summary']['Id']} associates missing VPC {v}")
    write_zones(w, root, acc["account"], zones, region_of)
    stats["zones"] += len(zones)
    stats["records"] += sum(len(z["records"]) for z in zones)
    stats["files"] = w.files
    stats["bytes"] = w.bytes
    return {"stats": dict(stats), "problems": problems}


# ---------------------------------------------------------------------------------------
# Checking a written estate (from disk)

ID_RE = re.compile(r"^(vpc|subnet|rtb|acl|sg|eni|i|igw|nat|pcx|vpce)-[0-9a-f]{17}$")


def check_output(root: Path, verbose: bool = True) -> list[str]:
    problems: list[str] = []
    seen_ids: dict[str, str] = {}
    all_ips: dict[str, str] = {}
    vpc_nets: list[tuple[ipaddress.IPv4Network, str]] = []
    files = 0

    def prob(msg):
        problems.append(msg)

    def load(p: Path):
        nonlocal files
        files += 1
        try:
            with open(p, "rb") as f:
                return json.load(f)
        except Exception as ex:  # noqa: BLE001
            prob(f"{p}: does not parse: {ex}")
            return None

    def define(ident: str, where: str):
        if not ID_RE.match(ident) and not re.fullmatch(r"pl-[0-9a-f]{8}|pl-[0-9a-f]{17}", ident):
            prob(f"{where}: malformed id {ident}")
        if ident in seen_ids:
            prob(f"{where}: id {ident} also defined in {seen_ids[ident]}")
        seen_ids[ident] = where

    def canon(obj, where):
        for v in fl.non_canonical_cidrs(obj):
            prob(f"{where}: non-canonical CIDR {v}")

    account_dirs = sorted(p for p in root.iterdir() if p.is_dir() and re.fullmatch(r"\d{12}", p.name))
    if not account_dirs:
        prob(f"{root}: no account folders")
    for adir in account_dirs:
        account_vpcs: dict[str, str] = {}
        for rdir in sorted(p for p in adir.iterdir() if p.is_dir() and p.name != "route53"):
            where0 = f"{adir.name}/{rdir.name}"
            d = {}
            for fname in ("vpcs", "subnets", "route-tables", "security-groups", "network-acls",
                          "network-interfaces", "instances", "internet-gateways", "nat-gateways",
                          "vpc-peering-connections", "managed-prefix-lists", "prefix-lists"):
                doc = load(rdir / f"describe-{fname}.json")
                d[fname] = doc
                if doc is not None:
                    canon(doc, f"{where0}/describe-{fname}.json")
            if any(x is None for x in d.values()):
                continue
            vpcs = {v["VpcId"]: v for v in d["vpcs"]["Vpcs"]}
            for vid, v in vpcs.items():
                define(vid, where0)
                account_vpcs[vid] = rdir.name
                for a in v["CidrBlockAssociationSet"]:
                    vpc_nets.append((ipaddress.IPv4Network(a["CidrBlock"]), vid))
                for attr in ("enableDnsSupport", "enableDnsHostnames"):
                    p = rdir / "vpc-attributes" / f"{vid}-{attr}.json"
                    doc = load(p)
                    if doc is not None and doc.get("VpcId") != vid:
                        prob(f"{p}: wrong VpcId")

            def vcidrs(vid):
                return [ipaddress.IPv4Network(a["CidrBlock"]) for a in vpcs[vid]["CidrBlockAssociationSet"]
                        if a["CidrBlockState"]["State"] == "associated"]

            subnets = {}
            per_vpc = defaultdict(list)
            for s in d["subnets"]["Subnets"]:
                sid = s["SubnetId"]
                define(sid, where0)
                subnets[sid] = s
                if s["VpcId"] not in vpcs:
                    prob(f"{where0}: {sid} in missing VPC {s['VpcId']}")
                    continue
                net = ipaddress.IPv4Network(s["CidrBlock"])
                if not any(net.subnet_of(c) for c in vcidrs(s["VpcId"])):
                    prob(f"{where0}: {sid} {net} outside its VPC")
                if not s["AvailabilityZone"].startswith(rdir.name):
                    prob(f"{where0}: {sid} zone {s['AvailabilityZone']} not in the region")
                per_vpc[s["VpcId"]].append(net)
            for vid, nets in per_vpc.items():
                nets.sort()
                for a, b in zip(nets, nets[1:]):
                    if a.overlaps(b):
                        prob(f"{where0}: overlapping subnets {a} {b} in {vid}")
            sgs = {g["GroupId"]: g for g in d["security-groups"]["SecurityGroups"]}
            enis = {x["NetworkInterfaceId"]: x for x in d["network-interfaces"]["NetworkInterfaces"]}
            igws = {g["InternetGatewayId"]: g for g in d["internet-gateways"]["InternetGateways"]}
            nats = {n["NatGatewayId"]: n for n in d["nat-gateways"]["NatGateways"]}
            pcxs = {p["VpcPeeringConnectionId"]: p for p in d["vpc-peering-connections"]["VpcPeeringConnections"]}
            pls = {p["PrefixListId"] for p in d["managed-prefix-lists"]["PrefixLists"]}
            for pid in pls:
                if not (rdir / "prefix-list-entries" / f"{pid}.json").exists():
                    prob(f"{where0}: no entries file for {pid}")
                else:
                    load(rdir / "prefix-list-entries" / f"{pid}.json")
            for ident in list(igws) + list(nats) + list(pcxs) + list(sgs) + list(enis):
                define(ident, where0)
            for gid, g in igws.items():
                for a in g["Attachments"]:
                    if a["VpcId"] not in vpcs:
                        prob(f"{where0}: {gid} attached to missing VPC")
            for pid, p in pcxs.items():
                a, b = p["RequesterVpcInfo"]["VpcId"], p["AccepterVpcInfo"]["VpcId"]
                if a not in vpcs or b not in vpcs:
                    prob(f"{where0}: {pid} joins a missing VPC")
                    continue
                if any(x.overlaps(y) for x in vcidrs(a) for y in vcidrs(b)):
                    prob(f"{where0}: {pid} joins overlapping VPCs")
                for side in ("RequesterVpcInfo", "AccepterVpcInfo"):
                    if p[side].get("Region") != rdir.name:
                        prob(f"{where0}: {pid} {side}.Region")
            mains = defaultdict(int)
            explicit = defaultdict(int)
            for rt in d["route-tables"]["RouteTables"]:
                rid = rt["RouteTableId"]
                define(rid, where0)
                vid = rt["VpcId"]
                if vid not in vpcs:
                    prob(f"{where0}: {rid} in missing VPC")
                    continue
                for a in rt["Associations"]:
                    if a.get("Main"):
                        mains[vid] += 1
                    if "SubnetId" in a:
                        explicit[a["SubnetId"]] += 1
                        if subnets.get(a["SubnetId"], {}).get("VpcId") != vid:
                            prob(f"{where0}: {rid} associated with foreign/missing subnet {a['SubnetId']}")
                locals_ = sorted(ipaddress.IPv4Network(r["DestinationCidrBlock"]) for r in rt["Routes"]
                                 if r.get("GatewayId") == "local")
                if locals_ != sorted(vcidrs(vid)):
                    prob(f"{where0}: {rid} local routes differ from the VPC CIDRs")
                dests = [r.get("DestinationCidrBlock") or r.get("DestinationPrefixListId") for r in rt["Routes"]]
                if len(dests) != len(set(dests)):
                    prob(f"{where0}: {rid} has duplicate destinations")
                for r in rt["Routes"]:
                    if "DestinationPrefixListId" in r and r["DestinationPrefixListId"] not in pls:
                        prob(f"{where0}: {rid} route to missing prefix list")
                    g = r.get("GatewayId", "")
                    if g.startswith("igw-") and (g not in igws or igws[g]["Attachments"][0]["VpcId"] != vid):
                        prob(f"{where0}: {rid} route to missing/foreign {g}")
                    if "NatGatewayId" in r:
                        n = nats.get(r["NatGatewayId"])
                        if n is None or n["VpcId"] != vid:
                            prob(f"{where0}: {rid} route to missing/foreign {r['NatGatewayId']}")
                        elif (n["State"] == "available") != (r["State"] == "active"):
                            prob(f"{where0}: {rid} route state {r['State']} vs NAT {n['State']}")
                    if "VpcPeeringConnectionId" in r:
                        p = pcxs.get(r["VpcPeeringConnectionId"])
                        if p is None or vid not in (p["RequesterVpcInfo"]["VpcId"], p["AccepterVpcInfo"]["VpcId"]):
                            prob(f"{where0}: {rid} route to missing/foreign {r['VpcPeeringConnectionId']}")
                        elif (p["Status"]["Code"] == "active") != (r["State"] == "active"):
                            prob(f"{where0}: {rid} route state {r['State']} vs peering {p['Status']['Code']}")
            for vid in vpcs:
                if mains[vid] != 1:
                    prob(f"{where0}: {vid} has {mains[vid]} main route tables")
            for sid, n in explicit.items():
                if n > 1:
                    prob(f"{where0}: {sid} has {n} explicit route-table associations")
            acl_of = defaultdict(int)
            defaults = defaultdict(int)
            for n in d["network-acls"]["NetworkAcls"]:
                define(n["NetworkAclId"], where0)
                if n["IsDefault"]:
                    defaults[n["VpcId"]] += 1
                for a in n["Associations"]:
                    acl_of[a["SubnetId"]] += 1
                    if subnets.get(a["SubnetId"], {}).get("VpcId") != n["VpcId"]:
                        prob(f"{where0}: {n['NetworkAclId']} associated with foreign/missing subnet")
                keys = [(x["Egress"], x["RuleNumber"]) for x in n["Entries"]]
                if len(keys) != len(set(keys)):
                    prob(f"{where0}: duplicate rule numbers in {n['NetworkAclId']}")
            for vid in vpcs:
                if defaults[vid] != 1:
                    prob(f"{where0}: {vid} has {defaults[vid]} default NACLs")
            for sid in subnets:
                if acl_of[sid] != 1:
                    prob(f"{where0}: {sid} is in {acl_of[sid]} NACL associations")
            for gid, g in sgs.items():
                if g["VpcId"] not in vpcs:
                    prob(f"{where0}: {gid} in missing VPC")
                for p in g["IpPermissions"] + g["IpPermissionsEgress"]:
                    for pl in p["PrefixListIds"]:
                        if pl["PrefixListId"] not in pls:
                            prob(f"{where0}: {gid} uses missing prefix list {pl['PrefixListId']}")
                    for pair in p["UserIdGroupPairs"]:
                        ref = sgs.get(pair["GroupId"])
                        if ref is None:
                            prob(f"{where0}: {gid} references missing group {pair['GroupId']}")
                            continue
                        if "VpcPeeringConnectionId" in pair:
                            pc = pcxs.get(pair["VpcPeeringConnectionId"])
                            ends = {pc["RequesterVpcInfo"]["VpcId"], pc["AccepterVpcInfo"]["VpcId"]} if pc else set()
                            if not pc or ends != {g["VpcId"], ref["VpcId"]} or pair.get("VpcId") != ref["VpcId"] \
                                    or pc["Status"]["Code"] != "active":
                                prob(f"{where0}: {gid} peer reference {pair['GroupId']} inconsistent with its peering")
                        elif ref["VpcId"] != g["VpcId"]:
                            prob(f"{where0}: {gid} references {pair['GroupId']} of another VPC without a peering")
            instances = {}
            for res in d["instances"]["Reservations"]:
                for inst in res["Instances"]:
                    define(inst["InstanceId"], where0)
                    instances[inst["InstanceId"]] = inst
                    if inst["SubnetId"] not in subnets:
                        prob(f"{where0}: {inst['InstanceId']} in missing subnet")
                    for ni in inst["NetworkInterfaces"]:
                        x = enis.get(ni["NetworkInterfaceId"])
                        if x is None or x.get("Attachment", {}).get("InstanceId") != inst["InstanceId"] \
                                or x["PrivateIpAddress"] != ni["PrivateIpAddress"] \
                                or x["MacAddress"] != ni["MacAddress"]:
                            prob(f"{where0}: {inst['InstanceId']} interface {ni['NetworkInterfaceId']} disagrees")
            for eid, x in enis.items():
                s = subnets.get(x["SubnetId"])
                if s is None:
                    prob(f"{where0}: {eid} in missing subnet")
                    continue
                if s["VpcId"] != x["VpcId"] or s["AvailabilityZone"] != x["AvailabilityZone"]:
                    prob(f"{where0}: {eid} VPC/AZ differs from its subnet")
                for a in x["PrivateIpAddresses"]:
                    ip = a["PrivateIpAddress"]
                    if ipaddress.IPv4Address(ip) not in ipaddress.IPv4Network(s["CidrBlock"]):
                        prob(f"{where0}: {eid} address {ip} outside its subnet")
                    if ip in all_ips:
                        prob(f"{where0}: address {ip} on {eid} and {all_ips[ip]}")
                    all_ips[ip] = eid
                for grp in x["Groups"]:
                    if grp["GroupId"] not in sgs or sgs[grp["GroupId"]]["VpcId"] != x["VpcId"]:
                        prob(f"{where0}: {eid} carries missing/foreign group {grp['GroupId']}")
                iid = x.get("Attachment", {}).get("InstanceId")
                if iid and iid not in instances:
                    prob(f"{where0}: {eid} attached to missing instance {iid}")
            for nid, n in nats.items():
                if n["SubnetId"] not in subnets:
                    prob(f"{where0}: {nid} in missing subnet")
                for a in n["NatGatewayAddresses"]:
                    if n["State"] == "available":
                        x = enis.get(a.get("NetworkInterfaceId"))
                        if x is None or x["PrivateIpAddress"] != a["PrivateIp"]:
                            prob(f"{where0}: {nid} interface missing or disagrees")
            ecs_dir = rdir / "ecs"
            for cdir in sorted(ecs_dir.iterdir()) if ecs_dir.exists() else []:
                sv = load(cdir / "describe-services.json")
                tk = load(cdir / "describe-tasks.json")
                if sv is None or tk is None:
                    continue
                confs = {}
                for s in sv["services"]:
                    conf = s["networkConfiguration"]["awsvpcConfiguration"]
                    confs[s["serviceName"]] = conf
                    for sid in conf["subnets"]:
                        if sid not in subnets:
                            prob(f"{cdir}: {s['serviceName']} uses missing subnet {sid}")
                    for gid in conf["securityGroups"]:
                        if gid not in sgs:
                            prob(f"{cdir}: {s['serviceName']} uses missing group {gid}")
                for t in tk["tasks"]:
                    for att in t["attachments"]:
                        det = {x["name"]: x["value"] for x in att["details"]}
                        x = enis.get(det["networkInterfaceId"])
                        if x is None:
                            prob(f"{cdir}: task {t['taskArn']} uses missing ENI")
                            continue
                        if not x["Description"].endswith("/" + att["id"]) or x["SubnetId"] != det["subnetId"] \
                                or x["PrivateIpAddress"] != det["privateIPv4Address"] \
                                or x["MacAddress"] != det["macAddress"]:
                            prob(f"{cdir}: task {t['taskArn']} details disagree with {x['NetworkInterfaceId']}")
                        conf = confs.get(t["group"].split(":", 1)[1])
                        if conf is None or x["SubnetId"] not in conf["subnets"] or \
                                sorted(g["GroupId"] for g in x["Groups"]) != sorted(conf["securityGroups"]):
                            prob(f"{cdir}: task ENI {x['NetworkInterfaceId']} placement differs from its service")
        r53 = adir / "route53"
        if r53.exists():
            lst = load(r53 / "list-hosted-zones.json")
            for z in (lst or {}).get("HostedZones", []):
                zid = z["Id"].split("/")[-1]
                if not re.fullmatch(r"Z[0-9A-Z]{20}", zid):
                    prob(f"{r53}: malformed zone id {zid}")
                ghz = load(r53 / zid / "get-hosted-zone.json")
                rrs = load(r53 / zid / "list-resource-record-sets.json")
                if ghz is None or rrs is None:
                    continue
                for a in ghz.get("VPCs", []):
                    if account_vpcs.get(a["VPCId"]) != a["VPCRegion"]:
                        prob(f"{r53}/{zid}: associated VPC {a['VPCId']} missing or in another region")
                recs = rrs["ResourceRecordSets"]
                if len(recs) != z["ResourceRecordSetCount"]:
                    prob(f"{r53}/{zid}: ResourceRecordSetCount differs")
                names = {r["Name"] for r in recs}
                keys = [(r["Name"], r["Type"], r.get("SetIdentifier", "")) for r in recs]
                if len(keys) != len(set(keys)):
                    prob(f"{r53}/{zid}: duplicate record sets")
                for r in recs:
                    if not r["Name"].endswith(z["Name"]):
                        prob(f"{r53}/{zid}: record {r['Name']} outside the zone")
                    at = r.get("AliasTarget")
                    if at and at["HostedZoneId"] == zid and at["DNSName"] not in names:
                        prob(f"{r53}/{zid}: alias to missing {at['DNSName']}")
    vpc_nets.sort(key=lambda x: (int(x[0].network_address), x[0].prefixlen))
    for (a, va), (b, vb) in zip(vpc_nets, vpc_nets[1:]):
        if a.overlaps(b):
            prob(f"VPC blocks overlap: {a} ({va}) and {b} ({vb})")
    if verbose:
        print(f"check: {files} files parsed, {len(seen_ids)} ids, {len(all_ips)} interface addresses, "
              f"{len(problems)} problems", file=sys.stderr)
    return problems


# ---------------------------------------------------------------------------------------
# Driver


def human(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{n} B"
        n /= 1024
    return str(n)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Generate a synthetic vpcreach snapshot (standard layout).",
                                 epilog="See the top of this file for what each size contains.")
    ap.add_argument("--size", choices=sorted(SIZES))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--output", "-o", required=True, type=Path)
    ap.add_argument("--compact", action="store_true", help="compact JSON instead of indent=4")
    ap.add_argument("--jobs", "-j", type=int, default=min(os.cpu_count() or 1, 4))
    ap.add_argument("--check", action="store_true", help="check cross-references (and, without --size, only check)")
    ap.add_argument("--force", action="store_true", help="write into a non-empty output folder")
    ap.add_argument("--transit", action="store_true",
                    help="connect each account-region's VPCs through a transit gateway as well")
    args = ap.parse_args(argv)
    if args.size is None:
        if not args.check:
            ap.error("--size is required (or --check to check an existing estate)")
        problems = check_output(args.output)
        for p in problems[:100]:
            print(p, file=sys.stderr)
        return 1 if problems else 0
    out: Path = args.output
    if out.exists() and any(out.iterdir()) and not args.force:
        ap.error(f"{out} is not empty (use --force to write into it)")
    out.mkdir(parents=True, exist_ok=True)
    start = time.time()
    plan = make_plan(args.size, args.seed)
    jobs = [(acc, args.size, args.seed, str(out), args.compact, args.check, args.transit) for acc in plan]
    totals = defaultdict(int)
    problems: list[str] = []
    n_workers = max(1, min(args.jobs, len(jobs)))
    if n_workers == 1:
        results = map(gen_account, jobs)
        pool = None
    else:
        pool = get_context("fork").Pool(n_workers)
        results = pool.imap(gen_account, jobs)
    for res in results:
        for k, v in res["stats"].items():
            totals[k] += v
        problems += res["problems"]
    if pool:
        pool.close()
        pool.join()
    elapsed = time.time() - start
    t = totals
    print(f"synth-estate {args.size} seed {args.seed}: {len(plan)} accounts, {t['ars']} account-regions, "
          f"{t['vpcs']} VPCs, {t['subnets']} subnets, {t['enis']} ENIs ({t['instances']} instances, "
          f"{t['eni_ecs']} ECS tasks in {t['ecs_services']} services, {t['eni_lambda']} Lambda, {t['eni_rds']} RDS, "
          f"{t['eni_cache']} ElastiCache, {t['eni_lb']} LB, {t['nats']} NAT, {t['eni_endpoint']} endpoint), "
          f"{t['sgs_real']} SGs, {t['sg_rules']} SG rules, {t['route_tables']} route tables "
          f"({t['routes']} routes, {t['blackholes']} blackhole), {t['nacls']} NACLs ({t['nacl_entries']} entries), "
          f"{t['pcx']} peerings ({t['pcx_active']} active), {t['zones']} hosted zones ({t['records']} records), "
          f"{t['files']} files, {t['bytes']} bytes ({human(t['bytes'])}) in {elapsed:.1f} s -> {out}", flush=True)
    if args.check:
        problems += check_output(out)
        for p in problems[:100]:
            print(p, file=sys.stderr)
        if problems:
            print(f"check: {len(problems)} problems", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
