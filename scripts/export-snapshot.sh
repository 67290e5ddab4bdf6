#!/usr/bin/env bash
# export-snapshot.sh - export the AWS state vpcreach needs into a snapshot directory.
#
# Runs read-only describe/list/get calls with the AWS CLI (v1 or v2) and the caller's
# credentials, and writes the layout the vpcreach loader reads:
#
#   OUT/<account>/<region>/describe-vpcs.json                     ec2 describe-vpcs
#                          describe-subnets.json                  ec2 describe-subnets
#                          describe-route-tables.json             ec2 describe-route-tables
#                          describe-security-groups.json          ec2 describe-security-groups
#                          describe-network-acls.json             ec2 describe-network-acls
#                          describe-network-interfaces.json       ec2 describe-network-interfaces
#                          describe-instances.json                ec2 describe-instances
#                          describe-internet-gateways.json        ec2 describe-internet-gateways
#                          describe-nat-gateways.json             ec2 describe-nat-gateways
#                          describe-vpc-peering-connections.json  ec2 describe-vpc-peering-connections
#                          describe-managed-prefix-lists.json     ec2 describe-managed-prefix-lists
#                          prefix-list-entries/<pl-id>.json       ec2 get-managed-prefix-list-entries, per list
#                          describe-prefix-lists.json             ec2 describe-prefix-lists (AWS-managed, with Cidrs)
#                          vpc-attributes/<vpc-id>-enableDnsSupport.json    ec2 describe-vpc-attribute,
#                          vpc-attributes/<vpc-id>-enableDnsHostnames.json  one attribute per call
#                          ecs/<cluster-name>/describe-services.json  list-services + describe-services
#                                                                 (batches of 10, merged into one
#                                                                 {"services": [...], "failures": [...]})
#                          ecs/<cluster-name>/describe-tasks.json     list-tasks (running tasks) +
#                                                                 describe-tasks (batches of 100, merged)
#                          elbv2/describe-load-balancers.json     elbv2 describe-load-balancers
#                          elbv2/listeners/<type>-<name>-<id>.json  elbv2 describe-listeners, per load balancer
#                          elb/describe-load-balancers.json       elb describe-load-balancers (Classic, listeners inline)
#                          describe-dhcp-options.json             ec2 describe-dhcp-options
#                          describe-vpn-gateways.json             ec2 describe-vpn-gateways
#                          describe-vpn-connections.json          ec2 describe-vpn-connections (static routes, tunnel status)
#                          describe-transit-gateways.json         ec2 describe-transit-gateways
#                          describe-transit-gateway-attachments.json      ec2 describe-transit-gateway-attachments
#                          describe-transit-gateway-vpc-attachments.json  ec2 describe-transit-gateway-vpc-attachments
#                          describe-transit-gateway-route-tables.json     ec2 describe-transit-gateway-route-tables
#                          transit-gateway-routes/<tgw-rtb-id>.json       ec2 search-transit-gateway-routes, per table
#                                                                 (active and blackhole routes; the output does not
#                                                                 name its table, so the file does; at most 1,000
#                                                                 routes: AdditionalRoutesAvailable makes vpcreach
#                                                                 treat that table's answers as unknown)
#                          describe-security-group-vpc-associations.json  (*) ec2 describe-security-group-vpc-associations
#                          route53resolver/list-resolver-rules.json              route53resolver list-resolver-rules
#                          route53resolver/list-resolver-rule-associations.json  route53resolver
#                                                                 list-resolver-rule-associations
#                          route53resolver/list-firewall-rule-group-associations.json  (*) route53resolver
#                                                                 list-firewall-rule-group-associations (DNS Firewall)
#                          route53resolver/firewall-rules/<rslvr-frg-id>.json    route53resolver list-firewall-rules,
#                                                                 per rule group associated with a VPC
#                          route53resolver/firewall-domains/<rslvr-fdl-id>.json  route53resolver list-firewall-domains,
#                                                                 per domain list those rules use ({"Domains": [...]}:
#                                                                 the id is only in the file name). A list that cannot
#                                                                 be listed (AWS-managed lists: AccessDenied or
#                                                                 ValidationException) is skipped with a warning.
#                          route53profiles/list-profile-associations.json  (*) route53profiles list-profile-associations
#                          route53profiles/profile-resources/<rp-id>.json  route53profiles
#                                                                 list-profile-resource-associations, per associated profile
#   OUT/<account>/route53/list-hosted-zones.json                  route53 list-hosted-zones
#                 route53/<zone-id>/get-hosted-zone.json          route53 get-hosted-zone (VPCs[] of private zones)
#                 route53/<zone-id>/list-resource-record-sets.json
#
# <account> comes from `aws sts get-caller-identity`; <zone-id> has "/hostedzone/" stripped.
# Route 53 is global and is exported once per run.
#
# Completeness: each region (and route53/) is written to a staging directory under OUT and
# moved into place only when every call for it succeeded, replacing the previous export of
# that region; other regions already in OUT/<account> are kept. Any failed call aborts the
# run (except as below), and a file still carrying NextToken or IsTruncated=true is treated
# as a failure.
#
# Optional exports (*): security-group VPC associations, DNS Firewall and Route 53 Profiles are
# not offered everywhere (new APIs, not in every region or CLI version). When such a listing
# fails because the installed CLI lacks the command ("Invalid choice"), the service has no
# endpoint in the region ("Could not connect to the endpoint URL", unknown endpoint), or the
# API answers that the operation is unsupported (UnsupportedOperation, InvalidAction,
# UnknownOperationException), or, with --endpoint-url only, the endpoint does not implement
# it (HTTP 500/501, as moto and LocalStack answer), the export logs a warning, writes no file
# for it (nor for the per-id files that depend on it) and goes on. vpcreach reads a missing
# file as "not exported", so what it would have told is unknown, never assumed absent. Every
# other failure of these calls, and of the per-id calls once their listing succeeded (except
# firewall domain lists that cannot be listed, see above), still aborts the run.
#
# Requirements: bash 3.2+ (macOS /bin/bash works), aws (CLI v1 or v2), python3 (used to read ids and merge batches; the CLI
# v1 needs it anyway). IAM: ec2:Describe* (including ec2:DescribeDhcpOptions and
# ec2:DescribeSecurityGroupVpcAssociations and ec2:DescribeTransitGateway*),
# ec2:SearchTransitGatewayRoutes, ec2:GetManagedPrefixListEntries, ecs:List*,
# ecs:Describe*, elasticloadbalancing:Describe*, route53:ListHostedZones, route53:GetHostedZone,
# route53:ListResourceRecordSets, route53resolver:ListResolverRules,
# route53resolver:ListResolverRuleAssociations, route53resolver:ListFirewallRuleGroupAssociations,
# route53resolver:ListFirewallRules, route53resolver:ListFirewallDomains,
# route53profiles:ListProfileAssociations, route53profiles:ListProfileResourceAssociations,
# sts:GetCallerIdentity.
#
# Test: scripts/test-export-snapshot.sh runs this script against a local moto server.

