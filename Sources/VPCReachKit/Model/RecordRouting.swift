/// How Route 53 chooses among the record sets of one name and type (its routing policy), as a
/// private hosted zone applies it to a query from a VPC.
///
/// Route 53 developer guide, "Choosing a routing policy" and "Routing policies for private hosted
/// zones": latency and geolocation records in a private zone answer by the Region of the VPC the
/// query comes from; weighted, failover and multivalue records depend on weights and health, which
/// the snapshot only partly holds, so every set that may answer is kept.
public enum RecordRouting: Hashable, Sendable {
    /// One record set for the name and type.
    case simple
    /// `Weight`: chosen in proportion to its weight; 0 only when every weight of the name is 0 (or
    /// the others are unhealthy).
    case weighted(weight: Int)
    /// `Region`: the set of the query's Region answers, else the closest one.
    case latency(region: String)
    /// `Failover`: PRIMARY while healthy, else SECONDARY.
    case failover(primary: Bool)
    /// `GeoLocation`: the most specific location holding the query's origin, else the default (`*`).
    case geolocation(GeoLocation)
    /// `MultiValueAnswer`: every healthy set.
    case multivalue
    /// Any other policy (`GeoProximityLocation`, `CidrRoutingConfig`): every set may answer.
    case other(String)
}

/// A record set's `GeoLocation`: a continent, a country (with a US state), or the default `*`.
public struct GeoLocation: Hashable, Sendable {
    public var continent: String?
    public var country: String?
    public var subdivision: String?

    public var isDefault: Bool { country == "*" }

    /// How specific a match of this location is for `origin` (3 state, 2 country, 1 continent, 0
    /// default); `nil` when it does not hold the origin.
    func specificity(for origin: RegionLocation) -> Int? {
        if isDefault { return 0 }
        if let subdivision { return country == origin.country && subdivision == origin.subdivision ? 3 : nil }
        if let country { return country == origin.country ? 2 : nil }
        if let continent { return continent == origin.continent ? 1 : nil }
        return nil
    }
}

/// Where an AWS Region is, in the terms of Route 53 geolocation records.
public struct RegionLocation: Hashable, Sendable {
    public var continent: String
    public var country: String
    public var subdivision: String?

    /// The location of each commercial and GovCloud Region (AWS's Regions and Availability Zones
    /// page gives their cities).
    static let regions: [String: RegionLocation] = {
        func at(_ continent: String, _ country: String, _ subdivision: String? = nil) -> RegionLocation {
            RegionLocation(continent: continent, country: country, subdivision: subdivision)
        }
        return [
            "us-east-1": at("NA", "US", "VA"), "us-east-2": at("NA", "US", "OH"), "us-west-1": at("NA", "US", "CA"),
            "us-west-2": at("NA", "US", "OR"), "us-gov-east-1": at("NA", "US", "OH"),
            "us-gov-west-1": at("NA", "US", "OR"),
            "ca-central-1": at("NA", "CA"), "ca-west-1": at("NA", "CA"), "mx-central-1": at("NA", "MX"),
            "sa-east-1": at("SA", "BR"), "af-south-1": at("AF", "ZA"),
            "eu-west-1": at("EU", "IE"), "eu-west-2": at("EU", "GB"), "eu-west-3": at("EU", "FR"),
            "eu-central-1": at("EU", "DE"),
            "eu-central-2": at("EU", "CH"), "eu-north-1": at("EU", "SE"), "eu-south-1": at("EU", "IT"),
            "eu-south-2": at("EU", "ES"),
            "il-central-1": at("AS", "IL"), "me-south-1": at("AS", "BH"), "me-central-1": at("AS", "AE"),
            "ap-east-1": at("AS", "HK"), "ap-east-2": at("AS", "TW"), "ap-south-1": at("AS", "IN"),
            "ap-south-2": at("AS", "IN"),
            "ap-southeast-1": at("AS", "SG"), "ap-southeast-2": at("OC", "AU"), "ap-southeast-3": at("AS", "ID"),
            "ap-southeast-4": at("OC", "AU"), "ap-southeast-5": at("AS", "MY"), "ap-southeast-7": at("AS", "TH"),
            "ap-northeast-1": at("AS", "JP"), "ap-northeast-2": at("AS", "KR"), "ap-northeast-3": at("AS", "JP"),
            "cn-north-1": at("AS", "CN"), "cn-northwest-1": at("AS", "CN"),
        ]
    }()
}

/// The record sets that may answer a query, and how they were chosen.
public struct RecordSelection: Sendable {
    /// The sets any of which may give the answer (their values are joined).
    public var sets: [ResourceRecordSet]
    /// How they were chosen, for the answer's steps; `nil` for a single simple set.
    public var note: String?
}

