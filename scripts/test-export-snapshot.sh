#!/usr/bin/env bash
# test-export-snapshot.sh - end-to-end test of scripts/export-snapshot.sh against moto.
#
# Starts a moto server (pip package `moto[server]`; `moto_server` or `python3 -m moto.server`)
# on 127.0.0.1 with a free port, seeds it with the AWS CLI (two VPCs, subnets, security groups,
# a peering, an IGW, a managed prefix list, a private Route 53 zone, an ECS cluster with 12
# services and 2 Fargate tasks, an empty ECS cluster, a DHCP option set, and a Route 53 Resolver
# forwarding rule associated with a VPC), runs export-snapshot.sh against it,
# and checks that every file of the snapshot layout exists, parses, and holds what was seeded
# (including describe-services batches of 10 merged into one file). The optional exports that
# moto does not implement (security-group VPC associations, DNS Firewall, Route 53 Profiles)
# must be either exported with their top-level key or skipped with a warning, the run still
# succeeding. A fake `aws` in front of the real one then answers DNS Firewall from canned JSON
# and lacks route53profiles (as an older CLI does): the rules and the listable domain list are
# exported once each, the AWS-managed list that cannot be listed is skipped, and a denied
# list-firewall-rules still aborts the run. It also checks
# re-exporting, several -r regions, a failing export (no partial snapshot left behind),
# -p PROFILE with the profile's default region, a missing `aws`, and `-h`. Runs shellcheck on both scripts when shellcheck is installed.
#
# Needs: bash, aws (CLI v1 or v2), python3, moto with its server extra. No network beyond
# 127.0.0.1, fake credentials only, and an empty AWS config (your ~/.aws is not read).
# The moto server is stopped and the temporary directory removed on exit.
#
# Usage: scripts/test-export-snapshot.sh [-k]    (-k keeps the temporary directory)

set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
EXPORT=$HERE/export-snapshot.sh
KEEP=0
[[ ${1:-} == -k ]] && KEEP=1

FAILURES=0
pass() { printf 'ok   - %s\n' "$*"; }
expect() { # DESCRIPTION COMMAND...: pass if COMMAND succeeds
    local what=$1
    shift
    if "$@"; then pass "$what"; else fail "$what"; fi
}
fail() {
    printf 'FAIL - %s\n' "$*"
    FAILURES=$((FAILURES + 1))
}

command -v aws >/dev/null || { echo "aws CLI not found" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 not found" >&2; exit 2; }
if command -v moto_server >/dev/null; then
    MOTO=(moto_server)
elif python3 -c 'import moto.server' 2>/dev/null; then
    MOTO=(python3 -m moto.server)
else
    echo "moto server not found (pip install 'moto[server]')" >&2
    exit 2
fi

TMP=$(mktemp -d)
MOTO_PID=""
cleanup() {
    if [[ -n $MOTO_PID ]]; then
        kill "$MOTO_PID" 2>/dev/null || true
        wait "$MOTO_PID" 2>/dev/null || true
    fi
    if [[ $KEEP -eq 1 ]]; then
        echo "kept $TMP"
    else
        rm -rf -- "$TMP"
    fi
}
trap cleanup EXIT

# Isolated, fake AWS environment.
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_REGION AWS_ENDPOINT_URL
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=eu-west-1
export AWS_CONFIG_FILE=$TMP/aws-config AWS_SHARED_CREDENTIALS_FILE=$TMP/aws-credentials
export AWS_PAGER=""
# moto answers calls it lacks with HTTP 500, which the CLI would retry with back-off; a local
# mock does not throttle, so one attempt is enough.
export AWS_MAX_ATTEMPTS=1

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT
"${MOTO[@]}" -H 127.0.0.1 -p "$PORT" >"$TMP/moto.log" 2>&1 &
MOTO_PID=$!
for _ in $(seq 1 60); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1)" 2>/dev/null && break
    kill -0 "$MOTO_PID" 2>/dev/null || { cat "$TMP/moto.log" >&2; echo "moto exited" >&2; exit 2; }
    sleep 0.5
done
echo "# moto on $URL (pid $MOTO_PID)"

a() { aws --endpoint-url "$URL" --region eu-west-1 "$@"; }
t() { a "$@" --output text; } # single values via --query