set -euo pipefail

PROG=${0##*/}

usage() {
    cat <<EOF
Usage: $PROG -o DIR [-r REGION]... [--all-regions] [-p PROFILE] [--endpoint-url URL]

Export VPC, ECS, load balancer, Route 53 and Route 53 Resolver state with the AWS CLI
into a vpcreach snapshot at DIR/<account>/<region>/... and DIR/<account>/route53/...
Security-group VPC associations, DNS Firewall and Route 53 Profiles are skipped with a
warning where the CLI, the region or the endpoint does not offer them.

Options:
  -o, --output-dir DIR   snapshot directory to write (required; created if missing)
  -r, --region REGION    region to export; repeat for several regions. Default: the
                         CLI's configured region (AWS_REGION, AWS_DEFAULT_REGION, profile)
      --all-regions      export every region enabled for the account
                         (aws ec2 describe-regions)
  -p, --profile PROFILE  AWS CLI profile to use
      --endpoint-url URL send every call to URL (for testing against a local mock)
  -h, --help             show this help

Re-exporting a region replaces that region's directory; other regions are kept.
EOF
}

die() {
    printf '%s: error: %s\n' "$PROG" "$*" >&2
    exit 1
}

log() {
    printf '%s: %s\n' "$PROG" "$*" >&2
}

# ---------------------------------------------------------------------------------------
# Arguments

OUT=""
REGIONS=()
ALL_REGIONS=0
PROFILE=""
ENDPOINT_URL=""

need_arg() {
    [[ $# -ge 2 && -n $2 ]] || die "option $1 needs a value (see -h)"
}

while [[ $# -gt 0 ]]; do
    case $1 in
        -h | --help)
            usage
            exit 0
            ;;
        -o | --output-dir)
            need_arg "$@"
            OUT=$2
            shift 2
            ;;
        -r | --region)
            need_arg "$@"
            REGIONS+=("$2")
            shift 2
            ;;
        --all-regions)
            ALL_REGIONS=1
            shift
            ;;
        -p | --profile)
            need_arg "$@"
            PROFILE=$2
            shift 2
            ;;
        --endpoint-url)
            need_arg "$@"
            ENDPOINT_URL=$2
            shift 2
            ;;
        --output-dir=* | --region=* | --profile=* | --endpoint-url=*)
            opt=${1%%=*}
            val=${1#*=}
            shift
            set -- "$opt" "$val" "$@"
            ;;
        *)
            usage >&2
            die "unknown argument: $1"
            ;;
    esac
