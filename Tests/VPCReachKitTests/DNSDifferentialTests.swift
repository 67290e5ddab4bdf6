import PacketSets
import Testing
@testable import VPCReachKit

/// The engine's `DNSResolver` and `DNSSimulator` (written from docs/semantics.md §31-§35 alone)
/// agree on random DNS estates (`RandomDNSEstate`): every VPC, and a VPC outside the snapshot, asks
/// about twenty names (names in and below the private zones, EC2 hostnames in and out of the VPCs
/// and Regions, public and reserved names). They must give the same kind of answer: the same set
/// of addresses, the same failure code (NXDOMAIN, Resolver disabled, DNS Firewall block), or
/// unknown. Where the spec names the component of a failure of the queried name itself (the zone,
/// the VPC, the rule group), that must agree too.
@Suite struct DNSDifferentialTests {
    static let seeds: Range<UInt64> = 0..<60
    static let batches = 3

    struct Tally {
        var checks = 0
        var outcomes: [String: Int] = [:]
        var features: [String: Int] = [:]
        var disagreements: [String] = []
        var componentDisagreements: [String] = []
    }

    static func outcome(of answer: DNSAnswer) -> DNSSimulator.Outcome {
        switch answer {
        case .addresses(let addresses, _, _): .addresses(Set(addresses.map(\.value)))
        case .failure(let failure):
            switch failure.code {
            case .nxdomain: .nxdomain
            case .resolverDisabled: .resolverDisabled
            case .firewallBlock: .firewallBlock
            }
        case .unknown: .unknown
        }
    }

    static func describe(_ answer: DNSAnswer) -> String {
        switch answer {
        case .addresses(let addresses, let steps, _):
            "addresses \(addresses.map(\.description).sorted().joined(separator: ",")) (\(steps.joined(separator: " | ")))"
        case .failure(let failure): "\(failure.code.rawValue) [\(failure.component ?? "-")]: \(failure.reason)"
        case .unknown(let reason): "unknown: \(reason)"
        }
    }

    static func kind(_ outcome: DNSSimulator.Outcome) -> String {
        switch outcome {
        case .addresses: "addresses"
        case .nxdomain, .resolverDisabled, .firewallBlock: "failure"
        case .unknown: "unknown"
        }
    }

    static func trimmed(_ text: String?) -> String? {
        guard let text else { return nil }
        return text.hasSuffix(".") ? String(text.dropLast()) : text
    }

    static func run(_ seeds: Range<UInt64>) -> Tally {
        var tally = Tally()
        for seed in seeds {
            let snapshot = RandomDNSEstate.make(seed: seed)
            let engine = DNSResolver(index: NetworkIndex(snapshot))
            let simulator = DNSSimulator(snapshot: snapshot)
            let names = RandomDNSEstate.queryNames(seed: seed, snapshot: snapshot)
            let sources = snapshot.vpcs.keys.sorted() + ["vpc-ghost"]
            for source in sources {
                for name in source == "vpc-ghost" ? Array(names.prefix(2)) : names {
                    let expected = simulator.resolve(name, fromVPC: source)
                    let answer = engine.resolve(name, fromVPC: source)
                    let actual = outcome(of: answer)
                    tally.checks += 1
                    tally.outcomes[kind(actual), default: 0] += 1
                    if kind(actual) == "failure" { tally.outcomes["\(actual)", default: 0] += 1 }
                    guard actual == expected.outcome else {
                        tally.disagreements.append(
                            "seed \(seed), \(source), \(name): engine \(describe(answer)); simulator \(expected.outcome) (\(expected.reason); features \(expected.features.sorted()))")
                        continue
                    }
                    for feature in expected.features { tally.features[feature, default: 0] += 1 }
                    if case .failure(let failure) = answer, let component = expected.component, trimmed(failure.component) != trimmed(component) {
                        tally.componentDisagreements.append(
                            "seed \(seed), \(source), \(name): engine \(describe(answer)); simulator component \(component) (\(expected.reason))")
                    }
                }
            }
        }
        return tally
    }