# ---------------------------------------------------------------------------------------
# Seed
echo "# seeding"
VPC1=$(t ec2 create-vpc --cidr-block 10.1.0.0/16 --query Vpc.VpcId)
VPC2=$(t ec2 create-vpc --cidr-block 10.2.0.0/16 --query Vpc.VpcId)
SUB1=$(t ec2 create-subnet --vpc-id "$VPC1" --cidr-block 10.1.1.0/24 --query Subnet.SubnetId)
SUB2=$(t ec2 create-subnet --vpc-id "$VPC2" --cidr-block 10.2.1.0/24 --query Subnet.SubnetId)
SG1=$(t ec2 create-security-group --vpc-id "$VPC1" --group-name app --description app --query GroupId)
SG2=$(t ec2 create-security-group --vpc-id "$VPC2" --group-name db --description db --query GroupId)
a ec2 authorize-security-group-ingress --group-id "$SG2" --protocol tcp --port 5432 --cidr 10.1.0.0/16 >/dev/null
a ec2 modify-vpc-attribute --vpc-id "$VPC1" --enable-dns-hostnames '{"Value": true}'
PCX=$(t ec2 create-vpc-peering-connection --vpc-id "$VPC1" --peer-vpc-id "$VPC2" \
    --query VpcPeeringConnection.VpcPeeringConnectionId)
a ec2 accept-vpc-peering-connection --vpc-peering-connection-id "$PCX" >/dev/null
RTB1=$(t ec2 describe-route-tables --filters "Name=vpc-id,Values=$VPC1" --query 'RouteTables[0].RouteTableId')
a ec2 create-route --route-table-id "$RTB1" --destination-cidr-block 10.2.0.0/16 \
    --vpc-peering-connection-id "$PCX" >/dev/null
IGW=$(t ec2 create-internet-gateway --query InternetGateway.InternetGatewayId)
a ec2 attach-internet-gateway --internet-gateway-id "$IGW" --vpc-id "$VPC1"
PL=$(t ec2 create-managed-prefix-list --prefix-list-name corp --max-entries 5 --address-family IPv4 \
    --entries Cidr=192.168.0.0/24,Description=office --query PrefixList.PrefixListId)
ZONE=$(t route53 create-hosted-zone --name db.internal. --caller-reference "ref-$PORT" \
    --vpc "VPCRegion=eu-west-1,VPCId=$VPC1" --hosted-zone-config PrivateZone=true,Comment=test \
    --query HostedZone.Id)
