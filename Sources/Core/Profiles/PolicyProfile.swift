import Foundation

/// A rule value with the article it comes from, shown next to whatever it produced.
///
/// `value` must be present in the file even when it is `null` ("the regulation sets no number"):
/// a forgotten key is a mistake, an explicit `null` with its source is a fact.
public struct Cited<Value: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var value: Value
    /// `seed-file §article`, e.g. `003 §9`.
    public var source: String
    /// The words of the regulation the value is read from, when short enough to quote.
    public var quote: String?

    public init(_ value: Value, source: String, quote: String? = nil) {
        self.value = value
        self.source = source
        self.quote = quote
    }

    enum CodingKeys: String, CodingKey { case value, source, quote }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard c.contains(.value) else {
            throw DecodingError.keyNotFound(CodingKeys.value, .init(codingPath: c.codingPath, debugDescription: "value is required (null when the regulation sets none)"))
        }
        value = try c.decode(Value.self, forKey: .value)
        source = try c.decode(String.self, forKey: .source)
        quote = try c.decodeIfPresent(String.self, forKey: .quote)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(value, forKey: .value)  // `null` stays visible
        try c.encode(source, forKey: .source)
        try c.encodeIfPresent(quote, forKey: .quote)
    }
}

/// How many holders of one post an agency may have at once.
public struct PostLimit: Codable, Sendable, Equatable {
    public var min: Int
    public var max: Int
    public var source: String
    public var quote: String?

    public init(min: Int, max: Int, source: String, quote: String? = nil) {
        self.min = min
        self.max = max
        self.source = source
        self.quote = quote
    }
}

/// The roster rules of one jurisdiction (SPEC §1).
public struct RosterRules: Codable, Sendable, Equatable {
    /// Limits per post; a post without an entry may not be held at all.
    public var limits: [String: PostLimit]
    /// Whether temporary spokespersons may be authorised (003 §8; 002 §六(一)).
    public var temporarySpokesperson: Cited<Bool>
    /// A change must be filed within this many months of taking effect; `nil` = "in time" with no number.
    public var changeFilingMonths: Cited<Int?>
    /// Which posts the yearly published list shows.
    public var publishedPosts: Cited<[PositionKind]>
    /// The name of the supervising news office, as the regulation spells it.
    public var newsOfficeName: Cited<String>
    /// Who is the government-level spokesperson (SPEC R1.1).
    public var governmentSpokesperson: Cited<String?>
    /// Whether agencies submit their spokesperson details at the start of every year (004 §六).
    public var yearlySubmission: Cited<Bool>

    public func limit(for kind: PositionKind) -> PostLimit? { limits[kind.rawValue] }
}

/// An office holder who signs off, approves, speaks or hosts. Titles differ by level
/// (区长/县长/市长), so the labels name the office, not the title.
public enum Official: String, Codable, Sendable, CaseIterable {
    case agencyPrincipal, agencySpokesperson, authorisedLeader
    case deputyHead, governmentHead, governmentSpokesperson, deputySecretaryGeneral, partySecretary
    case newsOffice, newsOfficeDirector, newsOfficeAssistant, propagandaDeputy, superiorAuthority

    public var label: String {
        switch self {
        case .agencyPrincipal: "本单位主要负责人"
        case .agencySpokesperson: "本单位新闻发言人"
        case .authorisedLeader: "授权的负责人"
        case .deputyHead: "分管政府领导（副区长/副县长/副市长）"
        case .governmentHead: "政府主要负责人（区长/县长/市长）"
        case .governmentSpokesperson: "政府新闻发言人"
        case .deputySecretaryGeneral: "政府副秘书长"
        case .partySecretary: "党委书记"
        case .newsOffice: "新闻办"
        case .newsOfficeDirector: "新闻办主任（负责人）"
        case .newsOfficeAssistant: "新闻办发言人助理"
        case .propagandaDeputy: "宣传部分管部长"
        case .superiorAuthority: "上级主管部门"
        }
    }
}

/// A document of the press-conference file (SPEC §4.1, §4.5).
public enum ConferenceDocument: String, Codable, Sendable, CaseIterable {
    case applicationForm, workPlan, statement, hostScript, qaBrief, background, venuePlan

    public var label: String {
        switch self {
        case .applicationForm: "申报表（审批表）"
        case .workPlan: "工作方案"
        case .statement: "发布词（发布文稿）"
        case .hostScript: "主持词"
        case .qaBrief: "答问口径"
        case .background: "背景材料"
        case .venuePlan: "会场方案"
        }
    }
}

