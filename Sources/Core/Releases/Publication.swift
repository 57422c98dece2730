import Foundation

/// What the public portal may show of an activity (SPEC §11). Nothing reaches the public before
/// it is approved, has passed its confidentiality review and is due to publish: the stages that
/// answer `true` here can only be reached through those steps (scheduling needs the review;
/// releasing needs it too). Decisions, comments, review notes and non-public documents are
/// never public, whatever the stage.
public enum Publication {
    /// A 发布预告: scheduled, and its preview published.
    public static func isPreview(stage: ActivityStage, previewPublishedAt: Date?) -> Bool {
        stage == .scheduled && previewPublishedAt != nil
    }

    /// A record (发布实录): a conference that was held, or a released activity.
    public static func isRecord(stage: ActivityStage) -> Bool {
        [.held, .closed, .released].contains(stage)
    }

    /// Either of the two.
    public static func isPublic(stage: ActivityStage, previewPublishedAt: Date?) -> Bool {
        isPreview(stage: stage, previewPublishedAt: previewPublishedAt) || isRecord(stage: stage)
    }

    /// The stages a public query may ever return.
    public static let publicStages: [ActivityStage] = [.scheduled, .held, .closed, .released]
}

/// The columns of the portal's release column besides previews: SPEC §11 and 004 §五(三)
/// "设立发布预告、发布会文字和视频实录、发言人名录、专家解读等栏目", plus 政策解读 (SPEC R8.2:
/// the interpretation is published on the same sites as the policy).
public enum PortalColumn: String, CaseIterable, Codable, Sendable {
    /// 政策解读: a record whose content category is 政策解读, or a 政策吹风会 (background briefing).
    case policy
    /// 专家解读: a record where an expert spoke (004 §五(三)).
    case expert
    /// 发布实录: every record — a conference held or a release published (文字和视频实录).
    case records

    public var label: String {
        switch self {
        case .policy: "政策解读"
        case .expert: "专家解读"
        case .records: "发布实录"
        }
    }

    /// The columns a public record belongs to; a preview belongs to none of them.
    public static func columns(isRecord: Bool, form: ReleaseForm, category: ContentCategory?, hasExpert: Bool) -> Set<PortalColumn> {
        guard isRecord else { return [] }
        var out: Set<PortalColumn> = [.records]
        if category == .policyInterpretation || form == .backgroundBriefing { out.insert(.policy) }
        if hasExpert { out.insert(.expert) }
        return out
    }
}

/// A reader's search of the portal, split into at most five terms of 2 to 50 characters.
/// Chinese words are often two characters long (疫情, 医保), so two must work; one is too broad.
public struct PortalQuery: Equatable, Sendable {
    public let terms: [String]

    public init(_ raw: String?) throws {
        let words = (raw ?? "").lowercased().split(whereSeparator: { $0.isWhitespace }).map(String.init)
        var v = Validator()
        if words.isEmpty { v.add("q", "请输入要搜索的词语") }
        if words.contains(where: { $0.unicodeScalars.contains { CharacterSet.controlCharacters.contains($0) } }) {
            v.add("q", "搜索词含有控制字符，请只输入文字")
        }
        if words.count > 5 { v.add("q", "搜索词最多5个，用空格分开") }
        if let short = words.first(where: { $0.count < 2 }) { v.add("q", "搜索词“\(short)”太短：每个词至少2个字") }
        if let long = words.first(where: { $0.count > 50 }) { v.add("q", "搜索词“\(long.prefix(10))…”太长：每个词最多50个字") }
        try v.check()
        terms = words
    }
}