ZONE=${ZONE##*/}
a route53 change-resource-record-sets --hosted-zone-id "$ZONE" --change-batch \
    '{"Changes":[{"Action":"CREATE","ResourceRecordSet":{"Name":"primary.db.internal.","Type":"A","TTL":60,"ResourceRecords":[{"Value":"10.2.1.10"}]}}]}' >/dev/null
LB=$(t elbv2 create-load-balancer --name db-nlb --type network --scheme internal --subnets "$SUB1" \
    --query 'LoadBalancers[0].LoadBalancerArn')
TG=$(t elbv2 create-target-group --name db-tg --protocol TCP --port 5432 --vpc-id "$VPC1" --target-type ip \
    --query 'TargetGroups[0].TargetGroupArn')
a elbv2 create-listener --load-balancer-arn "$LB" --protocol TCP --port 5432 \
    --default-actions "Type=forward,TargetGroupArn=$TG" >/dev/null
a ecs create-cluster --cluster-name app >/dev/null
a ecs create-cluster --cluster-name empty >/dev/null
a ecs register-task-definition --family web --network-mode awsvpc --requires-compatibilities FARGATE \
    --cpu 256 --memory 512 \
    --container-definitions '[{"name":"web","image":"nginx","memory":512,"portMappings":[{"containerPort":80}]}]' >/dev/null
NETCONF="awsvpcConfiguration={subnets=[$SUB1],securityGroups=[$SG1]}"
for i in $(seq 1 12); do
    a ecs create-service --cluster app --service-name "web-$i" --task-definition web --desired-count 0 \
        --launch-type FARGATE --network-configuration "$NETCONF" >/dev/null
done
a ecs run-task --cluster app --task-definition web --count 2 --launch-type FARGATE \
    --network-configuration "$NETCONF" >/dev/null
DOPT=$(t ec2 create-dhcp-options --dhcp-configurations Key=domain-name-servers,Values=10.1.0.2,10.9.0.2 \
    Key=domain-name,Values=corp.example --query DhcpOptions.DhcpOptionsId)
a ec2 associate-dhcp-options --dhcp-options-id "$DOPT" --vpc-id "$VPC1"
RR=$(t route53resolver create-resolver-rule --creator-request-id "rr-$PORT" --name corp --rule-type FORWARD \
    --domain-name corp.example. --target-ips Ip=10.9.0.2,Port=53 --query ResolverRule.Id)
a route53resolver associate-resolver-rule --resolver-rule-id "$RR" --vpc-id "$VPC1" --name corp-vpc1 >/dev/null
TGW=$(t ec2 create-transit-gateway --description core --query TransitGateway.TransitGatewayId)
TGWATT=$(t ec2 create-transit-gateway-vpc-attachment --transit-gateway-id "$TGW" --vpc-id "$VPC1" \
    --subnet-ids "$SUB1" --query TransitGatewayVpcAttachment.TransitGatewayAttachmentId)
TGWRTB=$(t ec2 create-transit-gateway-route-table --transit-gateway-id "$TGW" \
    --query TransitGatewayRouteTable.TransitGatewayRouteTableId)
a ec2 associate-transit-gateway-route-table --transit-gateway-route-table-id "$TGWRTB" \
    --transit-gateway-attachment-id "$TGWATT" >/dev/null
a ec2 create-transit-gateway-route --transit-gateway-route-table-id "$TGWRTB" \
    --destination-cidr-block 10.1.0.0/16 --transit-gateway-attachment-id "$TGWATT" >/dev/null
VGW=$(t ec2 create-vpn-gateway --type ipsec.1 --query VpnGateway.VpnGatewayId)
a ec2 attach-vpn-gateway --vpn-gateway-id "$VGW" --vpc-id "$VPC2" >/dev/null
CGW=$(t ec2 create-customer-gateway --type ipsec.1 --public-ip 203.0.113.12 --bgp-asn 65000 \
    --query CustomerGateway.CustomerGatewayId)
VPN=$(t ec2 create-vpn-connection --type ipsec.1 --customer-gateway-id "$CGW" --vpn-gateway-id "$VGW" \
    --options StaticRoutesOnly=true --query VpnConnection.VpnConnectionId)

# ---------------------------------------------------------------------------------------
# Export and check
echo "# exporting"
OUT=$TMP/out
if "$EXPORT" -o "$OUT" -r eu-west-1 --endpoint-url "$URL" 2>"$TMP/export.log"; then
    pass "export-snapshot.sh exits 0"
else
    cat "$TMP/export.log"
    fail "export-snapshot.sh failed"
fi

check_snapshot() { # DIR LOG: python checks, one "ok"/"FAIL" line each
    python3 - "$1" "$2" "$VPC1" "$VPC2" "$SUB1" "$SUB2" "$SG1" "$SG2" "$PCX" "$IGW" "$PL" "$ZONE" "$RTB1" "$LB" \
        "$DOPT" "$RR" "$TGW" "$TGWATT" "$TGWRTB" "$VGW" "$VPN" <<'EOF'
import json, os, sys
root, logpath, vpc1, vpc2, sub1, sub2, sg1, sg2, pcx, igw, pl, zone, rtb1, lb, dopt, rr, tgw, tgwatt, tgwrtb, vgw, vpn = sys.argv[1:]
acct = os.path.join(root, "123456789012")
reg = os.path.join(acct, "eu-west-1")
bad = 0

def check(cond, what):
    global bad
    print(("ok   - " if cond else "FAIL - ") + what)
    bad += not cond

def load(rel, base=reg):
    path = os.path.join(base, rel)
    try:
        with open(path) as f:
            return json.load(f)
    except Exception as err:  # missing or unparsable
        check(False, f"{rel} parses ({err})")
        return {}

def ids(doc, key, field):
    return {x.get(field) for x in doc.get(key, [])}

# Every file parses, and no pagination marker or staging leftover is anywhere.
count, problems = 0, []
for dirpath, dirnames, files in os.walk(root):
    problems += [os.path.join(dirpath, d) for d in dirnames if d.startswith(".")]
    for name in files:
        path = os.path.join(dirpath, name)
        count += 1
        try:
            with open(path) as f:
                data = json.load(f)
        except ValueError:
            data = None
        if not name.endswith(".json") or not isinstance(data, dict) or "NextToken" in data \
                or data.get("IsTruncated") is True:
            problems.append(path)
check(not problems, f"all {count} files are complete JSON objects, no leftovers {problems or ''}")
check(count >= 20, f"at least 20 files ({count})")

check({vpc1, vpc2} <= ids(load("describe-vpcs.json"), "Vpcs", "VpcId"), "describe-vpcs has both VPCs")
check({sub1, sub2} <= ids(load("describe-subnets.json"), "Subnets", "SubnetId"), "describe-subnets")
sgs = load("describe-security-groups.json")
check({sg1, sg2} <= ids(sgs, "SecurityGroups", "GroupId"), "describe-security-groups")
db = [g for g in sgs.get("SecurityGroups", []) if g["GroupId"] == sg2]
check(db and any(p.get("FromPort") == 5432 for p in db[0].get("IpPermissions", [])), "SG ingress rule 5432")
rts = load("describe-route-tables.json")
routes = [r for t in rts.get("RouteTables", []) if t["RouteTableId"] == rtb1 for r in t.get("Routes", [])]
check(any(r.get("VpcPeeringConnectionId") == pcx for r in routes), "pcx route in route table")
check(pcx in ids(load("describe-vpc-peering-connections.json"), "VpcPeeringConnections", "VpcPeeringConnectionId"),
      "describe-vpc-peering-connections")
check(igw in ids(load("describe-internet-gateways.json"), "InternetGateways", "InternetGatewayId"),
      "describe-internet-gateways")
for f, key in [("describe-network-acls.json", "NetworkAcls"), ("describe-network-interfaces.json", "NetworkInterfaces"),
               ("describe-instances.json", "Reservations"), ("describe-nat-gateways.json", "NatGateways"),
               ("describe-prefix-lists.json", "PrefixLists")]:
    check(key in load(f), f"{f} has {key}")
mpl = load("describe-managed-prefix-lists.json")
check(pl in ids(mpl, "PrefixLists", "PrefixListId"), "describe-managed-prefix-lists")
for p in ids(mpl, "PrefixLists", "PrefixListId"):
    check(os.path.isfile(os.path.join(reg, "prefix-list-entries", p + ".json")), f"entries for {p}")
check({e.get("Cidr") for e in load(f"prefix-list-entries/{pl}.json").get("Entries", [])} == {"192.168.0.0/24"},
      "prefix-list entries of the seeded list")
check(lb in ids(load("elbv2/describe-load-balancers.json"), "LoadBalancers", "LoadBalancerArn"),
      "elbv2 describe-load-balancers")
lb_file = "elbv2/listeners/" + lb.split(":loadbalancer/", 1)[1].replace("/", "-") + ".json"
check([(x.get("Protocol"), x.get("Port")) for x in load(lb_file).get("Listeners", [])] == [("TCP", 5432)],
      "elbv2 describe-listeners of the seeded load balancer")
check("LoadBalancerDescriptions" in load("elb/describe-load-balancers.json"), "elb describe-load-balancers")
for vpc in (vpc1, vpc2):
    sup = load(f"vpc-attributes/{vpc}-enableDnsSupport.json")
    host = load(f"vpc-attributes/{vpc}-enableDnsHostnames.json")
    check(sup.get("VpcId") == vpc and "Value" in sup.get("EnableDnsSupport", {}), f"enableDnsSupport {vpc}")
    check(host.get("VpcId") == vpc and "Value" in host.get("EnableDnsHostnames", {}), f"enableDnsHostnames {vpc}")
check(load(f"vpc-attributes/{vpc1}-enableDnsHostnames.json").get("EnableDnsHostnames") == {"Value": True},
      "enableDnsHostnames true where set")

svc = load("ecs/app/describe-services.json")
check(set(svc) == {"services", "failures"} and len(svc["services"]) == 12,
      f"ecs/app: 12 services merged from 2 batches (got {len(svc.get('services', []))})")
tasks = load("ecs/app/describe-tasks.json")
check(set(tasks) == {"tasks", "failures"} and len(tasks["tasks"]) == 2, f"ecs/app: 2 tasks (got {len(tasks.get('tasks', []))})")
check(load("ecs/empty/describe-services.json") == {"services": [], "failures": []}, "ecs/empty: no services")
check(load("ecs/empty/describe-tasks.json") == {"tasks": [], "failures": []}, "ecs/empty: no tasks")

dhcp = [o for o in load("describe-dhcp-options.json").get("DhcpOptions", []) if o.get("DhcpOptionsId") == dopt]
servers = [v.get("Value") for o in dhcp for c in o.get("DhcpConfigurations", []) if c.get("Key") == "domain-name-servers"
           for v in c.get("Values", [])]
check(servers == ["10.1.0.2", "10.9.0.2"], f"describe-dhcp-options: the seeded set and its DNS servers ({servers})")
check(rr in ids(load("route53resolver/list-resolver-rules.json"), "ResolverRules", "Id"), "list-resolver-rules")
assocs = load("route53resolver/list-resolver-rule-associations.json").get("ResolverRuleAssociations", [])
check(any(x.get("ResolverRuleId") == rr and x.get("VPCId") == vpc1 for x in assocs),
      "list-resolver-rule-associations: the rule on the first VPC")

check(vgw in ids(load("describe-vpn-gateways.json"), "VpnGateways", "VpnGatewayId"), "describe-vpn-gateways")
check(vpn in ids(load("describe-vpn-connections.json"), "VpnConnections", "VpnConnectionId"), "describe-vpn-connections")
check(tgw in ids(load("describe-transit-gateways.json"), "TransitGateways", "TransitGatewayId"),
      "describe-transit-gateways")
check(tgwatt in ids(load("describe-transit-gateway-attachments.json"), "TransitGatewayAttachments",
                    "TransitGatewayAttachmentId"), "describe-transit-gateway-attachments")
vpc_atts = [a for a in load("describe-transit-gateway-vpc-attachments.json").get("TransitGatewayVpcAttachments", [])
            if a.get("TransitGatewayAttachmentId") == tgwatt]
check(vpc_atts and vpc_atts[0].get("SubnetIds") == [sub1], "describe-transit-gateway-vpc-attachments: its subnet")
check(tgwrtb in ids(load("describe-transit-gateway-route-tables.json"), "TransitGatewayRouteTables",
                    "TransitGatewayRouteTableId"), "describe-transit-gateway-route-tables")
tgw_routes = load(f"transit-gateway-routes/{tgwrtb}.json").get("Routes", [])
check(any(r.get("DestinationCidrBlock") == "10.1.0.0/16" for r in tgw_routes),
      f"search-transit-gateway-routes: the static route ({tgw_routes})")

# Optional exports: moto implements none of these today. Each must be exported with its key (and
# its per-id files), or skipped with a logged warning and no file, the run having succeeded.
with open(logpath) as f:
    log = f.read()

def optional(rel, key, op, per_id=None):
    if os.path.exists(os.path.join(reg, rel)):
        doc = load(rel)
        check(key in doc, f"{rel} exported with {key}")
        if per_id:
            field, sub, subkey = per_id
            for i in ids(doc, key, field) - {None}:
                check(subkey in load(f"{sub}/{i}.json"), f"{sub}/{i}.json has {subkey}")
    else:
        check(f"warning: skipped aws {op} (region eu-west-1)" in log, f"{rel} not exported, skip logged ({op})")
        if per_id:
            check(not os.path.exists(os.path.join(reg, per_id[1])), f"no {per_id[1]}/ either")

optional("describe-security-group-vpc-associations.json", "SecurityGroupVpcAssociations",
         "ec2 describe-security-group-vpc-associations")
optional("route53resolver/list-firewall-rule-group-associations.json", "FirewallRuleGroupAssociations",
         "route53resolver list-firewall-rule-group-associations",
         ("FirewallRuleGroupId", "route53resolver/firewall-rules", "FirewallRules"))
optional("route53profiles/list-profile-associations.json", "ProfileAssociations",
         "route53profiles list-profile-associations",
         ("ProfileId", "route53profiles/profile-resources", "ProfileResourceAssociations"))

r53 = os.path.join(acct, "route53")
check(zone in {z["Id"].rsplit("/", 1)[-1] for z in load("list-hosted-zones.json", r53).get("HostedZones", [])},
      "list-hosted-zones")
hz = load(f"{zone}/get-hosted-zone.json", r53)
check({"VPCId": vpc1, "VPCRegion": "eu-west-1"} in hz.get("VPCs", []), "get-hosted-zone VPCs[]")
rrs = load(f"{zone}/list-resource-record-sets.json", r53)
check(any(r["Name"] == "primary.db.internal." and r["Type"] == "A" for r in rrs.get("ResourceRecordSets", [])),
      "list-resource-record-sets has the A record")
sys.exit(1 if bad else 0)
EOF
}

if check_snapshot "$OUT" "$TMP/export.log"; then pass "snapshot content"; else fail "snapshot content"; fi

# Re-export with repeated/duplicate regions: replaces eu-west-1, adds us-east-1.
echo "# re-exporting with -r eu-west-1 -r us-east-1 -r eu-west-1"
touch "$OUT/123456789012/eu-west-1/stale-marker.json"
if "$EXPORT" -o "$OUT" -r eu-west-1 -r us-east-1 -r eu-west-1 --endpoint-url "$URL" 2>"$TMP/export2.log"; then
    pass "second export exits 0"
else
    cat "$TMP/export2.log"
    fail "second export failed"
fi
expect "region directory replaced (stale file gone)" test ! -e "$OUT/123456789012/eu-west-1/stale-marker.json"
expect "second region exported" test -f "$OUT/123456789012/us-east-1/describe-vpcs.json"
expect "duplicate -r de-duplicated" test "$(grep -c 'exporting eu-west-1' "$TMP/export2.log")" -eq 1

# Credentials and default region from a profile (-p), no -r.
echo "# export with -p PROFILE and the profile's region"
printf '[profile vpcreach-test]\nregion = eu-west-1\n' >"$AWS_CONFIG_FILE"
printf '[vpcreach-test]\naws_access_key_id = testing\naws_secret_access_key = testing\n' >"$AWS_SHARED_CREDENTIALS_FILE"
if env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_DEFAULT_REGION \
    "$EXPORT" -o "$TMP/out-profile" -p vpcreach-test --endpoint-url "$URL" 2>"$TMP/export-profile.log"; then
    pass "export with -p exits 0"
else
    cat "$TMP/export-profile.log"
    fail "export with -p failed"
fi
expect "profile region used" test -f "$TMP/out-profile/123456789012/eu-west-1/describe-vpcs.json"

# DNS Firewall and a CLI without route53profiles, through a fake aws in front of the real one.
echo "# export through a fake aws: canned DNS Firewall, no route53profiles command"
mkdir -p "$TMP/shim"
cat >"$TMP/shim/aws" <<'EOF'
#!/usr/bin/env bash
# Canned DNS Firewall answers (moto has none); route53profiles missing, as in an older CLI.
# Every call is logged to $SHIM_LOG; anything not faked goes to the real CLI, $REAL_AWS.
printf '%s\n' "$*" >>"$SHIM_LOG"
case " $* " in
*" route53profiles "*)
    printf 'usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n' >&2
    printf 'aws: error: argument command: Invalid choice, valid choices are:\n' >&2
    exit 2
    ;;