/// Who speaks and who hosts at one level of conference (SPEC §4.6).
public struct SpeakerRule: Codable, Sendable, Equatable {
    public var main: [Official]
    public var host: [Official]
}

public struct SpeakerRules: Codable, Sendable, Equatable {
    /// A conference in the government's name (以区政府名义).
    public var governmentLevel: SpeakerRule
    /// A conference in the news office's name, or one an agency holds itself.
    public var newsOfficeLevel: SpeakerRule
}

/// The content-approval chain (内容审定): stages in order; each stage needs one of its officials.
public struct ApprovalRules: Codable, Sendable, Equatable {
    public var routine: Cited<[[Official]]>
    /// A major matter (重大事项) climbs higher.
    public var major: Cited<[[Official]]>
}

/// Routine release timing (SPEC §2).
public struct ReleaseRules: Codable, Sendable, Equatable {
    /// Routine information is released within this many working days of being finalised (003 §19).
    public var routineWithinWorkingDays: Cited<Int?>
}

/// The press-conference workflow's numbers and choices (SPEC §4).
public struct ConferenceRules: Codable, Sendable, Equatable {
    /// Topic application at least this many working days ahead.
    public var applicationLeadWorkingDays: Cited<Int?>
    /// Who approves the application inside the agency before it leaves.
    public var applicationSignOff: Cited<Official>
    /// What goes with the application.
    public var applicationDocuments: Cited<[ConferenceDocument]>
    /// The news office answers within this many working days.
    public var reviewWorkingDays: Cited<Int?>
    public var approval: ApprovalRules
    public var confidentialityReview: Cited<Bool>
    public var stabilityRiskAssessment: Cited<Bool>
    /// Materials filed at least this many working days before the event.
    public var materialsLeadWorkingDays: Cited<Int?>
    public var materials: Cited<[ConferenceDocument]>
    public var speakers: Cited<SpeakerRules?>
    public var venue: Cited<String?>
    public var qaRequired: Cited<Bool>
    public var maxDurationMinutes: Cited<Int?>
    public var maxPodium: Cited<Int?>
    /// In a joint release the lead agency speaks at most this long.
    public var jointLeadMinutes: Cited<Int?>
    /// A preview (预告) of time and place is published.
    public var preview: Cited<Bool>
    public var liveStream: Cited<Bool>
    /// A brief report (简报) is archived with the news office afterwards.
    public var briefReport: Cited<Bool>
    /// A scheduled series (定时发布) for long public-health events.
    public var scheduledSeries: Cited<Bool>
}

/// Emergency level (SPEC R5.1).
public enum IncidentLevel: String, Codable, Sendable, CaseIterable {
    case general, large, major, especiallyMajor

    public var label: String {
        switch self {
        case .general: "一般"
        case .large: "较大"
        case .major: "重大"
        case .especiallyMajor: "特别重大"
        }
    }
}

/// When the 24-hour press conference is due (SPEC R5.4).
public enum ConferenceTrigger: String, Codable, Sendable, CaseIterable {
    /// 重大人员伤亡
    case heavyCasualties
    /// 较大社会影响
    case majorImpact
    /// 重大、特别重大 events
    case levelMajorOrAbove

    public var label: String {
        switch self {
        case .heavyCasualties: "造成重大人员伤亡"
        case .majorImpact: "造成较大社会影响"
        case .levelMajorOrAbove: "重大或特别重大突发事件"
        }
    }
}

/// Who releases for an incident of a given level (SPEC R5.2).
public enum Releaser: String, Codable, Sendable, CaseIterable {
    case localGovernment, competentDepartment, headquarters, superiorAuthorised

    public var label: String {
        switch self {
        case .localGovernment: "事发地政府（行政机关）"
        case .competentDepartment: "处置主管部门（现场指挥部设立后由指挥部）"
        case .headquarters: "现场指挥部"
        case .superiorAuthorised: "国家、省有关部门或在其许可、指导下发布"
        }
    }
}

public struct ReleaserByLevel: Codable, Sendable, Equatable {
    public var general: Releaser
    public var large: Releaser
    public var major: Releaser
    public var especiallyMajor: Releaser

    public func releaser(for level: IncidentLevel) -> Releaser {
        switch level {
        case .general: general
        case .large: large
        case .major: major
        case .especiallyMajor: especiallyMajor
        }
    }
}

