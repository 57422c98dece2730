import Foundation

/// 突发事件类别 (SPEC R5.1; 003 §21).
public enum IncidentType: String, Codable, Sendable, CaseIterable {
    case naturalDisaster, accident, publicHealth, socialSecurity

    public var label: String {
        switch self {
        case .naturalDisaster: "自然灾害"
        case .accident: "事故灾难"
        case .publicHealth: "公共卫生事件"
        case .socialSecurity: "社会安全事件"
        }
    }
}

/// 伤亡情况 — the first release must state missing and trapped people too (003 §23).
public struct Casualties: Codable, Sendable, Equatable {
    public var dead: Int
    public var injured: Int
    public var missing: Int
    public var trapped: Int

    public init(dead: Int = 0, injured: Int = 0, missing: Int = 0, trapped: Int = 0) {
        self.dead = dead
        self.injured = injured
        self.missing = missing
        self.trapped = trapped
    }

    /// 重大人员伤亡, read with the national thresholds of a 重大 accident: 10 or more dead (the
    /// missing counted with them) or 50 or more seriously injured (《生产安全事故报告和调查处理条例》
    /// 第三条). The duty officer can also set it by hand.
    public var isHeavy: Bool { dead + missing >= 10 || injured >= 50 }

    public var text: String { "死亡\(dead)人，受伤\(injured)人，失踪\(missing)人，被困\(trapped)人" }
}

/// What is known of an incident; the clocks follow from it.
public struct IncidentFacts: Sendable, Equatable {
    public var type: IncidentType
    public var level: IncidentLevel
    /// When it happened — the clocks run from here, not from when it was registered.
    public var occurredAt: Date
    public var casualties: Casualties
    /// Marked by the duty officer when the figures alone do not show it.
    public var heavyCasualties: Bool
    /// 造成较大社会影响
    public var majorImpact: Bool
    /// 已形成重大网络舆情 (003 §25)
    public var majorOnlineOpinion: Bool

    public init(type: IncidentType, level: IncidentLevel, occurredAt: Date, casualties: Casualties = Casualties(),
                heavyCasualties: Bool = false, majorImpact: Bool = false, majorOnlineOpinion: Bool = false) {
        self.type = type
        self.level = level
        self.occurredAt = occurredAt
        self.casualties = casualties
        self.heavyCasualties = heavyCasualties
        self.majorImpact = majorImpact
        self.majorOnlineOpinion = majorOnlineOpinion
    }
}

/// An hour clock of an incident.
public enum IncidentClockKind: String, Codable, Sendable, CaseIterable {
    /// 首次权威信息发布
    case firstRelease
    /// 新闻发布会
    case conference

    public var label: String {
        switch self {
        case .firstRelease: "首次权威信息发布"
        case .conference: "突发事件新闻发布会"
        }
    }
}

public struct IncidentClock: Sendable, Equatable {
    public var kind: IncidentClockKind
    public var dueAt: Date
    /// The article, quoted, and why this clock runs.
    public var source: String
    public var reason: String
}

/// The clocks of SPEC §5 for one incident, from the jurisdiction's emergency rules.
public struct EmergencyClocks: Sendable {
    public let rules: EmergencyRules

    public init(rules: EmergencyRules) { self.rules = rules }

    /// "At once" (立即, 第一时间) counted as this long after the platform hears of it, so a duty
    /// officer registering an incident is not overdue in the same second.
    public static let atOnce: TimeInterval = 3600

    /// The clocks `facts` call for. `registeredAt` is when the platform heard of it: a rule that
    /// says "at once" is due an hour later — or earlier, when the profile's hours from
    /// occurrence run out first.
    public func clocks(for facts: IncidentFacts, registeredAt: Date) -> [IncidentClock] {
        var out: [IncidentClock] = []
        let first = rules.firstReleaseHours
        let byHours = first.value.map { HourClock.due(after: facts.occurredAt, hours: $0) }
        let atOnce = registeredAt.addingTimeInterval(Self.atOnce)
        if rules.immediateOnMajorOnlineOpinion.value, facts.type == .socialSecurity, facts.majorOnlineOpinion {
            // 003 §25: a social-security incident that has become major online opinion is released at once.
            out.append(IncidentClock(kind: .firstRelease, dueAt: min(atOnce, byHours ?? atOnce),
                                     source: ConferenceChecks.cite(rules.immediateOnMajorOnlineOpinion),
                                     reason: "社会安全事件已形成重大网络舆情，须立即发布（按登记后1小时内计）"))
        } else if let due = byHours, let h = first.value {
            out.append(IncidentClock(kind: .firstRelease, dueAt: due, source: ConferenceChecks.cite(first), reason: "事件发生后\(h)小时内发布权威信息"))
        } else {
            out.append(IncidentClock(kind: .firstRelease, dueAt: atOnce, source: ConferenceChecks.cite(first),
                                     reason: "第一时间发布（未规定小时数，按登记后1小时内计）"))
        }
        if let reason = conferenceReason(facts), let h = rules.conferenceHours.value {
            out.append(IncidentClock(kind: .conference, dueAt: HourClock.due(after: facts.occurredAt, hours: h),
                                     source: ConferenceChecks.cite(rules.conferenceHours) + "；" + ConferenceChecks.cite(rules.conferenceWhen),
                                     reason: "\(reason)，须在事件发生后\(h)小时内召开新闻发布会"))
        }
        return out
    }

    /// Why a press conference is due, if it is (SPEC R5.4).
    public func conferenceReason(_ f: IncidentFacts) -> String? {
        for trigger in rules.conferenceWhen.value {
            switch trigger {
            case .heavyCasualties where f.heavyCasualties || f.casualties.isHeavy:
                return "造成重大人员伤亡（\(f.casualties.text)）"
            case .majorImpact where f.majorImpact:
                return "造成较大社会影响"
            case .levelMajorOrAbove where f.level == .major || f.level == .especiallyMajor:
                return "\(f.level.label)突发事件"
            default:
                continue
            }
        }
        return nil
    }

    /// Who releases for this level (SPEC R5.2), or nil when the profile does not say.
    public func releaser(for level: IncidentLevel) -> Releaser? { rules.releaser.value?.releaser(for: level) }
}

/// The first authoritative release must state time, place, scene, casualties (including missing
/// and trapped) and measures taken (003 §23).
public struct FirstReleaseChecklist: Sendable, Equatable {
    public var time: Bool
    public var place: Bool
    public var scene: Bool
    public var casualties: Bool
    public var measures: Bool

    public init(time: Bool, place: Bool, scene: Bool, casualties: Bool, measures: Bool) {
        self.time = time
        self.place = place
        self.scene = scene
        self.casualties = casualties
        self.measures = measures
    }

    /// The items still empty, by their Chinese names.
    public var missing: [String] {
        [("时间", time), ("地点", place), ("现场情况", scene), ("伤亡情况（含失踪、被困人员）", casualties), ("已采取的措施", measures)]
            .filter { !$0.1 }.map(\.0)
    }
}
