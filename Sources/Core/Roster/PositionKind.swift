/// A post in an agency's news-release team (SPEC §1).
public enum PositionKind: String, CaseIterable, Codable, Sendable {
    /// 主要负责人 — the principal, "第一新闻发言人" (001 §10(一)).
    case principal
    /// 新闻发言人 (001 §8(二); 003 §8; 004 §六).
    case spokesperson
    /// 新闻助理 / 发言人助理 (001 §8(二); 003 §8).
    case assistant
    /// 联络员 (004 §六).
    case liaison
    /// 临时新闻发言人 — authorised for a special matter, with a scope and an end date (003 §8; 002 §六(一)).
    case temporarySpokesperson

    public var label: String {
        switch self {
        case .principal: "主要负责人"
        case .spokesperson: "新闻发言人"
        case .assistant: "新闻助理"
        case .liaison: "联络员"
        case .temporarySpokesperson: "临时新闻发言人"
        }
    }

    public init?(label: String) {
        guard let k = PositionKind.allCases.first(where: { $0.label == label || $0.rawValue == label }) else { return nil }
        self = k
    }

    /// Posts that appear on the published yearly list (001 §8(三); 003 §9; 004 §六).
    public var isPublished: Bool {
        switch self {
        case .spokesperson, .assistant, .liaison: true
        case .principal, .temporarySpokesperson: false
        }
    }
}

/// One person holding one post in one agency over a span of days.
public struct PositionTerm: Hashable, Sendable {
    public var id: String
    public var agencyID: String
    public var personID: String
    public var kind: PositionKind
    public var title: String
    public var start: CivilDate
    /// Last day held; `nil` while held.
    public var end: CivilDate?
    /// What a temporary spokesperson may speak on.
    public var scope: String?

    public init(id: String, agencyID: String, personID: String, kind: PositionKind, title: String = "",
                start: CivilDate, end: CivilDate? = nil, scope: String? = nil) {
        self.id = id
        self.agencyID = agencyID
        self.personID = personID
        self.kind = kind
        self.title = title
        self.start = start
        self.end = end
        self.scope = scope
    }

    public func isHeld(on day: CivilDate) -> Bool {
        start <= day && (end.map { day <= $0 } ?? true)
    }

    /// Whether two terms share at least one day.
    public func overlaps(_ other: PositionTerm) -> Bool {
        let aEnd = end, bEnd = other.end
        let startsBeforeOtherEnds = bEnd.map { start <= $0 } ?? true
        let otherStartsBeforeThisEnds = aEnd.map { other.start <= $0 } ?? true
        return startsBeforeOtherEnds && otherStartsBeforeThisEnds
    }
}