done

[[ -n $OUT ]] || {
    usage >&2
    die "-o DIR is required"
}
if [[ $ALL_REGIONS -eq 1 && ${#REGIONS[@]} -gt 0 ]]; then
    die "use either -r REGION or --all-regions, not both"
fi

command -v aws >/dev/null 2>&1 ||
    die "the AWS CLI ('aws') is not on PATH; install it: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html"
command -v python3 >/dev/null 2>&1 || die "python3 is not on PATH (needed to read ids and merge batches)"

# CLI v2 pipes output through a pager by default; never page.
export AWS_PAGER=""

# ---------------------------------------------------------------------------------------
# Helpers

# One small python3 program for everything JSON: reading ids, merging batches, checking.
PY_HELPER='
import json, sys

def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)

cmd, args = sys.argv[1], sys.argv[2:]
if cmd == "field":            # FILE KEY FIELD: print data[KEY][*][FIELD], one per line
    path, key, field = args
    for item in load(path).get(key) or []:
        value = item.get(field)
        if value:
            print(value)
elif cmd == "distinct":       # KEY FIELD FILE...: print each distinct data[KEY][*][FIELD] of the FILEs once
    key, field, files = args[0], args[1], args[2:]
    seen = set()
    for path in files:
        for item in load(path).get(key) or []:
            value = item.get(field)
            if value and value not in seen:
                seen.add(value)
                print(value)
elif cmd == "strings":        # FILE KEY: print the strings of data[KEY], one per line
    path, key = args
    for value in load(path).get(key) or []:
        print(value)
elif cmd == "scalar":         # FILE KEY: print data[KEY]
    path, key = args
    print(load(path)[key])
elif cmd == "merge":          # OUT KEY FILE...: {"KEY": [...all...], "failures": [...all...]}
    out, key, files = args[0], args[1], args[2:]
    merged = {key: [], "failures": []}
    for path in files:
        data = load(path)
        merged[key].extend(data.get(key) or [])
        merged["failures"].extend(data.get("failures") or [])
    with open(out, "w", encoding="utf-8") as f:
        json.dump(merged, f, indent=4)
        f.write("\n")
elif cmd == "check":          # FILE: valid JSON object, no pagination left over
    path = args[0]
    try:
        data = load(path)
    except ValueError as err:
        sys.exit(f"{path}: not valid JSON: {err}")
    if not isinstance(data, dict):
        sys.exit(f"{path}: top level is not a JSON object")
    for marker in ("NextToken", "nextToken", "NextMarker"):
        if data.get(marker):
            sys.exit(f"{path}: output still carries {marker}: the listing is incomplete")
    if data.get("IsTruncated") is True:
        sys.exit(f"{path}: output has IsTruncated=true: the listing is incomplete")
else:
    sys.exit(f"unknown helper command {cmd}")
'

py() {
    python3 -c "$PY_HELPER" "$@"
}

# aws_call REGION SERVICE OPERATION [ARGS...]: one CLI call, JSON on stdout.
# Pagination is left to the CLI, which follows every NextToken/Marker itself. Never pass
# --max-items (or --page-size tricks with --no-paginate): the CLI would then stop early and
# leave a NextToken in the output, and the snapshot would silently be incomplete.
aws_call() {
    local region=$1
    shift
    local common=(--output json --region "$region")
    [[ -n $PROFILE ]] && common+=(--profile "$PROFILE")
    [[ -n $ENDPOINT_URL ]] && common+=(--endpoint-url "$ENDPOINT_URL")
    aws "${common[@]}" "$@"
}

# attempt FILE REGION SERVICE OPERATION [ARGS...]: write the call's output to FILE, atomically,
# after checking it is complete JSON. If the call fails, returns 1 with no FILE and the CLI's
# error text in FILE.err; output that is not complete JSON aborts the export.
attempt() {
    local file=$1
    shift
    local region=$1 service=$2 operation=$3
    mkdir -p "$(dirname "$file")"
    if ! aws_call "$@" >"$file.tmp" 2>"$file.err"; then
        rm -f "$file.tmp"
        return 1
    fi
    rm -f "$file.err"
    py check "$file.tmp" || die "aws $service $operation (region $region) returned unusable output"
    mv "$file.tmp" "$file"
}

# call_failed FILE REGION SERVICE OPERATION: report the failed call (its error in FILE.err), abort.
call_failed() {
    local file=$1 region=$2 service=$3 operation=$4
    log "aws $service $operation (region $region) failed:"
    cat "$file.err" >&2 2>/dev/null || true
    die "export aborted; nothing under the output directory was changed"
}

# fetch FILE REGION SERVICE OPERATION [ARGS...]: attempt; aborts the export on any failure.
fetch() {
    attempt "$@" || call_failed "$@"
}

# unavailable_reason ERRFILE: if the failed call's error text says the command or service is
# not offered (by the installed CLI, in this region, or by the --endpoint-url mock), print why
# and return 0; else return 1. See "Optional exports" above.
unavailable_reason() {
    local err=$1
    if grep -qiE 'argument (command|operation):.*invalid choice' "$err"; then
        echo "the installed AWS CLI has no such command (a newer CLI exports it)"
    elif grep -qE 'Could not connect to the endpoint URL|Unable to construct an endpoint|UnknownEndpoint' "$err"; then
        echo "the service has no reachable endpoint in this region"
    elif grep -qE 'UnsupportedOperation|InvalidAction|UnknownOperationException' "$err"; then
        echo "the operation is not supported in this region"
    elif [[ -n $ENDPOINT_URL ]] &&
        grep -qE 'Internal Server Error|\((500|501)\)|NotImplemented|not yet implemented' "$err"; then
        echo "the endpoint $ENDPOINT_URL does not implement it"
    else
        return 1
    fi
}

# fetch_optional FILE REGION SERVICE OPERATION [ARGS...]: fetch for an optional export. When
# the call is unavailable (unavailable_reason), logs a warning, writes no FILE and returns 1;
# any other failure aborts the export.
fetch_optional() {
    local file=$1 region=$2 service=$3 operation=$4 reason
    attempt "$@" && return 0
    reason=$(unavailable_reason "$file.err") || call_failed "$@"
    log "warning: skipped aws $service $operation (region $region): $reason; not exported (unknown to vpcreach)"
    rm -f "$file.err"
    rmdir "$(dirname "$file")" 2>/dev/null || true # only if attempt left it empty
    return 1
}

STAGE=""
cleanup() {
    if [[ -n $STAGE && -d $STAGE ]]; then
        rm -rf -- "$STAGE"
    fi
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------
# Exporters

export_ecs_cluster() {
    local region=$1 cluster_arn=$2 dir=$3
    local tmp=$dir/.tmp
    mkdir -p "$tmp"

    # Services: list-services (paginated by the CLI), describe-services 10 at a time.
    fetch "$tmp/list-services.json" "$region" ecs list-services --cluster "$cluster_arn"
    local services=() parts=() line i n=0
    while IFS= read -r line; do services+=("$line"); done < <(py strings "$tmp/list-services.json" serviceArns)
    for ((i = 0; i < ${#services[@]}; i += 10)); do
        n=$((n + 1))
        fetch "$tmp/services-$n.json" "$region" ecs describe-services --cluster "$cluster_arn" \
            --include TAGS --services "${services[@]:i:10}"
        parts+=("$tmp/services-$n.json")
    done
    py merge "$dir/describe-services.json" services ${parts[@]+"${parts[@]}"}

    # Tasks: list-tasks (RUNNING tasks, the default), describe-tasks 100 at a time.
    fetch "$tmp/list-tasks.json" "$region" ecs list-tasks --cluster "$cluster_arn"
    local tasks=()
    while IFS= read -r line; do tasks+=("$line"); done < <(py strings "$tmp/list-tasks.json" taskArns)
    parts=()
    n=0
    for ((i = 0; i < ${#tasks[@]}; i += 100)); do
        n=$((n + 1))
        fetch "$tmp/tasks-$n.json" "$region" ecs describe-tasks --cluster "$cluster_arn" \
            --include TAGS --tasks "${tasks[@]:i:100}"
        parts+=("$tmp/tasks-$n.json")
    done
    py merge "$dir/describe-tasks.json" tasks ${parts[@]+"${parts[@]}"}

    rm -rf -- "$tmp"
}

export_region() {
    local region=$1 dir=$2
    local op
    log "exporting $region"
    mkdir -p "$dir"

    for op in describe-vpcs describe-subnets describe-route-tables describe-security-groups \
        describe-network-acls describe-network-interfaces describe-instances \
        describe-internet-gateways describe-nat-gateways describe-vpc-peering-connections \
        describe-managed-prefix-lists describe-prefix-lists describe-dhcp-options; do
        fetch "$dir/$op.json" "$region" ec2 "$op"
    done
    # Security groups associated with further VPCs (optional: a recent API).
    fetch_optional "$dir/describe-security-group-vpc-associations.json" "$region" ec2 \
        describe-security-group-vpc-associations || true

    # Entries of every managed prefix list (customer- and AWS-managed).
    local pl_ids=() pl line
    while IFS= read -r line; do pl_ids+=("$line"); done < <(py field "$dir/describe-managed-prefix-lists.json" PrefixLists PrefixListId)
    for pl in ${pl_ids[@]+"${pl_ids[@]}"}; do
        fetch "$dir/prefix-list-entries/$pl.json" "$region" ec2 get-managed-prefix-list-entries \
            --prefix-list-id "$pl"
    done

    # Transit gateways (semantics.md §41): the gateways, their attachments (association; the VPC
    # attachments' subnets and options), route tables, and each table's routes.
    for op in describe-vpn-gateways describe-vpn-connections describe-transit-gateways describe-transit-gateway-attachments \
        describe-transit-gateway-vpc-attachments describe-transit-gateway-route-tables; do
        fetch "$dir/$op.json" "$region" ec2 "$op"
    done
    local tgw_tables=() tgw_table
    while IFS= read -r line; do tgw_tables+=("$line"); done < <(py field "$dir/describe-transit-gateway-route-tables.json" TransitGatewayRouteTables TransitGatewayRouteTableId)
    for tgw_table in ${tgw_tables[@]+"${tgw_tables[@]}"}; do
        fetch "$dir/transit-gateway-routes/$tgw_table.json" "$region" ec2 search-transit-gateway-routes \
            --transit-gateway-route-table-id "$tgw_table" --filters Name=state,Values=active,blackhole
    done

    # DNS attributes: describe-vpc-attribute takes exactly one attribute per call.
    local vpc_ids=() vpc attr
    while IFS= read -r line; do vpc_ids+=("$line"); done < <(py field "$dir/describe-vpcs.json" Vpcs VpcId)
    for vpc in ${vpc_ids[@]+"${vpc_ids[@]}"}; do
        for attr in enableDnsSupport enableDnsHostnames; do
            fetch "$dir/vpc-attributes/$vpc-$attr.json" "$region" ec2 describe-vpc-attribute \
                --vpc-id "$vpc" --attribute "$attr"
        done
    done

    # ECS clusters, services and tasks.
    fetch "$dir/.list-clusters.json" "$region" ecs list-clusters
    local clusters=() arn name
    while IFS= read -r line; do clusters+=("$line"); done < <(py strings "$dir/.list-clusters.json" clusterArns)
    rm -f "$dir/.list-clusters.json"
    for arn in ${clusters[@]+"${clusters[@]}"}; do
        name=${arn##*/}
        export_ecs_cluster "$region" "$arn" "$dir/ecs/$name"
    done

    # Load balancers and their listeners: a load balancer's interfaces accept only its listeners'
    # ports (semantics.md §38). describe-listeners takes one load balancer per call.
    fetch "$dir/elbv2/describe-load-balancers.json" "$region" elbv2 describe-load-balancers
    local lbs=() lb
    while IFS= read -r line; do lbs+=("$line"); done < <(py field "$dir/elbv2/describe-load-balancers.json" LoadBalancers LoadBalancerArn)
    for lb in ${lbs[@]+"${lbs[@]}"}; do
        name=${lb#*:loadbalancer/} # "app/NAME/ID"
        fetch "$dir/elbv2/listeners/${name//\//-}.json" "$region" elbv2 describe-listeners --load-balancer-arn "$lb"
    done
    fetch "$dir/elb/describe-load-balancers.json" "$region" elb describe-load-balancers
    log "  $region: ${#vpc_ids[@]} VPCs, ${#tgw_tables[@]} transit gateway route tables, ${#pl_ids[@]} managed prefix lists, ${#clusters[@]} ECS clusters, ${#lbs[@]} elbv2 load balancers"

    export_resolver "$region" "$dir"
}

# Route 53 Resolver rules, DNS Firewall and Route 53 Profiles of one region: what answers a
# VPC's DNS queries beyond its private hosted zones.
export_resolver() {
    local region=$1 dir=$2
    local r53r=$dir/route53resolver r53p=$dir/route53profiles line id
    fetch "$r53r/list-resolver-rules.json" "$region" route53resolver list-resolver-rules
    fetch "$r53r/list-resolver-rule-associations.json" "$region" route53resolver list-resolver-rule-associations
    local rules=()
    while IFS= read -r line; do rules+=("$line"); done < <(py field "$r53r/list-resolver-rules.json" ResolverRules Id)
    local summary="${#rules[@]} resolver rules"

    # DNS Firewall (optional): the rule groups associated with VPCs, their rules, and the domain
    # lists those rules use. list-firewall-domains output holds no list id: the file name is it.
    if fetch_optional "$r53r/list-firewall-rule-group-associations.json" "$region" route53resolver \
        list-firewall-rule-group-associations; then
        local groups=() rule_files=() lists=() skipped=0
        while IFS= read -r line; do groups+=("$line"); done < <(py distinct FirewallRuleGroupAssociations \
            FirewallRuleGroupId "$r53r/list-firewall-rule-group-associations.json")
        for id in ${groups[@]+"${groups[@]}"}; do
            fetch "$r53r/firewall-rules/$id.json" "$region" route53resolver list-firewall-rules \
                --firewall-rule-group-id "$id"
            rule_files+=("$r53r/firewall-rules/$id.json")
        done
        if [[ ${#rule_files[@]} -gt 0 ]]; then
            while IFS= read -r line; do lists+=("$line"); done < <(py distinct FirewallRules FirewallDomainListId \
                "${rule_files[@]}")
        fi
        for id in ${lists[@]+"${lists[@]}"}; do
            local file=$r53r/firewall-domains/$id.json
            attempt "$file" "$region" route53resolver list-firewall-domains --firewall-domain-list-id "$id" && continue
            # AWS-managed domain lists cannot be listed; their rules stay unknown to vpcreach.
            grep -qE 'AccessDenied|ValidationException' "$file.err" ||
                call_failed "$file" "$region" route53resolver list-firewall-domains
            log "warning: skipped firewall domain list $id (region $region): not listable (as AWS-managed" \
                "lists are not); not exported (unknown to vpcreach):"
            sed 's/^/    /' "$file.err" >&2
            rm -f "$file.err"
            rmdir "$(dirname "$file")" 2>/dev/null || true # only if nothing else is in it
            skipped=$((skipped + 1))
        done
        summary+=", ${#groups[@]} associated firewall rule groups, ${#lists[@]} domain lists ($skipped not listable)"
    else
        summary+=", DNS Firewall not exported"
    fi

    # Route 53 Profiles (optional): the profiles associated with VPCs and their resources.
    if fetch_optional "$r53p/list-profile-associations.json" "$region" route53profiles list-profile-associations; then
        local profiles=()
        while IFS= read -r line; do profiles+=("$line"); done < <(py distinct ProfileAssociations ProfileId \
            "$r53p/list-profile-associations.json")
        for id in ${profiles[@]+"${profiles[@]}"}; do
            fetch "$r53p/profile-resources/$id.json" "$region" route53profiles list-profile-resource-associations \
                --profile-id "$id"
        done
        summary+=", ${#profiles[@]} associated profiles"
    else
        summary+=", Route 53 Profiles not exported"
    fi
    log "  $region: $summary"
}

export_route53() {
    local region=$1 dir=$2
    log "exporting route53 (global)"
    mkdir -p "$dir"
    fetch "$dir/list-hosted-zones.json" "$region" route53 list-hosted-zones
    local zones=() zone id line
    while IFS= read -r line; do zones+=("$line"); done < <(py field "$dir/list-hosted-zones.json" HostedZones Id)
    for zone in ${zones[@]+"${zones[@]}"}; do
        id=${zone##*/} # "/hostedzone/Z123" -> "Z123"
        fetch "$dir/$id/get-hosted-zone.json" "$region" route53 get-hosted-zone --id "$id"
        fetch "$dir/$id/list-resource-record-sets.json" "$region" route53 list-resource-record-sets \
            --hosted-zone-id "$id"
    done
    log "  route53: ${#zones[@]} hosted zones"
}

# Replace DEST by the staged SRC (same filesystem, so mv is a rename).
install_dir() {
    local src=$1 dest=$2
    if [[ -e $dest ]]; then
        mv -- "$dest" "$dest.old.$$"
        mv -- "$src" "$dest"
        rm -rf -- "$dest.old.$$"
    else
        mv -- "$src" "$dest"
    fi
}

# ---------------------------------------------------------------------------------------
# Main

# The region for global calls (STS, describe-regions, Route 53).
if [[ ${#REGIONS[@]} -gt 0 ]]; then
    HOME_REGION=${REGIONS[0]}
else
    HOME_REGION=${AWS_REGION:-${AWS_DEFAULT_REGION:-}}
    if [[ -z $HOME_REGION ]]; then
        if [[ -n $PROFILE ]]; then
            HOME_REGION=$(aws configure get region --profile "$PROFILE" 2>/dev/null || true)
        else
            HOME_REGION=$(aws configure get region 2>/dev/null || true)
        fi
    fi
    if [[ -z $HOME_REGION ]]; then
        [[ $ALL_REGIONS -eq 1 ]] || die "no region given (-r REGION or --all-regions) and none configured"
        HOME_REGION=us-east-1
    fi
fi

mkdir -p "$OUT"
STAGE=$(mktemp -d "$OUT/.export.XXXXXX")

fetch "$STAGE/caller-identity.json" "$HOME_REGION" sts get-caller-identity
ACCOUNT=$(py scalar "$STAGE/caller-identity.json" Account)
[[ $ACCOUNT =~ ^[0-9]{12}$ ]] || die "unexpected account id from sts get-caller-identity: $ACCOUNT"
log "account $ACCOUNT"

if [[ $ALL_REGIONS -eq 1 ]]; then
    fetch "$STAGE/describe-regions.json" "$HOME_REGION" ec2 describe-regions
    while IFS= read -r line; do REGIONS+=("$line"); done < <(py field "$STAGE/describe-regions.json" Regions RegionName)
    [[ ${#REGIONS[@]} -gt 0 ]] || die "describe-regions returned no regions"
elif [[ ${#REGIONS[@]} -eq 0 ]]; then
    REGIONS=("$HOME_REGION")
fi

# De-duplicate regions, keeping order (no associative arrays: bash 3.2 has none).
UNIQUE=()
for r in "${REGIONS[@]}"; do
    case " ${UNIQUE[*]-} " in *" $r "*) continue ;; esac
    UNIQUE+=("$r")
done
REGIONS=("${UNIQUE[@]}")

for r in "${REGIONS[@]}"; do
    export_region "$r" "$STAGE/$ACCOUNT/$r"
done
export_route53 "$HOME_REGION" "$STAGE/$ACCOUNT/route53"

# Everything succeeded: move each region and route53 into place.
mkdir -p "$OUT/$ACCOUNT"
for r in "${REGIONS[@]}" route53; do
    install_dir "$STAGE/$ACCOUNT/$r" "$OUT/$ACCOUNT/$r"
done
log "snapshot written to $OUT/$ACCOUNT (regions: ${REGIONS[*]})"