*" list-firewall-rule-group-associations "*)
    echo '{"FirewallRuleGroupAssociations": [
        {"FirewallRuleGroupId": "rslvr-frg-0a1", "VpcId": "vpc-1", "Priority": 101},
        {"FirewallRuleGroupId": "rslvr-frg-0a1", "VpcId": "vpc-2", "Priority": 101}]}'
    ;;
*" list-firewall-rules "*)
    if [[ -n ${SHIM_DENY_RULES:-} ]]; then
        echo "An error occurred (AccessDeniedException) when calling the ListFirewallRules operation: denied" >&2
        exit 254
    fi
    echo '{"FirewallRules": [
        {"FirewallRuleGroupId": "rslvr-frg-0a1", "FirewallDomainListId": "rslvr-fdl-0a2", "Priority": 1,
         "Action": "BLOCK", "BlockResponse": "NXDOMAIN"},
        {"FirewallRuleGroupId": "rslvr-frg-0a1", "FirewallDomainListId": "rslvr-fdl-aws", "Priority": 2,
         "Action": "BLOCK", "BlockResponse": "NODATA"},
        {"FirewallRuleGroupId": "rslvr-frg-0a1", "FirewallDomainListId": "rslvr-fdl-0a2", "Priority": 3,
         "Action": "ALERT"}]}'
    ;;