extension [ResourceRecordSet] {
    /// The record sets of one name and type that may answer a query from a VPC in `region`.
    ///
    /// An empty selection means the name has sets of this type but none answers from there (a
    /// geolocation name with no location holding the Region and no default: Route 53 answers
    /// NODATA).
    public func answering(fromRegion region: String?) -> RecordSelection {
        guard count > 1 || first.map({ $0.routing != .simple }) ?? false else {
            return RecordSelection(sets: self, note: nil)
        }
        let latency = compactMap { set -> (String, ResourceRecordSet)? in
            if case .latency(let region) = set.routing { return (region, set) }
            return nil
        }
        if !latency.isEmpty && latency.count == count {
            guard let region else {
                return RecordSelection(
                    sets: self, note: "latency records: the source VPC's Region is not known, so any of them may answer"
                )
            }
            let local = latency.filter { $0.0 == region }.map(\.1)
            // An unhealthy nearest set gives way to the next closest Region's.
            if local.contains(where: \.isHealthChecked) {
                return RecordSelection(
                    sets: self,
                    note:
                        "latency records: the set for \(region) is health-checked, and when unhealthy the next closest Region's answers, so any of them may"
                )
            }
            if !local.isEmpty {
                return RecordSelection(
                    sets: local, note: "latency records: the set for \(region), the source VPC's Region, answers")
            }
            return RecordSelection(
                sets: self,
                note:
                    "latency records: none is for \(region); the closest Region's set answers, and any of them may be it"
            )
        }
        let geo = compactMap { set -> (GeoLocation, ResourceRecordSet)? in
            if case .geolocation(let location) = set.routing { return (location, set) }
            return nil
        }
        if !geo.isEmpty && geo.count == count {
            guard let region, let origin = RegionLocation.regions[region] else {
                return RecordSelection(
                    sets: self,
                    note:
                        "geolocation records: the location of the source VPC's Region is not known, so any of them may answer"
                )
            }
            let ranked = geo.compactMap { location, set in location.specificity(for: origin).map { ($0, set) } }
            guard let best = ranked.map(\.0).max() else {
                return RecordSelection(
                    sets: [],
                    note:
                        "geolocation records: none holds \(region) and there is no default (*), so Route 53 answers with no record"
                )
            }
            let sets = ranked.filter { $0.0 == best }.map(\.1)
            // An unhealthy match gives way to a less specific one, then to the default.
            if sets.contains(where: \.isHealthChecked) {
                return RecordSelection(
                    sets: ranked.map(\.1),
                    note:
                        "geolocation records: the sets holding \(region) are health-checked, and when unhealthy a less specific one or the default answers, so any of them may"
                )
            }
            return RecordSelection(
                sets: sets,
                note:
                    "geolocation records: \(sets.compactMap(\.setIdentifier).joined(separator: ", ")) holds \(region), the source VPC's Region"
            )
        }
        let failover = compactMap { set -> (Bool, ResourceRecordSet)? in
            if case .failover(let primary) = set.routing { return (primary, set) }
            return nil
        }
        if !failover.isEmpty && failover.count == count {
            // A record without a health check is healthy: an unchecked primary always answers.
            let primaries = failover.filter(\.0).map(\.1)
            if !primaries.isEmpty && !primaries.contains(where: \.isHealthChecked) {
                return RecordSelection(
                    sets: primaries,
                    note: "failover records: the primary has no health check, so it is always healthy and answers")
            }
            return RecordSelection(
                sets: self,
                note:
                    "failover records: the primary's health is not in the snapshot, so the primary or the secondary may answer"
            )
        }
        let weights = compactMap { set -> Int? in
            if case .weighted(let weight) = set.routing { return weight }
            return nil
        }
        if !weights.isEmpty && weights.count == count && weights.contains(where: { $0 > 0 }) {
            // Zero-weight sets answer only when every weighted set with a weight is unhealthy.
            let guarded = contains { $0.isHealthChecked }
            if !guarded {
                let sets = filter {
                    if case .weighted(let weight) = $0.routing { return weight > 0 } else { return true }
                }
                return RecordSelection(sets: sets, note: "weighted records: every set with a weight above 0 may answer")
            }
            return RecordSelection(
                sets: self,
                note: "weighted records: health checks may leave only the zero-weight sets, so any of them may answer")
        }
        return RecordSelection(
            sets: self,
            note:
                "\(count) record sets (\(Set(map(\.routing.name)).sorted().joined(separator: ", "))): any of them may answer"
        )
    }
}

extension RecordRouting {
    /// The policy's name in the answer's words.
    var name: String {
        switch self {
        case .simple: "simple"
        case .weighted: "weighted"
        case .latency: "latency"
        case .failover: "failover"
        case .geolocation: "geolocation"
        case .multivalue: "multivalue"
        case .other(let name): name
        }
    }
}
