/// 发布形式 — how an activity reaches the public (SPEC §3; 001 §6; 002 §四; 003 §16).
public enum ReleaseForm: String, Codable, Sendable, CaseIterable {
    case pressConference, briefing, backgroundBriefing, exclusiveInterview, groupInterview
    case writtenRelease, mediaForum, journalistReception, qaSession, remoteAnswer

    public var label: String {
        switch self {
        case .pressConference: "新闻发布会"
        case .briefing: "新闻通报会"
        case .backgroundBriefing: "新闻通气会/政策吹风会"
        case .exclusiveInterview: "媒体专访"
        case .groupInterview: "集体采访"
        case .writtenRelease: "书面发布（新闻稿）"
        case .mediaForum: "媒体座谈会"
        case .journalistReception: "新闻记者招待会"
        case .qaSession: "线上线下答问"
        case .remoteAnswer: "电话/传真/邮件答复"
        }
    }

    /// Only a 新闻发布会 runs the full conference workflow (SPEC §4); every other form takes the
    /// light path: record → content approved → released.
    public var isConference: Bool { self == .pressConference }
}

/// 发布内容类别 (SPEC §2; 001 §5; 002 §三; 003 §13).
public enum ContentCategory: String, Codable, Sendable, CaseIterable {
    case governmentAffairs, policyInterpretation, publicConcern, emergency, warning, majorEvent, oversightResponse, other

    public var label: String {
        switch self {
        case .governmentAffairs: "政务公开/常规政务信息"
        case .policyInterpretation: "政策解读"
        case .publicConcern: "舆情回应/社会热点"
        case .emergency: "突发事件"
        case .warning: "重要预警"
        case .majorEvent: "重大活动"
        case .oversightResponse: "舆论监督回应"
        case .other: "其他"
        }
    }
}

/// 发布会类别 — 例行、专题、应急 (001 §14).
public enum ConferenceClass: String, Codable, Sendable, CaseIterable {
    case routine, thematic, emergency

    public var label: String {
        switch self {
        case .routine: "例行发布会"
        case .thematic: "专题发布会"
        case .emergency: "应急发布会"
        }
    }
}

/// Who organises an activity; quotas count these differently (SPEC §6, e.g. 001 §13(三)
/// "至少参加1次市政府新闻办组织的新闻发布活动").
public enum OrganiserLevel: String, Codable, Sendable, CaseIterable {
    case superiorNewsOffice, ownNewsOffice, selfHeld

    public var label: String {
        switch self {
        case .superiorNewsOffice: "上级新闻办组织"
        case .ownNewsOffice: "本级新闻办组织"
        case .selfHeld: "本单位自行举办"
        }
    }
}

/// In whose name a conference is held, which decides the speaker rules (001 §15(四)).
public enum ConferenceLevel: String, Codable, Sendable, CaseIterable {
    /// 以政府名义
    case government
    /// 以新闻办名义，或部门自行召开
    case newsOffice

    public var label: String {
        switch self {
        case .government: "以政府名义"
        case .newsOffice: "以新闻办名义或部门自行召开"
        }
    }
}

/// A participant's part in an activity.
public enum ParticipantRole: String, Codable, Sendable, CaseIterable {
    case mainSpeaker, host, speaker, expert, guest

    public var label: String {
        switch self {
        case .mainSpeaker: "主发布人"
        case .host: "主持人"
        case .speaker: "发布人"
        case .expert: "专家"
        case .guest: "嘉宾"
        }
    }

    /// Who sits on the podium (主席台) by default; a guest sits in the hall unless marked.
    public var onPodiumByDefault: Bool { self != .guest }
}

/// A segment of the programme (议程).
public enum SegmentKind: String, Codable, Sendable, CaseIterable {
    case opening, statement, qa, other

    public var label: String {
        switch self {
        case .opening: "主持开场"
        case .statement: "发布"
        case .qa: "记者提问"
        case .other: "其他"
        }
    }
}

/// What an uploaded document is: one of the conference documents, or a record of afterwards.
public enum DocumentKinds {
    /// Kinds beyond `ConferenceDocument`, with their labels.
    /// The policy a release is about and its interpretation are shown apart on the public
    /// record (SPEC R8.2: "解读材料与政策文件同步发布" (004 §四)) when marked public.
    public static let records: [(kind: String, label: String)] = [("transcript", "文字实录"), ("briefReport", "简报"),
                                                                  ("policyDocument", "相关政策文件"), ("interpretation", "政策解读材料"),
                                                                  ("other", "其他材料")]

    /// The kinds shown under 相关政策与解读 on the public record.
    public static let policyKinds: Set<String> = ["policyDocument", "interpretation"]

    public static var all: [String] { ConferenceDocument.allCases.map(\.rawValue) + records.map(\.kind) }

    public static func label(_ kind: String) -> String {
        ConferenceDocument(rawValue: kind)?.label ?? records.first { $0.kind == kind }?.label ?? kind
    }
}