*" list-firewall-domains "*" rslvr-fdl-0a2 "*)
    echo '{"Domains": ["blocked.example."]}'
    ;;
*" list-firewall-domains "*)
    echo "An error occurred (AccessDeniedException) when calling the ListFirewallDomains operation: AWS-managed list" >&2
    exit 254
    ;;
*) exec "$REAL_AWS" "$@" ;;
esac
EOF
chmod +x "$TMP/shim/aws"
SHIM=(env "PATH=$TMP/shim:$PATH" "REAL_AWS=$(command -v aws)" "SHIM_LOG=$TMP/shim.log")
FW=$TMP/out-shim/123456789012/eu-west-1/route53resolver
if "${SHIM[@]}" "$EXPORT" -o "$TMP/out-shim" -r eu-west-1 --endpoint-url "$URL" 2>"$TMP/export-shim.log"; then
    pass "export through the fake aws exits 0"
else
    cat "$TMP/export-shim.log"
    fail "export through the fake aws failed"
fi
expect "firewall-rules/<group>.json has FirewallRules" \
    python3 -c 'import json, sys; assert len(json.load(open(sys.argv[1]))["FirewallRules"]) == 3' \
    "$FW/firewall-rules/rslvr-frg-0a1.json"
expect "firewall-domains/<list>.json named by the list, with Domains" \
    python3 -c 'import json, sys; assert json.load(open(sys.argv[1])) == {"Domains": ["blocked.example."]}' \
    "$FW/firewall-domains/rslvr-fdl-0a2.json"
