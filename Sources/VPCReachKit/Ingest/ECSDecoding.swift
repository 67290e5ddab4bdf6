import Foundation
import PacketSets

/// Readers for `aws ecs describe-services` and `describe-tasks`.
extension FileReader {
    /// The cluster name from a cluster ARN (`arn:aws:ecs:…:cluster/NAME`), else from the path (`ecs/NAME/…`).
    func clusterName(arn: String?) -> String {
        if let arn, let range = arn.range(of: ":cluster/") { return String(arn[range.upperBound...]) }
        if let index = context.pathComponents.firstIndex(of: "ecs"), index + 2 < context.pathComponents.count {
            return context.pathComponents[index + 1]
        }
        return "default"
    }

    mutating func readECSService(_ node: JSONNode) throws {
        let configuration = node["networkConfiguration"]?["awsvpcConfiguration"]
        let service = ECSService(
            clusterName: clusterName(arn: try node.optionalString("clusterArn")),
            name: try node.string("serviceName"), arn: try node.optionalString("serviceArn"),
            subnetIDs: try configuration?.array("subnets").map { try $0.string() } ?? [],
            securityGroupIDs: try configuration?.array("securityGroups").map { try $0.string() } ?? [],
            assignsPublicIP: try configuration?.optionalString("assignPublicIp") == "ENABLED",
            desiredCount: try node.optionalInt("desiredCount"), runningCount: try node.optionalInt("runningCount"),
            source: context.location(node))
        steps.append(.ecsService(service))
    }

    mutating func readECSTask(_ node: JSONNode) throws {
        let group = try node.optionalString("group")
        var task = ECSTask(
            arn: try node.string("taskArn"), clusterName: clusterName(arn: try node.optionalString("clusterArn")),
            serviceName: group.flatMap { $0.hasPrefix("service:") ? String($0.dropFirst("service:".count)) : nil },
            lastStatus: try node.optionalString("lastStatus"), attachmentID: nil, networkInterfaceID: nil,
            privateAddress: nil, subnetID: nil, source: context.location(node))
        for attachment in try node.array("attachments")
        where try attachment.optionalString("type") == "ElasticNetworkInterface" {
            task.attachmentID = try attachment.optionalString("id")
            for detail in try attachment.array("details") {
                let value = try detail.optionalString("value")
                switch try detail.optionalString("name") {
                case "networkInterfaceId": task.networkInterfaceID = value
                case "subnetId": task.subnetID = value
                case "privateIPv4Address": task.privateAddress = value.flatMap { IPv4Address($0) }
                default: break
                }
            }
        }
        steps.append(.ecsTask(task))
    }
}
