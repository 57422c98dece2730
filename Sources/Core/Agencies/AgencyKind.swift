/// What kind of body an agency is. Raw values are stable API strings; `label` is the UI term.
public enum AgencyKind: String, CaseIterable, Codable, Sendable {
    /// 政府 — a level's government (区政府, 县政府, 市政府).
    case government
    /// 党委 — a party committee.
    case partyCommittee
    /// 新闻办/外宣办/宣传部 — the supervising news office of a level (SPEC Actors).
    case newsOffice
    /// 部门 — a department of the level (区级部门, 市直部门).
    case department
    /// 乡镇/街道 — township or street office.
    case township
    /// 开发区 — development zone.
    case developmentZone
    /// 议事协调机构 — ad-hoc coordination body (002 §六(一)).
    case coordinationBody

    public var label: String {
        switch self {
        case .government: "政府"
        case .partyCommittee: "党委"
        case .newsOffice: "新闻办"
        case .department: "部门"
        case .township: "乡镇/街道"
        case .developmentZone: "开发区"
        case .coordinationBody: "议事协调机构"
        }
    }

    public init?(label: String) {
        guard let k = AgencyKind.allCases.first(where: { $0.label == label || $0.rawValue == label }) else { return nil }
        self = k
    }
}

/// One node of the agency tree as the access rules see it.
public struct AgencyNode: Hashable, Sendable {
    public let id: String
    public let parentID: String?
    public let jurisdictionID: String
    public let kind: AgencyKind

    public init(id: String, parentID: String?, jurisdictionID: String, kind: AgencyKind) {
        self.id = id
        self.parentID = parentID
        self.jurisdictionID = jurisdictionID
        self.kind = kind
    }
}

/// The agency tree of all jurisdictions, with the supervision relation the regulations define:
/// a level's news office supervises every agency of its level and below (001 §7; 003 §4).
public struct AgencyTree: Sendable {
    public let nodes: [String: AgencyNode]
    private let children: [String?: [String]]

    public init(_ nodes: [AgencyNode]) {
        self.nodes = Dictionary(nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.children = Dictionary(grouping: nodes, by: \.parentID).mapValues { $0.map(\.id) }
    }

    /// `id` and everything below it.
    public func subtree(of id: String) -> Set<String> {
        var out: Set<String> = []
        var stack = [id]
        while let next = stack.popLast() {
            guard out.insert(next).inserted else { continue }
            stack.append(contentsOf: children[next] ?? [])
        }
        return out
    }

    /// The agencies a news office supervises: its level is its parent (a government node) or,
    /// at the top, the whole jurisdiction.
    public func supervisedBy(newsOffice id: String) -> Set<String> {
        guard let office = nodes[id] else { return [] }
        if let parent = office.parentID { return subtree(of: parent) }
        return Set(nodes.values.filter { $0.jurisdictionID == office.jurisdictionID }.map(\.id))
    }

    /// The news office that supervises `id`: the nearest news office on the same level or above.
    public func supervisingNewsOffice(of id: String) -> String? {
        var level: String? = nodes[id]?.parentID
        let jurisdiction = nodes[id]?.jurisdictionID
        var seen: Set<String> = []
        while true {
            let siblings = (children[level] ?? []).compactMap { nodes[$0] }
                .filter { $0.kind == .newsOffice && $0.jurisdictionID == jurisdiction && $0.id != id }
            if let office = siblings.first { return office.id }
            guard let l = level, seen.insert(l).inserted else { return nil }
            level = nodes[l]?.parentID
        }
    }

    /// The government of the level `id` belongs to: itself when it is a government, its parent
    /// government (departments below a county-level city), or the government beside it at the
    /// top of a jurisdiction (a district's departments sit next to the district government).
    public func levelGovernment(of id: String) -> String? {
        guard let node = nodes[id] else { return nil }
        if node.kind == .government { return id }
        if let parent = node.parentID, nodes[parent]?.kind == .government { return parent }
        return (children[node.parentID] ?? []).compactMap { nodes[$0] }
            .first { $0.kind == .government && $0.jurisdictionID == node.jurisdictionID }?.id
    }

    /// Whether `ancestor` lies strictly above `id`.
    public func isAbove(_ ancestor: String, _ id: String) -> Bool {
        var next = nodes[id]?.parentID
        var seen: Set<String> = []
        while let n = next, seen.insert(n).inserted {
            if n == ancestor { return true }
            next = nodes[n]?.parentID
        }
        return false
    }
}