expect "AWS-managed domain list not exported" test ! -e "$FW/firewall-domains/rslvr-fdl-aws.json"
expect "AWS-managed domain list skip logged" grep -q 'skipped firewall domain list rslvr-fdl-aws' "$TMP/export-shim.log"
expect "each rule group and domain list fetched once" \
    test "$(grep -c 'list-firewall-rules ' "$TMP/shim.log")/$(grep -c 'list-firewall-domains ' "$TMP/shim.log")" = 1/2
expect "no route53profiles in the CLI: skipped, logged" grep -q \
    'skipped aws route53profiles list-profile-associations (region eu-west-1): the installed AWS CLI has no such command' \
    "$TMP/export-shim.log"
expect "no route53profiles in the CLI: nothing exported" test ! -e "$TMP/out-shim/123456789012/eu-west-1/route53profiles"
if SHIM_DENY_RULES=1 "${SHIM[@]}" "$EXPORT" -o "$TMP/out-shim-deny" -r eu-west-1 --endpoint-url "$URL" \
    2>"$TMP/export-shim-deny.log"; then
    fail "a denied list-firewall-rules did not abort the export"
else
    pass "a denied list-firewall-rules aborts the export"
fi
expect "aborted export leaves an empty output dir" test -z "$(ls -A "$TMP/out-shim-deny")"