    static func report(_ list: [String], _ what: String) -> String {
        "\(list.count) \(what), first:\n" + list.prefix(5).joined(separator: "\n")
    }

    @Test(arguments: 0..<batches)
    func engineAgreesWithTheDNSSimulator(batch: Int) {
        let size = UInt64(Self.seeds.count / Self.batches)
        let tally = Self.run((UInt64(batch) * size)..<(UInt64(batch) * size + size))
        for line in tally.disagreements + tally.componentDisagreements { print("DNSDifferential disagreement: \(line)") }
        let (disagreements, componentDisagreements) = (tally.disagreements.count, tally.componentDisagreements.count)
        #expect(disagreements == 0, "\(Self.report(tally.disagreements, "disagreements in \(tally.checks) checks"))")
        #expect(componentDisagreements == 0, "\(Self.report(tally.componentDisagreements, "component disagreements"))")
        // Mutation-checked on the engine: EC2 domains without enableDnsHostnames (29 disagreements),
        // DNS Firewall ALERT blocking instead of passing (73).
    }

    /// Every kind of answer occurs, and every feature of Part H decides some answers on which the
    /// engine and the simulator agree, so the comparison cannot pass vacuously.
    @Test func everyOutcomeAndFeatureDecidesSomeAnswers() {
        let tally = Self.run(Self.seeds)
        let counts = tally.outcomes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let features = tally.features.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        print("DNSDifferential: \(tally.checks) checks, \(tally.disagreements.count) disagreements; \(counts)\nfeatures: \(features)")
        for kind in ["addresses", "failure", "unknown", "NXDOMAIN", "FIREWALL_BLOCK", "RESOLVER_DISABLED"] {
            #expect((tally.outcomes[kind] ?? 0) > 30, "\(kind): \(counts)")
        }
        // About half of what the seeds give today: enough that each feature decides answers.
        let minimums: [String: Int] = [
            // §32
            "dhcp-custom": 100, "dhcp-no-server": 60, "dhcp-assumed": 500, "resolver-disabled": 30, "dns-support-off-unknown": 60,
            "zone-hostnames-off": 40, "zone-attributes-missing": 60, "ec2-attributes-missing": 10,
            // §31, §34, §34a
            "source-outside": 100, "undetermined-zone": 60, "unassociated-zone": 40, "reserved-tld": 40, "public-unknown": 80,
            "forward-rule": 30, "system-rule": 40, "missing-rule": 20, "profile-zone": 20, "zone-beats-ec2": 20,
            "ec2-address": 50, "ec2-address-own-nonprivate": 4, "ec2-peer-region": 8, "ec2-public-unknown": 30, "ec2-resource-unknown": 20,
            "ec2-nxdomain": 60,
            // §34b
            "firewall-block": 30, "firewall-block-in-chain": 2, "firewall-override": 10, "firewall-unknown": 30, "firewall-allow": 40,
            "firewall-alert": 25, "trusted-redirection": 4, "trusted-redirection-skips-a-rule": 2, "profile-firewall": 10,
            // §33, §35
            "zone-nxdomain": 100, "nodata": 30, "empty-non-terminal": 15, "wildcard": 50, "cname": 30, "alias": 30, "alias-outside": 4,
            "non-ipv4": 2, "chain-limit": 10, "union-drops-failure": 3, "weighted-zero-dropped": 6, "weighted-health-keeps-zero": 4,
            "weighted-all-zero": 3, "failover-primary-alone": 8, "failover-both": 2, "multivalue": 10, "latency-choice": 8,
            "latency-none-local": 8, "geolocation-choice": 12, "geolocation-none": 10, "geolocation-default": 12,
        ]
        for (feature, minimum) in minimums.sorted(by: { $0.key < $1.key }) {
            #expect((tally.features[feature] ?? 0) >= minimum, "\(feature): \(tally.features[feature] ?? 0) < \(minimum)")
        }
    }
}