/// Emergency clocks (SPEC §5). `nil` hours mean the regulation says "at once" without a number.
public struct EmergencyRules: Codable, Sendable, Equatable {
    public var firstReleaseHours: Cited<Int?>
    public var conferenceHours: Cited<Int?>
    public var conferenceWhen: Cited<[ConferenceTrigger]>
    /// A social-security incident that has become major online opinion is released at once (003 §25).
    public var immediateOnMajorOnlineOpinion: Cited<Bool>
    public var releaser: Cited<ReleaserByLevel?>
    /// The responsible unit notifies the propaganda department at once (002 §五(三)).
    public var notifyPropaganda: Cited<Bool>
}

/// A period over which a quota or an evaluation is counted.
public enum Period: String, Codable, Sendable, CaseIterable {
    case quarter, halfYear, year

    public var label: String {
        switch self {
        case .quarter: "每季度"
        case .halfYear: "每半年"
        case .year: "每年"
        }
    }
}

/// One line of the active-release quota (SPEC §6, "4·2·1+N").
public struct QuotaRule: Codable, Sendable, Equatable {
    public enum Actor: String, Codable, Sendable, CaseIterable {
        case governmentHead, deputyGovernmentHead, governmentSpokesperson
        case keyAgency, township, agencyPrincipal, agencySpokesperson, newsOffice

        public var label: String {
            switch self {
            case .governmentHead: "政府主要负责人"
            case .deputyGovernmentHead: "政府副职"
            case .governmentSpokesperson: "政府新闻发言人"
            case .keyAgency: "重点部门"
            case .township: "乡镇（街道）"
            case .agencyPrincipal: "部门主要负责人"
            case .agencySpokesperson: "部门新闻发言人"
            case .newsOffice: "新闻办"
            }
        }
    }

    public enum Activity: String, Codable, Sendable, CaseIterable {
        case releaseActivity, pressConference, otherResponse, journalistReception, attendGovernmentConference

        public var label: String {
            switch self {
            case .releaseActivity: "新闻发布活动"
            case .pressConference: "新闻发布会"
            case .otherResponse: "以其他形式回应社会关切"
            case .journalistReception: "新闻记者招待会"
            case .attendGovernmentConference: "出席政府新闻发布会"
            }
        }
    }

    /// Who organised the counted activity: quotas count these differently (SPEC §6).
    public enum Organiser: String, Codable, Sendable, CaseIterable {
        case any, superiorNewsOffice, ownNewsOffice, selfHeld

        public var label: String {
            switch self {
            case .any: "不限"
            case .superiorNewsOffice: "上级新闻办组织"
            case .ownNewsOffice: "本级新闻办组织"
            case .selfHeld: "自主举办"
            }
        }
    }

    /// A stable key, e.g. `keyAgency.conference.quarter`.
    public var id: String
    public var actor: Actor
    public var activity: Activity
    public var organiser: Organiser
    public var period: Period
    public var minimum: Int
    public var source: String
    public var quote: String?
}

/// Policy interpretation (SPEC §8).
public struct InterpretationRules: Codable, Sendable, Equatable {
    /// The interpretation is published together with the policy (004 §四).
    public var publishWithPolicy: Cited<Bool>
    /// A policy is submitted with its interpretation plan (002 政策解读制度 §二).
    public var planRequired: Cited<Bool>
    public var expertPool: Cited<Bool>
}

/// Evaluation and supervision (SPEC §10).
public struct EvaluationRules: Codable, Sendable, Equatable {
    public var cadence: Cited<Period?>
    public var circular: Cited<Period?>
    public var selfEvaluation: Cited<Bool>
    public var thirdPartyPanel: Cited<Bool>
    /// Every spokesperson is trained once in this many years.
    public var trainingRotationYears: Cited<Int?>
}

/// Reminders of the platform's clocks (issue on deadlines). The regulations set no reminder
/// times, so the shipped values are the platform's defaults and say so in their source.
public struct DeadlineRules: Codable, Sendable, Equatable {
    /// Remind this many hours before a clock runs out, e.g. `[24, 2]`.
    public var reminderHours: Cited<[Int]>
}

/// A jurisdiction's rules as data (SPEC: "rules are data"). Every value carries its citation.
public struct PolicyProfile: Codable, Sendable, Equatable, Identifiable {
    public var id: String
    public var name: String
    /// The profile this one extends, when it only overrides some values.
    public var extends: String?
    /// The regulations this profile is distilled from.
    public var sources: [String]
    public var roster: RosterRules
    public var releases: ReleaseRules
    public var conference: ConferenceRules
    public var emergency: EmergencyRules
    public var quotas: [QuotaRule]
    public var interpretation: InterpretationRules
    public var evaluation: EvaluationRules
    public var deadlines: DeadlineRules
}