# A failing export leaves nothing behind (no account dir, no staging dir).
echo "# failing export (closed port)"
DEAD=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if AWS_MAX_ATTEMPTS=1 "$EXPORT" -o "$TMP/out-fail" -r eu-west-1 --endpoint-url "http://127.0.0.1:$DEAD" \
    2>"$TMP/export3.log"; then
    fail "export against a closed port succeeded"
else
    pass "export against a closed port fails"
fi
expect "failed export leaves an empty output dir" test -z "$(ls -A "$TMP/out-fail")"

# Missing aws CLI.
mkdir -p "$TMP/nobin"
if PATH=$TMP/nobin "$BASH" "$EXPORT" -o "$TMP/x" -r eu-west-1 2>"$TMP/noaws.log"; then
    fail "ran without aws"
elif grep -q "AWS CLI ('aws') is not on PATH" "$TMP/noaws.log"; then
    pass "clear error without aws"
else
    cat "$TMP/noaws.log"
    fail "unclear error without aws"
fi

# Usage.
"$EXPORT" -h >"$TMP/usage.txt"
expect "-h prints usage" grep -q '^Usage:' "$TMP/usage.txt"
if "$EXPORT" -r eu-west-1 >/dev/null 2>&1; then fail "missing -o accepted"; else pass "missing -o rejected"; fi

if command -v shellcheck >/dev/null; then
    expect "shellcheck" shellcheck "$EXPORT" "$HERE/test-export-snapshot.sh"
else
    echo "# shellcheck not installed; skipped"
fi

if [[ $FAILURES -eq 0 ]]; then
    echo "# all checks passed"
else
    echo "# $FAILURES check(s) failed"
    exit 1
fi
